/** The delivery parts of the repository and the rate limiter, against DynamoDB (dynalite). */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoRateLimiter } from '#adapters/dynamo/rate-limiter.ts';
import { type DynamoRepository, dynamoRepository } from '#adapters/dynamo/repository.ts';
import { DynamoTaskCallbacks } from '#adapters/dynamo/task-callbacks.ts';
import type { CustomerProfile } from '#core/customer.ts';
import { startTestTable, type TestTable } from '../../fixtures/dynamo-table.ts';

const TABLE = 'klantreis-delivery-test';
let table: TestTable;
let doc: DynamoDBDocumentClient;
let repo: DynamoRepository;
const now = new Date('2026-12-01T09:00:00Z');

const customer = (id: string, phone?: string): CustomerProfile => ({
  id,
  locale: 'nl-NL',
  country: 'NL',
  email: `${id}@example.nl`,
  ...(phone ? { phone } : {}),
});

beforeAll(async () => {
  table = await startTestTable(TABLE);
  doc = table.doc;
  repo = dynamoRepository(doc, TABLE, { bodyRetentionDays: 30, clock: { now: () => now } });
});

afterAll(async () => {
  await table?.stop();
});

describe('send claims', () => {
  it('releases only an unfinished claim of the same attempt', async () => {
    const claim = await repo.claimSend('c-1', 'run-1#first-reminder', now);
    expect(claim.claimed).toBe(true);
    await repo.releaseSend('c-1', 'run-1#first-reminder', 'another-attempt');
    expect((await repo.claimSend('c-1', 'run-1#first-reminder', now)).claimed).toBe(false);
    await repo.releaseSend('c-1', 'run-1#first-reminder', claim.claimed ? claim.claimId : undefined);
    expect((await repo.claimSend('c-1', 'run-1#first-reminder', now)).claimed).toBe(true);

    await repo.completeSend('c-1', {
      key: 'run-2#first-reminder',
      status: 'sent',
      providerMessageId: 'm-2',
      at: now.toISOString(),
    });
    await repo.releaseSend('c-1', 'run-2#first-reminder');
    expect(await repo.claimSend('c-1', 'run-2#first-reminder', now)).toMatchObject({
      claimed: false,
      existing: { status: 'sent' },
    });
  });
});

describe('delivery outcomes', () => {
  const key = 'run-3#first-reminder';
  it('finds a send by the provider message id and keeps the newest status and the strongest engagement', async () => {
    await repo.completeSend('c-3', {
      key,
      status: 'sent',
      channel: 'email',
      providerMessageId: 'ses-3',
      at: now.toISOString(),
      fallback: 'sms',
    });
    expect(await repo.findSendByProviderMessageId('ses-3')).toEqual({
      customerId: 'c-3',
      record: {
        key,
        status: 'sent',
        channel: 'email',
        providerMessageId: 'ses-3',
        at: now.toISOString(),
        fallback: 'sms',
      },
    });
    expect(await repo.findSendByProviderMessageId('ses-none')).toBeUndefined();

    await repo.recordDeliveryOutcome('c-3', key, { deliveryStatus: 'delayed', at: '2026-12-01T09:00:10Z' });
    await repo.recordDeliveryOutcome('c-3', key, { deliveryStatus: 'delivered', at: '2026-12-01T09:00:30Z' });
    // Out of order: the older delay report must not overwrite the delivery.
    await repo.recordDeliveryOutcome('c-3', key, { deliveryStatus: 'delayed', at: '2026-12-01T09:00:20Z' });
    await repo.recordDeliveryOutcome('c-3', key, { engagement: 'clicked', at: '2026-12-01T10:00:00Z' });
    await repo.recordDeliveryOutcome('c-3', key, { engagement: 'opened', at: '2026-12-01T11:00:00Z' });
    const record = (await repo.findSendByProviderMessageId('ses-3'))?.record;
    expect(record).toMatchObject({ deliveryStatus: 'delivered', engagement: 'clicked' });
  });

  it('does not create a send record for an outcome of an unknown send', async () => {
    await repo.recordDeliveryOutcome('c-3', 'run-unknown#first-reminder', {
      deliveryStatus: 'delivered',
      at: now.toISOString(),
    });
    expect((await repo.exportCustomerData('c-3')).sends.map((s) => s.key)).toEqual([key]);
  });
});

describe('customers by phone and consents', () => {
  it('finds every customer who gave a number, however it is written', async () => {
    await repo.putCustomer(customer('c-10', '+31612345678'), now);
    await repo.putCustomer(customer('c-11', '+31612345678'), now);
    await repo.putCustomer(customer('c-12', '+31687654321'), now);
    expect((await repo.customerIdsByPhone('+31 6 1234 5678')).sort()).toEqual(['c-10', 'c-11']);
    expect(await repo.customerIdsByPhone('+31600000000')).toEqual([]);
    // A changed number no longer finds the customer.
    await repo.putCustomer(customer('c-11', '+31611111111'), now);
    expect(await repo.customerIdsByPhone('+31612345678')).toEqual(['c-10']);
  });

  it('appends consents once, however often the same event is delivered', async () => {
    const optOut = {
      channel: 'sms' as const,
      purpose: 'service' as const,
      granted: false,
      at: now.toISOString(),
      source: 'sms-stop',
    };
    expect(await repo.recordConsents('c-10', [optOut], now)).toBe(true);
    expect(await repo.recordConsents('c-10', [optOut], now)).toBe(true);
    expect((await repo.getCustomer('c-10'))?.consents).toEqual([optOut]);
    expect(await repo.recordConsents('nobody', [optOut], now)).toBe(false);
  });
});

