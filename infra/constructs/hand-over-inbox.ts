/**
 * Where hand-overs wait for a person when no contact-centre or collections system has subscribed
 * to the bus yet, or while it is down: an encrypted SQS queue fed by a rule on the hand-over bus
 * (with a dead-letter queue), an archive of the bus to replay after an outage, and alarms when a
 * hand-over waits too long or cannot be delivered. A hand-over lost is a customer nobody calls.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { type Archive, type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { resourceName } from '#catalog/catalog.ts';
import { CALL_TASK_DETAIL_TYPE } from '#core/call-task.ts';
import { HAND_OVER_DETAIL_TYPE, HAND_OVER_SOURCE } from '#core/hand-over.ts';
import type { StageConfig } from '../stages.ts';
import { deadLetterAlarm } from './dead-letter-alarm.ts';
import { queueTarget, stageQueue } from './stage-encryption.ts';

export interface HandOverInboxProps {
  stage: StageConfig;
  bus: IEventBus;
  alarmTopic?: ITopic;
}

/** What a rule matches to receive every hand-over (source and detail-type the hand-over step puts). */
export const handOverEventPattern = { source: [HAND_OVER_SOURCE], detailType: [HAND_OVER_DETAIL_TYPE] };

/** What a rule matches to receive every call task for the contact centre (the phone channel). */
export const callTaskEventPattern = { source: [HAND_OVER_SOURCE], detailType: [CALL_TASK_DETAIL_TYPE] };

/** Retries EventBridge makes to put a hand-over on the queue before it goes to the dead-letter queue. */
const DELIVERY_RETRIES = 10;
/** Receives a consumer may fail before the hand-over moves to the dead-letter queue. */
const MAX_RECEIVES = 5;

export class HandOverInbox extends Construct {
  /** The hand-overs waiting for a person, oldest first (at-least-once: deduplicate on `handOverId`). */
  readonly queue: Queue;
  /** Hand-overs the rule could not deliver, or a consumer failed on `MAX_RECEIVES` times. */
  readonly deadLetterQueue: Queue;
  readonly archive: Archive;
  readonly rule: Rule;
  /**
   * The call tasks waiting for the contact centre (the phone channel), by when they were put; each
   * names when to call. Shares the hand-overs' dead-letter queue and alarms.
   */
  readonly callQueue: Queue;
  readonly callRule: Rule;
  /** A hand-over waited longer than the stage's `handOvers.maxWaitMinutes`: nobody picks them up. */
  readonly waitingAlarm: Alarm;
  /** A hand-over is in the dead-letter queue. */
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: HandOverInboxProps) {
    super(scope, id);
    const { stage, bus } = props;
    const retentionPeriod = Duration.days(14);

    this.deadLetterQueue = stageQueue(this, 'DeadLetterQueue', stage, {
      queueName: resourceName(stage.name, 'hand-overs-dlq'),
      retentionPeriod,
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue of the hand-over queue and its rule (and alarmed on).',
    });
    // Under the stage's data key, its key policy lets EventBridge deliver (StageEncryption) and the
    // consumer needs kms:Decrypt on it (`StageEncryption.grantQueueUse`).
    this.queue = stageQueue(this, 'Queue', stage, {
      queueName: resourceName(stage.name, 'hand-overs'),
      retentionPeriod,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVES },
    });

    this.rule = new Rule(this, 'ToQueue', {
      ruleName: resourceName(stage.name, 'hand-overs-to-queue'),
      description: 'Every hand-over to a person also waits in the hand-over queue until someone reads it.',
      eventBus: bus,
      eventPattern: handOverEventPattern,
      targets: [
        queueTarget(this.queue, {
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: DELIVERY_RETRIES,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });

    this.callQueue = stageQueue(this, 'CallQueue', stage, {
      queueName: resourceName(stage.name, 'calls'),
      retentionPeriod,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVES },
    });
    this.callRule = new Rule(this, 'CallsToQueue', {
      ruleName: resourceName(stage.name, 'calls-to-queue'),
      description:
        'Every call task for the contact centre waits in the call queue until an agent system takes it.',
      eventBus: bus,
      eventPattern: callTaskEventPattern,
      targets: [
        queueTarget(this.callQueue, {
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: DELIVERY_RETRIES,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });

    // Everything on the bus, so a consumer that was down can replay what it missed.
    this.archive = bus.archive('Archive', {
      archiveName: resourceName(stage.name, 'hand-overs'),
      description: `Every Klantreis hand-over (${stage.name}), for replay after an outage.`,
      eventPattern: { source: [HAND_OVER_SOURCE] },
      retention: Duration.days(stage.handOvers.archiveRetentionDays),
    });

    this.waitingAlarm = new Alarm(this, 'WaitingAlarm', {
      alarmName: resourceName(stage.name, 'hand-overs-waiting'),
      alarmDescription: `A hand-over to a person has waited over ${stage.handOvers.maxWaitMinutes} minutes in ${stage.name}: nobody reads the hand-over queue (is the contact centre's consumer running?).`,
      metric: this.queue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: stage.handOvers.maxWaitMinutes * 60,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // An empty queue reports no age: nothing waits.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    if (props.alarmTopic) this.waitingAlarm.addAlarmAction(new SnsAction(props.alarmTopic));
    this.deadLetterAlarm = deadLetterAlarm(this, 'DeadLetterAlarm', {
      queue: this.deadLetterQueue,
      alarmName: resourceName(stage.name, 'hand-overs-dead-letters'),
      description: `A hand-over to a person could not be delivered or processed in ${stage.name}: see the hand-over dead-letter queue.`,
      alarmTopic: props.alarmTopic,
    });
  }
}
