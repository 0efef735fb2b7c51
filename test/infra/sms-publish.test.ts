/**
 * SMS goes out as an SNS Publish to a phone number, which IAM can only allow on `*`. These tests
 * evaluate the synthesized policies (test/infra/policy-evaluator.ts) to prove that `*` reaches
 * phone numbers and nothing else: no topic, no platform endpoint, in any account or region.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { handlers, resourceName } from '#catalog/catalog.ts';
import { loadStage } from '#infra/stages.ts';
import { ACCOUNT, evaluate } from './policy-evaluator.ts';
import {
  type Statement,
  type Synthesized,
  statementsOfFunction,
  statementsOfRole,
  synthStack,
} from './synth.ts';

const dev = loadStage('dev');
const fnName = (id: string) => resourceName('dev', id);

let synthesized: Synthesized;
beforeAll(() => {
  synthesized = synthStack({ ...dev, alarmEmail: 'ops@example.com' }, { bundle: false });
});

const topics = [
  // The stage's own topics: inbound SMS (what customers wrote, from whom), SMS events, alarms.
  `arn:aws:sns:eu-west-1:${ACCOUNT}:klantreis-dev-sms-inbound`,
  `arn:aws:sns:eu-west-1:${ACCOUNT}:klantreis-dev-sms-events`,
  `arn:aws:sns:eu-west-1:${ACCOUNT}:klantreis-dev-alarms`,
  // Anything else in the account, another region, another account, a mobile push endpoint.
  `arn:aws:sns:us-east-1:${ACCOUNT}:payments-notifications`,
  'arn:aws:sns:eu-west-1:210987654321:someone-elses-topic',
  `arn:aws:sns:eu-west-1:${ACCOUNT}:endpoint/GCM/app/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b`,
];
const phone = '+31612345678';

const publish = (statements: Statement[], resource: string) =>
  evaluate(statements, { action: 'sns:Publish', resource });

describe('the send step (run-journey-step) publishes SMS to phone numbers only', () => {
  it('may publish to a phone number', () => {
    const statements = statementsOfFunction(synthesized.template, fnName('run-journey-step'));
    expect(publish(statements, phone)).toBe('allowed');
  });

  it.each(topics)('may not publish to %s', (topic) => {
    const statements = statementsOfFunction(synthesized.template, fnName('run-journey-step'));
    expect(publish(statements, topic)).toBe('explicitly denied');
  });

  it('denies sns:Publish on every SNS ARN of the partition, beside the phone-number allow', () => {
    const statements = statementsOfFunction(synthesized.template, fnName('run-journey-step'));
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 'sns:Publish',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sns:*:*:*']] },
      }),
    );
  });
});

describe('no other role may publish to SNS at all', () => {
  it.each(handlers.filter((h) => h.id !== 'run-journey-step').map((h) => h.id))('%s', (id) => {
    const statements = statementsOfFunction(synthesized.template, fnName(id));
    for (const resource of [...topics, phone]) expect(publish(statements, resource)).not.toBe('allowed');
  });

  it('nor any state machine', () => {
    const machines = Object.values(synthesized.template.findResources('AWS::StepFunctions::StateMachine'));
    expect(machines.length).toBeGreaterThan(0);
    for (const machine of machines) {
      const role = (machine.Properties.RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const statements = statementsOfRole(synthesized.template, role);
      for (const resource of [...topics, phone]) expect(publish(statements, resource)).not.toBe('allowed');
    }
  });
});
