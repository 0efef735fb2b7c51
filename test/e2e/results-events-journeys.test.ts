/**
 * The local results events are the counted events: after payment reminders have run (sends,
 * deliveries, opens, a payment), the JSON lines under `day=YYYY-MM-DD/` are exactly the analysis
 * records of the recorder's marker items in the table — each once, each in its own day's folder.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerProfile } from '#core/customer.ts';
import { resultEventLineOf, resultEventRecordOf } from '#core/result-event-record.ts';
import { type FlatResultEvent, RESULT_ITEM_TYPE } from '#core/results.ts';
import { demoInvoice, seedCustomers, startPaymentReminder } from '#infra/local/demo.ts';
import type { LocalStack } from '#infra/local/runtime.ts';
import { amsterdam, simulationStart, startE2eStack } from '../fixtures/e2e.ts';

const customers: CustomerProfile[] = [
  { ...amsterdam, id: 'rev-email', name: { given: 'Anna' }, email: 'anna@example.nl' },
  {
    ...amsterdam,
    id: 'rev-sms',
    name: { given: 'Bas' },
    phone: '+31612345672',
    preferences: { channel: 'sms' },
  },
  { ...amsterdam, id: 'rev-none', name: { given: 'Cor' } },
];

let stack: LocalStack;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'klantreis-results-journeys-'));
  stack = await startE2eStack({ resultEventsDir: dir, emailOpeners: ['anna@example.nl'] });
  await seedCustomers(stack, customers);
  for (const [i, customer] of customers.entries()) {
    const started = await startPaymentReminder(stack, customer.id, demoInvoice(customer, i, simulationStart));
    expect(started.status, JSON.stringify(started.body)).toBe(201);
  }
  await stack.engine.whenIdle();
  await stack.feedback.flush();
  await stack.resultEvents.stream.flush();
});
afterAll(async () => {
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** The marker items of the table: what the recorder counted. */
async function countedEvents(): Promise<FlatResultEvent[]> {
  const events: FlatResultEvent[] = [];
  let start: Record<string, never> | undefined;
  do {
    const page = await stack.dynamoClient.send(
      new ScanCommand({ TableName: stack.tableName, ExclusiveStartKey: start }),
    );
    for (const item of (page.Items ?? []).map((i) => unmarshall(i))) {
      if (item.itemType === RESULT_ITEM_TYPE.marker) events.push(item.event as FlatResultEvent);
    }
    start = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (start);
  return events;
}

describe('local results events after journeys', () => {
  it('are the analysis records of exactly the counted events, each once, under its own day', async () => {
    const counted = await countedEvents();
    expect(counted.length).toBeGreaterThan(customers.length);
    const files: Record<string, string[]> = {};
    for (const partition of await readdir(dir)) {
      for (const file of await readdir(join(dir, partition))) {
        const lines = (await readFile(join(dir, partition, file), 'utf8')).split('\n').filter(Boolean);
        files[partition] = [...(files[partition] ?? []), ...lines];
      }
    }
    const expected: Record<string, string[]> = {};
    for (const event of counted) {
      const record = resultEventRecordOf(event);
      const partition = `day=${record.day}`;
      expected[partition] = [...(expected[partition] ?? []), resultEventLineOf(record)];
    }
    expect(Object.keys(files).sort()).toEqual(Object.keys(expected).sort());
    for (const [partition, lines] of Object.entries(expected))
      expect(files[partition]?.sort()).toEqual(lines.sort());
    expect(stack.resultEvents.stream.failures).toEqual([]);
    expect(stack.tableAccessDenied).toEqual([]);
  });
});
