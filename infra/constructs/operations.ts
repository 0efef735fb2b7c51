/**
 * What an operations team watches: one CloudWatch dashboard per stage (journeys, messages per
 * channel, fallbacks and drops by reason, sends that did not go out, provider feedback, scheduled
 * runs, API errors, SES reputation, dead letters), the SES reputation alarms (bounce rate ≥ 5 %,
 * complaint rate ≥ 0.1 %, the levels at which SES starts reviewing an account) and the alarm on
 * the feedback dead-letter queue.
 */
import { Duration } from 'aws-cdk-lib';
import type { IHttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { resourceName } from '#catalog/catalog.ts';
import type { StageConfig } from '../stages.ts';
import type { Journey } from './journey.ts';

export interface OperationsProps {
  stage: StageConfig;
  journeys: ReadonlyMap<string, Journey>;
  batch: Journey;
  /** The API's stage: its metrics are per stage. */
  api: IHttpStage;
  deadLetters?: IQueue;
  /** Provider feedback (SES events, SMS events and replies) the feedback handlers failed on. */
  feedbackDeadLetters?: IQueue;
  alarmTopic?: ITopic;
}

/** The namespace and default dimension Powertools Metrics writes with (see functions/adapters/powertools.ts). */
const app = (metricName: string, dimensionsMap: Record<string, string> = {}) =>
  new Metric({
    namespace: 'Klantreis',
    metricName,
    dimensionsMap: { service: 'klantreis', ...dimensionsMap },
    statistic: 'Sum',
    period: Duration.hours(1),
  });

const ses = (metricName: string) =>
  new Metric({ namespace: 'AWS/SES', metricName, statistic: 'Maximum', period: Duration.hours(1) });

export class Operations extends Construct {
  readonly dashboard: Dashboard;
  readonly bounceRateAlarm: Alarm;
  readonly complaintRateAlarm: Alarm;
  readonly feedbackDeadLetterAlarm?: Alarm;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    const { stage } = props;

    this.bounceRateAlarm = this.rateAlarm(
      'BounceRateAlarm',
      resourceName(stage.name, 'ses-bounce-rate'),
      ses('Reputation.BounceRate'),
      0.05,
      `SES bounce rate is 5 % or more in ${stage.region} (${stage.name}): clean the address list before SES pauses sending.`,
      props.alarmTopic,
    );
    this.complaintRateAlarm = this.rateAlarm(
      'ComplaintRateAlarm',
      resourceName(stage.name, 'ses-complaint-rate'),
      ses('Reputation.ComplaintRate'),
      0.001,
      `SES complaint rate is 0.1 % or more in ${stage.region} (${stage.name}): check what is sent to whom.`,
      props.alarmTopic,
    );

    if (props.feedbackDeadLetters) {
      // Feedback lost here is a bounce not suppressed or a STOP not honoured: one message is enough.
      this.feedbackDeadLetterAlarm = this.rateAlarm(
        'FeedbackDeadLetterAlarm',
        resourceName(stage.name, 'feedback-dead-letters'),
        props.feedbackDeadLetters.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: 'Maximum',
        }),
        1,
        `Provider feedback could not be recorded in ${stage.name} (a bounce, complaint or STOP may be unhandled): see the feedback dead-letter queue.`,
        props.alarmTopic,
      );
    }

    const machines = [...props.journeys.values(), props.batch];
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: resourceName(stage.name, 'operations'),
    });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# Klantreis ${stage.name}\nJourneys, messages, scheduled runs and deliverability. Alarms mail ${stage.alarmEmail ? 'the stage’s alarm address' : 'nobody (no alarmEmail)'}.`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Journey executions',
        width: 12,
        left: machines.flatMap((j) => [
          j.stateMachine.metricStarted({ period: Duration.hours(1), label: `${j.node.id} started` }),
          j.stateMachine.metricSucceeded({ period: Duration.hours(1), label: `${j.node.id} succeeded` }),
          j.stateMachine.metricFailed({ period: Duration.hours(1), label: `${j.node.id} failed` }),
          j.stateMachine.metricTimedOut({ period: Duration.hours(1), label: `${j.node.id} timed out` }),
          j.stateMachine.metricAborted({ period: Duration.hours(1), label: `${j.node.id} stopped` }),
        ]),
      }),
      new GraphWidget({
        title: 'Messages sent per channel, fallbacks, duplicates prevented',
        width: 12,
        left: ['email', 'sms'].map(
          (channel) =>
            new MathExpression({
              expression: `SUM(SEARCH('{Klantreis,channel,journeyId,service} MetricName="MessagesSent" channel="${channel}"', 'Sum', 3600))`,
              label: `${channel} sent`,
              period: Duration.hours(1),
            }),
        ),
        right: [
          new MathExpression({
            expression: `SUM(SEARCH('{Klantreis,channel,journeyId,service} MetricName="ChannelFallbacks"', 'Sum', 3600))`,
            label: 'fallbacks',
            period: Duration.hours(1),
          }),
          app('DuplicateSendsPrevented'),
        ],
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Channels dropped and steps skipped, by reason (consent, suppression, contact pressure, …)',
        width: 12,
        left: [
          new MathExpression({
            expression: `SEARCH('{Klantreis,channel,reason,service} MetricName="ChannelsDropped"', 'Sum', 3600)`,
            label: '',
            period: Duration.hours(1),
          }),
        ],
        right: [
          new MathExpression({
            expression: `SEARCH('{Klantreis,journeyId,reason,service} MetricName="StepsSkipped"', 'Sum', 3600)`,
            label: 'skipped',
            period: Duration.hours(1),
          }),
        ],
      }),
      new GraphWidget({
        title: 'Scheduled runs',
        width: 12,
        left: [
          app('ScheduledRunsSelected'),
          app('ScheduledRunsStarted'),
          app('ScheduledRunsAlreadyStarted'),
          app('ScheduledRunsSkipped'),
        ],
        right: props.deadLetters
          ? [props.deadLetters.metricApproximateNumberOfMessagesVisible({ label: 'scheduler dead letters' })]
          : [],
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Sends that did not go out (failed, unknown, rate-limited, skipped)',
        width: 12,
        left: [app('SendsFailed'), app('SendsUnknown'), app('SendsSkipped')],
        right: [app('SendsRateLimited')],
      }),
      new GraphWidget({
        title: 'Provider feedback: bounces, complaints, STOP, replies',
        width: 12,
        left: [
          app('EmailFeedbackBounce'),
          app('EmailFeedbackComplaint'),
          app('SmsOptOuts'),
          app('SmsReplies'),
          app('UnmatchedFeedbackEvents'),
        ],
        right: props.feedbackDeadLetters
          ? [
              props.feedbackDeadLetters.metricApproximateNumberOfMessagesVisible({
                label: 'feedback dead letters',
              }),
            ]
          : [],
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'HTTP API',
        width: 12,
        left: [
          props.api.metricCount({ period: Duration.hours(1), label: 'requests' }),
          props.api.metricClientError({ period: Duration.hours(1), label: '4xx' }),
          props.api.metricServerError({ period: Duration.hours(1), label: '5xx' }),
        ],
      }),
      new GraphWidget({
        title: 'SES reputation (alarm at 5 % bounces, 0.1 % complaints)',
        width: 12,
        left: [ses('Reputation.BounceRate'), ses('Reputation.ComplaintRate')],
        leftAnnotations: [
          { value: 0.05, label: 'bounce alarm' },
          { value: 0.001, label: 'complaint alarm' },
        ],
      }),
    );
  }

  /** Returns an alarm on a metric at or above the threshold, mailing the topic when there is one. */
  private rateAlarm(
    id: string,
    alarmName: string,
    metric: IMetric,
    threshold: number,
    description: string,
    topic?: ITopic,
  ): Alarm {
    const alarm = new Alarm(this, id, {
      alarmName,
      alarmDescription: description,
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // No email sent in a period: no rate, nothing to alarm on.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    if (topic) alarm.addAlarmAction(new SnsAction(topic));
    return alarm;
  }
}
