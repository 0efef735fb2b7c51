/**
 * The table's DynamoDB stream, locally (dynalite has none): every item a client puts successfully
 * becomes a stream record with its new image, as a NEW_IMAGE stream reports it, and the records a
 * consumer's event filter admits are handed to it in batches, after the write and never inside it —
 * as the Lambda event source mapping polls the stream on AWS. A batch goes when it is full or on
 * `flush` (the runtime flushes before it reports and when it stops), as the mapping's batching
 * window gathers records on AWS, so the metered invocations are what a busy stage pays. A consumer's
 * batch item failures are handed again from the earliest failure on (as Lambda resumes a stream), a
 * few times; what still fails is kept in `failures`, where the dead-letter queue would have it.
 *
 * Every put is reported as an INSERT: the writes it serves are conditional puts of new items.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

/** A Lambda event filter pattern, in the subset the stack uses: literal values and `prefix`. */
export type FilterPattern = { readonly [key: string]: FilterPattern | readonly FilterValue[] };
type FilterValue = string | number | boolean | { readonly prefix: string };

/** Returns whether a value matches a Lambda event filter pattern (all keys, any listed value). */
export function matchesFilter(pattern: FilterPattern, value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  return Object.entries(pattern).every(([key, rule]) => {
    const field = (value as Record<string, unknown>)[key];
    if (!Array.isArray(rule)) return matchesFilter(rule as FilterPattern, field);
    return (rule as readonly FilterValue[]).some((expected) =>
      typeof expected === 'object'
        ? typeof field === 'string' && field.startsWith(expected.prefix)
        : field === expected,
    );
  });
}

type Image = NonNullable<NonNullable<DynamoDBRecord['dynamodb']>['NewImage']>;
/** The consumer answers as a Lambda with `ReportBatchItemFailures` does (`DynamoDBBatchResponse`). */
type Consumer = (event: DynamoDBStreamEvent) => Promise<unknown>;

export interface TableStreamOptions {
  tableName: string;
  /** The table's key attributes, for each record's `Keys`. */
  keyNames: readonly string[];
  region: string;
  account: string;
  /** The consumer's event filter (its event source mapping's). */
  filter: FilterPattern;
  consumer: Consumer;
  /** Records per invocation, as the event source mapping's batch size. */
  batchSize?: number;
  /** Times a failing batch is handed over in all (Lambda's retry attempts plus the first). */
  attempts?: number;
}

export class LocalTableStream {
  /** Records whose consumer still failed after every attempt (the dead-letter queue on AWS). */
  readonly failures: DynamoDBRecord[] = [];
  readonly #options: TableStreamOptions;
  readonly #arn: string;
  #queue: DynamoDBRecord[] = [];
  #sequence = 0;
  #draining: Promise<void> | undefined;

  constructor(options: TableStreamOptions) {
    this.#options = options;
    this.#arn = `arn:aws:dynamodb:${options.region}:${options.account}:table/${options.tableName}/stream/local`;
  }

  /** Reports the puts the client makes once they succeed. */
  attach(client: DynamoDBClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        // By the build step the document client has marshalled the input: items are wire images.
        this.#written(String(context.commandName), args.input as WriteInput);
        return result;
      },
      { step: 'build', name: 'klantreisLocalTableStream' },
    );
  }

  /** Hands over every record written so far; resolves once the consumer has had them all. */
  async flush(): Promise<void> {
    while (this.#draining || this.#queue.length > 0) {
      if (!this.#draining) this.#startDraining(true);
      await this.#draining;
    }
  }

  #written(commandName: string, input: WriteInput): void {
    if (input.TableName !== undefined && input.TableName !== this.#options.tableName) return;
    const items: Image[] = [];
    if (commandName === 'PutItemCommand' && input.Item) items.push(input.Item);
    if (commandName === 'BatchWriteItemCommand') {
      for (const request of input.RequestItems?.[this.#options.tableName] ?? []) {
        if (request.PutRequest?.Item) items.push(request.PutRequest.Item);
      }
    }
    if (commandName === 'TransactWriteItemsCommand') {
      for (const item of input.TransactItems ?? []) {
        if (item.Put?.Item && item.Put.TableName === this.#options.tableName) items.push(item.Put.Item);
      }
    }
    const records = items.map((image) => this.#recordOf(image));
    const admitted = records.filter((record) => matchesFilter(this.#options.filter, record));
    if (admitted.length === 0) return;
    this.#queue.push(...admitted);
    if (this.#queue.length >= this.#batchSize) this.#startDraining();
  }

  get #batchSize(): number {
    return this.#options.batchSize ?? 100;
  }

  /** Starts handing over full batches, or with `all` every record queued. */
  #startDraining(all = false): void {
    if (this.#draining) return;
    this.#draining = this.#drain(all).finally(() => {
      this.#draining = undefined;
      // A full batch written between the drain's last look and its end.
      if (this.#queue.length >= this.#batchSize) this.#startDraining();
    });
  }

  #recordOf(image: Image): DynamoDBRecord {
    this.#sequence += 1;
    const keys = Object.fromEntries(
      this.#options.keyNames.flatMap((name) => (image[name] ? [[name, image[name]]] : [])),
    );
    return {
      eventID: `local-${this.#sequence}`,
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: this.#options.region,
      eventSourceARN: this.#arn,
      dynamodb: {
        Keys: keys,
        NewImage: image,
        SequenceNumber: String(this.#sequence).padStart(21, '0'),
        SizeBytes: Buffer.byteLength(JSON.stringify(image)),
        StreamViewType: 'NEW_IMAGE',
      },
    };
  }

  async #drain(all: boolean): Promise<void> {
    // After the writer's own call has returned, as a poller sees the record later.
    await new Promise((resolve) => setImmediate(resolve));
    const size = this.#batchSize;
    const attempts = this.#options.attempts ?? 3;
    while (this.#queue.length >= size || (all && this.#queue.length > 0)) {
      let batch = this.#queue.splice(0, size);
      for (let attempt = 1; batch.length > 0; attempt += 1) {
        const failedFrom = await this.#deliver(batch);
        if (failedFrom < 0) break;
        batch = batch.slice(failedFrom);
        if (attempt === attempts) {
          this.failures.push(...batch);
          break;
        }
      }
    }
  }

  /** Hands a batch over; returns the index of the earliest failed record, or -1 when none failed. */
  async #deliver(batch: DynamoDBRecord[]): Promise<number> {
    try {
      const response = (await this.#options.consumer({ Records: batch })) as
        | DynamoDBBatchResponse
        | undefined;
      const failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      return batch.findIndex((record) => failed.has(record.dynamodb?.SequenceNumber ?? ''));
    } catch {
      // A thrown invocation fails the whole batch.
      return 0;
    }
  }
}

interface WriteInput {
  TableName?: string;
  Item?: Image;
  RequestItems?: Record<string, Array<{ PutRequest?: { Item?: Image } }>>;
  TransactItems?: Array<{ Put?: { TableName?: string; Item?: Image } }>;
}
