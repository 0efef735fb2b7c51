/**
 * What GDPR erasure needs beyond the table: the stage's pseudonym key (the HMAC key of suppression
 * entries and erasure records, generated at deploy time, readable only by the functions whose
 * catalog entry needs it), and the one-time schedules of the erasure's second pass — a schedule
 * group of the stage, the role the scheduler assumes to invoke the second pass (nothing else), a
 * dead-letter queue for a pass that could not run, and an alarm on it. The erasure function may
 * create schedules in that group only and pass that role to the scheduler only.
 */
import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type HandlerId, type HandlerSpec, resourceName } from '#catalog/catalog.ts';
import type { StageConfig } from '../stages.ts';
import { deadLetterAlarm } from './dead-letter-alarm.ts';
import { type NodeFunction, removalPolicyOf } from './node-function.ts';
import { grantQueueSend, stageQueue } from './stage-encryption.ts';

export interface ErasureProps {
  stage: StageConfig;
  specs: readonly HandlerSpec[];
  functions: ReadonlyMap<HandlerId, NodeFunction>;
  alarmTopic?: ITopic;
}

export class Erasure extends Construct {
  readonly pseudonymKey: Secret;
  readonly scheduleGroup: ScheduleGroup;
  /** Assumed by EventBridge Scheduler to invoke the second pass and to write its dead letters. */
  readonly schedulerRole: Role;
  /** Second passes the scheduler could not run within a day of retries. */
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: ErasureProps) {
    super(scope, id);
    const { stage, specs, functions } = props;
    const removalPolicy = removalPolicyOf(stage);
    const withNeed = (need: NonNullable<HandlerSpec['needs']>[number]) =>
      specs
        .filter((s) => s.needs?.includes(need))
        .map((s) => functions.get(s.id as HandlerId))
        .filter((fn): fn is NodeFunction => fn !== undefined);

    // Lives as long as the table: the keyed entries are useless without it.
    this.pseudonymKey = new Secret(this, 'PseudonymKey', {
      secretName: resourceName(stage.name, 'pseudonym-key'),
      description:
        'Klantreis: HMAC key of the suppression entries and erasure records (no address or id stored)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy,
    });
    Validations.of(this.pseudonymKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Suppression entries are keyed by an HMAC under this key and must outlive erasure; a new key could not re-key them (the addresses are not stored), so a rotated key would silently lift every suppression.',
    });
    for (const fn of withNeed('pseudonym-key')) {
      this.pseudonymKey.grantRead(fn.function);
      fn.addEnvironment('PSEUDONYM_KEY_SECRET_ARN', this.pseudonymKey.secretArn);
    }

    const [passFn] = withNeed('erasure-pass');
    const schedulers = withNeed('schedule-erasure-pass');
    const groupName = resourceName(stage.name, 'erasure');
    this.scheduleGroup = new ScheduleGroup(this, 'SecondPassGroup', {
      scheduleGroupName: groupName,
      removalPolicy,
    });

    this.deadLetterQueue = stageQueue(this, 'DeadLetterQueue', stage, {
      queueName: resourceName(stage.name, 'erasure-pass-dlq'),
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the erasure pass schedules (and alarmed on).',
    });
    this.deadLetterAlarm = deadLetterAlarm(this, 'DeadLetterAlarm', {
      queue: this.deadLetterQueue,
      alarmName: resourceName(stage.name, 'erasure-pass-dead-letters'),
      description: `An erasure's second pass could not run in ${stage.name}: late writes of an erased customer may remain. Redrive from the erasure pass dead-letter queue.`,
      alarmTopic: props.alarmTopic,
    });

    const stack = Stack.of(this);
    const groupArn = stack.formatArn({
      service: 'scheduler',
      resource: 'schedule-group',
      resourceName: groupName,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    // Only schedules of this group, of this account, may assume it (confused deputy).
    this.schedulerRole = new Role(this, 'SchedulerRole', {
      roleName: resourceName(stage.name, 'erasure-scheduler'),
      description: 'EventBridge Scheduler: invokes the erasure second pass',
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnEquals: { 'aws:SourceArn': groupArn },
        },
      }),
    });
    if (passFn) {
      this.schedulerRole.addToPolicy(
        new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [passFn.function.functionArn] }),
      );
    }
    grantQueueSend(this.deadLetterQueue, this.schedulerRole);

    for (const fn of schedulers) {
      fn.function.addToRolePolicy(
        new PolicyStatement({
          actions: ['scheduler:CreateSchedule'],
          resources: [
            stack.formatArn({
              service: 'scheduler',
              resource: 'schedule',
              resourceName: `${groupName}/*`,
              arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
            }),
          ],
        }),
      );
      fn.function.addToRolePolicy(
        new PolicyStatement({
          actions: ['iam:PassRole'],
          resources: [this.schedulerRole.roleArn],
          conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
        }),
      );
      Validations.of(fn.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:${stage.region}:<AWS::AccountId>:schedule/${groupName}/*]`,
        reason:
          'Each erasure creates a one-time schedule with a new random name (deleted once it ran): any schedule of the stage’s erasure group, no other group.',
      });
      fn.addEnvironment('ERASURE_SCHEDULE_GROUP', groupName);
      fn.addEnvironment('ERASURE_SCHEDULER_ROLE_ARN', this.schedulerRole.roleArn);
      fn.addEnvironment('ERASURE_DEAD_LETTER_QUEUE_ARN', this.deadLetterQueue.queueArn);
      if (passFn) fn.addEnvironment('ERASURE_PASS_FUNCTION_ARN', passFn.function.functionArn);
    }
  }
}
