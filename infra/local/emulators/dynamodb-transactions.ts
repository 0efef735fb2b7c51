/**
 * TransactWriteItems for the local DynamoDB (dynalite has none), answered on top of the table
 * engine: one transaction at a time per item (transactions on other items go on side by
 * side), each item applied in order as its own PutItem, UpdateItem or DeleteItem on the same store
 * (returning its old image), and when one is refused (its condition failed, or the request is
 * invalid) the items already applied are put back as they were and the call fails as DynamoDB fails
 * it: `TransactionCanceledException` with one cancellation reason per item.
 *
 * What it does not give: isolation from the plain (non-transactional) writes of other callers
 * between two of its items. A `ConditionCheck` item runs as a conditional update with no expression.
 */
import { tableDesign } from '#catalog/table-design.ts';
import type { Json, TableAnswer, TableCall } from './table-call.ts';

/** The operation a `ConditionCheck` item runs as: a conditional UpdateItem without an update expression. */
const CONDITION_CHECK = 'ConditionCheck';

/** Returns TransactWriteItems on top of `call`, which answers the single-item operations. */
export function transactWriteItems(call: TableCall): (request: Json) => Promise<TableAnswer> {
  const locks = new ItemLocks();
  return async (request) => {
    try {
      const items = ((request.TransactItems as Json[] | undefined) ?? []).map(operationOf);
      if (items.some(([operation]) => !operation)) {
        return {
          status: 400,
          body: validation(
            'the local DynamoDB supports Put, Update, Delete and ConditionCheck in a transaction',
          ),
        };
      }
      const keys = items.map(([operation, params]) => {
        const key = operation === 'PutItem' ? keyOf(params?.Item as Json) : (params?.Key as Json);
        return `${String(params?.TableName)}\n${JSON.stringify(key)}`;
      });
      return await locks.around(keys, () => applyInOrder(call, items));
    } catch (error) {
      return {
        status: 500,
        body: { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: String(error) },
      };
    }
  };
}

/** One transaction at a time per item: those on other items go on side by side. */
class ItemLocks {
  readonly #tails = new Map<string, Promise<void>>();

  /** Runs `work` once every earlier transaction on any of `keys` is done. */
  async around<T>(keys: readonly string[], work: () => Promise<T>): Promise<T> {
    const unique = [...new Set(keys)];
    const before = unique.map((key) => this.#tails.get(key) ?? Promise.resolve());
    const done = Promise.withResolvers<void>();
    for (const key of unique) this.#tails.set(key, done.promise);
    try {
      await Promise.all(before);
      return await work();
    } finally {
      done.resolve();
      for (const key of unique) if (this.#tails.get(key) === done.promise) this.#tails.delete(key);
    }
  }
}

/** Applies the items in order, each returning its old image; on a refusal puts back what was applied. */
async function applyInOrder(
  call: TableCall,
  items: Array<[string | undefined, Json | undefined]>,
): Promise<TableAnswer> {
  const applied: Array<{ tableName: string; key: Json; before: Json | undefined }> = [];
  for (const [index, [operation, params]] of items.entries()) {
    if (!operation || !params) continue;
    const tableName = String(params.TableName);
    const key = operation === 'PutItem' ? keyOf(params.Item as Json) : (params.Key as Json);
    const { ReturnValuesOnConditionCheckFailure: _dropped, ...accepted } = params;
    const check = operation === CONDITION_CHECK;
    const result = await call(check ? 'UpdateItem' : operation, { ...accepted, ReturnValues: 'ALL_OLD' });
    if (result.status !== 200) {
      await undo(call, applied);
      const type = String(result.body.__type ?? '');
      if (!type.endsWith('ConditionalCheckFailedException')) return result;
      const codes = items.map((_, i) => (i === index ? 'ConditionalCheckFailed' : 'None'));
      return {
        status: 400,
        body: {
          __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
          message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
          CancellationReasons: codes.map((Code) =>
            Code === 'None' ? { Code } : { Code, Message: 'The conditional request failed' },
          ),
        },
      };
    }
    const before = result.body.Attributes as Json | undefined;
    // A check that held on a missing item made a key-only item of it: gone again at once.
    if (check && !before) await call('DeleteItem', { TableName: tableName, Key: key });
    if (!check) applied.push({ tableName, key, before });
  }
  return { status: 200, body: {} };
}

function operationOf(item: Json): [string | undefined, Json | undefined] {
  // A condition check is an update with no expression: it changes no item that is there.
  if (item.ConditionCheck) return [CONDITION_CHECK, item.ConditionCheck as Json];
  if (item.Put) return ['PutItem', item.Put as Json];
  if (item.Update) return ['UpdateItem', item.Update as Json];
  if (item.Delete) return ['DeleteItem', item.Delete as Json];
  return [undefined, undefined];
}

function keyOf(item: Json): Json {
  return {
    [tableDesign.partitionKey]: item[tableDesign.partitionKey],
    [tableDesign.sortKey]: item[tableDesign.sortKey],
  };
}

/** Puts the items a cancelled transaction changed back as they were, newest change first. */
async function undo(
  call: TableCall,
  applied: Array<{ tableName: string; key: Json; before: Json | undefined }>,
): Promise<void> {
  for (const { tableName, key, before } of applied.reverse()) {
    await (before
      ? call('PutItem', { TableName: tableName, Item: before })
      : call('DeleteItem', { TableName: tableName, Key: key }));
  }
}

function validation(message: string): Json {
  return { __type: 'com.amazon.coral.validate#ValidationException', message };
}
