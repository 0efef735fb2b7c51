import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { resourceName } from '#catalog/catalog.ts';
import { loadStage } from '#infra/stages.ts';
import { allowing, logicalIdOf, type Synthesized, statementsOfFunction, synthStack } from './synth.ts';

const fnName = (id: string) => resourceName('dev', id);

let synthesized: Synthesized;
beforeAll(() => {
  // Wiring only: the assets do not matter here.
  synthesized = synthStack(loadStage('dev'), { bundle: false });
});

describe('unsubscribe links', () => {
  it('sign with a key generated into Secrets Manager at deploy time, never written in the template', () => {
    synthesized.template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'klantreis-dev-unsubscribe-key',
      GenerateSecretString: Match.objectLike({ PasswordLength: 64, ExcludePunctuation: true }),
    });
    const secrets = Object.values(
      synthesized.template.findResources('AWS::SecretsManager::Secret', {
        Properties: { Name: 'klantreis-dev-unsubscribe-key' },
      }),
    );
    expect(secrets).toHaveLength(1);
    expect(Object.keys(secrets[0]?.Properties ?? {})).not.toContain('SecretString');
  });

  it('let exactly the functions that sign or verify links read the key', () => {
    const secretId = logicalIdOf(
      synthesized.template,
      'AWS::SecretsManager::Secret',
      'Name',
      'klantreis-dev-unsubscribe-key',
    );
    for (const id of ['run-journey-step', 'show-unsubscribe-page', 'unsubscribe']) {
      const statements = allowing(
        statementsOfFunction(synthesized.template, fnName(id)),
        'secretsmanager:GetSecretValue',
      );
      // (run-journey-step also reads the stage's pseudonym key: `erasure.test.ts`.)
      expect(
        statements.map((s) => s.Resource).filter((r) => JSON.stringify(r).includes('UnsubscribeKey')),
        id,
      ).toEqual([{ Ref: secretId }]);
      synthesized.template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: fnName(id),
        Environment: { Variables: Match.objectLike({ UNSUBSCRIBE_KEY_SECRET_ARN: { Ref: secretId } }) },
      });
    }
    for (const id of ['record-email-feedback', 'select-due-invoices', 'start-journey', 'record-event']) {
      expect(
        allowing(
          statementsOfFunction(synthesized.template, fnName(id)),
          'secretsmanager:GetSecretValue',
        ).filter((s) => JSON.stringify(s.Resource).includes(secretId)),
        id,
      ).toEqual([]);
    }
  });

  it('point run-journey-step at the API’s /unsubscribe route', () => {
    const env = synthesized.template.findResources('AWS::Lambda::Function', {
      Properties: { FunctionName: fnName('run-journey-step') },
    });
    const variables = Object.values(env)[0]?.Properties?.Environment?.Variables as Record<string, unknown>;
    expect(JSON.stringify(variables.UNSUBSCRIBE_URL)).toMatch(/execute-api.*\/unsubscribe/);
  });

  it('serve GET and POST /unsubscribe without API authorization (the signed token is the proof), everything else with IAM', () => {
    const routes = Object.values(synthesized.template.findResources('AWS::ApiGatewayV2::Route')).map(
      (r) => r.Properties as { RouteKey: string; AuthorizationType: string },
    );
    const byKey = Object.fromEntries(routes.map((r) => [r.RouteKey, r.AuthorizationType]));
    expect(byKey['GET /unsubscribe']).toBe('NONE');
    expect(byKey['POST /unsubscribe']).toBe('NONE');
    for (const [key, auth] of Object.entries(byKey)) {
      // The console's own routes (`/api/…`) take a person's token: see console.test.ts.
      if (key.includes(' /api/')) continue;
      // A short link's code is its own proof (short-links-stack.test.ts).
      if (!key.endsWith(' /unsubscribe') && key !== 'GET /s/{code}') expect(auth, key).toBe('AWS_IAM');
    }
  });

  it('give the page no table access and the one-click handler read-write', () => {
    const page = statementsOfFunction(synthesized.template, fnName('show-unsubscribe-page'));
    expect(
      page
        .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]))
        .filter((a) => a.startsWith('dynamodb:')),
    ).toEqual([]);
    expect(
      allowing(statementsOfFunction(synthesized.template, fnName('unsubscribe')), 'dynamodb:PutItem'),
    ).not.toEqual([]);
  });
});
