import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { handlers } from '#catalog/catalog.ts';
import { loadStage } from '#infra/stages.ts';
import { logicalIdOf, statementsOfFunction, statementsOfRole, synthStack, synthUnderNag } from './synth.ts';

const prod = { ...loadStage('prod'), alarmEmail: 'ops@example.com' };
const jwt = { issuer: 'https://login.example.com/', audience: ['klantreis'], scopes: ['klantreis/api'] };
const jwtStage = { ...loadStage('test'), apiAuthorization: 'jwt' as const, jwt };

// One app, synthesized once (synths cost seconds): prod with alarm mail, and a stage on JWT auth,
// both checked by cdk-nag's AwsSolutions pack.
let synthesized: { template: Template };
let jwtTemplate: Template;
let nagReport = '';
beforeAll(() => {
  const { templates, nagReport: report } = synthUnderNag([prod, jwtStage]);
  const [first, second] = templates as [Template, Template];
  synthesized = { template: first };
  jwtTemplate = second;
  nagReport = report;
});

describe('cdk-nag AwsSolutions pack', () => {
  it('finds nothing unacknowledged (every acknowledgement carries its reason in the code)', () => {
    expect(nagReport).toBe('');
  });
});

describe('scheduled runs', () => {
  it('schedules the batch per stage schedule: cron in a named time zone, with the scheduled time as input', () => {
    const { template } = synthesized;
    const batchId = logicalIdOf(
      template,
      'AWS::StepFunctions::StateMachine',
      'StateMachineName',
      'klantreis-prod-scheduled-batch',
    );
    const queueId = logicalIdOf(template, 'AWS::SQS::Queue', 'QueueName', 'klantreis-prod-scheduler-dlq');
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'klantreis-prod-payment-reminder',
      ScheduleExpression: 'cron(0 9 ? * MON-FRI *)',
      ScheduleExpressionTimezone: 'Europe/Amsterdam',
      State: 'ENABLED',
      Target: Match.objectLike({
        Arn: { Ref: batchId },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
        RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 3 }),
      }),
    });
    const [schedule] = Object.values(template.findResources('AWS::Scheduler::Schedule'));
    const input = JSON.parse(schedule?.Properties.Target.Input as string);
    expect(input).toMatchObject({
      scheduleId: 'payment-reminder',
      journeyId: 'payment-reminder',
      timezone: 'Europe/Amsterdam',
      // Three days before the due date: the journey's friendly notice goes out before it.
      select: { kind: 'invoices-due', daysOverdue: -3 },
      scheduledTime: '<aws.scheduler.scheduled-time>',
    });
  });

  it('lets the scheduler start the batch and nothing else', () => {
    const { template } = synthesized;
    const [schedule] = Object.values(template.findResources('AWS::Scheduler::Schedule'));
    const roleArn = schedule?.Properties.Target.RoleArn as { 'Fn::GetAtt': [string, string] } | undefined;
    const roleId = roleArn?.['Fn::GetAtt'][0] ?? '';
    const statements = statementsOfRole(template, roleId);
    const batchId = logicalIdOf(
      template,
      'AWS::StepFunctions::StateMachine',
      'StateMachineName',
      'klantreis-prod-scheduled-batch',
    );
    const start = statements.filter((s) => JSON.stringify(s.Action).includes('states:StartExecution'));
    expect(start.map((s) => s.Resource)).toEqual([{ Ref: batchId }]);
  });

  it('runs the batch as a Distributed Map over the two batch functions, alarmed like a journey', () => {
    const { template } = synthesized;
    const batch = Object.values(template.findResources('AWS::StepFunctions::StateMachine')).find(
      (r) => r.Properties.StateMachineName === 'klantreis-prod-scheduled-batch',
    );
    const substitutions = Object.keys(batch?.Properties.DefinitionSubstitutions ?? {});
    expect(substitutions.sort()).toEqual(
      handlers
        .filter((h) => ['select-due-invoices', 'start-scheduled-runs'].includes(h.id))
        .map((h) => ('substitution' in h ? h.substitution : ''))
        .sort(),
    );
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
      (a) => a.Properties.AlarmName as string,
    );
    expect(alarms).toEqual(
      expect.arrayContaining([
        'klantreis-prod-scheduled-batch-executions-failed',
        'klantreis-prod-scheduler-dead-letters',
      ]),
    );
  });
});

