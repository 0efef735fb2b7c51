import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { type HandlerSpec, handlers } from '#catalog/catalog.ts';
import { loadStage } from '#infra/stages.ts';
import {
  actionsOf,
  allowing,
  logicalIdOf,
  statementsOfFunction,
  statementsOfRole,
  synthUnderNag,
} from './synth.ts';

const prod = { ...loadStage('prod'), alarmEmail: 'ops@example.com' };
// prod receives no email replies: it has every handler but receive-email-reply.
const prodHandlers = handlers.filter((h) => !(h as HandlerSpec).needs?.includes('inbound-email'));
const dev = loadStage('dev');

// One app, synthesized once: prod (alarm mail) and dev, under cdk-nag.
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

const fnName = (id: string) => `klantreis-prod-${id}`;
const resources = () =>
  template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;
const keyId = () =>
  logicalIdOf(template, 'AWS::SecretsManager::Secret', 'Name', 'klantreis-prod-pseudonym-key');
const roleId = () => logicalIdOf(template, 'AWS::IAM::Role', 'RoleName', 'klantreis-prod-erasure-scheduler');
const dlqId = () => logicalIdOf(template, 'AWS::SQS::Queue', 'QueueName', 'klantreis-prod-erasure-pass-dlq');
const envOf = (id: string) => {
  const fn = resources()[logicalIdOf(template, 'AWS::Lambda::Function', 'FunctionName', fnName(id))];
  return (fn?.Properties.Environment as { Variables: Record<string, unknown> } | undefined)?.Variables ?? {};
};
const withNeed = (need: string) =>
  handlers
    .filter((h) => ('needs' in h ? (h.needs as readonly string[]) : []).includes(need))
    .map((h) => h.id);

describe('the pseudonym key', () => {
  it('is generated per stage in Secrets Manager, kept as long as the table', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'klantreis-prod-pseudonym-key',
      GenerateSecretString: Match.objectLike({ PasswordLength: 64 }),
    });
    expect(resources()[keyId()]).toMatchObject({ DeletionPolicy: 'Retain' });
    devTemplate.hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'klantreis-dev-pseudonym-key' });
  });

  it('is readable by the functions that key suppressions, erasure records or result events, and by no other', () => {
    const readers = withNeed('pseudonym-key');
    expect(readers.sort()).toEqual(
      [
        'erase-customer',
        'erase-late-writes',
        'record-email-feedback',
        'record-sms-feedback',
        'run-journey-step',
        // A goal (exit event) and a run's end are result events: their customer and run appear keyed.
        'record-event',
        'record-run-status',
        // A followed short link counts a click and an email reply a reply: result events too.
        'follow-short-link',
        'receive-email-reply',
      ].sort(),
    );
    for (const h of prodHandlers) {
      const reads = allowing(
        statementsOfFunction(template, fnName(h.id)),
        'secretsmanager:GetSecretValue',
      ).filter((s) => JSON.stringify(s.Resource).includes(keyId()));
      expect(reads.length > 0, h.id).toBe(readers.includes(h.id));
      expect(envOf(h.id).PSEUDONYM_KEY_SECRET_ARN !== undefined, h.id).toBe(readers.includes(h.id));
    }
    // Read only: no function may change or delete it (the email reply function exists only with an inbound domain).
    for (const id of readers.filter((id) => prodHandlers.some((h) => h.id === id))) {
      const actions = actionsOf(statementsOfFunction(template, fnName(id))).filter((a) =>
        a.startsWith('secretsmanager:'),
      );
      expect(
        actions.every((a) => ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'].includes(a)),
        id,
      ).toBe(true);
    }
  });
});

