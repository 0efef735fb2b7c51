import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoEvents } from '#adapters/dynamo/events.ts';
import { startTestTable, type TestTable } from '../../fixtures/dynamo-table.ts';

const TABLE = 'klantreis-test';

let table: TestTable;
let repo: DynamoEvents;

beforeAll(async () => {
  table = await startTestTable(TABLE);
  repo = new DynamoEvents(table.doc, TABLE);
});

afterAll(async () => {
  await table?.stop();
});

describe('DynamoEvents against dynalite', () => {
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
});
