/**
 * TransactWriteItems for the local DynamoDB (dynalite has none). The emulator's server answers the
 * operation itself: one transaction at a time per item (transactions on other items go on side by
 * side), each item applied in order as its own PutItem, UpdateItem or DeleteItem on the same server
 * (returning its old image), and when one is refused (its condition failed, or the request is
 * invalid) the items already applied are put back as they were and the call fails as DynamoDB fails
 * it: `TransactionCanceledException` with one cancellation reason per item.
 *
 * What it does not give: isolation from the plain (non-transactional) writes of other callers
 * between two of its items. A `ConditionCheck` item runs as a conditional update with no expression.
 */
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { tableDesign } from '#catalog/table-design.ts';
import { callListener } from '../in-process-http.ts';

const TARGET_PREFIX = 'DynamoDB_20120810.';
/** The operation a `ConditionCheck` item runs as: a conditional UpdateItem without an update expression. */
const CONDITION_CHECK = 'ConditionCheck';
type Json = Record<string, unknown>;

interface ItemAnswer {
  status: number;
  body: Json;
}

/** Makes the dynalite server answer TransactWriteItems; every other request goes to dynalite as before. */
export function addTransactWriteItems(server: Server): void {
  const [dynalite] = server.listeners('request') as RequestListener[];
  if (!dynalite) throw new Error('dynamodb emulator: no request handler to extend');
  server.removeAllListeners('request');
  const locks = new ItemLocks();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.headers['x-amz-target'] !== `${TARGET_PREFIX}TransactWriteItems`) {
      dynalite(req, res);
      return;
    }
    void transactWrite(dynalite, locks, req, res);
  });
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

async function transactWrite(
  dynalite: RequestListener,
  locks: ItemLocks,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { TransactItems?: Json[] };
    const items = (request.TransactItems ?? []).map(operationOf);
    if (items.some(([operation]) => !operation)) {
      return answer(
        res,
        400,
        validation('the local DynamoDB supports Put, Update, Delete and ConditionCheck in a transaction'),
      );
    }
    const keys = items.map(([operation, params]) => {
      const key = operation === 'PutItem' ? keyOf(params?.Item as Json) : (params?.Key as Json);
      return `${String(params?.TableName)}\n${JSON.stringify(key)}`;
    });
    const call = callerOf(dynalite, req);
    const { status, body } = await locks.around(keys, () => applyInOrder(call, items));
    answer(res, status, body);
  } catch (error) {
    answer(res, 500, {
      __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
      message: String(error),
    });
  }
}

/** Applies the items in order, each returning its old image; on a refusal puts back what was applied. */
async function applyInOrder(
  call: (operation: string, params: Json) => Promise<ItemAnswer>,
  items: Array<[string | undefined, Json | undefined]>,
): Promise<ItemAnswer> {
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
  call: (operation: string, params: Json) => Promise<ItemAnswer>,
  applied: Array<{ tableName: string; key: Json; before: Json | undefined }>,
): Promise<void> {
  for (const { tableName, key, before } of applied.reverse()) {
    await (before
      ? call('PutItem', { TableName: tableName, Item: before })
      : call('DeleteItem', { TableName: tableName, Key: key }));
  }
}

/**
 * Calls an operation of dynalite itself, in process, with the caller's credentials headers (dynalite
 * checks their form).
 */
function callerOf(dynalite: RequestListener, req: IncomingMessage) {
  const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.0' };
  for (const name of ['authorization', 'x-amz-date']) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return async (operation: string, params: Json): Promise<ItemAnswer> => {
    const response = await callListener(dynalite, {
      method: 'POST',
      url: '/',
      headers: { ...headers, 'x-amz-target': `${TARGET_PREFIX}${operation}` },
      body: Buffer.from(JSON.stringify(params), 'utf8'),
    });
    return { status: response.statusCode, body: JSON.parse(response.body.toString('utf8')) as Json };
  };
}

function validation(message: string): Json {
  return { __type: 'com.amazon.coral.validate#ValidationException', message };
}

function answer(res: ServerResponse, status: number, body: Json): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/x-amz-json-1.0');
  res.setHeader('Content-Length', Buffer.byteLength(text, 'utf8'));
  res.end(text);
}
