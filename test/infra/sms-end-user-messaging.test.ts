/**
 * A stage that sends SMS with End User Messaging SMS (`sms.sender: end-user-messaging`): the send step
 * may call `SendTextMessage` from the stage's origination identity through its configuration set and
 * nothing else, may not publish to SNS at all, and is told which sender to use. A stage without the
 * setting keeps SNS and gets no End User Messaging permission.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { handlers, resourceName } from '#catalog/catalog.ts';
import { loadStage, type StageConfig } from '#infra/stages.ts';
import { ACCOUNT, evaluate } from './policy-evaluator.ts';
import { type Synthesized, statementsOfFunction, synthStack } from './synth.ts';

const dev = loadStage('dev');
const fnName = (id: string) => resourceName('dev', id);
const POOL = `arn:aws:sms-voice:eu-west-1:${ACCOUNT}:pool/pool-0123456789abcdef0123456789abcdef`;
const CONFIGURATION_SET = `arn:aws:sms-voice:eu-west-1:${ACCOUNT}:configuration-set/klantreis-dev-sms`;
const eum: StageConfig = {
  ...dev,
  sms: {
    sender: 'end-user-messaging',
    originationIdentityArn: POOL,
    configurationSetName: 'klantreis-dev-sms',
  },
};

let withEum: Synthesized;
let withSns: Synthesized;
beforeAll(() => {
  withEum = synthStack(eum, { bundle: false });
  withSns = synthStack(dev, { bundle: false });
});

const sendText = (synthesized: Synthesized, id: string, resource: string) =>
  evaluate(statementsOfFunction(synthesized.template, fnName(id)), {
    action: 'sms-voice:SendTextMessage',
    resource,
  });

const environmentOf = (synthesized: Synthesized, id: string): Record<string, unknown> => {
  const fn = Object.values(synthesized.template.findResources('AWS::Lambda::Function')).find(
    (r) => r.Properties.FunctionName === fnName(id),
  );
  return (fn?.Properties.Environment as { Variables: Record<string, unknown> } | undefined)?.Variables ?? {};
};

describe('a stage sending SMS with End User Messaging SMS', () => {
  it('lets the send step send from its origination identity through its configuration set', () => {
    expect(sendText(withEum, 'run-journey-step', POOL)).toBe('allowed');
    expect(sendText(withEum, 'run-journey-step', CONFIGURATION_SET)).toBe('allowed');
  });

  it.each([
    `arn:aws:sms-voice:eu-west-1:${ACCOUNT}:pool/pool-ffffffffffffffffffffffffffffffff`,
    `arn:aws:sms-voice:eu-west-1:${ACCOUNT}:phone-number/phone-0123456789abcdef0123456789abcdef`,
    `arn:aws:sms-voice:eu-west-1:${ACCOUNT}:sender-id/Klantreis/NL`,
    `arn:aws:sms-voice:eu-west-1:${ACCOUNT}:configuration-set/someone-elses`,
    'arn:aws:sms-voice:eu-west-1:210987654321:configuration-set/klantreis-dev-sms',
  ])('may not send through %s', (resource) => {
    expect(sendText(withEum, 'run-journey-step', resource)).not.toBe('allowed');
  });

  it('may not publish to SNS at all: no phone number, no topic', () => {
    const statements = statementsOfFunction(withEum.template, fnName('run-journey-step'));
    for (const resource of ['+31612345678', `arn:aws:sns:eu-west-1:${ACCOUNT}:klantreis-dev-sms-events`]) {
      expect(evaluate(statements, { action: 'sns:Publish', resource })).not.toBe('allowed');
    }
  });

  it('tells the send step to use End User Messaging with the identity and configuration set', () => {
    expect(environmentOf(withEum, 'run-journey-step')).toMatchObject({
      SMS_SENDER: 'end-user-messaging',
      SMS_ORIGINATION_IDENTITY: POOL,
      SMS_CONFIGURATION_SET: 'klantreis-dev-sms',
    });
  });

  it.each(handlers.filter((h) => h.id !== 'run-journey-step').map((h) => h.id))(
    '%s may not send SMS',
    (id) => {
      expect(sendText(withEum, id, POOL)).not.toBe('allowed');
    },
  );
});

describe('a stage without the setting', () => {
  it('keeps SNS: no End User Messaging permission, no sender setting', () => {
    expect(sendText(withSns, 'run-journey-step', POOL)).not.toBe('allowed');
    expect(environmentOf(withSns, 'run-journey-step')).not.toHaveProperty('SMS_SENDER');
    const statements = statementsOfFunction(withSns.template, fnName('run-journey-step'));
    expect(evaluate(statements, { action: 'sns:Publish', resource: '+31612345678' })).toBe('allowed');
  });

  it('rejects an origination identity that is not an End User Messaging ARN', async () => {
    const { StageConfigSchema } = await import('#infra/stages.ts');
    const parsed = StageConfigSchema.safeParse({
      emailFrom: 'noreply@example.com',
      logLevel: 'INFO',
      logRetentionDays: 30,
      messageBodyRetentionDays: 30,
      removalPolicy: 'destroy',
      sms: {
        sender: 'end-user-messaging',
        originationIdentityArn: '+3197010000000',
        configurationSetName: 'x',
      },
    });
    expect(parsed.success).toBe(false);
  });
});
