/**
 * The results recorder against the local DynamoDB: each event counts once however often it is
 * recorded, concurrent records of distinct events all count, and a report reads only its window.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DynamoResultsStore,
  resultCustomerKey,
  resultEventKey,
  resultRunKey,
} from '#adapters/dynamo/results.ts';
import { localPseudonymKey } from '#adapters/pseudonym-key-source.ts';
import {
  RESULT_SHARDS,
  type ResultDims,
  type ResultEvent,
  resultEventMarkerKey,
  shardOf,
} from '#core/results.ts';
import { startTestTable, type TestTable } from '../../fixtures/dynamo-table.ts';

const TABLE = 'klantreis-results';

let table: TestTable;
let results: DynamoResultsStore;

beforeAll(async () => {
  table = await startTestTable(TABLE);
  results = new DynamoResultsStore(table.doc, TABLE, {
    pseudonymKey: localPseudonymKey('test'),
    clock: { now: () => new Date('2026-12-08T12:00:00.000Z') },
    queryPageSize: 3,
  });
});

afterAll(async () => {
  await table?.stop();
});

const dims = (over: Partial<ResultDims> = {}): ResultDims => ({
  journeyId: 'payment-reminder',
  stepId: 'first-reminder',
  segment: 'standard',
  channel: 'email',
  variant: 'friendly',
  locale: 'nl',
  experimentId: 'none',
  arm: 'none',
  day: '2026-12-08',
  ...over,
});

const event = (over: Partial<ResultEvent> = {}): ResultEvent => ({
  eventId: 'sent:run-1#first-reminder',
  at: '2026-12-08T09:00:00.000Z',
  kind: 'sent',
  dims: dims(),
  runId: 'run-1',
  customerKey: 'customer-key-1',
  ...over,
});

describe('recording results in the table', () => {
  it('counts a redelivered event once, and keeps the flat event on its marker', async () => {
    const delivered = event({
      eventId: 'delivered:0100018c-aaaa',
      kind: 'delivered',
      dims: dims({ journeyId: 'redelivery' }),
    });
    await results.record(delivered);
    await results.record(delivered);
    await Promise.all([results.record(delivered), results.record(delivered)]);
    const rows = await results.readResults('redelivery', '2026-12-08', '2026-12-08');
    expect(rows).toHaveLength(1);
    expect(rows[0]?.counts.delivered).toBe(1);

    const key = await localPseudonymKey('test')();
    const marker = await table.doc.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: {
          ':pk': resultEventMarkerKey(resultEventKey('delivered:0100018c-aaaa', key)).pk,
        },
      }),
    );
    // The event with its dimensions, its id and run as keyed hashes: a run id may carry the customer's id.
    expect(marker.Items?.[0]).toMatchObject({
      itemType: 'result-event',
      event: {
        eventId: resultEventKey('delivered:0100018c-aaaa', key),
        runId: resultRunKey('run-1', key),
        kind: 'delivered',
        journeyId: 'redelivery',
        day: '2026-12-08',
      },
    });
    expect(JSON.stringify(marker.Items)).not.toContain('run-1');
    expect(marker.Items?.[0]?.expiresAt).toBeGreaterThan(Date.parse('2026-12-08T12:00:00Z') / 1000);
    expect(await results.getResultEvent('delivered:0100018c-aaaa')).toMatchObject({
      kind: 'delivered',
      dims: dims({ journeyId: 'redelivery' }),
    });
  });

  it('loses no count when many distinct events of one group are recorded at once', async () => {
    const customers = Array.from({ length: 40 }, (_, i) => `customer-key-${i}`);
    expect(new Set(customers.map(shardOf)).size).toBe(RESULT_SHARDS);
    await Promise.all(
      customers.flatMap((customerKey, i) => [
        results.record(
          event({
            eventId: `sent:concurrent-${i}`,
            customerKey,
            dims: dims({ journeyId: 'concurrent' }),
            costMicroUsd: { delivery: 100, orchestration: 3 },
          }),
        ),
        results.record(
          event({
            eventId: `skipped:concurrent-${i}`,
            kind: 'skipped',
            reason: i % 2 ? 'quiet-hours' : 'no-consent',
            customerKey,
            dims: dims({ journeyId: 'concurrent' }),
          }),
        ),
      ]),
    );
    const [row] = await results.readResults('concurrent', '2026-12-08', '2026-12-08');
    expect(row?.counts.sent).toBe(40);
    expect(row?.counts.skipped).toBe(40);
    expect(row?.skippedBy).toEqual({ 'quiet-hours': 20, 'no-consent': 20 });
    expect(row?.costMicroUsd).toEqual({ delivery: 4000, orchestration: 120 });
  });

  it('reads only the days of the window asked for, over pages', async () => {
    const days = ['2026-12-06', '2026-12-07', '2026-12-08', '2026-12-09'];
    for (const day of days) {
      // More groups per shard than a page holds: each shard's Query takes several pages.
      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          results.record(
            event({
              eventId: `planned:window-${day}-${i}`,
              kind: 'planned',
              at: `${day}T10:00:00.000Z`,
              customerKey: `k-${i}`,
              dims: dims({ journeyId: 'window', day, segment: `segment-${i % 10}` }),
            }),
          ),
        ),
      );
    }
    const rows = await results.readResults('window', '2026-12-07', '2026-12-08');
    expect(new Set(rows.map((row) => row.day))).toEqual(new Set(['2026-12-07', '2026-12-08']));
    expect(rows.reduce((sum, row) => sum + row.counts.planned, 0)).toBe(60);
    expect(await results.readResults('window', '2026-12-10', '2026-12-31')).toEqual([]);
  });

  it('keys customers by a keyed hash, never the id', async () => {
    const key = await results.customerKeyOf('customer-42');
    expect(key).not.toContain('customer-42');
    expect(key).toBe(resultCustomerKey('customer-42', await localPseudonymKey('test')()));
    expect(key).not.toBe(resultCustomerKey('customer-42', await localPseudonymKey('other')()));
  });
});
