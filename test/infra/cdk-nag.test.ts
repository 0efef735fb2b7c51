import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { loadStage, type StageConfig } from '#infra/stages.ts';
import { addStack } from './synth.ts';

/** Returns cdk-nag's report of unacknowledged findings for the stage's stack ('' when there are none). */
function nagReport(stage: StageConfig): string {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  addStack(app, stage);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  try {
    app.synth();
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

describe('cdk-nag AwsSolutions pack', () => {
  const jwt = { issuer: 'https://login.example.com/', audience: ['klantreis'], scopes: ['klantreis/api'] };
  it.each([
    ['dev', loadStage('dev')],
    ['prod with alarm mail', { ...loadStage('prod'), alarmEmail: 'ops@example.com' }],
    ['test with JWT authorization', { ...loadStage('test'), apiAuthorization: 'jwt' as const, jwt }],
  ])('finds nothing unacknowledged in %s', (_name, stage) => {
    expect(nagReport(stage)).toBe('');
  });
});
