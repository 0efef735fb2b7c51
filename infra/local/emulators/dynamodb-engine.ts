/**
 * dynalite's table engine without its HTTP front: its request validation (types, expressions) and
 * its operations on its LevelDB store, called with a request's JSON and answering the JSON DynamoDB
 * answers, with TransactWriteItems added (`dynamodb-transactions.ts`). The HTTP front
 * (`dynamodb.ts`) and the runtime's own clients (`in-process-http.ts`, `directJsonTransport`) both
 * call it. dynalite's own front parses a URL, the Authorization header and a random request id and
 * computes a CRC32 for every request, and a transaction's items went through it again one by one:
 * at dozens of table calls per journey step that was a tenth of the runtime's CPU for a caller
 * in the same process, which has none of those to check.
 */
// First: dynalite's store keeps only the items (see the module).
import './dynalite-store.ts';
import { createRequire } from 'node:module';
import { transactWriteItems } from './dynamodb-transactions.ts';
import type { Json, TableCall } from './table-call.ts';

interface DynaliteError {
  statusCode?: number;
  body?: Json;
}
type ActionCallback = (error: DynaliteError | null, answer?: Json) => void;
interface DynaliteStore {
  db: { close(callback: (error?: unknown) => void): void };
  /** Waits for the store's pending operations before it closes, where dynalite has one. */
  lifecycleManager?: { gracefulClose(callback: (error?: unknown) => void): void };
}
interface ActionValidation {
  types: unknown;
  custom?: unknown;
}

const require = createRequire(import.meta.url);
// dynalite's own modules, as its HTTP handler uses them (index.js); the package has no exports map.
const db = require('dynalite/db') as { create(options: Json): DynaliteStore };
const validations = require('dynalite/validations') as {
  checkTypes(data: Json, types: unknown): Json;
  checkValidations(data: Json, types: unknown, custom: unknown, store: DynaliteStore): void;
};

/** The operations dynalite answers (its `validOperations`); TransactWriteItems is answered here. */
const DYNALITE_OPERATIONS = new Set([
  'BatchGetItem',
  'BatchWriteItem',
  'CreateTable',
  'DeleteItem',
  'DeleteTable',
  'DescribeTable',
  'DescribeTimeToLive',
  'GetItem',
  'ListTables',
  'PutItem',
  'Query',
  'Scan',
  'TagResource',
  'UntagResource',
  'ListTagsOfResource',
  'UpdateItem',
  'UpdateTable',
]);

const lowerFirst = (name: string) => `${name.charAt(0).toLowerCase()}${name.slice(1)}`;
const actions = new Map<string, (store: DynaliteStore, data: Json, callback: ActionCallback) => void>();
const actionValidations = new Map<string, ActionValidation>();
for (const operation of DYNALITE_OPERATIONS) {
  actions.set(operation, require(`dynalite/actions/${lowerFirst(operation)}`));
  actionValidations.set(operation, require(`dynalite/validations/${lowerFirst(operation)}`));
}

export interface TableEngine {
  call: TableCall;
  /** Closes the store: calls after it fail. */
  close(): Promise<void>;
}

/** Creates an in-memory table store (tables are created through `CreateTable`, as on AWS). */
export function createTableEngine(options: { createTableMs?: number } = {}): TableEngine {
  const store = db.create({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...options });

  const dynalite: TableCall = (operation, request) => {
    const action = actions.get(operation);
    const validation = actionValidations.get(operation);
    if (!action || !validation) {
      return Promise.resolve({
        status: 400,
        body: { __type: 'com.amazon.coral.service#UnknownOperationException' },
      });
    }
    let data: Json;
    try {
      data = validations.checkTypes(request, validation.types);
      validations.checkValidations(data, validation.types, validation.custom, store);
    } catch (error) {
      const refusal = error as DynaliteError;
      if (refusal.statusCode && refusal.body) {
        return Promise.resolve({ status: refusal.statusCode, body: refusal.body });
      }
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      try {
        action(store, data, (error, answer) => {
          if (error?.statusCode && error.body) resolve({ status: error.statusCode, body: error.body });
          else if (error) reject(error);
          else resolve({ status: 200, body: answer ?? {} });
        });
      } catch (error) {
        reject(error);
      }
    });
  };

  const transact = transactWriteItems(dynalite);
  return {
    call: (operation, request) =>
      operation === 'TransactWriteItems' ? transact(request) : dynalite(operation, request),
    close: () =>
      new Promise<void>((resolve, reject) => {
        const closed = (error?: unknown) => (error ? reject(error) : resolve());
        if (store.lifecycleManager) store.lifecycleManager.gracefulClose(closed);
        else store.db.close(closed);
      }),
  };
}
