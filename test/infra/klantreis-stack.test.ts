import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import type { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { beforeAll, describe, expect, it } from 'vitest';
import { DATA_FILES } from '#adapters/data-file.ts';
import { type HandlerSpec, handlers, journeys, resourceName } from '#catalog/catalog.ts';
import { tableActionsOf } from '#catalog/table-access.ts';
import { tableDesign } from '#catalog/table-design.ts';
import { placeholdersIn } from '#infra/journey-substitutions.ts';
import { loadStage } from '#infra/stages.ts';
import {
  actionsOf,
  allowing,
  logicalIdOf,
  type Synthesized,
  statementsOfFunction,
  statementsOfRole,
  synthStack,
} from './synth.ts';

const dev = loadStage('dev');
const fnName = (id: string) => resourceName('dev', id);
/** Reading the table's stream: not an item access of the table. */
const STREAM_READ = [
  'dynamodb:DescribeStream',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:ListStreams',
];
const repoRoot = join(import.meta.dirname, '..', '..');

// Bundling six functions takes seconds: one synthesized stack serves the whole file.
let synthesized: Synthesized;
beforeAll(() => {
  synthesized = synthStack(dev);
});

describe('table', () => {
  it('is on demand, encrypted with the AWS-managed key, point-in-time recoverable, with TTL and gsi1', () => {
    synthesized.template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: 'klantreis-dev-table',
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      KeySchema: [
        { AttributeName: tableDesign.partitionKey, KeyType: 'HASH' },
        { AttributeName: tableDesign.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        Match.objectLike({
          IndexName: 'gsi1',
          KeySchema: [
            { AttributeName: tableDesign.gsi1.partitionKey, KeyType: 'HASH' },
            { AttributeName: tableDesign.gsi1.sortKey, KeyType: 'RANGE' },
          ],
        }),
      ],
      Replicas: [
        Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
      ],
    });
  });
});

describe('functions', () => {
  it.each(handlers.map((h) => h.id))('%s runs Node 24 on arm64, traced, named after the stage', (id) => {
    synthesized.template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: fnName(id),
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      Handler: 'index.handler',
      Environment: {
        Variables: Match.objectLike({
          STAGE: 'dev',
          POWERTOOLS_SERVICE_NAME: 'klantreis',
          POWERTOOLS_METRICS_NAMESPACE: 'Klantreis',
          POWERTOOLS_LOG_LEVEL: dev.logLevel,
          TABLE_NAME: Match.anyValue(),
          NODE_OPTIONS: '--enable-source-maps',
        }),
      },
    });
  });

  it.each(handlers.map((h) => h.id))('%s logs to its own log group with the stage retention', (id) => {
    const { template } = synthesized;
    const logGroupId = logicalIdOf(
      template,
      'AWS::Logs::LogGroup',
      'LogGroupName',
      `/aws/lambda/${fnName(id)}`,
    );
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: `/aws/lambda/${fnName(id)}`,
      RetentionInDays: dev.logRetentionDays,
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: fnName(id),
      LoggingConfig: { LogGroup: { Ref: logGroupId } },
    });
  });

  it('bundles ESM with a require shim and a source map', () => {
    const fn = synthesized.stack.functions.get('get-customer')?.function;
    const asset = fn?.node.findChild('Code') as Asset | undefined;
    expect(asset).toBeDefined();
    const dir = join(synthesized.app.outdir, asset?.assetPath ?? '');
    expect(readdirSync(dir)).toEqual(expect.arrayContaining(['index.mjs', 'index.mjs.map']));
    const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
    expect(code.startsWith("import { createRequire as __klantreisCreateRequire } from 'node:module';")).toBe(
      true,
    );
    expect(code).toMatch(/export\s*\{[^}]*\bhandler\b[^}]*\}/);
  });

  it('ships the data files the code reads at init beside every bundle, not inside it', () => {
    for (const id of ['run-journey-step', 'start-journey', 'record-email-feedback'] as const) {
      const fn = synthesized.stack.functions.get(id)?.function;
      const asset = fn?.node.findChild('Code') as Asset | undefined;
      const dir = join(synthesized.app.outdir, asset?.assetPath ?? '');
      for (const [name, source] of Object.entries(DATA_FILES)) {
        expect(readFileSync(join(dir, 'data', name), 'utf8'), `${id}: data/${name}`).toBe(
          readFileSync(join(repoRoot, source), 'utf8'),
        );
      }
    }
  });

  it('ships the templates folder with run-journey-step and tells it where', () => {
    const fn = synthesized.stack.functions.get('run-journey-step')?.function;
    const asset = fn?.node.findChild('Code') as Asset | undefined;
    const dir = join(synthesized.app.outdir, asset?.assetPath ?? '');
    expect(existsSync(join(dir, 'templates'))).toBe(true);
    // Compiled: every template folder, its MJML turned into HTML (no mjml in the bundle).
    const templateIds = readdirSync(join(repoRoot, 'templates'), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    expect(readdirSync(join(dir, 'templates')).filter((f) => !f.startsWith('.'))).toEqual(templateIds.sort());
    expect(existsSync(join(dir, 'templates/payment-reminder/nl/friendly/email.html.liquid'))).toBe(true);
    expect(existsSync(join(dir, 'templates/payment-reminder/nl/friendly/email.mjml'))).toBe(false);
    synthesized.template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: fnName('run-journey-step'),
      Environment: { Variables: Match.objectLike({ TEMPLATES_DIR: '/var/task/templates' }) },
    });
  });

  it('gives run-journey-step its sender settings and body retention', () => {
    synthesized.template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: fnName('run-journey-step'),
      Environment: {
        Variables: Match.objectLike({
          EMAIL_FROM: dev.emailFrom,
          SMS_SENDER_ID: dev.smsSenderId,
          MESSAGE_BODY_RETENTION_DAYS: String(dev.messageBodyRetentionDays),
        }),
      },
    });
  });
});

