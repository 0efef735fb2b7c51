/** The conditional writes that reconcile a send whose provider answer was lost, against DynamoDB (dynalite). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoRepository, dynamoRepository } from '#adapters/dynamo/repository.ts';
import type { SendRecord } from '#core/ports.ts';
import { startTestTable, type TestTable } from '../../fixtures/dynamo-table.ts';

const TABLE = 'klantreis-maybe-sent-test';
let table: TestTable;
let repo: DynamoRepository;
const now = new Date('2026-12-01T09:00:00Z');
const later = new Date('2026-12-01T09:15:00Z');

beforeAll(async () => {
  table = await startTestTable(TABLE);
  repo = dynamoRepository(table.doc, TABLE, {
    bodyRetentionDays: 30,
    clock: { now: () => now },
  });
});

afterAll(async () => {
  await table?.stop();
});

/** Claims `key` and records it maybe-sent (attempt 1), as the send step does after a lost answer. */
async function maybeSent(key: string): Promise<SendRecord> {
  const claim = await repo.claimSend('c-1', key, now);
  if (!claim.claimed) throw new Error('expected a fresh claim');
  const record: SendRecord = {
    key,
    status: 'maybe-sent',
    channel: 'email',
    at: now.toISOString(),
    attempt: 1,
    reconcileBy: later.toISOString(),
    fallback: 'sms',
  };
  const settled = await repo.settleUnanswered('c-1', record, {
    status: 'in-progress',
    attempt: 1,
    ...(claim.claimId ? { claimId: claim.claimId } : {}),
  });
  expect(settled).toBe(true);
  return record;
}

describe('a send whose provider answer was lost', () => {
  it('is recorded maybe-sent only by the attempt that holds the claim', async () => {
    await repo.claimSend('c-1', 'run-a#step', now);
    const record: SendRecord = { key: 'run-a#step', status: 'maybe-sent', at: now.toISOString(), attempt: 1 };
    expect(
      await repo.settleUnanswered('c-1', record, { status: 'in-progress', attempt: 1, claimId: 'not-mine' }),
    ).toBe(false);
    // Without a claim id (a retry reconciling a crashed attempt): the status and attempt decide.
    expect(await repo.settleUnanswered('c-1', record, { status: 'in-progress', attempt: 1 })).toBe(true);
    expect(await repo.getSend('c-1', 'run-a#step')).toMatchObject({ status: 'maybe-sent', attempt: 1 });
  });

  it('is linked by its event: sent, with the message id in the index, the bound gone', async () => {
    await maybeSent('run-b#step');
    const linked = await repo.linkSend('c-1', 'run-b#step', { attempt: 1, providerMessageId: 'ses-b' });
    expect(linked).toMatchObject({ status: 'sent', providerMessageId: 'ses-b', fallback: 'sms' });
    expect(linked?.reconcileBy).toBeUndefined();
    expect(await repo.findSendByProviderMessageId('ses-b')).toMatchObject({
      customerId: 'c-1',
      record: { key: 'run-b#step', status: 'sent' },
    });
    // A second event changes nothing and answers the record as it is.
    expect(
      await repo.linkSend('c-1', 'run-b#step', { attempt: 1, providerMessageId: 'ses-other' }),
    ).toMatchObject({
      providerMessageId: 'ses-b',
    });
    // Linked: no attempt can take it over.
    expect(await repo.retakeSend('c-1', 'run-b#step', 1, later)).toMatchObject({ claimed: false });
  });

  it('is taken over by one next attempt only, after which the first attempt’s event links nothing', async () => {
    await maybeSent('run-c#step');
    const [one, two] = await Promise.all([
      repo.retakeSend('c-1', 'run-c#step', 1, later),
      repo.retakeSend('c-1', 'run-c#step', 1, later),
    ]);
    expect([one?.claimed, two?.claimed].sort()).toEqual([false, true]);
    expect(await repo.getSend('c-1', 'run-c#step')).toMatchObject({
      status: 'in-progress',
      attempt: 2,
      at: later.toISOString(),
    });
    expect(
      await repo.linkSend('c-1', 'run-c#step', { attempt: 1, providerMessageId: 'ses-late' }),
    ).toMatchObject({
      status: 'in-progress',
      attempt: 2,
    });
    expect(await repo.findSendByProviderMessageId('ses-late')).toBeUndefined();
  });

  it('is settled failed at its bound only while no event linked it', async () => {
    const record = await maybeSent('run-d#step');
    const failed: SendRecord = { ...record, status: 'failed', reason: 'unconfirmed' };
    delete failed.reconcileBy;
    await repo.linkSend('c-1', 'run-d#step', { attempt: 1, providerMessageId: 'ses-d' });
    expect(await repo.settleUnanswered('c-1', failed, { status: 'maybe-sent', attempt: 1 })).toBe(false);
    expect(await repo.getSend('c-1', 'run-d#step')).toMatchObject({ status: 'sent' });
  });
});
