/**
 * How a journey run ended, kept on its run item: Step Functions publishes a status-change event
 * for every execution to the account's default bus; a rule takes the ended ones (succeeded, failed,
 * timed out, aborted) of this stage's journeys only and invokes the run-status handler. Events it
 * fails on, after the retries, land in an encrypted dead-letter queue with an alarm on it.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { resourceName } from '#catalog/catalog.ts';
import { ENDED_EXECUTION_STATUSES, EXECUTION_STATUS_CHANGE } from '#core/run-status.ts';
import type { StageConfig } from '../stages.ts';
import { deadLetterAlarm } from './dead-letter-alarm.ts';
import { queueDestination, stageQueue } from './stage-encryption.ts';

export interface RunStatusEventsProps {
  stage: StageConfig;
  /** The record-run-status handler. */
  handler: IFunction;
  /** The journeys' state machines: only their executions' ends are routed. */
  stateMachines: readonly IStateMachine[];
  alarmTopic?: ITopic;
}

export class RunStatusEvents extends Construct {
  readonly rule: Rule;
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: RunStatusEventsProps) {
    super(scope, id);
    const { stage } = props;

    this.deadLetterQueue = stageQueue(this, 'DeadLetterQueue', stage, {
      queueName: resourceName(stage.name, 'run-status-dlq'),
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue of the run-status handler (EventBridge target and asynchronous-invoke failures), and alarmed on.',
    });

    // The update is idempotent and order-free, so retries are safe; an event that still fails is kept.
    props.handler.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: queueDestination(this.deadLetterQueue),
    });
    this.rule = new Rule(this, 'ExecutionEndsRule', {
      ruleName: resourceName(stage.name, 'run-status'),
      description: 'Ended executions of this stage’s journeys → the run-status handler',
      eventPattern: {
        source: ['aws.states'],
        detailType: [EXECUTION_STATUS_CHANGE],
        detail: {
          status: [...ENDED_EXECUTION_STATUSES],
          stateMachineArn: props.stateMachines.map((machine) => machine.stateMachineArn),
        },
      },
      targets: [
        new LambdaFunction(props.handler, {
          retryAttempts: 8,
          maxEventAge: Duration.hours(6),
          deadLetterQueue: this.deadLetterQueue,
        }),
      ],
    });

    // A run left `running` after its execution ended misleads whoever reads it: one message is enough.
    this.deadLetterAlarm = deadLetterAlarm(this, 'DeadLetterAlarm', {
      queue: this.deadLetterQueue,
      alarmName: resourceName(stage.name, 'run-status-dead-letters'),
      description: `A journey run's end could not be recorded in ${stage.name}: see the run-status dead-letter queue.`,
      alarmTopic: props.alarmTopic,
    });
  }
}
