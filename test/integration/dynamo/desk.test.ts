/**
 * What the console's desk keeps in the table, against dynalite: the email index, holds, hand-over
 * records and their inbox, and where a run is. Every item lives in the customer's partition, so an
 * erasure takes it along.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDeskRepository } from '#adapters/dynamo/desk.ts';
import { type DynamoRepository, dynamoRepository } from '#adapters/dynamo/repository.ts';
import type { CustomerProfile } from '#core/customer.ts';
import type { HandOverReason } from '#core/hand-over.ts';
import { type HandOverRecord, openRecordOf } from '#core/hand-over-desk.ts';
import { startTestTable, type TestTable } from '../../fixtures/dynamo-table.ts';

const TABLE = 'klantreis-console-desk';
const at = new Date('2026-12-07T10:00:00Z');

let table: TestTable;
let repo: DynamoRepository;
let desk: DynamoDeskRepository;

beforeAll(async () => {
  table = await startTestTable(TABLE);
  repo = dynamoRepository(table.doc, TABLE, { clock: { now: () => at } });
  desk = new DynamoDeskRepository(table.doc, TABLE);
});

afterAll(async () => {
  await table?.stop();
});

const customer = (id: string, email?: string): CustomerProfile => ({
  id,
  locale: 'nl-NL',
  country: 'NL',
  ...(email ? { email } : {}),
});

const handOver = (customerId: string, handOverId: string, reason: HandOverReason, when: string) =>
  openRecordOf({ handOverId, customerId, reason, at: when, conversationUrl: 'http://x' });

describe('finding customers by email address', () => {
  it('finds every customer with the address, whatever its case, and follows a change of address', async () => {
    await repo.putCustomer(customer('e-1', 'Jan@Example.nl'), at);
    await repo.putCustomer(customer('e-2', 'jan@example.nl'), at);
    expect((await desk.customerIdsByEmail(' jan@EXAMPLE.nl')).sort()).toEqual(['e-1', 'e-2']);

    await repo.updateCustomer('e-2', (stored) => stored && { ...stored, email: 'other@example.nl' }, at);
    expect(await desk.customerIdsByEmail('jan@example.nl')).toEqual(['e-1']);
    expect(await desk.customerIdsByEmail('other@example.nl')).toEqual(['e-2']);

    await repo.putCustomer(customer('e-1'), at);
    expect(await desk.customerIdsByEmail('jan@example.nl')).toEqual([]);
  });

  it('forgets an erased customer’s address, and the export holds no index copy', async () => {
    await repo.putCustomer(customer('e-3', 'gone@example.nl'), at);
    const exported = await repo.exportCustomerData('e-3');
    expect(exported.profile?.email).toBe('gone@example.nl');
    await repo.eraseCustomerData('e-3');
    expect(await desk.customerIdsByEmail('gone@example.nl')).toEqual([]);
  });
});

describe('holds', () => {
  it('keeps one pause and one hold per run, replaced and removed, and exports them', async () => {
    const pause = {
      kind: 'pause' as const,
      until: '2026-12-20T00:00:00.000Z',
      by: 'anna',
      at: at.toISOString(),
    };
    const promise = {
      kind: 'promise-to-pay' as const,
      until: '2026-12-17T00:00:00.000Z',
      by: 'anna',
      at: at.toISOString(),
      runId: 'run-h',
      promisedDate: '2026-12-15',
    };
    await desk.putHold('h-1', pause);
    await desk.putHold('h-1', promise);
    await desk.putHold('h-1', { ...pause, until: '2026-12-22T00:00:00.000Z' });
    expect(await desk.listHolds('h-1')).toEqual([{ ...pause, until: '2026-12-22T00:00:00.000Z' }, promise]);
    expect((await repo.exportCustomerData('h-1')).holds).toHaveLength(2);
    await desk.removeHold('h-1');
    expect(await desk.listHolds('h-1')).toEqual([promise]);
  });
});

describe('the hand-over inbox', () => {
  it('stores a hand-over once: a retried one leaves a taken record taken', async () => {
    const record = handOver('d-1', 'ho-retry', 'reply', '2026-12-01T10:00:00.000Z');
    await repo.openHandOver(record);
    const taken: HandOverRecord = { ...record, status: 'taken', takenBy: 'anna', takenAt: at.toISOString() };
    expect(await desk.saveHandOver(taken, 'open')).toBe(true);
    await repo.openHandOver(record);
    expect(await desk.getHandOver('ho-retry')).toEqual(taken);
    // Another change of the open record lost the race.
    expect(await desk.saveHandOver({ ...record, status: 'closed' }, 'open')).toBe(false);
  });

  it('lists one status oldest first, by reason, page by page, and moves a taken one out of the open list', async () => {
    await repo.openHandOver(handOver('i-1', 'ho-c', 'no-reaction', '2026-12-03T10:00:00.000Z'));
    await repo.openHandOver(handOver('i-2', 'ho-a', 'no-reaction', '2026-12-01T09:00:00.000Z'));
    await repo.openHandOver(handOver('i-3', 'ho-b', 'complaint', '2026-12-02T10:00:00.000Z'));
    await repo.openHandOver(handOver('i-4', 'ho-d', 'no-reaction', '2026-12-04T10:00:00.000Z'));

    const all = await desk.listHandOvers({ status: 'open', limit: 10 });
    expect(all.items.map((h) => h.handOverId)).toEqual(['ho-a', 'ho-b', 'ho-c', 'ho-d']);

    const first = await desk.listHandOvers({ status: 'open', reason: 'no-reaction', limit: 2 });
    expect(first.items.map((h) => h.handOverId)).toEqual(['ho-a', 'ho-c']);
    const second = await desk.listHandOvers({
      status: 'open',
      reason: 'no-reaction',
      limit: 2,
      next: first.next,
    });
    expect(second.items.map((h) => h.handOverId)).toEqual(['ho-d']);

    const record = (await desk.getHandOver('ho-c')) as HandOverRecord;
    await desk.saveHandOver({ ...record, status: 'taken', takenBy: 'anna' }, 'open');
    expect((await desk.listHandOvers({ status: 'open', limit: 10 })).items.map((h) => h.handOverId)).toEqual([
      'ho-a',
      'ho-b',
      'ho-d',
    ]);
    // Taken ones are listed oldest first too (the retried one above was taken on 1 December).
    const taken = await desk.listHandOvers({ status: 'taken', limit: 10 });
    expect(taken.items.map((h) => [h.handOverId, h.takenBy])).toEqual([
      ['ho-retry', 'anna'],
      ['ho-c', 'anna'],
    ]);
  });

  it('forgets an erased customer’s hand-overs, and exports them before', async () => {
    await repo.openHandOver(handOver('x-1', 'ho-x', 'complaint', '2026-11-30T10:00:00.000Z'));
    expect((await repo.exportCustomerData('x-1')).handOvers.map((h) => h.handOverId)).toEqual(['ho-x']);
    await repo.eraseCustomerData('x-1');
    expect(await desk.getHandOver('ho-x')).toBeUndefined();
    const open = await desk.listHandOvers({ status: 'open', limit: 50 });
    expect(open.items.map((h) => h.handOverId)).not.toContain('ho-x');
  });
});

describe('where a run is', () => {
  it('records the step and the next wake on the run, and never recreates a run that is gone', async () => {
    const run = {
      runId: 'run-p',
      journeyId: 'payment-reminder',
      customerId: 'p-1',
      executionArn: 'arn:aws:states:eu-west-1:0:execution:x:run-p',
      status: 'running' as const,
      startedAt: at.toISOString(),
    };
    await repo.putRun(run);
    await repo.recordRunProgress('p-1', 'run-p', {
      currentStep: 'second-reminder',
      nextWakeAt: '2026-12-10T09:00:00Z',
    });
    expect(await repo.listRuns('p-1')).toEqual([
      { ...run, currentStep: 'second-reminder', nextWakeAt: '2026-12-10T09:00:00.000Z' },
    ]);
    await repo.recordRunProgress('p-2', 'run-none', { currentStep: 'x', nextWakeAt: at.toISOString() });
    expect(await repo.listRuns('p-2')).toEqual([]);
  });

  it("keeps the run's experiment arm on the run item once a step assigned it", async () => {
    const run = {
      runId: 'run-arm',
      journeyId: 'payment-reminder',
      customerId: 'p-3',
      executionArn: 'arn:aws:states:eu-west-1:0:execution:x:run-arm',
      status: 'running' as const,
      startedAt: at.toISOString(),
    };
    await repo.putRun(run);
    const experiment = { id: 'first-reminder-text', arm: 'direct' };
    await repo.recordRunProgress('p-3', 'run-arm', {
      currentStep: 'first-reminder',
      nextWakeAt: '2026-12-10T09:00:00Z',
      experiment,
    });
    await repo.recordRunProgress('p-3', 'run-arm', {
      currentStep: 'second-reminder',
      nextWakeAt: '2026-12-17T09:00:00Z',
    });
    expect(await repo.getRun('run-arm')).toMatchObject({ currentStep: 'second-reminder', experiment });
  });
});
