/**
 * The provider faults of the local emulators, seen through the real SDK clients and senders: each
 * fault must reach the send pipeline exactly as the provider's own answer would.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEumSmsClient, createSesClient, createSnsClient } from '#adapters/aws-clients.ts';
import { EumSmsSender } from '#adapters/eum-sms-sender.ts';
import { classifyProviderError } from '#adapters/provider-errors.ts';
import { SesEmailSender } from '#adapters/ses-email-sender.ts';
import { SnsSmsSender } from '#adapters/sns-sms-sender.ts';
import {
  type FaultFront,
  SES_WIRE,
  SMS_VOICE_WIRE,
  SNS_WIRE,
  startFaultFront,
} from '#infra/local/emulators/fault-front.ts';
import { ProviderFaults } from '#infra/local/emulators/provider-faults.ts';
import { type RunningSes, startSes } from '#infra/local/emulators/ses.ts';
import { type RunningSmsOutbox, startSmsOutbox } from '#infra/local/emulators/sms-outbox.ts';

const faults = new ProviderFaults(
  [
    'email:refuse:to=refused@example.nl',
    'email:throttle:to=throttled@example.nl:first=2',
    'email:unavailable:to=down@example.nl',
    'email:timeout-after-accept:to=late@example.nl:hold=20',
    'email:timeout-before-accept:to=lost@example.nl:hold=20',
    'sms:refuse:to=+31611100001',
    'sms:throttle:to=+31611100002',
    'sms:unavailable:to=+31611100003',
    'sms:timeout-after-accept:to=+31611100004:hold=20',
    'sms:timeout-before-accept:to=+31611100005:hold=20',
  ].join(','),
);

let ses: RunningSes;
let outbox: RunningSmsOutbox;
let fronts: FaultFront[];
let email: SesEmailSender;
let sms: SnsSmsSender;
let eum: EumSmsSender;

beforeAll(async () => {
  ses = await startSes({ port: 0 });
  outbox = await startSmsOutbox({ port: 0 });
  fronts = [
    await startFaultFront({ backend: ses.endpoint, wire: SES_WIRE, faults }),
    await startFaultFront({ backend: outbox.endpoint, wire: SNS_WIRE, faults }),
    await startFaultFront({ backend: outbox.endpoint, wire: SMS_VOICE_WIRE, faults }),
  ];
  email = new SesEmailSender(createSesClient({ endpoint: fronts[0]?.endpoint }), {
    from: 'noreply@klantreis.local',
  });
  sms = new SnsSmsSender(createSnsClient({ endpoint: fronts[1]?.endpoint }));
  eum = new EumSmsSender(createEumSmsClient({ endpoint: fronts[2]?.endpoint }), {
    originationIdentity: 'arn:aws:sms-voice:eu-west-1:000000000000:pool/pool-local',
    configurationSetName: 'klantreis-local-sms',
  });
});

beforeEach(async () => {
  await ses.clear();
  outbox.clear();
});

afterAll(async () => {
  for (const front of fronts ?? []) await front.stop();
  await ses?.stop();
  await outbox?.stop();
});

const sendEmailTo = (to: string) =>
  email.sendEmail({
    to,
    subject: 'Herinnering',
    html: '<p>Betaal</p>',
    text: 'Betaal',
    tags: { step: 'first' },
  });
const sendSmsTo = (to: string) => sms.sendSms({ to, text: 'Herinnering', smsType: 'Transactional' });
const failureOf = async (channel: 'email' | 'sms', send: Promise<unknown>) => {
  const error = await send.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the send should have failed').toBeDefined();
  return classifyProviderError(channel, error);
};

describe('email faults through the real SES v2 client', () => {
  it('refuses for good as SES does: MessageRejected, a permanent failure', async () => {
    expect(await failureOf('email', sendEmailTo('refused@example.nl'))).toMatchObject({
      kind: 'permanent',
      code: 'MessageRejected',
    });
    expect(await ses.listEmails()).toEqual([]);
  });

  it('throttles the first two calls only, then accepts', async () => {
    expect(await failureOf('email', sendEmailTo('throttled@example.nl'))).toEqual({
      kind: 'throttled',
      code: 'TooManyRequestsException',
    });
    expect((await failureOf('email', sendEmailTo('throttled@example.nl'))).kind).toBe('throttled');
    const { providerMessageId } = await sendEmailTo('throttled@example.nl');
    expect((await ses.listEmails()).map((e) => e.messageId)).toEqual([providerMessageId]);
  });

  it('answers 503 when unavailable: the send may be retried', async () => {
    expect(await failureOf('email', sendEmailTo('down@example.nl'))).toEqual({
      kind: 'unavailable',
      code: 'ServiceUnavailable',
    });
  });

  it('accepts and stores the email but never answers on a timeout after acceptance', async () => {
    expect((await failureOf('email', sendEmailTo('late@example.nl'))).kind).toBe('maybe-sent');
    const stored = await ses.listEmails();
    expect(stored.map((e) => e.to)).toEqual([['late@example.nl']]);
    // The id the provider gave is kept, so its delivery events can still be reported.
    expect(faults.takeUnanswered('email', 'late@example.nl')).toEqual([stored[0]?.messageId]);
  });

  it('neither accepts nor answers on a timeout before acceptance: the client cannot tell it from one after', async () => {
    expect((await failureOf('email', sendEmailTo('lost@example.nl'))).kind).toBe('maybe-sent');
    expect(await ses.listEmails()).toEqual([]);
    expect(faults.takeUnanswered('email', 'lost@example.nl')).toEqual([]);
  });

  it('passes every other address and the outbox routes through untouched', async () => {
    const { providerMessageId } = await sendEmailTo('fine@example.nl');
    const store = (await (await fetch(`${fronts[0]?.endpoint}/store`)).json()) as { emails: unknown[] };
    expect(store.emails).toMatchObject([{ messageId: providerMessageId }]);
  });
});

describe('SMS faults through the real SNS client', () => {
  it('refuses as SNS does: InvalidParameter, a permanent failure', async () => {
    expect(await failureOf('sms', sendSmsTo('+31611100001'))).toMatchObject({
      kind: 'permanent',
      code: 'InvalidParameterException',
    });
    expect(outbox.messages()).toEqual([]);
  });

  it('throttles as SNS does: Throttled 429', async () => {
    expect(await failureOf('sms', sendSmsTo('+31611100002'))).toEqual({
      kind: 'throttled',
      code: 'ThrottledException',
    });
  });

  it('answers 503 when unavailable', async () => {
    expect((await failureOf('sms', sendSmsTo('+31611100003'))).kind).toBe('unavailable');
  });

  it('stores the SMS without answering on a timeout after acceptance, and not at all before', async () => {
    expect((await failureOf('sms', sendSmsTo('+31611100004'))).kind).toBe('maybe-sent');
    expect((await failureOf('sms', sendSmsTo('+31611100005'))).kind).toBe('maybe-sent');
    expect(outbox.messages().map((m) => m.phoneNumber)).toEqual(['+31611100004']);
    expect(faults.takeUnanswered('sms', '+31611100004')).toEqual([outbox.messages()[0]?.messageId]);
  });

  it('accepts other numbers and records what was injected per recipient', async () => {
    await sendSmsTo('+31611100009');
    expect(outbox.messages().map((m) => m.phoneNumber)).toEqual(['+31611100009']);
    expect(faults.injected().filter((f) => f.to === '+31611100002')).toEqual([
      { channel: 'sms', kind: 'throttle', to: '+31611100002', rule: 6 },
    ]);
  });
});

describe('SMS faults through the real End User Messaging SMS client', () => {
  const sendTextTo = (to: string) =>
    eum.sendSms({
      to,
      text: 'Herinnering',
      smsType: 'Transactional',
      send: { customerId: 'c-1', key: 'run-1#first', attempt: 1 },
    });
  const eumFailureOf = async (send: Promise<unknown>) => {
    const error = await send.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error, 'the send should have failed').toBeDefined();
    return classifyProviderError('sms', error, eum.providerName);
  };

  it('refuses as End User Messaging does: ValidationException with its reason, a permanent failure', async () => {
    expect(await eumFailureOf(sendTextTo('+31611100001'))).toMatchObject({
      kind: 'permanent',
      code: 'ValidationException:INVALID_PARAMETER',
    });
    expect(outbox.messages()).toEqual([]);
  });

  it('throttles with ThrottlingException, and answers 500 when unavailable', async () => {
    expect(await eumFailureOf(sendTextTo('+31611100002'))).toEqual({
      kind: 'throttled',
      code: 'ThrottlingException',
    });
    expect((await eumFailureOf(sendTextTo('+31611100003'))).kind).toBe('unavailable');
  });

  it('stores the SMS with its context without answering on a timeout after acceptance, and not at all before', async () => {
    expect((await eumFailureOf(sendTextTo('+31611100004'))).kind).toBe('maybe-sent');
    expect((await eumFailureOf(sendTextTo('+31611100005'))).kind).toBe('maybe-sent');
    expect(outbox.messages().map((m) => m.phoneNumber)).toEqual(['+31611100004']);
    expect(outbox.messages()[0]?.context).toMatchObject({ 'klantreis-send': 'run-1_23first' });
    expect(faults.takeUnanswered('sms', '+31611100004')).toEqual([outbox.messages()[0]?.messageId]);
  });
});
