import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CALL_TASK_DETAIL_TYPE } from '#core/call-task.ts';
import { HAND_OVER_DETAIL_TYPE, HAND_OVER_SOURCE } from '#core/hand-over.ts';
import { loadStage } from '#infra/stages.ts';
import { logicalIdOf, synthUnderNag } from './synth.ts';

const prod = { ...loadStage('prod'), alarmEmail: 'ops@example.com' };
const dev = loadStage('dev');

// One app, synthesized once: prod (alarm mail, a year of archive) and dev (no alarm topic), under cdk-nag.
let template: Template;
let devTemplate: Template;
let nagReport = '';
beforeAll(() => {
  const { templates, nagReport: report } = synthUnderNag([prod, dev]);
  const [first, second] = templates as [Template, Template];
  template = first;
  devTemplate = second;
  nagReport = report;
});

const busId = () => logicalIdOf(template, 'AWS::Events::EventBus', 'Name', 'klantreis-prod-hand-overs');
const queueId = () => logicalIdOf(template, 'AWS::SQS::Queue', 'QueueName', 'klantreis-prod-hand-overs');
const dlqId = () => logicalIdOf(template, 'AWS::SQS::Queue', 'QueueName', 'klantreis-prod-hand-overs-dlq');

describe('hand-over inbox: hand-overs kept until a person picks them up', () => {
  it('keeps them 14 days in an encrypted queue with a dead-letter queue', () => {
    // prod encrypts with the stage's own key; dev with SQS-managed keys.
    const stageKey = { 'Fn::GetAtt': [Object.keys(template.findResources('AWS::KMS::Key'))[0], 'Arn'] };
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'klantreis-prod-hand-overs',
      KmsMasterKeyId: stageKey,
      MessageRetentionPeriod: 14 * 24 * 3600,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId(), 'Arn'] }, maxReceiveCount: 5 },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'klantreis-prod-hand-overs-dlq',
      KmsMasterKeyId: stageKey,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    for (const name of ['klantreis-dev-hand-overs', 'klantreis-dev-hand-overs-dlq']) {
      devTemplate.hasResourceProperties('AWS::SQS::Queue', { QueueName: name, SqsManagedSseEnabled: true });
    }
    // prod retains its data: the queues survive a stack deletion with what is waiting in them.
    expect(template.toJSON().Resources[queueId()].DeletionPolicy).toBe('Retain');
  });

  it('feeds the queue from every hand-over on the bus, undeliverable ones to the dead-letter queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      Name: 'klantreis-prod-hand-overs-to-queue',
      EventBusName: { Ref: busId() },
      EventPattern: { source: [HAND_OVER_SOURCE], 'detail-type': [HAND_OVER_DETAIL_TYPE] },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [queueId(), 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId(), 'Arn'] } },
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 10 }),
        }),
      ],
    });
  });

  it('lets only that rule send to the queue and its dead-letter queue, and only over TLS', () => {
    const ruleId = logicalIdOf(template, 'AWS::Events::Rule', 'Name', 'klantreis-prod-hand-overs-to-queue');
    const callRuleId = logicalIdOf(template, 'AWS::Events::Rule', 'Name', 'klantreis-prod-calls-to-queue');
    const callQueueId = logicalIdOf(template, 'AWS::SQS::Queue', 'QueueName', 'klantreis-prod-calls');
    for (const [queue, rules] of [
      [queueId(), [ruleId]],
      [callQueueId, [callRuleId]],
      [dlqId(), [ruleId, callRuleId]],
    ] as const) {
      const [policy] = Object.values(
        template.findResources('AWS::SQS::QueuePolicy', { Properties: { Queues: [{ Ref: queue }] } }),
      );
      const statements = policy?.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>;
      expect(statements).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
      const allows = statements.filter((s) => s.Effect === 'Allow');
      expect(allows).toHaveLength(rules.length);
      rules.forEach((rule, i) => {
        expect(allows[i]).toMatchObject({
          Principal: { Service: 'events.amazonaws.com' },
          Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [rule, 'Arn'] } } },
        });
        expect([allows[i]?.Action].flat()).toContain('sqs:SendMessage');
      });
    }
  });

  it('queues every call task for the contact centre in an encrypted queue with the dead-letter queue', () => {
    const stageKey = { 'Fn::GetAtt': [Object.keys(template.findResources('AWS::KMS::Key'))[0], 'Arn'] };
    const callQueueId = logicalIdOf(template, 'AWS::SQS::Queue', 'QueueName', 'klantreis-prod-calls');
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'klantreis-prod-calls',
      KmsMasterKeyId: stageKey,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId(), 'Arn'] }, maxReceiveCount: 5 },
    });
    devTemplate.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'klantreis-dev-calls',
      SqsManagedSseEnabled: true,
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      Name: 'klantreis-prod-calls-to-queue',
      EventBusName: { Ref: busId() },
      EventPattern: { source: [HAND_OVER_SOURCE], 'detail-type': [CALL_TASK_DETAIL_TYPE] },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [callQueueId, 'Arn'] } })],
    });
    // The journey step puts call tasks on the bus and counts the centre's hours on the table.
    const step = logicalIdOf(
      template,
      'AWS::Lambda::Function',
      'FunctionName',
      'klantreis-prod-run-journey-step',
    );
    const env = template.toJSON().Resources[step].Properties.Environment.Variables;
    expect(env.HAND_OVER_BUS_NAME).toEqual({ Ref: busId() });
  });

  it('archives the bus for replay, as long as the stage says', () => {
    template.hasResourceProperties('AWS::Events::Archive', {
      ArchiveName: 'klantreis-prod-hand-overs',
      SourceArn: { 'Fn::GetAtt': [busId(), 'Arn'] },
      RetentionDays: 365,
      EventPattern: { source: [HAND_OVER_SOURCE] },
    });
    devTemplate.hasResourceProperties('AWS::Events::Archive', {
      ArchiveName: 'klantreis-dev-hand-overs',
      RetentionDays: 7,
    });
  });

  it('alarms when a hand-over waits longer than the stage allows or lands in the dead letters, mailing the alarm topic', () => {
    const topicId = logicalIdOf(template, 'AWS::SNS::Topic', 'TopicName', 'klantreis-prod-alarms');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'klantreis-prod-hand-overs-waiting',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Namespace: 'AWS/SQS',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId(), 'QueueName'] } }],
      Threshold: 240 * 60,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: topicId }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'klantreis-prod-hand-overs-dead-letters',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId(), 'QueueName'] } }],
      Threshold: 1,
      AlarmActions: [{ Ref: topicId }],
    });
    // The default wait: an hour.
    devTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'klantreis-dev-hand-overs-waiting',
      Threshold: 3600,
    });
  });

  it('tells the deployer where hand-overs arrive (stack outputs)', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.HandOverBusName?.Value).toEqual({ Ref: busId() });
    expect(outputs.HandOverBusArn?.Value).toEqual({ 'Fn::GetAtt': [busId(), 'Arn'] });
    expect(outputs.HandOverQueueUrl?.Value).toEqual({ Ref: queueId() });
    expect(outputs.HandOverQueueArn?.Value).toEqual({ 'Fn::GetAtt': [queueId(), 'Arn'] });
    expect(outputs.HandOverArchiveName).toBeDefined();
  });

  it('passes cdk-nag with no unacknowledged finding', () => {
    expect(nagReport).toBe('');
  });
});