describe('conversation pages', () => {
  it('pages newest first without gaps or repeats, bodies included', async () => {
    for (let i = 0; i < 7; i += 1) {
      await repo.appendTimeline({
        id: `e-${i}`,
        customerId: 'c-20',
        at: new Date(now.getTime() + i * 60_000).toISOString(),
        kind: 'message',
        summary: `message ${i}`,
        body: { text: `body ${i}` },
      });
    }
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await repo.readConversation('c-20', { limit: 3, ...(after ? { after } : {}) });
      for (const entry of page.entries) {
        seen.push(entry.id as string);
        expect(entry.body?.text).toBe(`body ${(entry.id as string).slice(2)}`);
      }
      after = page.next;
      pages += 1;
    } while (after && pages < 10);
    expect(seen).toEqual(['e-6', 'e-5', 'e-4', 'e-3', 'e-2', 'e-1', 'e-0']);
    expect(pages).toBe(3);
  });

  it('refuses a position outside the timeline', async () => {
    await expect(repo.readConversation('c-20', { limit: 3, after: 'PROFILE' })).rejects.toThrow();
  });
});

describe('rate limiter', () => {
  it('lets exactly the limit through in one second however many sends race, and starts again the next second', async () => {
    const limiter = new DynamoRateLimiter(doc, TABLE, { email: 7, sms: 2, letter: 1, phone: 1 });
    const second = new Date('2026-12-01T09:00:00.250Z');
    const results = await Promise.all(Array.from({ length: 60 }, () => limiter.tryAcquire('email', second)));
    expect(results.filter(Boolean)).toHaveLength(7);
    // SMS has its own budget.
    const sms = await Promise.all(Array.from({ length: 5 }, () => limiter.tryAcquire('sms', second)));
    expect(sms.filter(Boolean)).toHaveLength(2);
    expect(await limiter.tryAcquire('email', new Date('2026-12-01T09:00:00.999Z'))).toBe(false);
    expect(await limiter.tryAcquire('email', new Date('2026-12-01T09:00:01.000Z'))).toBe(true);
  });

  it('keeps a batch of sends at or below the rate in every second', async () => {
    const limiter = new DynamoRateLimiter(doc, TABLE, { email: 5, sms: 20, letter: 1, phone: 1 });
    const start = Date.parse('2026-12-02T09:00:00Z');
    // 40 sends at once, each retried in the next second until it fits.
    let pending = 40;
    const sentPerSecond: number[] = [];
    for (let s = 0; pending > 0 && s < 60; s += 1) {
      const at = new Date(start + s * 1000);
      const attempts = await Promise.all(
        Array.from({ length: pending }, () => limiter.tryAcquire('email', at)),
      );
      const sent = attempts.filter(Boolean).length;
      sentPerSecond.push(sent);
      pending -= sent;
    }
    expect(pending).toBe(0);
    expect(sentPerSecond).toEqual([5, 5, 5, 5, 5, 5, 5, 5]);
  });
});

describe('task callbacks on the send record', () => {
  it('holds a callback with the send, shows feedback that came first, and clears it only for its own token', async () => {
    const store = new DynamoTaskCallbacks(doc, TABLE);
    await repo.completeSend('c-1', {
      key: 'run-3#first-reminder',
      status: 'sent',
      channel: 'email',
      providerMessageId: 'm-3',
      at: now.toISOString(),
      fallback: 'sms',
    });
    // The open was recorded before the step kept its callback: the step sees it in the answer.
    await repo.recordDeliveryOutcome('c-1', 'run-3#first-reminder', {
      engagement: 'opened',
      at: now.toISOString(),
    });
    const hold = { taskToken: 'token-3', output: '{"action":"next"}' };
    expect(await store.holdTaskCallback('c-1', 'run-3#first-reminder', hold)).toEqual({
      engagement: 'opened',
    });
    expect(await store.getTaskCallback('c-1', 'run-3#first-reminder')).toEqual(hold);

    await store.releaseTaskCallback('c-1', 'run-3#first-reminder', 'another-token');
    expect(await store.getTaskCallback('c-1', 'run-3#first-reminder')).toEqual(hold);
    await store.releaseTaskCallback('c-1', 'run-3#first-reminder', 'token-3');
    await store.releaseTaskCallback('c-1', 'run-3#first-reminder', 'token-3');
    expect(await store.getTaskCallback('c-1', 'run-3#first-reminder')).toBeUndefined();
    // The send record itself is untouched.
    expect(await repo.getSend('c-1', 'run-3#first-reminder')).toMatchObject({
      status: 'sent',
      engagement: 'opened',
    });
  });

  it('holds nothing for a send that was never recorded', async () => {
    const store = new DynamoTaskCallbacks(doc, TABLE);
    expect(
      await store.holdTaskCallback('c-1', 'run-4#first-reminder', { taskToken: 't', output: '{}' }),
    ).toBe(undefined);
    expect(await repo.getSend('c-1', 'run-4#first-reminder')).toBeUndefined();
  });
});
