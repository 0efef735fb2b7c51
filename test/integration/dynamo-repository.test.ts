import { type DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoRepository, dynamoRepository } from '#adapters/dynamo/repository.ts';
import { localPseudonymKey } from '#adapters/pseudonym-key-source.ts';
import type { CustomerProfile } from '#core/customer.ts';
import { goalReachedReason } from '#core/journey-step-run.ts';
import type { TimelineEntry } from '#core/ports.ts';
import { startTestTable, type TestTable } from '../fixtures/dynamo-table.ts';

const TABLE = 'klantreis-test';
const RETENTION_DAYS = 30;

let table: TestTable;
let doc: DynamoDBDocumentClient;
let repo: DynamoRepository;
let now = new Date('2026-03-01T12:00:00Z');

const sanne: CustomerProfile = {
  id: 'c-1001',
  name: { given: 'Sanne', family: 'de Vries' },
  birthDate: '1958-04-12',
  locale: 'nl-NL',
  country: 'NL',
  timezone: 'Europe/Amsterdam',
  email: 'sanne@example.nl',
  phone: '+31612345678',
  preferences: { channel: 'email', byPurpose: { service: 'sms' } },
  consents: [
    { channel: 'sms', purpose: 'marketing', granted: false, at: '2026-01-05T10:00:00Z', source: 'portal' },
  ],
  attributes: { segmentHint: 'business' },
};

function entry(
  customerId: string,
  at: string,
  summary: string,
  extra: Partial<TimelineEntry> = {},
): TimelineEntry {
  return { customerId, at, kind: 'decision', summary, ...extra };
}

beforeAll(async () => {
  table = await startTestTable(TABLE);
  doc = table.doc;
  repo = dynamoRepository(doc, TABLE, {
    bodyRetentionDays: RETENTION_DAYS,
    clock: { now: () => now },
    pseudonymKey: localPseudonymKey('test'),
  });
});

afterAll(async () => {
  await table?.stop();
});

