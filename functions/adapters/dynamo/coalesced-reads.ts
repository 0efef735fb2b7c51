/**
 * Consistent item reads made in the same turn go to DynamoDB as one request: a step checks
 * suppression under two keys, reads the profile, the subject and the holds side by side, and each
 * read alone is a round trip (and, in the local runtime, a whole request through the SDK and the
 * emulator). Reads issued before the turn ends are gathered (as DataLoader gathers them: after the
 * promise jobs of the current tick) and sent as one BatchGetItem with `ConsistentRead`, which reads
 * exactly what the single GetItems would; a lone read stays a GetItem. The `dataloader` package does
 * this too, with a per-key cache and an API the reads here do not need; this is the part they use.
 */
import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { StoredItem } from './table-items.ts';

type Key = { pk: string; sk: string };

interface PendingRead {
  key: Key;
  resolve(item: StoredItem | undefined): void;
  reject(error: unknown): void;
}

/** BatchGetItem takes at most 100 keys. */
const BATCH_GET_LIMIT = 100;
/** Attempts at keys DynamoDB leaves unprocessed (throttled) before the reads fail. */
const UNPROCESSED_ATTEMPTS = 8;

const keyId = (key: Key) => `${key.pk}\n${key.sk}`;

export class CoalescedReads {
  readonly #doc: DynamoDBDocumentClient;
  readonly #tableName: string;
  #pending: PendingRead[] = [];

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#doc = doc;
    this.#tableName = tableName;
  }

  /** Reads the item (strongly consistent), together with the other reads of this turn. */
  get(key: Key): Promise<StoredItem | undefined> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ key, resolve, reject });
      if (this.#pending.length === 1) {
        // After the promise jobs already queued: reads a Promise.all starts land in the same batch.
        void Promise.resolve().then(() => process.nextTick(() => void this.#dispatch()));
      }
    });
  }

  async #dispatch(): Promise<void> {
    const reads = this.#pending;
    this.#pending = [];
    const [single] = reads;
    if (reads.length === 1 && single) {
      try {
        const result = await this.#doc.send(
          new GetCommand({ TableName: this.#tableName, Key: single.key, ConsistentRead: true }),
        );
        single.resolve(result.Item);
      } catch (error) {
        single.reject(error);
      }
      return;
    }
    const unique = [...new Map(reads.map((read) => [keyId(read.key), read.key])).values()];
    for (let start = 0; start < unique.length; start += BATCH_GET_LIMIT) {
      const keys = unique.slice(start, start + BATCH_GET_LIMIT);
      const ids = new Set(keys.map(keyId));
      const waiting = reads.filter((read) => ids.has(keyId(read.key)));
      try {
        const found = await this.#batchGet(keys);
        for (const read of waiting) read.resolve(found.get(keyId(read.key)));
      } catch (error) {
        for (const read of waiting) read.reject(error);
      }
    }
  }

  /** Returns the items found under the keys (absent keys have none), retrying unprocessed keys with a short backoff. */
  async #batchGet(keys: Key[]): Promise<Map<string, StoredItem>> {
    const found = new Map<string, StoredItem>();
    let pending: Key[] = keys;
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt > 0) {
        if (attempt >= UNPROCESSED_ATTEMPTS)
          throw new Error('batch get: keys still unprocessed after retries');
        await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
      }
      const result = await this.#doc.send(
        new BatchGetCommand({
          RequestItems: { [this.#tableName]: { Keys: pending, ConsistentRead: true } },
        }),
      );
      for (const item of result.Responses?.[this.#tableName] ?? []) {
        found.set(keyId({ pk: String(item.pk), sk: String(item.sk) }), item as StoredItem);
      }
      pending = (result.UnprocessedKeys?.[this.#tableName]?.Keys ?? []) as Key[];
    }
    return found;
  }
}

const readsByClient = new WeakMap<DynamoDBDocumentClient, Map<string, CoalescedReads>>();

/** The reads of the table through this client, shared by every repository on it. */
export function coalescedReadsOf(doc: DynamoDBDocumentClient, tableName: string): CoalescedReads {
  let byTable = readsByClient.get(doc);
  if (!byTable) {
    byTable = new Map();
    readsByClient.set(doc, byTable);
  }
  let reads = byTable.get(tableName);
  if (!reads) {
    reads = new CoalescedReads(doc, tableName);
    byTable.set(tableName, reads);
  }
  return reads;
}
