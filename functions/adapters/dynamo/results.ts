/**
 * The results model on the stage table (`functions/core/results.ts` describes the items).
 *
 * `record` is ONE TransactWriteItems: a Put of the event's marker item on the condition that none
 * exists, and an UpdateItem that ADDs the event's numbers to its aggregate item (its dimension
 * attributes set with `if_not_exists`). A second record of the same event fails the condition, so the
 * transaction is cancelled as a whole and nothing is counted twice; a crash cannot leave a marker
 * without its count or a count without its marker. Two transactions on the same aggregate item at the
 * same moment may cancel each other (`TransactionConflict`): the loser tries again, a few times.
 *
 * `readResults` is one Query per shard on the sort key between two days, paged, the shards summed.
 */

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  Clock,
  CustomerKeys,
  ResultEventLookup,
  ResultsReader,
  ResultsRecorder,
  RunResultsRepository,
} from '#core/ports.ts';
import {
  type AttributedMessage,
  aggregateDayRange,
  aggregateKey,
  aggregatePartitionKey,
  checkResultEvent,
  dimensionAttributesOf,
  flatResultEvent,
  incrementsOf,
  RESULT_ITEM_TYPE,
  RESULT_SHARDS,
  type ResultEvent,
  type ResultRow,
  type RunOutcome,
  resultEventFromFlat,
  resultEventMarkerKey,
  rowsFrom,
  shardOf,
} from '#core/results.ts';
import { RunOutcomeSchema, RunResultContextSchema } from '#core/run-outcome-schema.ts';
import { noPseudonymKey, type PseudonymKeySource } from '../pseudonym-key-source.ts';
import { systemClock } from '../system-clock.ts';
import { keyedHash, runKey } from './table-keys.ts';

const SECONDS_PER_DAY = 86_400;
/**
 * Long enough for any provider's redelivery and a step's retries, and for the late opens and clicks
 * of a message to find its `sent` event's dimensions; the pipeline has read it long before.
 */
export const DEFAULT_MARKER_RETENTION_DAYS = 35;
export const DEFAULT_RESULTS_RETENTION_DAYS = 400;
/** The run item's attributes that hold its result context (`RunResultContext`). */
const CONTEXT_ATTRIBUTES = {
  segment: 'resultSegment',
  experimentId: 'resultExperimentId',
  arm: 'resultArm',
  lastMessage: 'resultLastMessage',
} as const;
/** Tries of a transaction another one on the same aggregate item cancelled. */
const CONFLICT_TRIES = 8;

export interface DynamoResultsOptions {
  /** Keys `customerKeyOf` (the stage's pseudonym key). */
  pseudonymKey?: PseudonymKeySource;
  /** Days an aggregate item is kept after its day (the stage's `resultsRetentionDays`). */
  resultsRetentionDays?: number;
  /** Days a marker item is kept after its event: a redelivery within them counts nothing. */
  markerRetentionDays?: number;
  clock?: Clock;
  /** Waits between tries after a conflict; tests pass one that does not sleep. */
  pause?: (ms: number) => Promise<void>;
  /** Items per Query page (DynamoDB's own 1 MB pages when absent); tests set it small to page. */
  queryPageSize?: number;
}

export class DynamoResults implements ResultsRecorder, CustomerKeys, RunResultsRepository {
  protected readonly doc: DynamoDBDocumentClient;
  protected readonly tableName: string;
  protected readonly pseudonymKey: PseudonymKeySource;
  readonly #resultsRetentionDays: number;
  readonly #markerRetentionDays: number;
  readonly #clock: Clock;
  readonly #pause: (ms: number) => Promise<void>;
  protected readonly queryPageSize: number | undefined;

  constructor(doc: DynamoDBDocumentClient, tableName: string, options: DynamoResultsOptions = {}) {
    this.doc = doc;
    this.tableName = tableName;
    this.pseudonymKey = options.pseudonymKey ?? noPseudonymKey;
    this.#resultsRetentionDays = options.resultsRetentionDays ?? DEFAULT_RESULTS_RETENTION_DAYS;
    this.#markerRetentionDays = options.markerRetentionDays ?? DEFAULT_MARKER_RETENTION_DAYS;
    this.#clock = options.clock ?? systemClock;
    this.#pause = options.pause ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.queryPageSize = options.queryPageSize;
  }