describe('DynamoRepository against dynalite', () => {
  it('round-trips a customer profile and answers undefined for an unknown one', async () => {
    await repo.putCustomer(sanne, now);
    expect(await repo.getCustomer('c-1001')).toEqual(sanne);
    expect(await repo.getCustomer('c-unknown')).toBeUndefined();
  });

  it('lists the events at or after a moment, oldest first, whatever offset they were given in', async () => {
    const id = 'c-events';
    await repo.recordEvent(
      id,
      { type: 'payment.late', occurredAt: '2026-02-10T09:00:00Z', subjectId: 'inv-1' },
      'e1',
    );
    // 11:30 in Amsterdam (+01:00) is 10:30Z: after e1, before e4.
    await repo.recordEvent(id, { type: 'email.opened', occurredAt: '2026-02-20T11:30:00+01:00' }, 'e3');
    await repo.recordEvent(
      id,
      { type: 'invoice.paid', occurredAt: '2026-02-20T10:45:00Z', subjectId: 'inv-1' },
      'e4',
    );
    await repo.recordEvent(id, { type: 'payment.late', occurredAt: '2025-01-01T00:00:00Z' }, 'e0');

    const since = await repo.listEvents(id, new Date('2026-02-10T09:00:00Z'));
    expect(since.map((e) => e.type)).toEqual(['payment.late', 'email.opened', 'invoice.paid']);
    expect(since[1]?.occurredAt).toBe('2026-02-20T11:30:00+01:00');
    expect(await repo.listEvents(id, new Date('2026-03-01T00:00:00Z'))).toEqual([]);
    // Another customer's events never leak in.
    expect(await repo.listEvents('c-1001', new Date(0))).toEqual([]);
  });

  it('lists the timeline newest first, with the body while within retention', async () => {
    const id = 'c-timeline';
    await repo.appendTimeline(
      entry(id, '2026-03-01T08:00:00Z', 'payment-reminder: started', { kind: 'journey' }),
    );
    await repo.appendTimeline(
      entry(id, '2026-03-01T10:00:00Z', 'payment-reminder/first-reminder: sent', {
        id: 'run-1.first-reminder.sent',
        kind: 'message',
        channel: 'email',
        outcome: 'sent',
        providerMessageId: 'ses-1',
        reasons: ['email: preferred by customer'],
        body: { subject: 'Herinnering', text: 'Beste Sanne, …' },
      }),
    );
    await repo.appendTimeline(
      entry(id, '2026-03-01T09:00:00Z', 'payment-reminder/first-reminder: email chosen'),
    );

    const timeline = await repo.listTimeline(id);
    expect(timeline.map((e) => e.summary)).toEqual([
      'payment-reminder/first-reminder: sent',
      'payment-reminder/first-reminder: email chosen',
      'payment-reminder: started',
    ]);
    expect(timeline[0]).toMatchObject({
      id: 'run-1.first-reminder.sent',
      channel: 'email',
      reasons: ['email: preferred by customer'],
      body: { subject: 'Herinnering', text: 'Beste Sanne, …' },
    });
    expect(timeline[1]?.body).toBeUndefined();
    expect((await repo.listTimeline(id, 2)).map((e) => e.at)).toEqual([
      '2026-03-01T10:00:00Z',
      '2026-03-01T09:00:00Z',
    ]);
  });

  it('stores the body as its own item expiring after the retention period, the metadata without expiry', async () => {
    const id = 'c-retention';
    const at = '2026-03-01T10:00:00.000Z';
    await repo.appendTimeline(entry(id, at, 'sent', { id: 'm1', kind: 'message', body: { text: 'Hallo' } }));

    const meta = await doc.send(
      new GetCommand({ TableName: TABLE, Key: { pk: `CUSTOMER#${id}`, sk: `TIMELINE#${at}#m1` } }),
    );
    const body = await doc.send(
      new GetCommand({ TableName: TABLE, Key: { pk: `CUSTOMER#${id}`, sk: `TIMELINE#${at}#m1#BODY` } }),
    );
    expect(meta.Item?.expiresAt).toBeUndefined();
    expect(meta.Item?.text).toBeUndefined();
    expect(body.Item?.expiresAt).toBe(Date.parse(at) / 1000 + RETENTION_DAYS * 86_400);
    expect(body.Item?.text).toBe('Hallo');

    // dynalite (like AWS, for a while) keeps expired items: the repository must not show the body.
    const before = now;
    now = new Date(Date.parse(at) + (RETENTION_DAYS + 1) * 86_400_000);
    try {
      const [expired] = await repo.listTimeline(id);
      expect(expired?.summary).toBe('sent');
      expect(expired?.body).toBeUndefined();
    } finally {
      now = before;
    }
  });

  it('keeps bodies with their entries across query pages and does not duplicate a retried append', async () => {
    const id = 'c-many';
    for (let i = 0; i < 30; i += 1) {
      const at = new Date(Date.UTC(2026, 1, 1, 0, i)).toISOString();
      await repo.appendTimeline(entry(id, at, `message ${i}`, { id: `m${i}`, body: { text: `body ${i}` } }));
    }
    await repo.appendTimeline(
      entry(id, new Date(Date.UTC(2026, 1, 1, 0, 29)).toISOString(), 'message 29', {
        id: 'm29',
        body: { text: 'body 29' },
      }),
    );

    const page = await repo.listTimeline(id, 25);
    expect(page).toHaveLength(25);
    expect(page.every((e) => e.body?.text === e.summary.replace('message', 'body'))).toBe(true);
    expect(page[0]?.summary).toBe('message 29');
    expect(page[1]?.summary).toBe('message 28');
    expect(await repo.listTimeline(id, 100)).toHaveLength(30);
  });

  it('lists the messages sent since a moment, oldest first, for contact pressure: not decisions, skips or bodies', async () => {
    const id = 'c-pressure';
    const sent = (at: string, channel: 'email' | 'sms', stepId: string) =>
      entry(id, at, `payment-reminder/${stepId}: ${channel} sent`, {
        kind: 'message',
        outcome: 'sent',
        channel,
        journeyId: 'payment-reminder',
        stepId,
        body: { text: 'Your invoice is due' },
      });
    await repo.appendTimeline(sent('2026-02-20T09:00:00Z', 'email', 'too-old'));
    await repo.appendTimeline(sent('2026-02-24T09:00:00+01:00', 'sms', 'first-reminder'));
    await repo.appendTimeline(entry(id, '2026-02-25T09:00:00Z', 'decision', { channel: 'email' }));
    await repo.appendTimeline(
      entry(id, '2026-02-26T09:00:00Z', 'skipped', { kind: 'message', outcome: 'skipped', channel: 'email' }),
    );
    await repo.appendTimeline(sent('2026-02-27T09:00:00Z', 'email', 'second-reminder'));
    await repo.appendTimeline(sent('2026-02-27T10:00:00Z', 'email', 'other-customer-step'));
    await repo.appendTimeline({
      ...sent('2026-02-27T11:00:00Z', 'email', 'x'),
      customerId: 'c-someone-else',
    });

    const messages = await repo.listSentMessages(id, new Date('2026-02-22T00:00:00Z'));
    expect(messages).toEqual([
      {
        at: '2026-02-24T09:00:00+01:00',
        channel: 'sms',
        journeyId: 'payment-reminder',
        stepId: 'first-reminder',
      },
      {
        at: '2026-02-27T09:00:00Z',
        channel: 'email',
        journeyId: 'payment-reminder',
        stepId: 'second-reminder',
      },
      {
        at: '2026-02-27T10:00:00Z',
        channel: 'email',
        journeyId: 'payment-reminder',
        stepId: 'other-customer-step',
      },
    ]);
    expect(await repo.listSentMessages('c-nobody', new Date('2026-01-01T00:00:00Z'))).toEqual([]);
  });

  it('stores the subject where the journey step’s goal check reads it, and the send record its follow-up reads', async () => {
    await repo.putSubject({
      customerId: 'c-1001',
      subjectId: 'INV-2026-001',
      status: 'paid',
      updatedAt: now.toISOString(),
    });
    const invoice = {
      type: 'invoice' as const,
      id: 'INV-2026-001',
      amount: '10.00',
      currency: 'EUR',
      dueDate: '2026-12-01',
      payUrl: 'https://pay.example.com/INV-2026-001',
    };
    expect(goalReachedReason(invoice, await repo.getSubject('c-1001', 'INV-2026-001'))).toBe(
      'goal reached: invoice paid',
    );
    expect(await repo.getSubject('c-1001', 'INV-unknown')).toBeUndefined();

    // run-journey-step reads the first reminder's send record 48 hours later (opened or not).
    const key = 'run-7#first-reminder';
    expect(await repo.getSend('c-1001', key)).toBeUndefined();
    await repo.claimSend('c-1001', key, now);
    await repo.completeSend('c-1001', {
      key,
      status: 'sent',
      channel: 'email',
      providerMessageId: 'ses-7',
      at: now.toISOString(),
    });
    await repo.recordDeliveryOutcome('c-1001', key, { engagement: 'opened', at: now.toISOString() });
    expect(await repo.getSend('c-1001', key)).toMatchObject({
      status: 'sent',
      channel: 'email',
      engagement: 'opened',
    });
  });

  it('finds a journey run by its id alone and updates its status', async () => {
    const run = {
      runId: 'run-42',
      journeyId: 'payment-reminder',
      customerId: 'c-1001',
      subjectId: 'INV-2026-001',
      executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:klantreis-test-payment-reminder:run-42',
      status: 'running' as const,
      startedAt: now.toISOString(),
    };
    await repo.putRun(run);
    expect(await repo.getRun('run-42')).toEqual(run);
    await repo.setRunStatus('c-1001', 'run-42', 'goal-reached');
    expect((await repo.getRun('run-42'))?.status).toBe('goal-reached');
    expect(await repo.getRun('run-unknown')).toBeUndefined();
    await expect(repo.setRunStatus('c-1001', 'run-unknown', 'failed')).rejects.toThrow('not found');
  });

  it('lets only the first claim of a send key through and returns the record to the others', async () => {
    const first = await repo.claimSend('c-1001', 'run-42#first-reminder', now);
    expect(first).toEqual({ claimed: true, claimId: expect.any(String) });
    const second = await repo.claimSend('c-1001', 'run-42#first-reminder', now);
    expect(second).toEqual({
      claimed: false,
      existing: { key: 'run-42#first-reminder', status: 'in-progress', at: now.toISOString() },
    });

    await repo.completeSend('c-1001', {
      key: 'run-42#first-reminder',
      status: 'sent',
      channel: 'email',
      providerMessageId: 'ses-1',
      at: now.toISOString(),
    });
    const third = await repo.claimSend('c-1001', 'run-42#first-reminder', now);
    expect(third).toMatchObject({
      claimed: false,
      existing: { status: 'sent', channel: 'email', providerMessageId: 'ses-1' },
    });
  });

  it('lets exactly one of ten concurrent claims through', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () => repo.claimSend('c-1001', 'run-43#first-reminder', now)),
    );
    expect(results.filter((r) => r.claimed)).toHaveLength(1);
    for (const result of results.filter((r) => !r.claimed)) {
      expect(result).toMatchObject({
        claimed: false,
        existing: { key: 'run-43#first-reminder', status: 'in-progress' },
      });
    }
  });

  it('suppresses an address per channel, matching its normalised form, without storing it', async () => {
    await repo.suppress('email', ' Jan.Jansen@Example.NL ', 'unsubscribe link', now);
    await repo.suppress('sms', '+31 6 1234 5679', 'STOP reply', now);

    expect(await repo.isSuppressed('email', 'jan.jansen@example.nl')).toBe(true);
    expect(await repo.isSuppressed('sms', '+31612345679')).toBe(true);
    expect(await repo.isSuppressed('sms', 'jan.jansen@example.nl')).toBe(false);
    expect(await repo.isSuppressed('email', 'someone.else@example.nl')).toBe(false);

    const all = JSON.stringify((await doc.send(new ScanCommand({ TableName: TABLE }))).Items).toLowerCase();
    expect(all).not.toContain('jan.jansen');
    expect(all).not.toContain('612345679');
  });

  it('exports everything about a customer and erases it, keeping suppressions', async () => {
    const id = 'c-gdpr';
    await repo.putCustomer({ ...sanne, id }, now);
    await repo.recordEvent(
      id,
      { type: 'invoice.created', occurredAt: '2026-02-01T00:00:00Z', subjectId: 'i1' },
      'e1',
    );
    await repo.appendTimeline(entry(id, '2026-02-02T00:00:00Z', 'older'));
    await repo.appendTimeline(entry(id, '2026-02-03T00:00:00Z', 'newer', { body: { text: 'Hallo' } }));
    await repo.putSubject({ customerId: id, subjectId: 'i1', status: 'open', updatedAt: now.toISOString() });
    await repo.putRun({
      runId: 'run-gdpr',
      journeyId: 'payment-reminder',
      customerId: id,
      executionArn: 'arn',
      status: 'running',
      startedAt: now.toISOString(),
    });
    await repo.claimSend(id, 'run-gdpr#first-reminder', now);
    await repo.suppress('email', 'gdpr@example.nl', 'erasure request', now);

    const exported = await repo.exportCustomerData(id);
    expect(exported.profile?.email).toBe('sanne@example.nl');
    expect(exported.events).toEqual([
      { type: 'invoice.created', occurredAt: '2026-02-01T00:00:00Z', subjectId: 'i1', eventId: 'e1' },
    ]);
    expect(exported.timeline.map((e) => [e.summary, e.body?.text])).toEqual([
      ['newer', 'Hallo'],
      ['older', undefined],
    ]);
    expect(exported.subjects).toHaveLength(1);
    expect(exported.runs.map((r) => r.runId)).toEqual(['run-gdpr']);
    expect(exported.sends.map((s) => s.status)).toEqual(['in-progress']);

    // The profile's email index item is one of them.
    expect(await repo.eraseCustomerData(id)).toEqual({ deletedItems: 9 });
    expect(await repo.getCustomer(id)).toBeUndefined();
    expect(await repo.listTimeline(id)).toEqual([]);
    expect(await repo.getRun('run-gdpr')).toBeUndefined();
    expect(await repo.isSuppressed('email', 'gdpr@example.nl')).toBe(true);
  });
});

