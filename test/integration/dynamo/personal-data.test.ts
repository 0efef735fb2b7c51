import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoRepository, dynamoRepository } from '#adapters/dynamo/repository.ts';
import { localPseudonymKey } from '#adapters/pseudonym-key-source.ts';
import { startTestTable, type TestTable } from '../../fixtures/dynamo-table.ts';
import { entry, sanne } from '../../fixtures/stage-table-data.ts';

const TABLE = 'klantreis-test';

let table: TestTable;
let repo: DynamoRepository;
const now = new Date('2026-03-01T12:00:00Z');

beforeAll(async () => {
  table = await startTestTable(TABLE);
  // Every aggregate writes what the export reads and the erasure deletes: all of them, as one object.
  repo = dynamoRepository(table.doc, TABLE, {
    bodyRetentionDays: 30,
    clock: { now: () => now },
    pseudonymKey: localPseudonymKey('test'),
  });
});

afterAll(async () => {
  await table?.stop();
});

describe('DynamoPersonalData against dynalite', () => {
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
