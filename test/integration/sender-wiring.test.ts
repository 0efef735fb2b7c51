/**
 * The send step's SMS sender as a deployed handler builds it from the environment the stack sets:
 * SNS unless `SMS_SENDER=end-user-messaging`, then End User Messaging SMS with the stage's origination
 * identity and configuration set, its client pointed at `KLANTREIS_SMS_VOICE_ENDPOINT` when set.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type RunningSmsOutbox, startSmsOutbox } from '#infra/local/emulators/sms-outbox.ts';

const POOL = 'arn:aws:sms-voice:eu-west-1:123456789012:pool/pool-0123456789abcdef0123456789abcdef';
const BASE_ENV = {
  TABLE_NAME: 'klantreis-test',
  STAGE: 'test',
  EMAIL_FROM: 'Klantreis <noreply@example.com>',
  KLANTREIS_DYNAMODB_ENDPOINT: 'http://127.0.0.1:1',
};
const KEYS = [
  ...Object.keys(BASE_ENV),
  'SMS_SENDER',
  'SMS_ORIGINATION_IDENTITY',
  'SMS_CONFIGURATION_SET',
  'KLANTREIS_SMS_VOICE_ENDPOINT',
];
const saved = new Map<string, string | undefined>();
let outbox: RunningSmsOutbox;

beforeAll(async () => {
  outbox = await startSmsOutbox({ port: 0 });
});
afterAll(async () => {
  await outbox?.stop();
});

beforeEach(() => {
  for (const key of KEYS) saved.set(key, process.env[key]);
  for (const key of KEYS) delete process.env[key];
  Object.assign(process.env, BASE_ENV);
  // Each test gets fresh modules: the clients are created once per module.
  vi.resetModules();
});

afterEach(() => {
  for (const [key, value] of saved) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

describe('the send step’s SMS sender from the environment', () => {
  it('is SNS Publish when the stage says nothing: its events cannot name a lost send', async () => {
    const { createSenders } = await import('#adapters/sender-wiring.ts');
    const { sms } = createSenders();
    expect(sms.constructor.name).toBe('SnsSmsSender');
    expect(sms.linksEvents).toBe(false);
  });

  it('is End User Messaging SMS SendTextMessage with the stage’s identity, configuration set and endpoint', async () => {
    Object.assign(process.env, {
      SMS_SENDER: 'end-user-messaging',
      SMS_ORIGINATION_IDENTITY: POOL,
      SMS_CONFIGURATION_SET: 'klantreis-test-sms',
      KLANTREIS_SMS_VOICE_ENDPOINT: outbox.endpoint,
    });
    const { createSenders } = await import('#adapters/sender-wiring.ts');
    const { sms } = createSenders();
    expect(sms.linksEvents).toBe(true);
    const { providerMessageId } = await sms.sendSms({
      to: '+31612345678',
      text: 'Herinnering',
      smsType: 'Transactional',
      send: { customerId: 'c-1', key: 'run-1#first-reminder', attempt: 1 },
    });
    expect(outbox.messages().find((m) => m.messageId === providerMessageId)).toMatchObject({
      attributes: { OriginationIdentity: POOL, ConfigurationSetName: 'klantreis-test-sms' },
      context: { 'klantreis-send': 'run-1_23first-reminder' },
    });
  });

  it('fails the cold start naming the missing setting', async () => {
    Object.assign(process.env, {
      SMS_SENDER: 'end-user-messaging',
      SMS_CONFIGURATION_SET: 'klantreis-test-sms',
    });
    const { createSenders } = await import('#adapters/sender-wiring.ts');
    expect(() => createSenders()).toThrow(/SMS_ORIGINATION_IDENTITY/);
  });
});
