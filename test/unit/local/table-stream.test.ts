import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { RESULT_EVENT_STREAM_FILTER } from '#application/result-event-stream.ts';
import { LocalTableStream, matchesFilter } from '#infra/local/table-stream.ts';

/** A client whose requests succeed without leaving the process (or fail, for the keys in `refuse`). */
function offlineClient(refuse: Set<string> = new Set()) {
  const client = new DynamoDBClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  client.middlewareStack.add(
    (_next, _context) => async (args) => {
      const pk = (args.input as { Item?: { pk?: { S?: string } } }).Item?.pk?.S ?? '';
      if (refuse.has(pk))
        throw Object.assign(new Error('condition'), { name: 'ConditionalCheckFailedException' });
      return { output: { $metadata: {} }, response: {} } as never;
    },
    { step: 'finalizeRequest', priority: 'high', name: 'offline' },
  );
  return client;
}

const marker = (id: string) => ({
  pk: { S: `RESULTEVENT#${id}` },
  sk: { S: 'RESULTEVENT' },
  itemType: { S: 'result-event' },
});
const put = (client: DynamoDBClient, item: Record<string, unknown>) =>
  client.send(new PutItemCommand({ TableName: 'klantreis-local-table', Item: item as never }));

function streamOver(consumer: (event: DynamoDBStreamEvent) => Promise<unknown>, batchSize = 100) {
  return new LocalTableStream({
    tableName: 'klantreis-local-table',
    keyNames: ['pk', 'sk'],
    region: 'eu-west-1',
    account: '000000000000',
    filter: RESULT_EVENT_STREAM_FILTER,
    consumer,
    batchSize,
  });
}

describe('LocalTableStream', () => {
  it('hands the consumer the puts its filter admits, after the write, as NEW_IMAGE inserts', async () => {
    const batches: DynamoDBStreamEvent[] = [];
    const stream = streamOver(async (event) => void batches.push(event));
    const client = offlineClient(new Set(['RESULTEVENT#refused']));
    stream.attach(client);
    await put(client, marker('a'));
    expect(batches).toEqual([]);
    await put(client, { pk: { S: 'CUSTOMER#c-1' }, sk: { S: 'PROFILE' }, itemType: { S: 'customer' } });
    await expect(put(client, marker('refused'))).rejects.toThrow('condition');
    await put(client, marker('b'));
    await stream.flush();
    const records = batches.flatMap((b) => b.Records);
    expect(records.map((r) => r.dynamodb?.NewImage?.pk?.S)).toEqual(['RESULTEVENT#a', 'RESULTEVENT#b']);
    expect(records[0]).toMatchObject({
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      dynamodb: {
        Keys: { pk: { S: 'RESULTEVENT#a' }, sk: { S: 'RESULTEVENT' } },
        StreamViewType: 'NEW_IMAGE',
      },
    });
  });

  it('hands a batch again from its earliest failure, as Lambda resumes a stream, and keeps what never succeeds', async () => {
    const seen: string[][] = [];
    const stream = streamOver(async (event) => {
      const ids = event.Records.map((r) => r.dynamodb?.NewImage?.pk?.S ?? '');
      seen.push(ids);
      // b fails once; d always.
      const failing = event.Records.filter((_, i) => {
        const id = ids[i];
        return id === 'RESULTEVENT#d' || (id === 'RESULTEVENT#b' && seen.length === 1);
      });
      return { batchItemFailures: failing.map((r) => ({ itemIdentifier: r.dynamodb?.SequenceNumber })) };
    });
    const client = offlineClient();
    stream.attach(client);
    await Promise.all(['a', 'b', 'c'].map((id) => put(client, marker(id))));
    await stream.flush();
    expect(seen).toEqual([
      ['RESULTEVENT#a', 'RESULTEVENT#b', 'RESULTEVENT#c'],
      ['RESULTEVENT#b', 'RESULTEVENT#c'],
    ]);
    await put(client, marker('d'));
    await stream.flush();
    expect(seen.slice(2)).toEqual([['RESULTEVENT#d'], ['RESULTEVENT#d'], ['RESULTEVENT#d']]);
    expect(stream.failures.map((r) => r.dynamodb?.NewImage?.pk?.S)).toEqual(['RESULTEVENT#d']);
  });
});

describe('LocalTableStream batching', () => {
  it('hands over a full batch at once and the rest on flush', async () => {
    const batches: string[][] = [];
    const stream = streamOver(async (event) => {
      batches.push(event.Records.map((r) => r.dynamodb?.NewImage?.pk?.S ?? ''));
    }, 2);
    const client = offlineClient();
    stream.attach(client);
    for (const id of ['a', 'b', 'c']) await put(client, marker(id));
    // The drain starts after the writer's own call has returned: one turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([['RESULTEVENT#a', 'RESULTEVENT#b']]);
    await stream.flush();
    expect(batches).toEqual([['RESULTEVENT#a', 'RESULTEVENT#b'], ['RESULTEVENT#c']]);
  });
});

describe('matchesFilter', () => {
  it('matches literal values and prefixes, every key, nested', () => {
    const pattern = {
      eventName: ['INSERT'],
      dynamodb: { NewImage: { pk: { S: [{ prefix: 'RESULTEVENT#' }] } } },
    };
    const record = (eventName: string, pk: string) => ({
      eventName,
      dynamodb: { NewImage: { pk: { S: pk } } },
    });
    expect(matchesFilter(pattern, record('INSERT', 'RESULTEVENT#x'))).toBe(true);
    expect(matchesFilter(pattern, record('MODIFY', 'RESULTEVENT#x'))).toBe(false);
    expect(matchesFilter(pattern, record('INSERT', 'CUSTOMER#x'))).toBe(false);
    expect(matchesFilter(pattern, { eventName: 'INSERT' })).toBe(false);
  });
});