describe('due-invoice index', () => {
  const invoice = (id: string, dueDate: string) => ({
    type: 'invoice' as const,
    id,
    amount: '10.00',
    currency: 'EUR',
    dueDate,
    payUrl: `https://pay.example.com/${id}`,
  });
  const open = (customerId: string, id: string, dueDate: string) =>
    repo.putSubject({
      customerId,
      subjectId: id,
      status: 'open',
      updatedAt: now.toISOString(),
      invoice: invoice(id, dueDate),
    });

  it('finds open invoices due in a window across months, page by page, and drops paid ones', async () => {
    await open('due-1', 'INV-A', '2026-02-27');
    await open('due-2', 'INV-B', '2026-03-01');
    await open('due-3', 'INV-C', '2026-03-02');
    await open('due-4', 'INV-D', '2026-03-04'); // after the window
    await open('due-5', 'INV-E', '2026-02-20'); // before the window
    await open('due-6', 'INV-F', '2026-03-01');
    await repo.putSubject({
      customerId: 'due-6',
      subjectId: 'INV-F',
      status: 'paid',
      updatedAt: now.toISOString(),
    });

    const seen: string[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const page = await repo.listDueSubjects('2026-02-26', '2026-03-02', {
        limit: 2,
        ...(next ? { next } : {}),
      });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i) => `${i.customerId}/${i.subjectId}/${i.dueDate}`));
      next = page.next;
      pages += 1;
    } while (next && pages < 10);
    expect(seen).toEqual(['due-1/INV-A/2026-02-27', 'due-2/INV-B/2026-03-01', 'due-3/INV-C/2026-03-02']);
    expect((await repo.getSubject('due-1', 'INV-A'))?.invoice?.payUrl).toBe('https://pay.example.com/INV-A');
  });

  it('lists a customer’s runs', async () => {
    const run = {
      journeyId: 'payment-reminder',
      customerId: 'due-1',
      executionArn: 'arn:aws:states:eu-west-1:000000000000:execution:x:r',
      status: 'running' as const,
      startedAt: now.toISOString(),
    };
    await repo.putRun({ ...run, runId: 'run-2', subjectId: 'INV-A' });
    await repo.putRun({ ...run, runId: 'run-1' });
    expect((await repo.listRuns('due-1')).map((r) => r.runId)).toEqual(['run-1', 'run-2']);
    expect(await repo.listRuns('due-9')).toEqual([]);
  });
});

