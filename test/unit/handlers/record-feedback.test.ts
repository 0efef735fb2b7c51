import { describe, expect, it } from 'vitest';
import * as emailFeedback from '#handlers/record-email-feedback.ts';
import * as smsFeedback from '#handlers/record-sms-feedback.ts';
import { feedbackDepsOver } from '../../fixtures/feedback-deps.ts';
import { InMemoryRepository } from '../../fixtures/in-memory-repository.ts';
import { lambdaContext } from '../../fixtures/lambda.ts';

const sentAt = '2026-12-01T09:00:00.000Z';

function setup(now = '2026-12-01T09:05:00Z') {
  const repository = new InMemoryRepository();
  repository.customers.set('c-1', {
    id: 'c-1',
    locale: 'nl-NL',
    country: 'NL',
    email: 'c1@example.nl',
    phone: '+31612345678',
  });
  repository.sends.set('run-1#first-reminder', {
    key: 'run-1#first-reminder',
    status: 'sent',
    channel: 'email',
    providerMessageId: 'ses-1',
    at: sentAt,
  });
  repository.sendOwners.set('run-1#first-reminder', 'c-1');
  const deps = feedbackDepsOver(repository, now);
  return {
    repository,
    email: emailFeedback.makeHandler(deps),
    sms: smsFeedback.makeHandler(deps),
  };
}

const sesEvent = (eventType: string, detail: Record<string, unknown>, messageId = 'ses-1') => ({
  source: 'aws.ses',
  'detail-type': `Email ${eventType}`,
  detail: {
    eventType,
    mail: { messageId, timestamp: sentAt, tags: { journey: ['payment-reminder'], step: ['first-reminder'] } },
    ...detail,
  },
});
const bounce = (bounceType: string, messageId?: string) =>
  sesEvent(
    'Bounce',
    {
      bounce: {
        bounceType,
        bounceSubType: 'General',
        bouncedRecipients: [{ emailAddress: 'c1@example.nl' }],
        timestamp: '2026-12-01T09:00:02.000Z',
      },
    },
    messageId,
  );
const snsEvent = (message: unknown) => ({
  Records: [
    { Sns: { MessageId: 'sns-1', Timestamp: '2026-12-02T10:00:00.000Z', Message: JSON.stringify(message) } },
  ],
});
const inbound = (text: string, from = '+31612345678') =>
  snsEvent({
    originationNumber: from,
    destinationNumber: '+3197010000000',
    messageBody: text,
    inboundMessageId: 'in-1',
  });

describe('record-email-feedback', () => {
  it('suppresses a hard-bounced address and marks the send bounced, with the reason in the timeline', async () => {
    const { email, repository } = setup();
    expect(await email(bounce('Permanent'), lambdaContext)).toEqual({
      eventType: 'Bounce',
      matched: true,
      effects: ['suppressed', 'bounced'],
    });
    expect(await repository.isSuppressed('email', 'c1@example.nl')).toBe(true);
    expect(repository.sends.get('run-1#first-reminder')?.deliveryStatus).toBe('bounced');
    expect(repository.timeline[0]).toMatchObject({
      kind: 'delivery',
      outcome: 'bounced',
      runId: 'run-1',
      stepId: 'first-reminder',
      journeyId: 'payment-reminder',
      reasons: ['hard bounce (Permanent/General): address suppressed'],
    });
  });

  it('keeps a soft-bounced address', async () => {
    const { email, repository } = setup();
    await email(bounce('Transient'), lambdaContext);
    expect(await repository.isSuppressed('email', 'c1@example.nl')).toBe(false);
  });

  it('suppresses on a complaint and records an email opt-out for service and marketing', async () => {
    const { email, repository } = setup();
    const complaint = sesEvent('Complaint', {
      complaint: {
        complainedRecipients: [{ emailAddress: 'c1@example.nl' }],
        timestamp: '2026-12-01T10:00:00Z',
      },
    });
    expect((await email(complaint, lambdaContext)).effects).toEqual([
      'suppressed',
      'complained',
      'opted-out',
    ]);
    expect(repository.customers.get('c-1')?.consents?.map((c) => [c.channel, c.purpose, c.granted])).toEqual([
      ['email', 'service', false],
      ['email', 'marketing', false],
    ]);
  });

  it('records the first open as engagement and an email.opened event, and ignores repeats', async () => {
    const { email, repository } = setup();
    await email(sesEvent('Open', { open: { timestamp: '2026-12-01T12:00:00Z' } }), lambdaContext);
    await email(sesEvent('Open', { open: { timestamp: '2026-12-01T13:00:00Z' } }), lambdaContext);
    await email(sesEvent('Click', { click: { timestamp: '2026-12-01T13:01:00Z' } }), lambdaContext);
    expect(repository.sends.get('run-1#first-reminder')?.engagement).toBe('clicked');
    expect(repository.events.map((e) => e.event.type)).toEqual(['email.opened', 'email.clicked']);
    expect(repository.timeline.map((e) => e.outcome)).toEqual(['opened', 'clicked']);
  });

  it('asks for redelivery of a fresh event whose send is not visible yet, and drops an old unmatched one', async () => {
    const { email } = setup('2026-12-01T09:00:30Z');
    await expect(email(bounce('Permanent', 'ses-unknown'), lambdaContext)).rejects.toMatchObject({
      name: 'Klantreis.SendRecordNotYetVisible',
    });
    const later = setup('2026-12-01T10:00:00Z');
    expect(await later.email(bounce('Permanent', 'ses-unknown'), lambdaContext)).toMatchObject({
      matched: false,
      effects: ['suppressed'],
    });
  });

  it('ignores event types it does not act on', async () => {
    const { email, repository } = setup();
    expect(await email(sesEvent('Subscription', {}), lambdaContext)).toEqual({
      eventType: 'Subscription',
      matched: false,
      effects: [],
    });
    expect(repository.timeline).toHaveLength(0);
  });
});

