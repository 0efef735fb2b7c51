/**
 * Counts what a local run costs on AWS: Lambda invocations and their billed milliseconds, and
 * DynamoDB reads and writes with the on-demand request units their item sizes come to, by who
 * made them (`api`, `journey`, `feedback`, …). State transitions are counted by the journey
 * engine. The bench prints these per delivered message; nothing here changes behaviour.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** DynamoDB operations that read, and those that write (a failed conditional write still costs a write). */
const READS = new Set(['GetItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetItemCommand']);
const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand']);

export interface MeterCounts {
  lambdaInvocations: number;
  /** Handler wall time, each invocation rounded up to the millisecond (Lambda's billing granularity). */
  lambdaBilledMs: number;
  dynamoDbReads: number;
  dynamoDbWrites: number;
  /** On-demand read request units: 4 KB per unit, half for eventually consistent reads. */
  dynamoDbReadUnits: number;
  /**
   * On-demand write request units: 1 KB per unit of the item written. UpdateItem and DeleteItem
   * count the key and the values sent (a lower bound: AWS bills the whole item's size).
   */
  dynamoDbWriteUnits: number;
}

const zero = (): MeterCounts => ({
  lambdaInvocations: 0,
  lambdaBilledMs: 0,
  dynamoDbReads: 0,
  dynamoDbWrites: 0,
  dynamoDbReadUnits: 0,
  dynamoDbWriteUnits: 0,
});

type Attribute = Record<string, unknown>;

/** Returns the bytes DynamoDB counts for an attribute value (wire JSON or SDK shape). */
function valueSize(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  const [type, inner] = Object.entries(value as Attribute)[0] ?? [];
  switch (type) {
    case 'S':
      return Buffer.byteLength(String(inner));
    case 'N':
      return Math.ceil(String(inner).replace(/^-/, '').length / 2) + 1;
    case 'B':
      return inner instanceof Uint8Array ? inner.byteLength : Math.floor((String(inner).length * 3) / 4);
    case 'BOOL':
    case 'NULL':
      return 1;
    case 'SS':
    case 'NS':
    case 'BS':
      return (inner as unknown[]).reduce<number>((sum, v) => sum + valueSize({ [type.slice(0, 1)]: v }), 0);
    case 'L':
      return 3 + (inner as unknown[]).reduce<number>((sum, v) => sum + 1 + valueSize(v), 0);
    case 'M':
      return 3 + itemSize(inner as Attribute);
    default:
      return 0;
  }
}

/** Returns an item's size as DynamoDB bills it: attribute names plus values, in bytes. */
export function itemSize(item: Attribute | undefined): number {
  if (!item) return 0;
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) bytes += Buffer.byteLength(name) + valueSize(value);
  return bytes;
}

/** Returns the read units of a read returning items of these sizes (at least one unit, as AWS bills). */
function readUnits(bytes: number, consistent: boolean): number {
  return Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);
}

/** Returns the write units of the request (wire JSON), from the items or values it sends. */
function writeUnitsOf(command: string, request: Attribute): number {
  const units = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));
  if (command === 'PutItemCommand') return units(itemSize(request.Item as Attribute));
  if (command === 'BatchWriteItemCommand') {
    const writes = Object.values((request.RequestItems ?? {}) as Record<string, Attribute[]>).flat();
    return writes.reduce(
      (sum, w) =>
        sum +
        units(
          itemSize(
            ((w.PutRequest as Attribute | undefined)?.Item ??
              (w.DeleteRequest as Attribute)?.Key) as Attribute,
          ),
        ),
      0,
    );
  }
  return units(itemSize(request.Key as Attribute) + itemSize(request.ExpressionAttributeValues as Attribute));
}

/** Returns the read units of a response (SDK output shape) to a read request (wire JSON). */
function readUnitsOf(command: string, request: Attribute, output: Attribute): number {
  const consistent = request.ConsistentRead === true;
  if (command === 'GetItemCommand') return readUnits(itemSize(output.Item as Attribute), consistent);
  if (command === 'BatchGetItemCommand') {
    const items = Object.values((output.Responses ?? {}) as Record<string, Attribute[]>).flat();
    return items.reduce((sum, item) => sum + readUnits(itemSize(item), consistent), 0);
  }
  // Query and Scan: the sizes of all items read, summed, then rounded up once.
  const items = (output.Items ?? []) as Attribute[];
  return readUnits(
    items.reduce((sum, item) => sum + itemSize(item), 0),
    consistent,
  );
}

export class Meter {
  readonly #label = new AsyncLocalStorage<string>();
  #counts = new Map<string, MeterCounts>();
  /** Invocations that ended in an error, by error name (e.g. a send refused by the rate limiter). */
  #failures = new Map<string, number>();

  /** Runs `fn` with its DynamoDB calls counted under `label`. */
  run<T>(label: string, fn: () => T): T {
    return this.#label.run(label, fn);
  }

  /** Runs a Lambda handler call: one invocation under `label`, and its DynamoDB calls. */
  invoke<T>(label: string, fn: () => Promise<T>): Promise<T> {
    const counts = this.#of(label);
    counts.lambdaInvocations += 1;
    const started = performance.now();
    const done = () => {
      counts.lambdaBilledMs += Math.max(1, Math.ceil(performance.now() - started));
    };
    return this.#label.run(label, async () => {
      try {
        return await fn();
      } catch (error) {
        const name = error instanceof Error ? error.name : 'unknown';
        this.#failures.set(name, (this.#failures.get(name) ?? 0) + 1);
        throw error;
      } finally {
        done();
      }
    });
  }

  /** Counts every request the client sends, under the caller's label or `defaultLabel`. */
  attach(client: DynamoDBClient, defaultLabel: string): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const label = this.#label.getStore() ?? defaultLabel;
        const command = String(context.commandName);
        if (READS.has(command)) this.#of(label).dynamoDbReads += 1;
        if (WRITES.has(command)) this.#of(label).dynamoDbWrites += 1;
        return next(args);
      },
      { step: 'initialize', name: 'klantreisLocalMeter' },
    );
    // Request units from the wire request and the low-level response, below the document client.
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const label = this.#label.getStore() ?? defaultLabel;
        const command = String(context.commandName);
        const body = (args.request as { body?: unknown } | undefined)?.body;
        const request = (typeof body === 'string' && body ? JSON.parse(body) : {}) as Attribute;
        if (WRITES.has(command)) this.#of(label).dynamoDbWriteUnits += writeUnitsOf(command, request);
        const result = await next(args);
        if (READS.has(command)) {
          this.#of(label).dynamoDbReadUnits += readUnitsOf(
            command,
            request,
            result.output as unknown as Attribute,
          );
        }
        return result;
      },
      { step: 'build', name: 'klantreisLocalMeterUnits' },
    );
  }

  /** Returns the counts so far, by label. */
  snapshot(): Record<string, MeterCounts> {
    return Object.fromEntries([...this.#counts].map(([label, counts]) => [label, { ...counts }]));
  }

  /** Returns the failed invocations so far, by error name. */
  failures(): Record<string, number> {
    return Object.fromEntries(this.#failures);
  }

  reset(): void {
    this.#counts = new Map();
    this.#failures = new Map();
  }

  #of(label: string): MeterCounts {
    let counts = this.#counts.get(label);
    if (!counts) {
      counts = zero();
      this.#counts.set(label, counts);
    }
    return counts;
  }
}
