import * as z from 'zod/mini';
import { readEnv, tableEnv } from '#application/env.ts';
import { DynamoDeskRepository } from './dynamo-desk-repository.ts';
import { DynamoRepository } from './dynamo-repository.ts';
import { DEFAULT_RESULTS_RETENTION_DAYS, DynamoResults, DynamoResultsStore } from './dynamo-results.ts';
import { DynamoTaskCallbacks } from './dynamo-task-callbacks.ts';
import { dynamoDbDocumentClient } from './dynamodb-client.ts';
import type { PseudonymKeySource } from './pseudonym-key-source.ts';

let repository: DynamoRepository | undefined;

/**
 * The table repository of a deployed handler: one per container, configured from its environment.
 * A handler that keys suppressions or erasure records passes the pseudonym key source
 * (`pseudonymKeyFromEnv`); the others leave it out, and the Secrets Manager client out of their bundle.
 */
export function createRepository(keys: { pseudonymKey?: PseudonymKeySource } = {}): DynamoRepository {
  if (!repository) {
    const env = readEnv({
      ...tableEnv,
      MESSAGE_BODY_RETENTION_DAYS: z._default(z.coerce.number().check(z.int(), z.positive()), 90),
    });
    repository = new DynamoRepository(dynamoDbDocumentClient(), env.TABLE_NAME, {
      bodyRetentionDays: env.MESSAGE_BODY_RETENTION_DAYS,
      ...(keys.pseudonymKey ? { pseudonymKey: keys.pseudonymKey } : {}),
    });
  }
  return repository;
}

let desk: DynamoDeskRepository | undefined;

/** The hand-over desk's own table access (holds, hand-over records, the email index), for the console's handlers. */
export function createDeskRepository(): DynamoDeskRepository {
  desk ??= new DynamoDeskRepository(dynamoDbDocumentClient(), readEnv(tableEnv).TABLE_NAME);
  return desk;
}

let taskCallbacks: DynamoTaskCallbacks | undefined;

/** The journey Tasks' callbacks on the send records, for the functions that hold or complete them. */
export function taskCallbackStore(): DynamoTaskCallbacks {
  taskCallbacks ??= new DynamoTaskCallbacks(dynamoDbDocumentClient(), readEnv(tableEnv).TABLE_NAME);
  return taskCallbacks;
}

let results: DynamoResultsStore | undefined;

/**
 * The results recorder of a deployed handler on the stage table (`dynamo-results.ts`): one per
 * container. The pseudonym key keys the customers of its events. A handler that only records (the
 * step) imports `DynamoResults` alone through `createResultsRecorder`.
 */
export function createResults(keys: { pseudonymKey: PseudonymKeySource }): DynamoResultsStore {
  results ??= new DynamoResultsStore(dynamoDbDocumentClient(), resultsEnv().TABLE_NAME, {
    pseudonymKey: keys.pseudonymKey,
    resultsRetentionDays: resultsEnv().RESULTS_RETENTION_DAYS,
  });
  return results;
}

let recorder: DynamoResults | undefined;

/** The results recorder without its reads: what the step records with. */
export function createResultsRecorder(keys: { pseudonymKey: PseudonymKeySource }): DynamoResults {
  recorder ??= new DynamoResults(dynamoDbDocumentClient(), resultsEnv().TABLE_NAME, {
    pseudonymKey: keys.pseudonymKey,
    resultsRetentionDays: resultsEnv().RESULTS_RETENTION_DAYS,
  });
  return recorder;
}

function resultsEnv() {
  return readEnv({
    ...tableEnv,
    RESULTS_RETENTION_DAYS: z._default(
      z.coerce.number().check(z.int(), z.positive()),
      DEFAULT_RESULTS_RETENTION_DAYS,
    ),
  });
}
