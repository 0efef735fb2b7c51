/**
 * The operators' lists from the run watch items (`run-positions.ts` writes them with each move
 * and at each end): failed runs by the day they ended, running runs by their next wake. Each is a
 * Query of gsi1 per day or per shard.
 */
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { tableDesign } from '#catalog/table-design.ts';
import { POSITION_SHARDS, type RunWatchReader, type WatchedRun } from '#core/run-positions.ts';
import { isoKeyTime, RUNS_FAILED, RUNS_WAKING } from './table-keys.ts';

const DAY_MS = 86_400_000;

function watchedRunOf(item: Record<string, unknown>): WatchedRun {
  const text = (key: string) => (typeof item[key] === 'string' ? (item[key] as string) : undefined);
  const optional = (key: string) => {
    const value = text(key);
    return value === undefined ? {} : { [key]: value };
  };
  return {
    runId: text('runId') ?? '',
    journeyId: text('journeyId') ?? '',
    customerId: text('customerId') ?? '',
    status: text('status') ?? 'running',
    ...optional('position'),
    ...optional('nextWakeAt'),
    ...optional('endedAt'),
    ...optional('executionArn'),
  };
}

export class DynamoRunWatch implements RunWatchReader {
  readonly #doc: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#doc = doc;
    this.#tableName = tableName;
  }

  async #query(partition: string, limit: number, options: { before?: string; newestFirst?: boolean }) {
    const { gsi1 } = tableDesign;
    const page = await this.#doc.send(
      new QueryCommand({
        TableName: this.#tableName,
        IndexName: gsi1.indexName,
        KeyConditionExpression: options.before ? '#pk = :pk AND #sk < :before' : '#pk = :pk',
        ExpressionAttributeNames: {
          '#pk': gsi1.partitionKey,
          ...(options.before ? { '#sk': gsi1.sortKey } : {}),
        },
        ExpressionAttributeValues: {
          ':pk': partition,
          ...(options.before ? { ':before': options.before } : {}),
        },
        ScanIndexForward: !options.newestFirst,
        Limit: limit,
      }),
    );
    return (page.Items ?? []).map(watchedRunOf);
  }

  async failedRuns(fromDay: string, toDay: string, limit: number): Promise<WatchedRun[]> {
    const found: WatchedRun[] = [];
    for (
      let day = Date.parse(`${toDay}T00:00:00Z`);
      day >= Date.parse(`${fromDay}T00:00:00Z`);
      day -= DAY_MS
    ) {
      if (found.length >= limit) break;
      const partition = `${RUNS_FAILED}${new Date(day).toISOString().slice(0, 10)}`;
      found.push(...(await this.#query(partition, limit - found.length, { newestFirst: true })));
    }
    return found;
  }

  async overdueRuns(before: Date, limit: number): Promise<WatchedRun[]> {
    const shards = await Promise.all(
      Array.from({ length: POSITION_SHARDS }, (_, shard) =>
        this.#query(`${RUNS_WAKING}${shard}`, limit, { before: isoKeyTime(before) }),
      ),
    );
    return shards
      .flat()
      .sort((a, b) => (a.nextWakeAt ?? '').localeCompare(b.nextWakeAt ?? ''))
      .slice(0, limit);
  }
}