  async customerKeyOf(customerId: string): Promise<string> {
    return resultCustomerKey(customerId, await this.pseudonymKey());
  }

  async record(event: ResultEvent): Promise<void> {
    checkResultEvent(event);
    const command = new TransactWriteCommand({
      TransactItems: this.#transactItems(await this.#pseudonymous(event)),
    });
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.doc.send(command);
        return;
      } catch (error) {
        const reasons = cancellationCodes(error);
        // The marker's condition: this event was counted before.
        if (reasons?.[0] === 'ConditionalCheckFailed') return;
        const conflict =
          reasons?.includes('TransactionConflict') || isNamed(error, 'TransactionConflictException');
        if (!conflict || attempt >= CONFLICT_TRIES) throw error;
        await this.#pause(Math.floor(20 * 2 ** attempt * (0.5 + Math.random() / 2)));
      }
    }
  }

  // --- RunResultsRepository: attributes of the run item (`RUN#<runId>` in the customer's partition).

  async getRunResults(customerId: string, runId: string) {
    const { Item: item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: runKey(customerId, runId), ConsistentRead: true }),
    );
    if (!item || typeof item.journeyId !== 'string' || typeof item.startedAt !== 'string') return undefined;
    const context = RunResultContextSchema.safeParse(
      Object.fromEntries(
        Object.entries(CONTEXT_ATTRIBUTES).map(([field, attribute]) => [field, item[attribute]]),
      ),
    );
    const outcome = RunOutcomeSchema.safeParse(item.outcome);
    return {
      journeyId: item.journeyId,
      startedAt: item.startedAt,
      context: context.success ? context.data : {},
      ...(outcome.success ? { outcome: outcome.data } : {}),
    };
  }

  async noteRunResults(
    customerId: string,
    runId: string,
    note: { segment?: string; experimentId?: string; arm?: string; message?: AttributedMessage },
  ): Promise<void> {
    const sets: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    for (const [field, attribute] of Object.entries(CONTEXT_ATTRIBUTES)) {
      const value =
        field === 'lastMessage' ? note.message : note[field as 'segment' | 'experimentId' | 'arm'];
      if (!value) continue;
      names[`#${field}`] = attribute;
      values[`:${field}`] = value;
      sets.push(`#${field} = :${field}`);
    }
    if (sets.length === 0) return;
    let condition = 'attribute_exists(pk)';
    if (note.message) {
      names['#at'] = 'at';
      values[':at'] = note.message.at;
      // A later message is never replaced by an earlier one (a retried or late step).
      condition += ' AND (attribute_not_exists(#lastMessage) OR #lastMessage.#at <= :at)';
    }
    await this.#update(customerId, runId, {
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
  }

  async recordRunOutcome(
    customerId: string,
    runId: string,
    outcome: RunOutcome,
  ): Promise<RunOutcome | undefined> {
    const recorded = await this.#update(customerId, runId, {
      UpdateExpression: 'SET #outcome = :outcome',
      // The first outcome wins; an outcome never creates a run (one erased meanwhile stays erased).
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#outcome)',
      ExpressionAttributeNames: { '#outcome': 'outcome' },
      ExpressionAttributeValues: { ':outcome': outcome },
    });
    if (recorded) return outcome;
    return (await this.getRunResults(customerId, runId))?.outcome;
  }

  /** Returns false when the condition failed. */
  async #update(
    customerId: string,
    runId: string,
    expression: Pick<
      ConstructorParameters<typeof UpdateCommand>[0],
      'UpdateExpression' | 'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
    >,
  ): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({ TableName: this.tableName, Key: runKey(customerId, runId), ...expression }),
      );
      return true;
    } catch (error) {
      if (isNamed(error, 'ConditionalCheckFailedException')) return false;
      throw error;
    }
  }

  /**
   * Returns the event as its marker keeps it: its id and its run's as keyed hashes, since a run id may
   * carry the customer's id (a starter's idempotency key) and an erasure must leave nothing naming them.
   */
  async #pseudonymous(event: ResultEvent): Promise<ResultEvent> {
    const key = await this.pseudonymKey();
    return { ...event, eventId: resultEventKey(event.eventId, key), runId: resultRunKey(event.runId, key) };
  }

  #transactItems(event: ResultEvent) {
    const marker = {
      ...resultEventMarkerKey(event.eventId),
      itemType: RESULT_ITEM_TYPE.marker,
      event: flatResultEvent(event),
      expiresAt: epochSecondsAfter(
        Math.max(Date.parse(event.at), this.#clock.now().getTime()),
        this.#markerRetentionDays,
      ),
    };
    const names: Record<string, string> = { '#itemType': 'itemType', '#expiresAt': 'expiresAt' };
    const values: Record<string, unknown> = {
      ':itemType': RESULT_ITEM_TYPE.aggregate,
      // Kept for the retention after its day: every item of a day expires together.
      ':expiresAt': epochSecondsAfter(
        Date.parse(`${event.dims.day}T00:00:00.000Z`),
        this.#resultsRetentionDays + 1,
      ),
    };
    const sets = ['#itemType = :itemType', '#expiresAt = :expiresAt'];
    Object.entries(dimensionAttributesOf(event.dims)).forEach(([name, value], i) => {
      names[`#d${i}`] = name;
      values[`:d${i}`] = value;
      sets.push(`#d${i} = if_not_exists(#d${i}, :d${i})`);
    });
    const adds = Object.entries(incrementsOf(event)).map(([name, value], i) => {
      names[`#c${i}`] = name;
      values[`:c${i}`] = value;
      return `#c${i} :c${i}`;
    });
    return [
      {
        Put: {
          TableName: this.tableName,
          Item: marker,
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Update: {
          TableName: this.tableName,
          Key: aggregateKey(event.dims, shardOf(event.customerKey)),
          UpdateExpression: `SET ${sets.join(', ')} ADD ${adds.join(', ')}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      },
    ];
  }
}

/**
 * The recorder with the reads of what it recorded: the reports' rows and a counted event's marker.
 * Apart from `DynamoResults`, so the step's bundle (which only records) carries none of it.
 */
export class DynamoResultsStore extends DynamoResults implements ResultsReader, ResultEventLookup {
  async readResults(journeyId: string, fromDay: string, toDay: string): Promise<ResultRow[]> {
    const range = aggregateDayRange(fromDay, toDay);
    const shards = Array.from({ length: RESULT_SHARDS }, (_, shard) => shard);
    const pages = await Promise.all(
      shards.map((shard) =>
        this.#queryAll({
          TableName: this.tableName,
          ...(this.queryPageSize ? { Limit: this.queryPageSize } : {}),
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': aggregatePartitionKey(journeyId, shard),
            ':from': range.from,
            ':to': range.to,
          },
        }),
      ),
    );
    return rowsFrom(pages.flat());
  }

  async getResultEvent(eventId: string): Promise<ResultEvent | undefined> {
    const { Item: item } = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: resultEventMarkerKey(resultEventKey(eventId, await this.pseudonymKey())),
        ConsistentRead: true,
      }),
    );
    const event = item?.event;
    return event && typeof event === 'object'
      ? resultEventFromFlat(event as Record<string, unknown>)
      : undefined;
  }

  async #queryAll(input: QueryCommandInput): Promise<Array<Record<string, unknown>>> {
    const items: Array<Record<string, unknown>> = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }
}

/** Returns the pseudonymous customer key of result events: an HMAC of the id, in its own domain. */
export function resultCustomerKey(customerId: string, pseudonymKey: string): string {
  return keyedHash(`result-customer\n${customerId}`, pseudonymKey).slice(0, 32);
}

/** Returns the key a result event's marker is kept under: an HMAC of its id (`RESULTEVENT#<key>`). */
export function resultEventKey(eventId: string, pseudonymKey: string): string {
  return keyedHash(`result-event\n${eventId}`, pseudonymKey).slice(0, 40);
}

/** Returns the run key a marker's event carries instead of the run id: an HMAC of the id. */
export function resultRunKey(runId: string, pseudonymKey: string): string {
  return keyedHash(`result-run\n${runId}`, pseudonymKey).slice(0, 32);
}

function epochSecondsAfter(fromMs: number, days: number): number {
  return Math.floor(fromMs / 1000) + days * SECONDS_PER_DAY;
}

function isNamed(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}

/** The per-item codes of a cancelled transaction (`None` for an item that was not the cause). */
function cancellationCodes(error: unknown): string[] | undefined {
  if (!isNamed(error, 'TransactionCanceledException')) return undefined;
  const reasons = (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons;
  return reasons?.map((reason) => reason.Code ?? 'None');
}