describe('guarded profile updates', () => {
  const stop = {
    channel: 'sms',
    purpose: 'service',
    granted: false,
    at: '2026-03-01T12:00:00.000Z',
    source: 'sms-stop',
  } as const;

  it('keeps an opt-out another writer records between the read and the write of an update', async () => {
    const customer: CustomerProfile = { ...sanne, id: 'c-guard', consents: [] };
    await repo.putCustomer(customer, now);
    // A document client that lets an SMS STOP land right before the update's own write, once.
    let interleaved = false;
    const racing = {
      send: async (command: { input: { ConditionExpression?: string } }) => {
        if (!interleaved && command.input.ConditionExpression === 'updatedAt = :seen') {
          interleaved = true;
          now = new Date(now.getTime() + 1);
          expect(await repo.recordConsents(customer.id, [stop], now)).toBe(true);
        }
        return doc.send(command as never);
      },
    } as unknown as DynamoDBDocumentClient;
    const updating = dynamoRepository(racing, TABLE);
    let runs = 0;
    const result = await updating.updateCustomer(
      customer.id,
      (stored) => {
        runs += 1;
        return stored && { ...stored, preferences: { channel: 'sms' } };
      },
      new Date(now.getTime() + 1),
    );
    expect(interleaved).toBe(true);
    expect(runs).toBe(2);
    expect(result).toEqual({ profile: expect.objectContaining({ consents: [stop] }), created: false });
    const stored = await repo.getCustomer(customer.id);
    expect(stored?.consents).toEqual([stop]);
    expect(stored?.preferences).toEqual({ channel: 'sms' });
  });

  it('creates a missing profile only once, and reports which call created it', async () => {
    const fresh: CustomerProfile = { ...sanne, id: 'c-guard-new' };
    const first = await repo.updateCustomer(fresh.id, (stored) => stored ?? fresh, now);
    const second = await repo.updateCustomer(
      fresh.id,
      (stored) => stored && { ...stored, locale: 'en-GB' },
      now,
    );
    expect([first.created, second.created]).toEqual([true, false]);
    expect((await repo.getCustomer(fresh.id))?.locale).toBe('en-GB');
    expect(await repo.updateCustomer('nobody', (stored) => stored, now)).toEqual({
      profile: undefined,
      created: false,
    });
  });
});
