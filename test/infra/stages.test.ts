import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { type HandlerSpec, handlers } from '#catalog/catalog.ts';
import { knownStages, loadStage, ValidStageConfigSchema } from '#infra/stages.ts';
import { addStack, logicalIdOf, type Synthesized, synthStack } from './synth.ts';

describe('loadStage', () => {
  it('knows dev, test and prod', () => {
    expect(knownStages).toEqual(expect.arrayContaining(['dev', 'test', 'prod']));
    for (const name of knownStages) expect(loadStage(name).name).toBe(name);
  });

  it('refuses an unknown stage and lists the known ones', () => {
    expect(() => loadStage('staging')).toThrow(/Unknown stage "staging"\. Known stages: dev, test, prod/);
    expect(() => loadStage('constructor')).toThrow(/Unknown stage/);
  });

  it('retains production data and destroys development data', () => {
    expect(loadStage('prod').removalPolicy).toBe('retain');
    expect(loadStage('dev').removalPolicy).toBe('destroy');
  });

  it('keeps production data under the stage’s own key, development under AWS-managed keys', () => {
    expect(loadStage('prod').encryptionKey).toBe('customer-managed');
    expect(loadStage('dev').encryptionKey).toBe('aws-managed');
    expect(loadStage('test').encryptionKey).toBe('aws-managed');
    const prodInput = { ...loadStage('prod'), encryptionKey: 'customer-owned' };
    expect(ValidStageConfigSchema.safeParse(prodInput).success).toBe(false);
  });

  it('defaults the region to eu-west-1', () => {
    expect(loadStage('dev').region).toBe('eu-west-1');
  });
});

describe('dev and prod side by side', () => {
  // One app, two stacks, as `cdk synth` of two stages would produce; assets are not bundled here.
  let dev: Synthesized;
  let prod: Synthesized;
  beforeAll(() => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const devStack = addStack(app, loadStage('dev'));
    const prodStack = addStack(app, loadStage('prod'));
    dev = { app, stack: devStack, template: Template.fromStack(devStack) };
    prod = { app, stack: prodStack, template: Template.fromStack(prodStack) };
  });

  it('have different stack and resource names', () => {
    expect(dev.stack.stackName).toBe('Klantreis-dev');
    expect(prod.stack.stackName).toBe('Klantreis-prod');
    // Every function Klantreis names; CDK's own providers (emptying a destroyed stage's buckets,
    // deploying the console) are named by CloudFormation.
    const names = (s: Synthesized) =>
      Object.values(s.template.findResources('AWS::Lambda::Function')).flatMap((r) => {
        const name = (r.Properties as { FunctionName?: string }).FunctionName;
        return name === undefined ? [] : [name];
      });
    // prod receives no email replies: it has no receive-email-reply.
    const prodHandlers = handlers.filter((h) => !(h as HandlerSpec).needs?.includes('inbound-email'));
    expect(names(prod).length).toBeGreaterThanOrEqual(prodHandlers.length);
    expect(names(prod).every((n) => n.startsWith('klantreis-prod-'))).toBe(true);
    expect(names(dev).every((n) => n.startsWith('klantreis-dev-'))).toBe(true);
    prod.template.hasResourceProperties('AWS::DynamoDB::GlobalTable', { TableName: 'klantreis-prod-table' });
    prod.template.hasResourceProperties('AWS::ApiGatewayV2::Api', { Name: 'klantreis-prod-api' });
    prod.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'klantreis-prod-payment-reminder',
    });
  });

  it('retain the prod table and its logs, and protect it from deletion', () => {
    const tableId = logicalIdOf(
      prod.template,
      'AWS::DynamoDB::GlobalTable',
      'TableName',
      'klantreis-prod-table',
    );
    const table = prod.template.toJSON().Resources[tableId];
    expect(table).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(table.Properties.Replicas[0].DeletionProtectionEnabled).toBe(true);
    const logGroups = Object.values(prod.template.findResources('AWS::Logs::LogGroup'));
    expect(logGroups.length).toBeGreaterThan(0);
    expect(logGroups.every((g) => g.DeletionPolicy === 'Retain')).toBe(true);
    prod.template.hasResourceProperties('AWS::Logs::LogGroup', {
      RetentionInDays: loadStage('prod').logRetentionDays,
    });
  });

  it('schedule the batch in both, the dev schedule disabled', () => {
    dev.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'klantreis-dev-payment-reminder',
      State: 'DISABLED',
    });
    prod.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'klantreis-prod-payment-reminder',
      State: 'ENABLED',
    });
  });

  it('destroy the dev table with the stack', () => {
    const tableId = logicalIdOf(
      dev.template,
      'AWS::DynamoDB::GlobalTable',
      'TableName',
      'klantreis-dev-table',
    );
    expect(dev.template.toJSON().Resources[tableId]).toMatchObject({ DeletionPolicy: 'Delete' });
  });
});

