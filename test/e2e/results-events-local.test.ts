/**
 * The local results pipeline: a marker item written to the table reaches the local delivery stream
 * through the same stream filter and feed handler as on AWS, and lands as its analysis record, one
 * JSON line, under `day=YYYY-MM-DD/` of the run's folder — nothing else written to the table does.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultEventRecordOf } from '#core/result-event-record.ts';
import type { LocalStack } from '#infra/local/runtime.ts';
import { startE2eStack } from '../fixtures/e2e.ts';
import { goalEvent, markerItemOf, sentEvent } from '../fixtures/result-events.ts';

let stack: LocalStack;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'klantreis-results-events-'));
  stack = await startE2eStack({ resultEventsDir: dir });
});
afterAll(async () => {
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Puts an item as the recorder puts a marker: only when none with its key exists. */
const putOnce = (item: Record<string, unknown>) =>
  stack.dynamoClient.send(
    new PutItemCommand({
      TableName: stack.tableName,
      Item: marshall(item, { removeUndefinedValues: true }),
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );

/** Returns the lines of every file under the folder, by partition folder. */
async function linesByPartition(): Promise<Record<string, string[]>> {
  const found: Record<string, string[]> = {};
  for (const partition of await readdir(dir)) {
    for (const file of await readdir(join(dir, partition))) {
      expect(file).toMatch(/\.jsonl$/);
      const text = await readFile(join(dir, partition, file), 'utf8');
      found[partition] = [...(found[partition] ?? []), ...text.split('\n').filter(Boolean)];
    }
  }
  return found;
}

describe('local results events', () => {
  it('writes each counted event once, as its analysis record, in the partition of its own day', async () => {
    await putOnce(markerItemOf(goalEvent));
    // Through the document client too, as the repository writes: the stream sees the marshalled item.
    await DynamoDBDocumentClient.from(stack.dynamoClient).send(
      new PutCommand({ TableName: stack.tableName, Item: markerItemOf(sentEvent) }),
    );
    // A second record of the same event fails the recorder's condition: nothing more is shipped.
    await expect(putOnce(markerItemOf(goalEvent))).rejects.toThrow(/conditional/i);
    // The rest of the table's traffic never reaches the feed.
    await putOnce({ pk: 'CUSTOMER#c-1', sk: 'PROFILE', itemType: 'customer', name: 'not shipped' });
    await stack.resultEvents.stream.flush();

    expect(await linesByPartition()).toEqual({
      'day=2026-12-20': [JSON.stringify(resultEventRecordOf(goalEvent))],
      'day=2026-12-19': [JSON.stringify(resultEventRecordOf(sentEvent))],
    });
    expect(stack.resultEvents.stream.failures).toEqual([]);
    expect(stack.tableAccessDenied).toEqual([]);
  });

  it('keeps an unreadable marker out of the files and where the dead-letter queue would hold it', async () => {
    const broken = {
      ...markerItemOf({ ...sentEvent, eventId: 'sent:broken' }),
      event: { eventId: 'sent:broken' },
    };
    await putOnce(broken);
    await stack.resultEvents.stream.flush();
    expect(stack.resultEvents.stream.failures.map((r) => r.dynamodb?.NewImage?.pk?.S)).toEqual([
      'RESULTEVENT#sent:broken',
    ]);
    expect(Object.values(await linesByPartition()).flat()).toHaveLength(2);
  });
});