describe('least privilege', () => {
  const writes = ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'].map((a) => `dynamodb:${a}`);

  it.each(['get-customer', 'get-conversation'])('%s reads the table and cannot write it', (id) => {
    const actions = actionsOf(statementsOfFunction(synthesized.template, fnName(id)));
    expect(actions).toContain('dynamodb:GetItem');
    expect(actions.filter((a) => writes.includes(a) || a === 'dynamodb:*')).toEqual([]);
  });

  it.each(['run-journey-step', 'record-event', 'start-journey'])('%s reads and writes the table', (id) => {
    const actions = actionsOf(statementsOfFunction(synthesized.template, fnName(id)));
    expect(actions).toEqual(
      expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']),
    );
  });

  it.each(handlers.map((h) => [h.id, h] as const))(
    '%s gets exactly the table actions and indexes of its catalog entry',
    (id, spec) => {
      const { template } = synthesized;
      const tableId = logicalIdOf(template, 'AWS::DynamoDB::GlobalTable', 'TableName', fnName('table'));
      // Reading the table's stream is the results feed's, checked in results-analysis.test.ts.
      const statements = statementsOfFunction(template, fnName(id)).filter((s) =>
        actionsOf([s]).some((a) => a.startsWith('dynamodb:') && !STREAM_READ.includes(a)),
      );
      expect(new Set(actionsOf(statements))).toEqual(new Set(tableActionsOf(spec.table)));
      const resources = JSON.stringify(statements.map((s) => s.Resource));
      const indexes = [...resources.matchAll(/\/index\/(\w+)/g)].map((m) => m[1]);
      expect(indexes.sort()).toEqual([...('indexes' in spec ? spec.indexes : [])].sort());
      if (statements.length > 0) expect(resources).toContain(`"${tableId}"`);
    },
  );

  it('run-journey-step may send email from the stage sender identity only, and SMS', () => {
    const statements = statementsOfFunction(synthesized.template, fnName('run-journey-step'));
    const ses = allowing(statements, 'ses:SendEmail');
    expect(ses).toHaveLength(1);
    const resources = JSON.stringify(ses[0]?.Resource);
    expect(resources).toContain(':identity/noreply@example.com');
    expect(resources).not.toContain('"*"');
    expect(allowing(statements, 'sns:Publish')).toHaveLength(1);
  });

  it('only the send step (run-journey-step) may send email or SMS', () => {
    for (const h of handlers.filter((h) => h.id !== 'run-journey-step')) {
      const actions = actionsOf(statementsOfFunction(synthesized.template, fnName(h.id)));
      expect(actions.filter((a) => a.startsWith('ses:') || a.startsWith('sns:'))).toEqual([]);
    }
  });

  it.each(
    handlers.filter((h) => ((h as HandlerSpec).needs ?? []).includes('start-journeys')).map((h) => h.id),
  )('%s may start executions of the journey state machines only', (starterId) => {
    const { template } = synthesized;
    const start = allowing(statementsOfFunction(template, fnName(starterId)), 'states:StartExecution');
    const granted = start.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));
    const expected = journeys.map((j) => ({
      Ref: logicalIdOf(template, 'AWS::StepFunctions::StateMachine', 'StateMachineName', fnName(j.id)),
    }));
    expect(granted).toEqual(expect.arrayContaining(expected));
    expect(granted).toHaveLength(expected.length);
  });

  it.each(
    handlers
      .filter((h) => ((h as HandlerSpec).needs ?? []).includes('complete-journey-tasks'))
      .map((h) => h.id),
  )('%s may complete waiting Tasks of the journey state machines only (by name: no cycle)', (id) => {
    const { template } = synthesized;
    const statements = statementsOfFunction(template, fnName(id));
    for (const action of ['states:SendTaskSuccess', 'states:SendTaskFailure']) {
      const granted = allowing(statements, action).flatMap((s) =>
        Array.isArray(s.Resource) ? s.Resource : [s.Resource],
      );
      expect(granted, action).toHaveLength(journeys.length);
      const text = JSON.stringify(granted);
      for (const j of journeys) expect(text, action).toContain(`:stateMachine:${fnName(j.id)}"`);
    }
  });

  it('only the handlers whose catalog entry says so may touch Step Functions, each only as it says', () => {
    const { template } = synthesized;
    const allowed: Record<string, string[]> = {
      // DescribeExecution: whether an execution of its run id's name is this start's or another's.
      'start-journey': ['states:StartExecution', 'states:DescribeExecution', 'states:GetExecutionHistory'],
      'start-scheduled-runs': ['states:StartExecution'],
      'get-run': ['states:DescribeExecution', 'states:GetExecutionHistory'],
      'erase-customer': ['states:DescribeExecution', 'states:GetExecutionHistory', 'states:StopExecution'],
      // The erasure's second pass stops any run started since.
      'erase-late-writes': ['states:DescribeExecution', 'states:GetExecutionHistory', 'states:StopExecution'],
      // Exit events (invoice.paid) stop the customer's runs about the subject, on journey executions only.
      // An exit event stops runs; an arrangement starts its instalments' runs.
      'record-event': [
        'states:DescribeExecution',
        'states:GetExecutionHistory',
        'states:StopExecution',
        'states:StartExecution',
      ],
      // An email's open, click or bounce completes the journey Task waiting for it to be read.
      'record-email-feedback': ['states:SendTaskSuccess', 'states:SendTaskFailure'],
      // The read check as a callback: the step completes its own Task's token when nothing is to be checked.
      'run-journey-step': ['states:SendTaskSuccess', 'states:SendTaskFailure'],
      // The console: the state a customer's running run is in, and a person stopping a run.
      'list-customer-runs': ['states:DescribeExecution', 'states:GetExecutionHistory'],
      'stop-run': ['states:StopExecution'],
    };
    for (const h of handlers) {
      const actions = actionsOf(statementsOfFunction(template, fnName(h.id)));
      expect(new Set(actions.filter((a) => a.startsWith('states:'))), h.id).toEqual(
        new Set(allowed[h.id] ?? []),
      );
    }
  });

  it('only the handlers that hand over may put events, and they are told the bus and the API address', () => {
    const { template } = synthesized;
    for (const h of handlers) {
      const actions = actionsOf(statementsOfFunction(template, fnName(h.id)));
      const handsOver = ((h as HandlerSpec).needs ?? []).includes('hand-over');
      expect(actions.includes('events:PutEvents'), h.id).toBe(handsOver);
      if (!handsOver) continue;
      const fns = template.findResources('AWS::Lambda::Function', {
        Properties: { FunctionName: fnName(h.id) },
      }) as Record<string, { Properties: { Environment: { Variables: Record<string, unknown> } } }>;
      const variables = Object.values(fns)[0]?.Properties.Environment.Variables ?? {};
      expect(Object.keys(variables), h.id).toEqual(expect.arrayContaining(['HAND_OVER_BUS_NAME', 'API_URL']));
    }
    template.resourceCountIs('AWS::Events::EventBus', 1);
  });

  it('start-journey knows every journey state machine by id', () => {
    const { template } = synthesized;
    const variables = template.findResources('AWS::Lambda::Function', {
      Properties: { FunctionName: fnName('start-journey') },
    }) as Record<string, { Properties: { Environment: { Variables: Record<string, unknown> } } }>;
    const env = JSON.stringify(
      Object.values(variables)[0]?.Properties.Environment.Variables.JOURNEY_STATE_MACHINES,
    );
    for (const j of journeys) {
      const smId = logicalIdOf(
        template,
        'AWS::StepFunctions::StateMachine',
        'StateMachineName',
        fnName(j.id),
      );
      expect(env).toContain(`${j.id}`);
      expect(env).toContain(`"Ref":"${smId}"`);
    }
  });
});

