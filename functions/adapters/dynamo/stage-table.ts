/**
 * The stage table as every repository in this folder reads and writes it: keys from `table-keys.ts`;
 * every item carries an `entity` attribute so a partition read (the export) can tell the kinds apart,
 * and every item read back is parsed, not cast (`table-items.ts`).
 *
 * Its writes are single items (a body without its metadata is never read); the repositories that must
 * change several items at once (results, run moves, call capacity) use TransactWriteItems themselves.
 */
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Clock } from '#core/ports.ts';
import type { PseudonymKeySource } from '../pseudonym-key-source.ts';
import { systemClock } from '../system-clock.ts';
import { coalescedReadsOf } from './coalesced-reads.ts';
import { HAND_OVER_ENTITY } from './hand-over-items.ts';
import { definedOnly, type StoredItem } from './table-items.ts';
import { isoKeyTime } from './table-keys.ts';

export interface DynamoRepositoryOptions {
  /** Days a message body is kept after it was sent (stage config); 0 stores no bodies. Default 30. */
  bodyRetentionDays?: number;
  /**
   * Days an idempotency record is kept. Default 400: longer than a Standard Step Functions
   * execution can live (one year) plus its redrive window, so no retry can outlive its record.
   */
  idempotencyRetentionDays?: number;
  /** Decides which bodies count as expired on read; the local runtime passes its simulated clock. */
  clock?: Clock;
  /**
   * The stage's pseudonym key (`pseudonym-key.ts`): keys suppression entries and erasure records.
   * Without it those operations fail; the rest of the repository works.
   */
  pseudonymKey?: PseudonymKeySource;
  /** Days an erasure record is kept (the send pipeline refuses the customer meanwhile). Default 7. */
  erasureRetentionDays?: number;
}

export const Entity = {
  profile: 'profile',
  event: 'event',
  timeline: 'timeline',
  timelineBody: 'timeline-body',
  subject: 'subject',
  run: 'run',
  send: 'send',
  suppression: 'suppression',
  erasure: 'erasure',
  emailIndex: 'email-index',
  hold: 'hold',
  handOver: HAND_OVER_ENTITY.record,
  handOverInbox: HAND_OVER_ENTITY.inbox,
  /** The operators' watch on a run (`run-moves.ts`): its position and wake, for the gsi1 lists. */
  runWatch: 'run-watch',
  /** A short link of an SMS message (`short-links.ts`): its code, target and message. */
  shortLink: 'short-link',
  /** A letter to post (`letters.ts`): its text, recipient and pay details, until the posting run takes it. */
  letter: 'letter',
  /** The call one step reserved in the contact centre's hours (`call-capacity.ts`): its hour and time. */
  callReservation: 'call-reservation',
} as const;

const SECONDS_PER_DAY = 86_400;

/** Returns epoch seconds `days` after `from`, the unit DynamoDB TTL expects. */
export function expiresAfter(from: Date | string, days: number): number {
  return Math.floor(new Date(isoKeyTime(from)).getTime() / 1000) + days * SECONDS_PER_DAY;
}

/** The table's item reads and writes every repository here shares: consistent reads, plain puts, whole queries. */
export class StageTable {
  readonly #doc: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #clock: Clock;

  constructor(doc: DynamoDBDocumentClient, tableName: string, clock: Clock = systemClock) {
    this.#doc = doc;
    this.#tableName = tableName;
    this.#clock = clock;
  }

  nowSeconds(): number {
    return Math.floor(this.#clock.now().getTime() / 1000);
  }

  /**
   * Strongly consistent: profile, subject, claim and suppression reads decide whether a message goes
   * out. Reads made in the same turn go out together (`coalesced-reads.ts`).
   */
  get(key: { pk: string; sk: string }): Promise<StoredItem | undefined> {
    return coalescedReadsOf(this.#doc, this.#tableName).get(key);
  }

  async put(item: StoredItem): Promise<void> {
    await this.#doc.send(new PutCommand({ TableName: this.#tableName, Item: definedOnly(item) }));
  }

  /** Returns every item matching the query, in sort-key order, following pagination. */
  async queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<StoredItem[]> {
    const items: StoredItem[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.#doc.send(
        new QueryCommand({
          ...input,
          TableName: this.#tableName,
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  /** Writes one batch, retrying unprocessed requests with a short backoff. */
  async batchWrite(requests: Array<{ DeleteRequest: { Key: Record<string, unknown> } }>): Promise<void> {
    let pending = requests;
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt > 0) {
        if (attempt > 8) throw new Error('batch write: requests still unprocessed after retries');
        await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
      const result = await this.#doc.send(
        new BatchWriteCommand({ RequestItems: { [this.#tableName]: pending } }),
      );
      pending = (result.UnprocessedItems?.[this.#tableName] ?? []) as typeof pending;
    }
  }
}

/**
 * A repository over the stage table: the document client and table name for its own commands, and the
 * stage table's shared reads and clock (`StageTable`). Each aggregate's repository extends it.
 */
export abstract class StageTableRepository {
  protected readonly doc: DynamoDBDocumentClient;
  protected readonly tableName: string;
  protected readonly table: StageTable;

  constructor(doc: DynamoDBDocumentClient, tableName: string, options: DynamoRepositoryOptions = {}) {
    this.doc = doc;
    this.tableName = tableName;
    this.table = new StageTable(doc, tableName, options.clock);
  }
}
