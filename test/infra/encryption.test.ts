/**
 * The stage key: one per stage, always on the SNS topics; with `encryptionKey: 'customer-managed'`
 * (prod) on every table, queue, log group and state machine too, with the key policy and the grants
 * each service and role needs. The checks run over every resource of a kind, so a resource made
 * without the stage helpers (`stageQueue`, `stageLogGroup`, `stageTopic`) fails them.
 */
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { handlers, resourceName } from '#catalog/catalog.ts';
import { loadStage } from '#infra/stages.ts';
import { ACCOUNT, evaluate } from './policy-evaluator.ts';
import { type Statement, statementsOfFunction, statementsOfRole, synthUnderNag } from './synth.ts';

// prod (customer-managed, alarm mail) and dev (AWS-managed) in one app, under cdk-nag.
let prod: Template;
let dev: Template;
let nagReport = '';
beforeAll(() => {
  const { templates, nagReport: report } = synthUnderNag([
    { ...loadStage('prod'), alarmEmail: 'ops@example.com' },
    { ...loadStage('dev'), alarmEmail: 'ops@example.com' },
  ]);
  const [first, second] = templates as [Template, Template];
  prod = first;
  dev = second;
  nagReport = report;
});

type Resource = { Properties: Record<string, unknown>; DeletionPolicy?: string };
const resources = (template: Template, type: string) =>
  Object.values(template.findResources(type)) as Resource[];
const stageKeyId = (template: Template) => {
  const ids = Object.keys(template.findResources('AWS::KMS::Key'));
  expect(ids).toHaveLength(1);
  return ids[0] as string;
};
const keyArn = (template: Template) => ({ 'Fn::GetAtt': [stageKeyId(template), 'Arn'] });
const keyStatements = (template: Template): Statement[] => {
  const [key] = resources(template, 'AWS::KMS::Key');
  return (key?.Properties.KeyPolicy as { Statement: Statement[] } | undefined)?.Statement ?? [];
};
const actionsOfKms = (s: Statement) => JSON.stringify(s.Action).includes('kms:');
const servicesOf = (statements: Statement[]) =>
  statements.map((s) => (s as { Principal?: { Service?: string } }).Principal?.Service).filter(Boolean);

describe('the stage key', () => {
  it('is one rotated key per stage, aliased by the stage name, retained with a retained stage', () => {
    prod.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    prod.hasResourceProperties('AWS::KMS::Alias', {
      AliasName: 'alias/klantreis-prod',
      TargetKeyId: keyArn(prod),
    });
    expect(resources(prod, 'AWS::KMS::Key')[0]?.DeletionPolicy).toBe('Retain');
    dev.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/klantreis-dev' });
    dev.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, PendingWindowInDays: 7 });
    expect(resources(dev, 'AWS::KMS::Key')[0]?.DeletionPolicy).toBe('Delete');
  });

  it('keeps cdk-nag quiet with both settings', () => {
    expect(nagReport).toBe('');
  });
});

describe('topics: encrypted with the stage key in every stage', () => {
  it.each([
    ['prod', () => prod],
    ['dev', () => dev],
  ])('%s: inbound SMS, SMS events and alarms', (_stage, template) => {
    const topics = resources(template(), 'AWS::SNS::Topic');
    expect(topics.map((t) => t.Properties.TopicName).sort()).toEqual(
      expect.arrayContaining([expect.stringMatching(/-sms-inbound$/), expect.stringMatching(/-sms-events$/)]),
    );
    for (const topic of topics) expect(topic.Properties.KmsMasterKeyId).toEqual(keyArn(template()));
  });

  it('lets End User Messaging SMS and CloudWatch alarms use the key, for this stage’s topics only', () => {
    for (const service of ['sms-voice.amazonaws.com', 'cloudwatch.amazonaws.com']) {
      const statements = keyStatements(dev).filter((s) => servicesOf([s]).includes(service));
      const request = (topic: string) => ({
        action: 'kms:GenerateDataKey',
        resource: '*',
        context: { 'kms:EncryptionContext:aws:sns:topicArn': `arn:aws:sns:eu-west-1:${ACCOUNT}:${topic}` },
      });
      expect(evaluate(statements, request('klantreis-dev-sms-inbound'))).toBe('allowed');
      expect(evaluate(statements, request('klantreis-prod-sms-inbound'))).not.toBe('allowed');
      expect(evaluate(statements, request('payments-notifications'))).not.toBe('allowed');
    }
  });
});

