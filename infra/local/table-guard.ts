/**
 * The table's IAM, locally: while a handler runs, each DynamoDB call it makes must be one its
 * catalog entry grants (the action of its access level, an index it lists), as the role the stack
 * gives it would demand on AWS. A call outside that is refused the way IAM refuses it, so a
 * missing or too-broad grant shows up in the end-to-end tests instead of in a deployed stage.
 * Calls made outside any handler (seeding, test assertions) are not checked.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { HandlerSpec } from '#catalog/catalog.ts';
import { tableActionsOf } from '#catalog/table-access.ts';

/** What IAM answers; the handler sees the same error name as on AWS. */
export class LocalAccessDenied extends Error {
  override name = 'AccessDeniedException';
}

export class TableGuard {
  readonly #current = new AsyncLocalStorage<HandlerSpec>();
  /** Every refusal, for tests and the demo: a handler may catch the error itself. */
  readonly denied: string[] = [];

  /** Checks every request the client sends while a handler runs. */
  attach(client: DynamoDBClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const spec = this.#current.getStore();
        if (spec) {
          for (const [commandName, input] of itemCallsOf(String(context.commandName), args.input)) {
            this.#check(spec, commandName, input);
          }
        }
        return next(args);
      },
      { step: 'initialize', name: 'klantreisLocalTableGuard' },
    );
  }

  /** Runs a handler call under its catalog entry's grants. */
  run<T>(spec: HandlerSpec, fn: () => Promise<T>): Promise<T> {
    return this.#current.run(spec, fn);
  }

  #check(spec: HandlerSpec, commandName: string, input: { IndexName?: unknown }): void {
    const action = `dynamodb:${commandName.replace(/Command$/, '')}`;
    const index = typeof input.IndexName === 'string' ? input.IndexName : undefined;
    const refusal = !tableActionsOf(spec.table).includes(action)
      ? `${spec.id} may not ${action} (table access "${spec.table}")`
      : index && !(spec.indexes ?? []).some((granted) => granted === index)
        ? `${spec.id} may not ${action} on index ${index} (not in its catalog entry's indexes)`
        : undefined;
    if (!refusal) return;
    this.denied.push(refusal);
    throw new LocalAccessDenied(`local IAM: ${refusal}; see functions/catalog/catalog.ts`);
  }
}

/**
 * The calls IAM checks for a request: a transaction is allowed by the actions of its items (Put →
 * `PutItem`, Update → `UpdateItem`, …), as on AWS; any other request by its own action.
 */
function itemCallsOf(commandName: string, input: unknown): Array<[string, { IndexName?: unknown }]> {
  if (commandName !== 'TransactWriteItemsCommand') return [[commandName, input as { IndexName?: unknown }]];
  const items = (input as { TransactItems?: Array<Record<string, unknown>> }).TransactItems ?? [];
  const actionOf: Record<string, string> = {
    Put: 'PutItemCommand',
    Update: 'UpdateItemCommand',
    Delete: 'DeleteItemCommand',
    ConditionCheck: 'ConditionCheckItemCommand',
  };
  return items.flatMap((item) =>
    Object.keys(item).flatMap((kind): Array<[string, { IndexName?: unknown }]> => {
      const action = actionOf[kind];
      return action ? [[action, {}]] : [];
    }),
  );
}
