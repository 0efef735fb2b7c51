/**
 * Builds stacks for the infrastructure tests and reads IAM out of their templates.
 * Every handler is bundled from one small fixture, so the tests check the wiring quickly and
 * do not depend on the handler code; `.ci/run` synthesizes the real handlers.
 */
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { KlantreisStack } from '#infra/klantreis-stack.ts';
import type { StageConfig } from '#infra/stages.ts';

export const fixtureHandler = join(import.meta.dirname, 'fixtures', 'handler.ts');
/** A built console stands in for `npm run console:build`, which synth would otherwise run. */
export const fixtureConsole = join(import.meta.dirname, 'fixtures', 'console');

export interface Synthesized {
  app: App;
  stack: KlantreisStack;
  template: Template;
}

/** Returns a synthesized stack for the stage; `bundle: false` skips esbuild where assets do not matter. */
export function synthStack(stage: StageConfig, options: { bundle?: boolean } = {}): Synthesized {
  const app = new App(options.bundle === false ? { context: { 'aws:cdk:bundling-stacks': [] } } : {});
  const stack = addStack(app, stage);
  return { app, stack, template: Template.fromStack(stack) };
}

/**
 * Synthesizes one app (handlers not bundled) holding a stack per stage, under cdk-nag's AwsSolutions
 * pack: the stacks' templates, in the order of `stages`, and what cdk-nag reported ('' for nothing).
 */
export function synthUnderNag(stages: readonly StageConfig[]): { templates: Template[]; nagReport: string } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stacks = stages.map((stage) => addStack(app, stage));
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  let nagReport = '';
  try {
    app.synth();
  } catch (error) {
    nagReport = (error as Error).message;
  }
  return { templates: stacks.map((stack) => Template.fromStack(stack)), nagReport };
}

/** Returns a stage's stack added to the app, its handlers bundled from the fixture; synthesize after adding all. */
export function addStack(app: App, stage: StageConfig): KlantreisStack {
  return new KlantreisStack(app, `Klantreis-${stage.name}`, {
    stage,
    env: { region: stage.region },
    entryFor: () => fixtureHandler,
    consoleAssetsDir: fixtureConsole,
  });
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/** Returns the logical id of the resource of `type` whose `property` equals `value`; throws if none. */
export function logicalIdOf(template: Template, type: string, property: string, value: unknown): string {
  const resources = template.toJSON().Resources as Resources;
  const found = Object.entries(resources).find(
    ([, r]) => r.Type === type && JSON.stringify(r.Properties?.[property]) === JSON.stringify(value),
  );
  if (!found) throw new Error(`No ${type} with ${property} = ${JSON.stringify(value)}`);
  return found[0];
}

/** Returns every IAM statement attached to the role of the Lambda function with that name. */
export function statementsOfFunction(template: Template, functionName: string): Statement[] {
  const resources = template.toJSON().Resources as Resources;
  const fnId = logicalIdOf(template, 'AWS::Lambda::Function', 'FunctionName', functionName);
  const role = resources[fnId]?.Properties?.Role as { 'Fn::GetAtt': [string, string] } | undefined;
  if (!role) throw new Error(`Function ${functionName} has no role`);
  return statementsOfRole(template, role['Fn::GetAtt'][0]);
}

/** Returns every IAM statement of the inline policies attached to a role (by logical id). */
export function statementsOfRole(template: Template, roleLogicalId: string): Statement[] {
  const resources = template.toJSON().Resources as Resources;
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy')
    .filter((r) => JSON.stringify(r.Properties?.Roles).includes(`"${roleLogicalId}"`))
    .flatMap(
      (r) => (r.Properties?.PolicyDocument as { Statement: Statement[] } | undefined)?.Statement ?? [],
    );
}

/** Returns the actions of the statements as one flat list. */
export function actionsOf(statements: Statement[]): string[] {
  return statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}

/** Returns the statements that allow the action. */
export function allowing(statements: Statement[], action: string): Statement[] {
  return statements.filter((s) => s.Effect === 'Allow' && actionsOf([s]).includes(action));
}