describe('customer-managed (prod): table, queues, log groups and state machines under the stage key', () => {
  it('the table', () => {
    const [table] = resources(prod, 'AWS::DynamoDB::GlobalTable');
    expect(table?.Properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
    const replicas = table?.Properties.Replicas as Array<{ SSESpecification?: unknown }>;
    for (const replica of replicas)
      expect(replica.SSESpecification).toEqual({ KMSMasterKeyId: keyArn(prod) });
  });

  it('every queue, dead-letter queues included', () => {
    const queues = resources(prod, 'AWS::SQS::Queue');
    expect(queues.length).toBeGreaterThanOrEqual(3);
    for (const queue of queues) expect(queue.Properties.KmsMasterKeyId).toEqual(keyArn(prod));
  });

  it('every log group', () => {
    const groups = resources(prod, 'AWS::Logs::LogGroup');
    expect(groups.length).toBeGreaterThan(handlers.length);
    for (const group of groups) expect(group.Properties.KmsKeyId).toEqual(keyArn(prod));
  });

  it('every state machine', () => {
    const machines = resources(prod, 'AWS::StepFunctions::StateMachine');
    expect(machines.length).toBeGreaterThan(1);
    for (const machine of machines) {
      expect(machine.Properties.EncryptionConfiguration).toMatchObject({
        Type: 'CUSTOMER_MANAGED_KMS_KEY',
        KmsKeyId: keyArn(prod),
      });
    }
  });

  it('lets the batch use the key for its own executions and its Distributed Map’s child workflows only', () => {
    const batch = resources(prod, 'AWS::StepFunctions::StateMachine').find(
      (m) => m.Properties.StateMachineName === 'klantreis-prod-scheduled-batch',
    );
    const roleArn = batch?.Properties.RoleArn as { 'Fn::GetAtt': [string, string] } | undefined;
    const role = roleArn?.['Fn::GetAtt'][0] ?? '';
    const statements = statementsOfRole(prod, role).filter((s) => actionsOfKms(s));
    // The evaluator cannot resolve the key's GetAtt: check the resource apart, the contexts here.
    for (const s of statements) expect(s.Resource).toEqual(keyArn(prod));
    const onKey = statements.map((s) => ({ ...s, Resource: '{ref:key}' }));
    const decide = (machine: string) =>
      evaluate(onKey, {
        action: 'kms:GenerateDataKey',
        resource: '{ref:key}',
        context: {
          'kms:EncryptionContext:aws:states:stateMachineArn': `arn:aws:states:eu-west-1:${ACCOUNT}:stateMachine:${machine}`,
        },
      });
    expect(decide('klantreis-prod-scheduled-batch')).toBe('allowed');
    expect(decide('klantreis-prod-scheduled-batch/map-run-label')).toBe('allowed');
    expect(decide('klantreis-prod-payment-reminder')).not.toBe('allowed');
  });

  it('lets CloudWatch Logs encrypt log groups of this account and region, and EventBridge send to the queues', () => {
    const logs = keyStatements(prod).filter((s) => servicesOf([s]).includes('logs.eu-west-1.amazonaws.com'));
    const logGroup = (arn: string) => ({
      action: 'kms:GenerateDataKey',
      resource: '*',
      context: { 'kms:EncryptionContext:aws:logs:arn': arn },
    });
    expect(
      evaluate(
        logs,
        logGroup(`arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/lambda/klantreis-prod-get-run`),
      ),
    ).toBe('allowed');
    expect(evaluate(logs, logGroup('arn:aws:logs:eu-west-1:210987654321:log-group:theirs'))).not.toBe(
      'allowed',
    );
    const events = keyStatements(prod).filter((s) => servicesOf([s]).includes('events.amazonaws.com'));
    const send = (account: string) => ({
      action: 'kms:GenerateDataKey',
      resource: '*',
      context: { 'aws:SourceAccount': account },
    });
    expect(evaluate(events, send(ACCOUNT))).toBe('allowed');
    expect(evaluate(events, send('210987654321'))).not.toBe('allowed');
  });

  it('gives the functions the key through DynamoDB only: decrypt to read, encrypt to write', () => {
    const viaDynamo = (id: string) =>
      statementsOfFunction(prod, resourceName('prod', id)).filter((s) =>
        JSON.stringify(s).includes('"kms:ViaService":"dynamodb.eu-west-1.amazonaws.com"'),
      );
    const [reader] = viaDynamo('get-run');
    expect(reader).toMatchObject({ Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: keyArn(prod) });
    const [writer] = viaDynamo('run-journey-step');
    expect(writer?.Action).toEqual(
      expect.arrayContaining(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']),
    );
    expect(viaDynamo('run-journey-step')).toHaveLength(1);
  });

  it('lets the run readers decrypt the executions of the journeys, and nothing else with the key', () => {
    const statements = statementsOfFunction(prod, resourceName('prod', 'get-run')).filter(
      (s) => JSON.stringify(s.Action) === '"kms:Decrypt"',
    );
    const contexts = statements.map(
      (s) =>
        (s as { Condition?: Record<string, Record<string, unknown>> }).Condition?.StringEquals?.[
          'kms:EncryptionContext:aws:states:stateMachineArn'
        ],
    );
    expect(contexts.length).toBeGreaterThan(0);
    expect(JSON.stringify(contexts)).toContain(':stateMachine:klantreis-prod-payment-reminder');
    for (const s of statements) expect(s.Resource).toEqual(keyArn(prod));
  });

  it('lets the scheduler and the feedback handlers put failed deliveries on their encrypted queues', () => {
    const [schedule] = resources(prod, 'AWS::Scheduler::Schedule');
    const target = schedule?.Properties.Target as { RoleArn: { 'Fn::GetAtt': [string, string] } } | undefined;
    for (const statements of [
      statementsOfRole(prod, target?.RoleArn['Fn::GetAtt'][0] ?? ''),
      statementsOfFunction(prod, resourceName('prod', 'record-sms-feedback')),
    ]) {
      const kms = statements.filter((s) => JSON.stringify(s.Action).includes('kms:'));
      expect(kms).toContainEqual(
        expect.objectContaining({ Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: keyArn(prod) }),
      );
    }
  });
});

describe('AWS-managed (dev): the stage key stays on the topics', () => {
  it('leaves the table, queues, log groups and state machines to AWS-managed keys', () => {
    dev.hasResourceProperties('AWS::DynamoDB::GlobalTable', { SSESpecification: { SSEEnabled: true } });
    expect(JSON.stringify(resources(dev, 'AWS::DynamoDB::GlobalTable'))).not.toContain('KMSMasterKeyId');
    for (const queue of resources(dev, 'AWS::SQS::Queue')) {
      expect(queue.Properties).toMatchObject({ SqsManagedSseEnabled: true });
      expect(queue.Properties.KmsMasterKeyId).toBeUndefined();
    }
    for (const group of resources(dev, 'AWS::Logs::LogGroup'))
      expect(group.Properties.KmsKeyId).toBeUndefined();
    for (const machine of resources(dev, 'AWS::StepFunctions::StateMachine')) {
      expect(machine.Properties.EncryptionConfiguration).toBeUndefined();
    }
    expect(servicesOf(keyStatements(dev))).not.toContain('logs.eu-west-1.amazonaws.com');
  });
});
