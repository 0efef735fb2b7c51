/**
 * The stage's KMS key and the helpers that put it on what the stage keeps at rest. One key per stage
 * (`alias/klantreis-<stage>`, rotated yearly, retained with a retained stage):
 * - it always encrypts the SNS topics: End User Messaging SMS and CloudWatch alarms can publish to an
 *   encrypted topic only when the key policy lets their service principal use the key, and the
 *   AWS-managed SNS key's policy cannot be changed;
 * - with the stage setting `encryptionKey: 'customer-managed'` it also encrypts the table, every SQS
 *   queue, every log group and the state machines (`dataKey`).
 *
 * Constructs find it with `StageEncryption.of(this)`, so a resource made with `stageLogGroup`,
 * `stageQueue` or `stageTopic` (and every `NodeFunction` and `Journey`) gets the key without wiring.
 */
import { ArnFormat, Duration, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { TableEncryptionV2 } from 'aws-cdk-lib/aws-dynamodb';
import { CfnRule, type IRuleTarget } from 'aws-cdk-lib/aws-events';
import { type IGrantable, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import type { IDestination } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type LogGroupProps, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Topic, type TopicProps } from 'aws-cdk-lib/aws-sns';
import { type IQueue, Queue, QueueEncryption, type QueueProps } from 'aws-cdk-lib/aws-sqs';
import { Construct, type IConstruct } from 'constructs';
import { resourceName } from '#catalog/catalog.ts';
import type { StageConfig } from '../stages.ts';

export class StageEncryption extends Construct {
  /** The construct id on the stack, where `of` looks for it. */
  static readonly ID = 'StageEncryption';

  /** Returns the stage encryption of the scope's stack; undefined in a stack without one (construct tests). */
  static of(scope: IConstruct): StageEncryption | undefined {
    const found = Stack.of(scope).node.tryFindChild(StageEncryption.ID);
    return found instanceof StageEncryption ? found : undefined;
  }

  /** The stage key: the topics always, the rest of the stage's data when `dataKey` is set. */
  readonly key: Key;
  /** The key for the table, queues, log groups and state machines; undefined with AWS-managed keys. */
  readonly dataKey?: IKey;

  constructor(scope: Stack, stage: StageConfig) {
    super(scope, StageEncryption.ID);
    const stack = Stack.of(this);
    const retained = stage.removalPolicy === 'retain';
    this.key = new Key(this, 'Key', {
      alias: `alias/klantreis-${stage.name}`,
      description: `Klantreis ${stage.name}: encrypts the stage's topics${stage.encryptionKey === 'customer-managed' ? ', table, queues, log groups and state machines' : ''}`,
      enableKeyRotation: true,
      removalPolicy: retained ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      // The shortest wait KMS allows: a destroyed dev stack's key is gone in a week.
      ...(retained ? {} : { pendingWindow: Duration.days(7) }),
    });
    if (stage.encryptionKey === 'customer-managed') this.dataKey = this.key;

    // SNS encrypts with the topic ARN as encryption context: only this stage's topics.
    const stageTopics = stack.formatArn({ service: 'sns', resource: resourceName(stage.name, '*') });
    this.allowService('sms-voice.amazonaws.com', 'EndUserMessagingSmsPublishesToTopics', {
      ArnLike: { 'kms:EncryptionContext:aws:sns:topicArn': stageTopics },
    });
    this.allowService('cloudwatch.amazonaws.com', 'CloudWatchAlarmsPublishToTopics', {
      ArnLike: { 'kms:EncryptionContext:aws:sns:topicArn': stageTopics },
    });
    if (this.dataKey) {
      // CloudWatch Logs encrypts each log group with the group's ARN as encryption context.
      this.key.addToResourcePolicy(
        new PolicyStatement({
          sid: 'CloudWatchLogsEncryptsLogGroups',
          principals: [new ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
          actions: [
            'kms:Encrypt',
            'kms:Decrypt',
            'kms:ReEncryptFrom',
            'kms:ReEncryptTo',
            'kms:GenerateDataKey',
            'kms:DescribeKey',
          ],
          resources: ['*'],
          conditions: {
            ArnLike: {
              'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
                service: 'logs',
                resource: 'log-group',
                resourceName: '*',
                arnFormat: ArnFormat.COLON_RESOURCE_NAME,
              }),
            },
          },
        }),
      );
      // EventBridge rules put undeliverable events (and hand-overs) on encrypted queues.
      this.allowService('events.amazonaws.com', 'EventBridgeSendsToQueues', {
        StringEquals: { 'aws:SourceAccount': stack.account },
      });
    }
  }

  /** Grants what an IAM principal needs to send to and read from queues under the data key. */
  grantQueueUse(grantee: IGrantable): void {
    this.dataKey?.grant(grantee, 'kms:GenerateDataKey', 'kms:Decrypt');
  }

  /** Lets an AWS service that publishes or sends into this stage's resources use the key. */
  private allowService(service: string, sid: string, conditions: Record<string, unknown>): void {
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid,
        principals: [new ServicePrincipal(service)],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
        conditions,
      }),
    );
  }
}