describe('record-sms-feedback', () => {
  it('records STOP at once: number suppressed, opt-out on the profile, reply in the conversation', async () => {
    const { sms, repository } = setup();
    expect(await sms(inbound('STOP'), lambdaContext)).toEqual({ handled: ['opt-out'] });
    expect(await repository.isSuppressed('sms', '+31612345678')).toBe(true);
    const consents = repository.customers.get('c-1')?.consents ?? [];
    expect(consents.filter((c) => c.channel === 'sms' && !c.granted).map((c) => c.purpose)).toEqual([
      'transactional',
      'service',
      'marketing',
    ]);
    expect(repository.timeline[0]).toMatchObject({ kind: 'reply', outcome: 'opted-out', channel: 'sms' });
  });

  it('puts any other reply in the conversation for a person, with its text as a body', async () => {
    const { sms, repository } = setup();
    expect(await sms(inbound('Wanneer moet ik betalen?'), lambdaContext)).toEqual({ handled: ['reply'] });
    expect(repository.timeline[0]).toMatchObject({
      kind: 'reply',
      outcome: 'escalated',
      body: { text: 'Wanneer moet ik betalen?' },
    });
    expect(repository.events.map((e) => e.event.type)).toEqual(['sms.replied']);
    expect(await repository.isSuppressed('sms', '+31612345678')).toBe(false);
  });

  it('honours STOP from a number no customer has, and keeps nothing else of it', async () => {
    const { sms, repository } = setup();
    expect(await sms(inbound('Afmelden', '+31699999999'), lambdaContext)).toEqual({ handled: ['opt-out'] });
    expect(await repository.isSuppressed('sms', '+31699999999')).toBe(true);
    expect(await sms(inbound('Hallo?', '+31699999999'), lambdaContext)).toEqual({
      handled: ['reply-unknown-sender'],
    });
    expect(repository.timeline).toHaveLength(0);
  });

  it('records an SMS delivery status on its send and in the conversation', async () => {
    const { sms, repository } = setup();
    repository.sends.set('run-1#second-reminder', {
      key: 'run-1#second-reminder',
      status: 'sent',
      channel: 'sms',
      providerMessageId: 'sns-9',
      at: sentAt,
    });
    repository.sendOwners.set('run-1#second-reminder', 'c-1');
    const event = {
      eventType: 'TEXT_DELIVERED',
      messageId: 'sns-9',
      eventTimestamp: Date.parse(sentAt) + 5000,
    };
    expect(await sms(snsEvent(event), lambdaContext)).toEqual({ handled: ['status'] });
    expect(repository.sends.get('run-1#second-reminder')?.deliveryStatus).toBe('delivered');
    expect(repository.timeline[0]).toMatchObject({
      kind: 'delivery',
      outcome: 'delivered',
      stepId: 'second-reminder',
    });
    const pending = { eventType: 'TEXT_PENDING', messageId: 'sns-9', eventTimestamp: Date.parse(sentAt) };
    expect(await sms(snsEvent(pending), lambdaContext)).toEqual({ handled: ['ignored'] });
  });

  it('ignores notifications it does not recognise', async () => {
    const { sms } = setup();
    expect(await sms(snsEvent({ hello: 'world' }), lambdaContext)).toEqual({ handled: ['ignored'] });
  });
});
