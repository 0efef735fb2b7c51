/**
 * Counts what a local run costs on AWS: Lambda invocations and DynamoDB reads and writes, by who
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
  dynamoDbReads: number;
  dynamoDbWrites: number;
}

const zero = (): MeterCounts => ({ lambdaInvocations: 0, dynamoDbReads: 0, dynamoDbWrites: 0 });

export class Meter {
  readonly #label = new AsyncLocalStorage<string>();
  #counts = new Map<string, MeterCounts>();

  /** Runs `fn` with its DynamoDB calls counted under `label`. */
  run<T>(label: string, fn: () => T): T {
    return this.#label.run(label, fn);
  }

  /** Runs a Lambda handler call: one invocation under `label`, and its DynamoDB calls. */
  invoke<T>(label: string, fn: () => Promise<T>): Promise<T> {
    this.#of(label).lambdaInvocations += 1;
    return this.#label.run(label, fn);
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
  }

  /** Returns the counts so far, by label. */
  snapshot(): Record<string, MeterCounts> {
    return Object.fromEntries([...this.#counts].map(([label, counts]) => [label, { ...counts }]));
  }

  reset(): void {
    this.#counts = new Map();
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
