import * as z from 'zod/mini';
import { readEnv, tableEnv } from '#adapters/env.ts';
import { DynamoCustomers } from './dynamo/customers.ts';
import { DynamoDeskRepository } from './dynamo/desk.ts';
import { DynamoErasures } from './dynamo/erasures.ts';
import { DynamoEvents } from './dynamo/events.ts';
import { DynamoHandOvers } from './dynamo/hand-overs.ts';
import { DynamoHolds } from './dynamo/holds.ts';
import { combined, type DynamoRepository, dynamoRepository, type MethodsOf } from './dynamo/repository.ts';
import { DEFAULT_RESULTS_RETENTION_DAYS, DynamoResults, DynamoResultsStore } from './dynamo/results.ts';
import { DynamoRunProgress } from './dynamo/run-progress.ts';
import { DynamoSends } from './dynamo/sends.ts';
import { DynamoShortLinks } from './dynamo/short-links.ts';
import type { DynamoRepositoryOptions } from './dynamo/stage-table.ts';
import { DynamoSubjects } from './dynamo/subjects.ts';
import { DynamoSuppressions } from './dynamo/suppressions.ts';
import { DynamoTaskCallbacks } from './dynamo/task-callbacks.ts';
import { DynamoTimeline } from './dynamo/timeline.ts';
import { dynamoDbDocumentClient } from './dynamodb-client.ts';
import type { PseudonymKeySource } from './pseudonym-key-source.ts';

/** The table's name and the repositories' settings, from the function's environment. */
function tableSettings(keys: { pseudonymKey?: PseudonymKeySource }): {
  tableName: string;
  options: DynamoRepositoryOptions;
} {
  const env = readEnv({
    ...tableEnv,
    MESSAGE_BODY_RETENTION_DAYS: z._default(z.coerce.number().check(z.int(), z.positive()), 90),
  });
  return {
    tableName: env.TABLE_NAME,
    options: {
      bodyRetentionDays: env.MESSAGE_BODY_RETENTION_DAYS,
      ...(keys.pseudonymKey ? { pseudonymKey: keys.pseudonymKey } : {}),
    },
  };
}

let repository: DynamoRepository | undefined;

/**
 * The table repository of a deployed handler: one per container, configured from its environment.
 * A handler that keys suppressions or erasure records passes the pseudonym key source
 * (`pseudonymKeyFromEnv`); the others leave it out, and the Secrets Manager client out of their bundle.
 */
export function createRepository(keys: { pseudonymKey?: PseudonymKeySource } = {}): DynamoRepository {
  if (!repository) {
    const { tableName, options } = tableSettings(keys);
    repository = dynamoRepository(dynamoDbDocumentClient(), tableName, options);
  }
  return repository;
}

/** What a journey step reads and writes in the table: its ports (`stepTablePorts`) and the hand-overs it opens. */
export type StepRepository = MethodsOf<DynamoCustomers> &
  MethodsOf<DynamoEvents> &
  MethodsOf<DynamoSubjects> &
  MethodsOf<DynamoRunProgress> &
  MethodsOf<DynamoTimeline> &
  MethodsOf<DynamoSends> &
  MethodsOf<DynamoSuppressions> &
  MethodsOf<DynamoErasures> &
  MethodsOf<DynamoHolds> &
  MethodsOf<DynamoHandOvers> &
  MethodsOf<DynamoShortLinks>;

let stepRepository: StepRepository | undefined;

/**
 * The journey step's repositories, one per container: only the aggregates a step visit touches, so
 * the step's bundle carries no export, erasure, migration or desk code.
 */
export function createStepRepository(keys: { pseudonymKey: PseudonymKeySource }): StepRepository {
  if (!stepRepository) {
    const { tableName, options } = tableSettings(keys);
    const doc = dynamoDbDocumentClient();
    stepRepository = combined<StepRepository>(
      [
        DynamoCustomers,
        DynamoEvents,
        DynamoSubjects,
        DynamoRunProgress,
        DynamoTimeline,
        DynamoSends,
        DynamoSuppressions,
        DynamoErasures,
        DynamoHolds,
        DynamoHandOvers,
        DynamoShortLinks,
      ].map((Aggregate) => new Aggregate(doc, tableName, options)),
    );
  }
  return stepRepository;
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
 * The results recorder of a deployed handler on the stage table (`dynamo/results.ts`): one per
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