describe('the erasure’s second pass', () => {
  it('has a schedule group per stage', () => {
    template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'klantreis-prod-erasure' });
    devTemplate.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'klantreis-dev-erasure' });
  });

  it('runs as a scheduler role only schedules of that group of this account may assume, which may only invoke the second pass', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'klantreis-prod-erasure-scheduler',
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnEquals: { 'aws:SourceArn': Match.objectLike({ 'Fn::Join': Match.anyValue() }) },
            },
          }),
        ],
      },
    });
    const trust = JSON.stringify(resources()[roleId()]?.Properties.AssumeRolePolicyDocument);
    expect(trust).toContain(':schedule-group/klantreis-prod-erasure');
    const statements = statementsOfRole(template, roleId());
    const passFnId = logicalIdOf(
      template,
      'AWS::Lambda::Function',
      'FunctionName',
      fnName('erase-late-writes'),
    );
    expect(allowing(statements, 'lambda:InvokeFunction')).toEqual([
      expect.objectContaining({ Resource: { 'Fn::GetAtt': [passFnId, 'Arn'] } }),
    ]);
    expect(allowing(statements, 'sqs:SendMessage')).toEqual([
      expect.objectContaining({ Resource: { 'Fn::GetAtt': [dlqId(), 'Arn'] } }),
    ]);
    // prod's queue is under the stage key: the role may use it to send there, nothing more.
    const stageKey = { 'Fn::GetAtt': [Object.keys(template.findResources('AWS::KMS::Key'))[0], 'Arn'] };
    expect(statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('kms:')))).toEqual([
      expect.objectContaining({ Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: stageKey }),
    ]);
    expect(new Set(actionsOf(statements).map((a) => a.split(':')[0]))).toEqual(
      new Set(['lambda', 'sqs', 'kms']),
    );
  });

  it('lets only erase-customer create schedules, in that group only, and pass that role to the scheduler only', () => {
    for (const h of prodHandlers) {
      const statements = statementsOfFunction(template, fnName(h.id));
      const creates = allowing(statements, 'scheduler:CreateSchedule');
      const passes = allowing(statements, 'iam:PassRole');
      if (h.id !== 'erase-customer') {
        expect([...creates, ...passes], h.id).toEqual([]);
        continue;
      }
      expect(creates).toHaveLength(1);
      expect(JSON.stringify(creates[0]?.Resource)).toContain(':schedule/klantreis-prod-erasure/*');
      expect(passes).toEqual([
        expect.objectContaining({
          Resource: { 'Fn::GetAtt': [roleId(), 'Arn'] },
          Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
        }),
      ]);
    }
    expect(envOf('erase-customer')).toMatchObject({
      ERASURE_SCHEDULE_GROUP: 'klantreis-prod-erasure',
      ERASURE_SCHEDULER_ROLE_ARN: { 'Fn::GetAtt': [roleId(), 'Arn'] },
      ERASURE_DEAD_LETTER_QUEUE_ARN: { 'Fn::GetAtt': [dlqId(), 'Arn'] },
      ERASURE_PASS_FUNCTION_ARN: {
        'Fn::GetAtt': [
          logicalIdOf(template, 'AWS::Lambda::Function', 'FunctionName', fnName('erase-late-writes')),
          'Arn',
        ],
      },
    });
  });

  it('keeps a pass that could not run in an encrypted dead-letter queue, and raises the stage alarm', () => {
    // prod encrypts with the stage's own key, dev with SQS-managed keys.
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'klantreis-prod-erasure-pass-dlq',
      KmsMasterKeyId: { 'Fn::GetAtt': [Object.keys(template.findResources('AWS::KMS::Key'))[0], 'Arn'] },
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    devTemplate.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'klantreis-dev-erasure-pass-dlq',
      SqsManagedSseEnabled: true,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'klantreis-prod-erasure-pass-dead-letters',
      Threshold: 1,
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId(), 'QueueName'] } }],
      AlarmActions: [Match.objectLike({ Ref: Match.anyValue() })],
    });
  });

  it('gives the second pass the same table access as the erasure, and Step Functions access to stop runs', () => {
    const statements = statementsOfFunction(template, fnName('erase-late-writes'));
    expect(allowing(statements, 'dynamodb:BatchWriteItem')).not.toEqual([]);
    expect(allowing(statements, 'states:StopExecution')).not.toEqual([]);
    expect(actionsOf(statements)).not.toContain('dynamodb:Scan');
  });

  it('passes cdk-nag’s AwsSolutions pack with every acknowledgement reasoned', () => {
    expect(nagReport).toBe('');
  });
});
