/**
 * Running runs per position in the table (`#core/run-positions.ts`): the moves (`run-moves.ts`),
 * the take-off at a run's end (one transaction conditional on the position read a moment before: a
 * redelivered end takes nothing; then the end noted on the run's watch item, if it is there), and the
 * counts, one Query per shard.
 */
import {
  type DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { RunEnd } from '#core/ports.ts';
import {
  POSITION_SHARDS,
  type PositionChange,
  type RunPositionCounts,
  type RunPositionRecorder,
} from '#core/run-positions.ts';
import {
  DynamoRunMoves,
  isCancelled,
  MOVE_TRIES,
  positionCount,
  type RunItemView,
  runItemOf,
} from './run-moves.ts';
import { positionCountersPartition, runFailedIndexKey, runKey, runWatchKey } from './table-keys.ts';

export class DynamoRunPositions extends DynamoRunMoves implements RunPositionRecorder, RunPositionCounts {
  readonly #doc: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    super(doc, tableName);
    this.#doc = doc;
    this.#tableName = tableName;
  }

  async takeRunOff(customerId: string, runId: string, end: RunEnd): Promise<PositionChange> {
    let change: PositionChange = 'unchanged';
    let run = await runItemOf(this.#doc, this.#tableName, customerId, runId);
    for (let attempt = 1; run?.position !== undefined; attempt += 1) {
      const from = run.position;
      try {
        await this.#doc.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: this.#tableName,
                  Key: runKey(customerId, runId),
                  UpdateExpression: 'REMOVE #position',
                  ConditionExpression: '#position = :from',
                  ExpressionAttributeNames: { '#position': 'position' },
                  ExpressionAttributeValues: { ':from': from },
                },
              },
              positionCount(this.#tableName, run.journeyId ?? 'unknown', runId, from, -1),
            ],
          }),
        );
        change = 'moved';
        break;
      } catch (error) {
        if (!isCancelled(error) || attempt >= MOVE_TRIES) throw error;
        run = await runItemOf(this.#doc, this.#tableName, customerId, runId);
      }
    }
    if (run) await this.#noteEnd(customerId, run, runId, end);
    return change;
  }

  /**
   * Notes the end on the run's watch item: off the waking list, and a failed run onto the failed list.
   * An ended run's note changes only a watch item that is there; a failed run's is written whenever its
   * run item is there (it may have failed before its start placed it), in one transaction with that
   * check, so neither puts an item back in the partition of a customer erased before.
   */
  async #noteEnd(customerId: string, run: RunItemView, runId: string, end: RunEnd): Promise<void> {
    const failed = end.status === 'failed' || end.status === 'timed-out';
    const index = runFailedIndexKey(end.endedAt, runId);
    const watch = {
      TableName: this.#tableName,
      Key: runWatchKey(customerId, runId),
      ExpressionAttributeNames: { '#status': 'status' },
    };
    try {
      if (!failed) {
        await this.#doc.send(
          new UpdateCommand({
            ...watch,
            UpdateExpression: 'SET #status = :status, endedAt = :endedAt REMOVE nextWakeAt, gsi1pk, gsi1sk',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':status': end.status, ':endedAt': end.endedAt },
          }),
        );
        return;
      }
      await this.#doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: this.#tableName,
                Key: runKey(customerId, runId),
                ConditionExpression: 'attribute_exists(pk)',
              },
            },
            {
              Update: {
                ...watch,
                UpdateExpression:
                  'SET entity = :entity, runId = :runId, journeyId = :journeyId, customerId = :customerId, #status = :status, endedAt = :endedAt, gsi1pk = :gsi1pk, gsi1sk = :gsi1sk' +
                  `${run.executionArn ? ', executionArn = :executionArn' : ''} REMOVE nextWakeAt`,
                ExpressionAttributeValues: {
                  ':entity': 'run-watch',
                  ':runId': runId,
                  ':journeyId': run.journeyId ?? 'unknown',
                  ':customerId': customerId,
                  ':status': end.status,
                  ':endedAt': end.endedAt,
                  ':gsi1pk': index.gsi1pk,
                  ':gsi1sk': index.gsi1sk,
                  ...(run.executionArn ? { ':executionArn': run.executionArn } : {}),
                },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (!(error instanceof Error && /ConditionalCheckFailed|TransactionCanceled/.test(error.name)))
        throw error;
    }
  }

  async countsOf(journeyId: string): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    await Promise.all(
      Array.from({ length: POSITION_SHARDS }, async (_, shard) => {
        let startKey: Record<string, unknown> | undefined;
        do {
          const page = await this.#doc.send(
            new QueryCommand({
              TableName: this.#tableName,
              KeyConditionExpression: 'pk = :pk',
              ExpressionAttributeValues: { ':pk': positionCountersPartition(journeyId, shard) },
              ExclusiveStartKey: startKey,
            }),
          );
          for (const item of page.Items ?? []) {
            const running = Number(item.running ?? 0);
            counts[String(item.sk)] = (counts[String(item.sk)] ?? 0) + running;
          }
          startKey = page.LastEvaluatedKey;
        } while (startKey);
      }),
    );
    return counts;
  }
}
