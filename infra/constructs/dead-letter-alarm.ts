/**
 * The alarm every dead-letter queue of the stack carries: one message visible is enough, since each
 * one is work that did not happen (a pass not run, a status not recorded). It mails the stage's
 * alarm topic when there is one.
 */
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface DeadLetterAlarmProps {
  queue: IQueue;
  alarmName: string;
  /** What went wrong and where to look, for whoever is paged. */
  description: string;
  alarmTopic?: ITopic;
}

/** Returns an alarm that fires when any message is visible on the dead-letter queue. */
export function deadLetterAlarm(scope: Construct, id: string, props: DeadLetterAlarmProps): Alarm {
  const alarm = new Alarm(scope, id, {
    alarmName: props.alarmName,
    alarmDescription: props.description,
    metric: props.queue.metricApproximateNumberOfMessagesVisible({
      period: Duration.minutes(5),
      statistic: 'Maximum',
    }),
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  if (props.alarmTopic) alarm.addAlarmAction(new SnsAction(props.alarmTopic));
  return alarm;
}
