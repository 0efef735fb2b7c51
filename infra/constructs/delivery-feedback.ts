/**
 * Where provider feedback comes in:
 * - the SES configuration set every email is sent through: its event destination publishes
 *   delivery, bounce, complaint, open, click, reject and delay events to the default EventBridge
 *   bus, and a rule (matching only this set's events) invokes the email feedback handler;
 * - two SNS topics for SMS, which AWS End User Messaging SMS publishes to: inbound SMS (the phone
 *   number's two-way messaging destination) and SMS delivery events (a configuration set's event
 *   destination). Both are subscribed by the SMS feedback handler. Pointing the phone number and
 *   the SMS configuration set at these topics is a one-time account step (see the README).
 * Events a handler fails on, after the retries, land in one encrypted dead-letter queue.
 */
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  ConfigurationSet,
  EmailSendingEvent,
  EventDestination,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { resourceName } from '#catalog/catalog.ts';
import type { StageConfig } from '../stages.ts';
import { queueDestination, stageQueue, stageTopic } from './stage-encryption.ts';

/**
 * The SES events Klantreis acts on. `Send` (SES accepted the email) links a send whose answer the
 * step lost: it comes within seconds, long before the send's bound, where a delivery may not.
 */
export const EMAIL_FEEDBACK_EVENTS = [
  EmailSendingEvent.SEND,
  EmailSendingEvent.DELIVERY,
  EmailSendingEvent.BOUNCE,
  EmailSendingEvent.COMPLAINT,
  EmailSendingEvent.OPEN,
  EmailSendingEvent.CLICK,
  EmailSendingEvent.REJECT,
  EmailSendingEvent.DELIVERY_DELAY,
];

/** EventBridge detail types of those events. */
export const EMAIL_FEEDBACK_DETAIL_TYPES = [
  'Email Sent',
  'Email Delivered',
  'Email Bounced',
  'Email Complaint Received',
  'Email Opened',
  'Email Clicked',
  'Email Rejected',
  'Email Delivery Delayed',
];

/** Returns the stage's SES configuration set name: its own setting, or one named after the stage. */
export function configurationSetNameOf(stage: StageConfig): string {
  return stage.sesConfigurationSetName ?? resourceName(stage.name, 'email');
}

export interface DeliveryFeedbackProps {
  stage: StageConfig;
  /** The handler of SES events (EventBridge). */
  emailFeedback?: IFunction;
  /** The handler of inbound SMS and SMS delivery events (SNS). */
  smsFeedback?: IFunction;
}

export class DeliveryFeedback extends Construct {
  readonly configurationSet: ConfigurationSet;
  readonly inboundSmsTopic: Topic;
  readonly smsEventsTopic: Topic;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: DeliveryFeedbackProps) {
    super(scope, id);
    const { stage } = props;
    const configurationSetName = configurationSetNameOf(stage);

    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName,
      // SES's own account-level suppression as a second net under Klantreis's suppressions.
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      reputationMetrics: true,
    });
    this.configurationSet.addEventDestination('EventBridge', {
      configurationSetEventDestinationName: 'klantreis-feedback',
      // SES publishes only to the account's default bus.
      destination: EventDestination.eventBus(EventBus.fromEventBusName(this, 'DefaultBus', 'default')),
      events: EMAIL_FEEDBACK_EVENTS,
    });

    this.deadLetterQueue = stageQueue(this, 'DeadLetterQueue', stage, {
      queueName: resourceName(stage.name, 'feedback-dlq'),
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue of the feedback handlers (EventBridge target and asynchronous-invoke failures), and alarmed on.',
    });

    if (props.emailFeedback) {
      this.#retryThenDeadLetter(props.emailFeedback);
      new Rule(this, 'EmailEventsRule', {
        ruleName: resourceName(stage.name, 'email-events'),
        description: 'SES events of this stage’s configuration set → the email feedback handler',
        eventPattern: {
          source: ['aws.ses'],
          detailType: EMAIL_FEEDBACK_DETAIL_TYPES,
          detail: { mail: { tags: { 'ses:configuration-set': [configurationSetName] } } },
        },
        targets: [
          new LambdaFunction(props.emailFeedback, {
            retryAttempts: 8,
            maxEventAge: Duration.hours(6),
            deadLetterQueue: this.deadLetterQueue,
          }),
        ],
      });
    }

    this.inboundSmsTopic = this.#smsTopic('InboundSmsTopic', resourceName(stage.name, 'sms-inbound'));
    this.smsEventsTopic = this.#smsTopic('SmsEventsTopic', resourceName(stage.name, 'sms-events'));
    if (props.smsFeedback) {
      this.#retryThenDeadLetter(props.smsFeedback);
      for (const topic of [this.inboundSmsTopic, this.smsEventsTopic]) {
        topic.addSubscription(new LambdaSubscription(props.smsFeedback));
      }
    }
  }

  /**
   * Returns a topic End User Messaging SMS of this account (only) may publish to, encrypted with the
   * stage key (inbound texts carry phone numbers and what customers wrote), whose policy lets it.
   */
  #smsTopic(id: string, topicName: string): Topic {
    const topic = stageTopic(this, id, { topicName });
    topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'EndUserMessagingSmsPublishes',
        principals: [new ServicePrincipal('sms-voice.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    return topic;
  }

  /** Asynchronous invocations (EventBridge, SNS): two retries (a send record may lag), then the queue. */
  #retryThenDeadLetter(fn: IFunction): void {
    fn.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: queueDestination(this.deadLetterQueue),
    });
  }
}