describe.each(journeys.map((j) => [j.id, j.definitionFile] as const))('journey %s', (journeyId, file) => {
  const asl = readFileSync(join(repoRoot, file), 'utf8');
  const stateMachineProps = () => {
    const found = synthesized.template.findResources('AWS::StepFunctions::StateMachine', {
      Properties: { StateMachineName: fnName(journeyId) },
    });
    const [entry] = Object.entries(found);
    if (!entry) throw new Error(`no state machine named ${fnName(journeyId)}`);
    return { id: entry[0], props: entry[1].Properties as Record<string, unknown> };
  };

  it('is a STANDARD state machine named after the stage, logging errors without data, traced', () => {
    synthesized.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: fnName(journeyId),
      StateMachineType: 'STANDARD',
      LoggingConfiguration: Match.objectLike({ Level: 'ERROR', IncludeExecutionData: false }),
      TracingConfiguration: { Enabled: true },
    });
  });

  it('fills every placeholder the ASL file uses', () => {
    const substitutions = stateMachineProps().props.DefinitionSubstitutions as Record<string, unknown>;
    const used = placeholdersIn(asl);
    expect(used.length).toBeGreaterThan(0);
    expect(Object.keys(substitutions).sort()).toEqual([...used].sort());
  });

  it('may invoke the functions it calls and read the table it reads', () => {
    const { template } = synthesized;
    const { props } = stateMachineProps();
    const roleId = (props.RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const statements = statementsOfRole(template, roleId);
    const invokable = JSON.stringify(allowing(statements, 'lambda:InvokeFunction').map((s) => s.Resource));
    const substitutions = props.DefinitionSubstitutions as Record<
      string,
      { 'Fn::GetAtt'?: [string, string] }
    >;
    for (const value of Object.values(substitutions)) {
      const fnId = value['Fn::GetAtt']?.[0];
      if (fnId) expect(invokable).toContain(`"${fnId}"`);
    }
    if (asl.includes('arn:aws:states:::dynamodb:getItem')) {
      const tableId = logicalIdOf(template, 'AWS::DynamoDB::GlobalTable', 'TableName', fnName('table'));
      const read = allowing(statements, 'dynamodb:GetItem');
      expect(JSON.stringify(read.map((s) => s.Resource))).toContain(`"${tableId}"`);
    }
    expect(actionsOf(statements).filter((a) => a === 'dynamodb:PutItem' || a === '*')).toEqual([]);
  });

  it('raises an alarm on failed and on timed-out executions', () => {
    const { id } = stateMachineProps();
    for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut']) {
      synthesized.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/States',
        MetricName: metric,
        Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: id } }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
  });
});

