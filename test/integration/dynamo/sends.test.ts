import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDeliveries } from '#adapters/dynamo/deliveries.ts';
import { DynamoSends } from '#adapters/dynamo/sends.ts';
import { startTestTable, type TestTable } from '../../fixtures/dynamo-table.ts';

const TABLE = 'klantreis-test';

let table: TestTable;
let repo: DynamoSends;
let deliveries: DynamoDeliveries;
const now = new Date('2026-03-01T12:00:00Z');

beforeAll(async () => {
  table = await startTestTable(TABLE);
  repo = new DynamoSends(table.doc, TABLE);
  deliveries = new DynamoDeliveries(table.doc, TABLE);
});

afterAll(async () => {
  await table?.stop();
});

describe('DynamoSends against dynalite', () => {
  it('keeps the send record the step’s follow-up reads, with its engagement', async () => {
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
    await deliveries.recordDeliveryOutcome('c-1001', key, { engagement: 'opened', at: now.toISOString() });
    expect(await repo.getSend('c-1001', key)).toMatchObject({
      status: 'sent',
      channel: 'email',
      engagement: 'opened',
    });
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
});
