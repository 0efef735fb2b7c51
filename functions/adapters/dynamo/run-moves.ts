/**
 * Where running runs are, in the table (`#core/run-positions.ts`): the moves the steps and the starters
 * make. A move is one TransactWriteItems: the run item's `position` (conditional on the position read
 * a moment before, and on the run still running), the count taken off the old position, the count
 * added to the new one, and the run's watch item with its next wake. Of two tries of the same move
 * (a retried step) the second finds the run there already and writes nothing; of two racing moves the
 * condition lets one through, and the other reads again. Kept apart from the reads and the take-off
 * (`run-positions.ts`), so the step's bundle carries only this.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import {
  type PositionChange,
  positionKey,
  type RunMove,
  type RunPositionRecorder,
  shardOf,
} from '#core/run-positions.ts';
import { positionCounterKey, runKey, runWakingIndexKey, runWatchKey } from './table-keys.ts';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Tries of a move whose transaction another write got in the way of (re-read each time). */
export const MOVE_TRIES = 4;

/** What the run item says of the run's place. */
export interface RunItemView {
  status?: string;
  /** Where the run is counted (`positionKey`); the step's own `currentStep` and `nextWakeAt` inform people. */
  position?: string;
  executionArn?: string;
  journeyId?: string;
}

/** Whether a transaction was refused because a condition or a concurrent write stood in its way. */
export function isCancelled(error: unknown): boolean {
  return error instanceof Error && error.name === 'TransactionCanceledException';
}

/** Returns the run item as a consistent read sees it (undefined: no such run, or erased). */
export async function runItemOf(
  doc: DynamoDBDocumentClient,
  tableName: string,
  customerId: string,
  runId: string,
): Promise<RunItemView | undefined> {
  const { Item } = await doc.send(
    new GetCommand({ TableName: tableName, Key: runKey(customerId, runId), ConsistentRead: true }),
  );
  return Item as RunItemView | undefined;
}

/** The count of a position moved by `delta` (never below zero: a take-off needs a count to take). */
export function positionCount(
  tableName: string,
  journeyId: string,
  runId: string,
  position: string,
  delta: 1 | -1,
): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: positionCounterKey(journeyId, shardOf(runId), position),
      UpdateExpression: 'ADD #running :delta SET journeyId = :journeyId, entity = :entity',
      ...(delta < 0 ? { ConditionExpression: '#running > :zero' } : {}),
      ExpressionAttributeNames: { '#running': 'running' },
      ExpressionAttributeValues: {
        ':delta': delta,
        ':journeyId': journeyId,
        ':entity': 'run-position-count',
        ...(delta < 0 ? { ':zero': 0 } : {}),
      },
    },
  };
}

export class DynamoRunMoves implements Pick<RunPositionRecorder, 'moveRun'> {
  readonly #doc: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#doc = doc;
    this.#tableName = tableName;
  }

  async moveRun(move: RunMove): Promise<PositionChange> {
    const to = positionKey(move.to);
    for (let attempt = 1; ; attempt += 1) {
      const run = await runItemOf(this.#doc, this.#tableName, move.customerId, move.runId);
      if (run?.status !== 'running') return 'unchanged';
      const from = run.position;
      if (move.onlyIfUnplaced && from !== undefined) return 'unchanged';
      const items: TransactItem[] = [
        from === to
          ? {
              // Same place, perhaps a new wake: only the watch item changes, while the run is there.
              ConditionCheck: {
                TableName: this.#tableName,
                Key: runKey(move.customerId, move.runId),
                ConditionExpression: '#status = :running AND #position = :to',
                ExpressionAttributeNames: { '#status': 'status', '#position': 'position' },
                ExpressionAttributeValues: { ':to': to, ':running': 'running' },
              },
            }
          : {
              Update: {
                TableName: this.#tableName,
                Key: runKey(move.customerId, move.runId),
                UpdateExpression: 'SET #position = :to',
                ConditionExpression: `#status = :running AND ${from === undefined ? 'attribute_not_exists(#position)' : '#position = :from'}`,
                ExpressionAttributeNames: { '#status': 'status', '#position': 'position' },
                ExpressionAttributeValues: {
                  ':to': to,
                  ':running': 'running',
                  ...(from === undefined ? {} : { ':from': from }),
                },
              },
            },
      ];
      if (from !== to) {
        if (from !== undefined)
          items.push(positionCount(this.#tableName, move.journeyId, move.runId, from, -1));
        items.push(positionCount(this.#tableName, move.journeyId, move.runId, to, 1));
      }
      items.push({
        Put: {
          TableName: this.#tableName,
          Item: {
            ...runWatchKey(move.customerId, move.runId),
            ...(move.nextWakeAt === null
              ? {}
              : runWakingIndexKey(shardOf(move.runId), move.nextWakeAt, move.runId)),
            entity: 'run-watch',
            runId: move.runId,
            journeyId: move.journeyId,
            customerId: move.customerId,
            status: 'running',
            position: to,
            ...(move.nextWakeAt === null ? {} : { nextWakeAt: move.nextWakeAt }),
            ...(run.executionArn ? { executionArn: run.executionArn } : {}),
          },
        },
      });
      try {
        await this.#doc.send(new TransactWriteCommand({ TransactItems: items }));
        return from === to ? 'unchanged' : 'moved';
      } catch (error) {
        // Moved by another try meanwhile, or a write on the same counter in the way: read again.
        if (!isCancelled(error) || attempt >= MOVE_TRIES) throw error;
      }
    }
  }
}