describe('alarms and dashboard', () => {
  it.each([
    ['Reputation.BounceRate', 0.05],
    ['Reputation.ComplaintRate', 0.001],
  ])('alarms when SES %s reaches %d, mailing the alarm topic', (metric, threshold) => {
    const { template } = synthesized;
    const topicId = logicalIdOf(template, 'AWS::SNS::Topic', 'TopicName', 'klantreis-prod-alarms');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SES',
      MetricName: metric,
      Threshold: threshold,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: topicId }],
    });
  });

  it('alarms on the first provider event the feedback handlers could not record, mailing the alarm topic', () => {
    const { template } = synthesized;
    const topicId = logicalIdOf(template, 'AWS::SNS::Topic', 'TopicName', 'klantreis-prod-alarms');
    const queueId = logicalIdOf(template, 'AWS::SQS::Queue', 'QueueName', 'klantreis-prod-feedback-dlq');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'klantreis-prod-feedback-dead-letters',
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: topicId }],
    });
  });

  it('has one operations dashboard per stage', () => {
    synthesized.template.hasResourceProperties('AWS::CloudWatch::Dashboard', {
      DashboardName: 'klantreis-prod-operations',
    });
  });
});

describe('dead letters for the operators', () => {
  const deadLetterQueues = ['scheduler', 'feedback', 'erasure', 'run-status', 'results', 'hand-overs'];

  it('lets the dead-letter view read and peek at every dead-letter queue of the stage and nothing else', () => {
    const { template } = synthesized;
    const dlqIds = Object.entries(template.findResources('AWS::SQS::Queue'))
      .filter(([, q]) => String(q.Properties?.QueueName).endsWith('-dlq'))
      .map(([id]) => id)
      .sort();
    expect(dlqIds.length).toBe(deadLetterQueues.length);
    const sqsStatements = statementsOfFunction(template, 'klantreis-prod-get-operations-dead-letters').filter(
      (s) => JSON.stringify(s.Action).includes('sqs:'),
    );
    expect(sqsStatements).toHaveLength(1);
    expect(sqsStatements[0]?.Action).toEqual(['sqs:GetQueueAttributes', 'sqs:ReceiveMessage']);
    const resources = ((sqsStatements[0]?.Resource ?? []) as { 'Fn::GetAtt': [string, string] }[])
      .map((r) => r['Fn::GetAtt'][0])
      .sort();
    expect(resources).toEqual(dlqIds);
  });

  it('passes the queues’ URLs by name in the function’s environment', () => {
    const { template } = synthesized;
    const fnId = logicalIdOf(
      template,
      'AWS::Lambda::Function',
      'FunctionName',
      'klantreis-prod-get-operations-dead-letters',
    );
    const env = JSON.stringify(
      template.toJSON().Resources[fnId].Properties.Environment.Variables.DEAD_LETTER_QUEUES,
    );
    for (const name of deadLetterQueues) expect(env).toContain(`\\"${name}\\"`);
  });
});

describe('API authorization per stage', () => {
  it('uses a JWT authorizer with the stage’s issuer, audience and scopes when the stage says jwt', () => {
    const template = jwtTemplate;
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Issuer: jwt.issuer, Audience: jwt.audience },
    });
    // The integrating systems' API; the console's own API is checked in console.test.ts.
    const apiId = logicalIdOf(template, 'AWS::ApiGatewayV2::Api', 'Name', 'klantreis-test-api');
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).filter(
      (route) => JSON.stringify(route.Properties?.ApiId) === JSON.stringify({ Ref: apiId }),
    );
    expect(routes.length).toBe(handlers.filter((h) => 'route' in h).length);
    for (const route of routes) {
      // Public routes (token-verified unsubscribe links, short links whose code is their own proof) take
      // no credentials; every other route JWT.
      if (/ \/(unsubscribe|s\/\{code\})$/.test(String(route.Properties?.RouteKey))) {
        expect(route.Properties).toMatchObject({ AuthorizationType: 'NONE' });
        continue;
      }
      expect(route.Properties).toMatchObject({ AuthorizationType: 'JWT', AuthorizationScopes: jwt.scopes });
    }
  });

  it('refuses a jwt stage without an issuer', () => {
    expect(() => synthStack({ ...loadStage('test'), apiAuthorization: 'jwt' }, { bundle: false })).toThrow(
      /jwt\.issuer/,
    );
  });
});
