import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { type HandlerId, handlers } from '#catalog/catalog.ts';
import { Journey } from '#infra/constructs/journey.ts';
import { repoRoot } from '#infra/constructs/repo-root.ts';
import { loadStage } from '#infra/stages.ts';
import { actionsOf, allowing, statementsOfRole } from './synth.ts';

const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);

/** Returns a journey built from an ASL file in a bare stack, with imported functions (no bundling). */
function journeyFrom(definitionFile: string): { journey: Journey; template: () => Template } {
  const stack = new Stack(new App(), 'JourneyTest', {
    env: { region: 'eu-west-1', account: '123456789012' },
  });
  const table = new TableV2(stack, 'Table', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
  const functions = new Map(
    handlers.map((h) => [
      h.id as HandlerId,
      LambdaFunction.fromFunctionArn(stack, h.id, `arn:aws:lambda:eu-west-1:123456789012:function:${h.id}`),
    ]),
  );
  const journey = new Journey(stack, 'Journey', {
    stage: loadStage('dev'),
    journeyId: 'fixture',
    definitionFile,
    functions,
    table,
  });
  return { journey, template: () => Template.fromStack(stack) };
}

describe('journey construct', () => {
  it('refuses an ASL file with a placeholder nothing fills, naming it', () => {
    expect(() => journeyFrom(fixture('unknown-placeholder.asl.json'))).toThrow(/SendMesageFunctionArn/);
  });

  it('refuses a service integration it cannot grant, naming it', () => {
    expect(() => journeyFrom(fixture('unsupported-integration.asl.json'))).toThrow(/sqs:sendMessage/);
  });

  it('refuses an invalid experiment at synth, naming the file, the state and the field', () => {
    const definition = JSON.parse(
      readFileSync(join(repoRoot, 'statemachines/payment-reminder.asl.json'), 'utf8'),
    );
    const step = definition.States.FirstReminder.Parameters.Payload.step;
    step.mandatory = true;
    const file = join(mkdtempSync(join(tmpdir(), 'journey-')), 'mandatory-holdout.asl.json');
    writeFileSync(file, JSON.stringify(definition));
    expect(() => journeyFrom(file)).toThrow(
      /mandatory-holdout\.asl\.json: state FirstReminder: step\.experiment\.arms\[2\]\.holdout: a mandatory step/,
    );
  });

  it('refuses a misspelt step key at synth, naming the file, the state, the key and the nearest valid one', () => {
    const definition = JSON.parse(
      readFileSync(join(repoRoot, 'statemachines/payment-reminder.asl.json'), 'utf8'),
    );
    const step = definition.States.SecondReminder.Parameters.Payload.step;
    step.nxt = step.next;
    delete step.next;
    const file = join(mkdtempSync(join(tmpdir(), 'journey-')), 'misspelt-next.asl.json');
    writeFileSync(file, JSON.stringify(definition));
    expect(() => journeyFrom(file)).toThrow(
      `misspelt-next.asl.json: state SecondReminder: step.nxt: unknown key — did you mean "next"?`,
    );
  });

  it('grants what nested states use, and only that', () => {
    const { journey, template } = journeyFrom(fixture('nested-dynamodb.asl.json'));
    const t = template();
    const roleId = Stack.of(journey).getLogicalId(journey.stateMachine.role.node.defaultChild as CfnElement);
    const statements = statementsOfRole(t, roleId);
    const invoke = JSON.stringify(allowing(statements, 'lambda:InvokeFunction').map((s) => s.Resource));
    expect(invoke).toContain('function:run-journey-step');
    expect(invoke).not.toContain('function:select-due-invoices');
    expect(allowing(statements, 'dynamodb:GetItem')).toHaveLength(1);
    expect(actionsOf(statements).filter((a) => a.startsWith('dynamodb:'))).toEqual(['dynamodb:GetItem']);
    const substitutions = Object.values(t.findResources('AWS::StepFunctions::StateMachine'))[0]?.Properties
      .DefinitionSubstitutions as Record<string, unknown>;
    expect(Object.keys(substitutions).sort()).toEqual(['RunJourneyStepFunctionArn', 'TableName']);
  });
});