describe('HTTP API', () => {
  it.each(
    handlers.flatMap((h) =>
      'route' in h && !('public' in h.route && h.route.public)
        ? [[h.id, `${h.route.method} ${h.route.path}`]]
        : [],
    ),
  )('%s serves %s behind IAM authorization', (id, routeKey) => {
    const { template } = synthesized;
    const fnId = logicalIdOf(template, 'AWS::Lambda::Function', 'FunctionName', fnName(id));
    const integrations = template.findResources('AWS::ApiGatewayV2::Integration', {
      Properties: { IntegrationUri: { 'Fn::GetAtt': [fnId, 'Arn'] } },
    });
    const [integrationId] = Object.keys(integrations);
    expect(integrationId).toBeDefined();
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: routeKey,
      AuthorizationType: 'AWS_IAM',
      Target: { 'Fn::Join': ['', ['integrations/', { Ref: integrationId }]] },
    });
  });

  it('serves the two walking-skeleton routes', () => {
    const keys = Object.values(synthesized.template.findResources('AWS::ApiGatewayV2::Route')).map(
      (r) => (r.Properties as { RouteKey: string }).RouteKey,
    );
    expect(keys).toEqual(
      expect.arrayContaining(['POST /journeys/{journeyId}/runs', 'POST /customers/{customerId}/events']),
    );
  });

  it('throttles by default and writes access logs without client IPs', () => {
    const stages = synthesized.template.findResources('AWS::ApiGatewayV2::Stage');
    const [stage] = Object.values(stages);
    const props = stage?.Properties as {
      StageName: string;
      DefaultRouteSettings: { ThrottlingRateLimit: number; ThrottlingBurstLimit: number };
      AccessLogSettings: { DestinationArn: unknown; Format: string };
    };
    expect(props.StageName).toBe('$default');
    expect(props.DefaultRouteSettings).toMatchObject({
      ThrottlingRateLimit: dev.apiThrottle.rateLimit,
      ThrottlingBurstLimit: dev.apiThrottle.burstLimit,
    });
    expect(props.AccessLogSettings.DestinationArn).toBeDefined();
    expect(props.AccessLogSettings.Format).toContain('$context.requestId');
    expect(props.AccessLogSettings.Format).not.toMatch(/sourceIp|identity\.user|\$context\.path/);
  });

  it('exports the API URL, table name and state machine ARNs', () => {
    const outputs = Object.keys(synthesized.template.toJSON().Outputs as Record<string, unknown>);
    expect(outputs).toEqual(
      expect.arrayContaining([
        'ApiUrl',
        'TableName',
        ...journeys.map(() => expect.stringMatching(/StateMachineArn$/)),
      ]),
    );
    expect(outputs.filter((o) => o.endsWith('StateMachineArn'))).toHaveLength(journeys.length);
  });
});
