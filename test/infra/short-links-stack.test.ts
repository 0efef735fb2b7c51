import { beforeAll, describe, expect, it } from 'vitest';
import { resourceName } from '#catalog/catalog.ts';
import { loadStage, ValidStageConfigSchema } from '#infra/stages.ts';
import { actionsOf, logicalIdOf, type Synthesized, statementsOfFunction, synthStack } from './synth.ts';

const fnName = (id: string) => resourceName('dev', id);

let onApi: Synthesized;
let onLinkDomain: Synthesized;
beforeAll(() => {
  // Wiring only: the assets do not matter here.
  onApi = synthStack(loadStage('dev'), { bundle: false });
  onLinkDomain = synthStack({ ...loadStage('dev'), linkDomain: 'go.example.nl' }, { bundle: false });
});

const variablesOf = (synthesized: Synthesized, id: string) => {
  const found = synthesized.template.findResources('AWS::Lambda::Function', {
    Properties: { FunctionName: fnName(id) },
  });
  return Object.values(found)[0]?.Properties?.Environment?.Variables as Record<string, unknown>;
};

describe('short links', () => {
  it('serve GET /s/{code} without API authorization, on the follow-short-link function', () => {
    const routes = Object.values(onApi.template.findResources('AWS::ApiGatewayV2::Route')).map(
      (r) => r.Properties as { RouteKey: string; AuthorizationType: string; Target: unknown },
    );
    const route = routes.find((r) => r.RouteKey === 'GET /s/{code}');
    expect(route?.AuthorizationType).toBe('NONE');
    const integrations = onApi.template.findResources('AWS::ApiGatewayV2::Integration');
    const target = JSON.stringify(route?.Target);
    const integration = Object.entries(integrations).find(([id]) => target.includes(id))?.[1];
    const fnId = logicalIdOf(
      onApi.template,
      'AWS::Lambda::Function',
      'FunctionName',
      fnName('follow-short-link'),
    );
    expect(JSON.stringify(integration?.Properties?.IntegrationUri)).toContain(fnId);
  });

  it('let the redirect read the table and its gsi1, put and update items, read the pseudonym key, and nothing more', () => {
    const statements = statementsOfFunction(onApi.template, fnName('follow-short-link'));
    const dynamo = actionsOf(statements).filter((a) => a.startsWith('dynamodb:'));
    expect(new Set(dynamo)).toEqual(
      new Set([
        'dynamodb:GetItem',
        'dynamodb:BatchGetItem',
        'dynamodb:Query',
        'dynamodb:ConditionCheckItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
      ]),
    );
    expect(JSON.stringify(statements)).toContain('/index/gsi1');
    // No provider, no journey: it reads a stored target and records the click; the pseudonym key keys
    // the customer in the click's result event.
    const others = actionsOf(statements).filter((a) => !/^(dynamodb|xray|kms|logs):/.test(a));
    expect(new Set(others)).toEqual(
      new Set(['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret']),
    );
    expect(variablesOf(onApi, 'follow-short-link').PSEUDONYM_KEY_SECRET_ARN).toBeDefined();
  });

  it('point the journey step’s short links at the API when the stage has no link domain', () => {
    expect(JSON.stringify(variablesOf(onApi, 'run-journey-step').SHORT_LINK_BASE)).toMatch(/execute-api/);
  });

  it('point them at the stage’s link domain when it has one', () => {
    expect(variablesOf(onLinkDomain, 'run-journey-step').SHORT_LINK_BASE).toBe('https://go.example.nl');
    // The console's simulation counts an SMS's parts with links as long as the step's.
    expect(variablesOf(onLinkDomain, 'get-customer-simulation').SHORT_LINK_BASE).toBe(
      'https://go.example.nl',
    );
    expect(variablesOf(onLinkDomain, 'follow-short-link').SHORT_LINK_BASE).toBeUndefined();
  });

  it('refuse a link domain longer than 20 characters or not a host name', () => {
    const stage = { ...loadStage('dev') } as Record<string, unknown>;
    delete stage.name;
    expect(ValidStageConfigSchema.safeParse({ ...stage, linkDomain: 'go.example.nl' }).success).toBe(true);
    expect(
      ValidStageConfigSchema.safeParse({ ...stage, linkDomain: 'links.klantreis-example.nl' }).success,
    ).toBe(false);
    expect(ValidStageConfigSchema.safeParse({ ...stage, linkDomain: 'https://go.nl' }).success).toBe(false);
  });
});