describe('alarm mail', () => {
  it('is absent without alarmEmail: alarms exist but notify nobody', () => {
    const { template } = synthStack(loadStage('dev'), { bundle: false });
    // The SMS feedback topics exist on every stage; the alarm topic only with alarmEmail.
    const topics = Object.values(template.findResources('AWS::SNS::Topic'));
    expect(topics.filter((t) => t.Properties.TopicName === 'klantreis-dev-alarms')).toHaveLength(0);
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThan(0);
    expect(alarms.every((a) => a.Properties.AlarmActions === undefined)).toBe(true);
  });

  it('mails every journey alarm to alarmEmail when set', () => {
    const stage = { ...loadStage('test'), alarmEmail: 'ops@example.com' };
    const { template } = synthStack(stage, { bundle: false });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
    const topicId = logicalIdOf(template, 'AWS::SNS::Topic', 'TopicName', 'klantreis-test-alarms');
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
  });
});

describe('stage config: authorization and schedules', () => {
  it('schedules the payment reminder every weekday at 09:00 Amsterdam time in prod, inside most windows', () => {
    expect(loadStage('prod').schedules).toEqual([
      expect.objectContaining({
        journeyId: 'payment-reminder',
        cron: 'cron(0 9 ? * MON-FRI *)',
        timezone: 'Europe/Amsterdam',
        enabled: true,
      }),
    ]);
  });

  it('refuses jwt authorization without an issuer, naming the field', () => {
    const base = {
      emailFrom: 'a@example.com',
      logLevel: 'INFO',
      logRetentionDays: 7,
      messageBodyRetentionDays: 7,
      removalPolicy: 'destroy',
    };
    const missing = ValidStageConfigSchema.safeParse({ ...base, apiAuthorization: 'jwt' });
    expect(missing.error?.issues.map((i) => i.path.join('.'))).toEqual(['jwt']);
    const bad = ValidStageConfigSchema.safeParse({
      ...base,
      apiAuthorization: 'jwt',
      jwt: { issuer: 'http://insecure.example.com', audience: [] },
    });
    expect(bad.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['jwt.audience', 'jwt.issuer']);
  });
});

describe('email replies in the stage settings', () => {
  const dev = () => ({ ...loadStage('dev'), name: undefined });
  it('take a plain reply mailbox and an inbound domain in a region where SES receives mail', () => {
    const parsed = ValidStageConfigSchema.parse({
      ...dev(),
      emailReplyTo: 'service@example.com',
      inboundEmail: { domain: 'replies.example.com' },
    });
    expect(parsed.inboundEmail).toEqual({ domain: 'replies.example.com', retentionDays: 30 });
  });

  it('refuse an inbound domain in a region without SES receiving, saying which regions have it', () => {
    const parsed = ValidStageConfigSchema.safeParse({
      ...dev(),
      region: 'eu-central-1',
      inboundEmail: { domain: 'replies.example.com' },
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/us-east-1, us-west-2, eu-west-1/);
    expect(
      ValidStageConfigSchema.safeParse({
        ...dev(),
        region: 'eu-central-1',
        inboundEmail: undefined,
        emailReplyTo: 'service@example.com',
      }).success,
    ).toBe(true);
  });
});