/** Returns the table encryption of the stage: its key, or AWS-managed. */
export function tableEncryptionOf(scope: IConstruct): TableEncryptionV2 {
  const key = StageEncryption.of(scope)?.dataKey;
  return key ? TableEncryptionV2.customerManagedKey(key) : TableEncryptionV2.awsManagedKey();
}

/** A log group with the stage's retention, removal policy and (when the stage has one) data key. */
export function stageLogGroup(
  scope: Construct,
  id: string,
  stage: StageConfig,
  props: Omit<LogGroupProps, 'retention' | 'removalPolicy' | 'encryptionKey'> & { logGroupName: string },
): LogGroup {
  const key = StageEncryption.of(scope)?.dataKey;
  return new LogGroup(scope, id, {
    ...props,
    retention: stage.logRetentionDays as RetentionDays,
    removalPolicy: stage.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    ...(key ? { encryptionKey: key } : {}),
  });
}

/** An SQS queue over TLS only, encrypted with the stage's data key (or SSE-SQS without one). */
export function stageQueue(
  scope: Construct,
  id: string,
  stage: StageConfig,
  props: Omit<QueueProps, 'encryption' | 'encryptionMasterKey' | 'enforceSSL' | 'removalPolicy'> & {
    queueName: string;
  },
): Queue {
  const key = StageEncryption.of(scope)?.dataKey;
  return new Queue(scope, id, {
    ...props,
    ...(key
      ? { encryption: QueueEncryption.KMS, encryptionMasterKey: key }
      : { encryption: QueueEncryption.SQS_MANAGED }),
    enforceSSL: true,
    removalPolicy: stage.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
}

/**
 * Returns a Lambda destination (asynchronous-invoke failures) on a stage queue. Unlike CDK's
 * `SqsDestination`, it grants just what a send takes: sqs:SendMessage on the queue and, under a
 * key, kms:GenerateDataKey and kms:Decrypt on that key (no `GenerateDataKey*` or `ReEncrypt*`).
 */
export function queueDestination(queue: IQueue): IDestination {
  return {
    bind: (_scope, fn) => {
      grantQueueSend(queue, fn);
      return { destination: queue.queueArn };
    },
  };
}

/**
 * Grants sending to a queue: sqs:SendMessage and, when the queue has a KMS key, kms:GenerateDataKey
 * and kms:Decrypt on it. `queue.grantSendMessages` would add `kms:GenerateDataKey*` and `kms:ReEncrypt*`.
 */
export function grantQueueSend(queue: IQueue, grantee: IGrantable): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }),
  );
  queue.encryptionMasterKey?.grant(grantee, 'kms:GenerateDataKey', 'kms:Decrypt');
}

/**
 * Returns an EventBridge rule target that puts events on a stage queue (undeliverable ones on its
 * dead-letter queue). Unlike CDK's `SqsQueue`, whose queue policy loses its rule condition once the
 * queue has a KMS key, each queue's policy admits EventBridge for this rule only; the key admits
 * EventBridge of this account (StageEncryption).
 */
export function queueTarget(
  queue: IQueue,
  options: { deadLetterQueue: IQueue; retryAttempts: number; maxEventAge: Duration },
): IRuleTarget {
  return {
    bind: (rule) => {
      for (const target of [queue, options.deadLetterQueue]) {
        target.addToResourcePolicy(
          new PolicyStatement({
            sid: `AllowEventRule${Names.nodeUniqueId(rule.node)}`,
            principals: [new ServicePrincipal('events.amazonaws.com')],
            actions: ['sqs:SendMessage'],
            resources: [target.queueArn],
            conditions: { ArnEquals: { 'aws:SourceArn': CfnRule.arnForRule(rule) } },
          }),
        );
      }
      return {
        arn: queue.queueArn,
        targetResource: queue,
        deadLetterConfig: { arn: options.deadLetterQueue.queueArn },
        retryPolicy: {
          maximumRetryAttempts: options.retryAttempts,
          maximumEventAgeInSeconds: options.maxEventAge.toSeconds(),
        },
      };
    },
  };
}

/** An SNS topic over TLS only, always encrypted with the stage key (see the file comment). */
export function stageTopic(scope: Construct, id: string, props: TopicProps & { topicName: string }): Topic {
  const encryption = StageEncryption.of(scope);
  return new Topic(scope, id, {
    ...props,
    enforceSSL: true,
    ...(encryption ? { masterKey: encryption.key } : {}),
  });
}
