/**
 * `.waitForTaskToken` for the local journey engine: aws-local-stepfunctions has no callback
 * pattern, so the engine runs such a Task itself (`JourneyEngine.bindTaskTokenTask`) with these
 * parts: the definition rewritten so the library neither times the Task out in real time nor lacks
 * `$$.Task.Token`, the Task's timeouts carried in its effective input, and the registry of tokens
 * that SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat complete.
 */
import { randomUUID } from 'node:crypto';
import { type AslDefinition, allStates } from './asl.ts';

/** What `$$.Task.Token` evaluates to in the library; the engine puts each Task's own token in its place. */
export const TASK_TOKEN_CONTEXT = 'klantreis-local-task-token-placeholder';

const TOKEN_PREFIX = 'klantreis-local-task:';
const TOKEN_SHAPE = /^klantreis-local-task:[0-9a-f-]{36}$/;

/** Keys the rewritten definition adds to a token Task's Parameters, read and removed by the engine. */
const TIMEOUT_KEY = 'klantreis:timeoutSeconds';
const HEARTBEAT_KEY = 'klantreis:heartbeatSeconds';

const LAMBDA_INVOKE_WAIT = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

/** Returns whether a Task's resource waits for a task token (`arn:aws:states:::<service>:<api>.waitForTaskToken`). */
export function isTaskTokenResource(resource: unknown): boolean {
  return typeof resource === 'string' && resource.endsWith('.waitForTaskToken');
}

/**
 * Returns a copy of the definition whose token Tasks the engine can run: their `TimeoutSeconds`,
 * `HeartbeatSeconds` and `…Path` forms move into their Parameters (so the engine reads them from the
 * effective input: the paths are resolved against the state's input after `InputPath`, in simulated
 * time, instead of by the library in real time), and a `Retry` or `Catch` on `States.Timeout` also
 * matches `States.HeartbeatTimeout`, as on AWS.
 */
export function withLocalTaskTokens(definition: AslDefinition): AslDefinition {
  const copy = structuredClone(definition);
  for (const [name, state] of allStates(copy)) {
    if (state.Type !== 'Task' || !isTaskTokenResource(state.Resource)) continue;
    if (state.Resource !== LAMBDA_INVOKE_WAIT) {
      throw new Error(
        `state ${name}: only ${LAMBDA_INVOKE_WAIT} runs locally, not ${String(state.Resource)}`,
      );
    }
    const parameters = state.Parameters;
    if (parameters === null || typeof parameters !== 'object' || Array.isArray(parameters)) {
      throw new Error(`state ${name}: a .waitForTaskToken Task needs Parameters that pass $$.Task.Token`);
    }
    const moved: Record<string, unknown> = { ...parameters };
    for (const [field, key] of [
      ['TimeoutSeconds', TIMEOUT_KEY],
      ['HeartbeatSeconds', HEARTBEAT_KEY],
    ] as const) {
      if (state[field] !== undefined) moved[key] = state[field];
      if (state[`${field}Path`] !== undefined) moved[`${key}.$`] = state[`${field}Path`];
      delete state[field];
      delete state[`${field}Path`];
    }
    state.Parameters = moved;
    for (const handler of [state.Retry, state.Catch]) {
      if (!Array.isArray(handler)) continue;
      for (const rule of handler as Array<{ ErrorEquals?: string[] }>) {
        const errors = rule.ErrorEquals;
        if (errors?.includes('States.Timeout') && !errors.includes('States.HeartbeatTimeout'))
          errors.push('States.HeartbeatTimeout');
      }
    }
  }
  return copy;
}

/** Returns a positive whole number of seconds, or undefined when absent. */
function seconds(stateName: string, field: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw Object.assign(new Error(`state ${stateName}: ${field} must be a positive integer`), {
      name: 'States.Runtime',
    });
  }
  return value;
}

/** Returns the Task's own Parameters and its timeouts, split from the effective input of a rewritten Task. */
export function taskTokenSettingsOf(
  stateName: string,
  input: unknown,
): { parameters: Record<string, unknown>; timeoutSeconds?: number; heartbeatSeconds?: number } {
  const {
    [TIMEOUT_KEY]: timeout,
    [HEARTBEAT_KEY]: heartbeat,
    ...parameters
  } = input as Record<string, unknown>;
  const timeoutSeconds = seconds(stateName, 'TimeoutSeconds', timeout);
  const heartbeatSeconds = seconds(stateName, 'HeartbeatSeconds', heartbeat);
  return {
    parameters,
    ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
    ...(heartbeatSeconds !== undefined ? { heartbeatSeconds } : {}),
  };
}

/** Returns the value with the token in place of every `$$.Task.Token` (also inside intrinsic results). */
export function withTaskToken(value: unknown, token: string): unknown {
  if (typeof value === 'string') return value.replaceAll(TASK_TOKEN_CONTEXT, token);
  if (Array.isArray(value)) return value.map((item) => withTaskToken(item, token));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withTaskToken(v, token)]));
  }
  return value;
}

/** How a waiting Task ended: its token completed, or its execution stopped (the result is dropped). */
export type TaskTokenCompletion =
  | { kind: 'success'; output: unknown }
  | { kind: 'failure'; error: string; cause: string }
  | { kind: 'stopped' };

/** The errors the Step Functions API answers a token call with (HTTP 400, `__type` = the name). */
export type TaskTokenErrorName = 'InvalidToken' | 'TaskDoesNotExist' | 'TaskTimedOut' | 'InvalidOutput';

export class TaskTokenError extends Error {
  constructor(name: TaskTokenErrorName, message: string) {
    super(message);
    this.name = name;
  }
}

/** One token handed to a Task. */
export interface WaitingTask {
  readonly token: string;
  /** Set once completed (or stopped). */
  readonly completion: TaskTokenCompletion | undefined;
  /** The Task's start, then each heartbeat's time. */
  readonly lastHeartbeatAt: Date;
  /** Resolves with the completion, or undefined after `withinMs` real milliseconds (never, when absent). */
  completed(withinMs?: number): Promise<TaskTokenCompletion | undefined>;
}

interface Entry {
  executionArn: string;
  open: boolean;
  completion?: TaskTokenCompletion;
  lastHeartbeatAt: Date;
  listeners: Set<(completion: TaskTokenCompletion) => void>;
}

/**
 * The tokens of the engine's token Tasks. A token stays known after its Task ended (completed, timed
 * out, failed, stopped) so a late completion answers `TaskTimedOut`, as Step Functions does.
 */
export class TaskTokens {
  readonly #entries = new Map<string, Entry>();
  readonly #byExecution = new Map<string, Set<string>>();

  /** Returns a success completion; `output` must be JSON text (else `InvalidOutput`). */
  static success(output: string): TaskTokenCompletion {
    try {
      return { kind: 'success', output: JSON.parse(output) };
    } catch {
      throw new TaskTokenError('InvalidOutput', 'Invalid Output: the output is not valid JSON');
    }
  }

  /** Hands out a fresh token for a Task of the execution that starts at `at` (execution time). */
  open(executionArn: string, at: Date): WaitingTask {
    const token = `${TOKEN_PREFIX}${randomUUID()}`;
    const entry: Entry = { executionArn, open: true, lastHeartbeatAt: at, listeners: new Set() };
    this.#entries.set(token, entry);
    const tokens = this.#byExecution.get(executionArn) ?? new Set<string>();
    tokens.add(token);
    this.#byExecution.set(executionArn, tokens);
    return {
      token,
      get completion() {
        return entry.completion;
      },
      get lastHeartbeatAt() {
        return entry.lastHeartbeatAt;
      },
      completed: (withinMs?: number) => {
        if (entry.completion || !entry.open) return Promise.resolve(entry.completion);
        return new Promise((resolve) => {
          let timer: NodeJS.Timeout | undefined;
          const listener = (completion: TaskTokenCompletion) => {
            clearTimeout(timer);
            resolve(completion);
          };
          entry.listeners.add(listener);
          if (withinMs !== undefined) {
            timer = setTimeout(() => {
              entry.listeners.delete(listener);
              resolve(entry.completion);
            }, withinMs);
          }
        });
      },
    };
  }

  /** Completes the token's Task; throws a `TaskTokenError` when the token is unknown or no longer waits. */
  complete(token: string, completion: TaskTokenCompletion): void {
    const entry = this.#waiting(token);
    this.#settle(token, entry, completion);
  }

  /** Records a heartbeat at `at`; throws as `complete`. */
  heartbeat(token: string, at: Date): void {
    const entry = this.#waiting(token);
    if (at > entry.lastHeartbeatAt) entry.lastHeartbeatAt = at;
  }

  /** The Task ended otherwise (timed out, its Lambda failed): later calls answer `TaskTimedOut`. */
  close(token: string): void {
    const entry = this.#entries.get(token);
    if (!entry) return;
    entry.open = false;
    entry.listeners.clear();
    this.#byExecution.get(entry.executionArn)?.delete(token);
  }

  /** The execution stopped: its waiting Tasks end (their result is dropped) and their tokens close. */
  closeAllOf(executionArn: string): void {
    for (const token of this.#byExecution.get(executionArn) ?? []) {
      const entry = this.#entries.get(token);
      if (entry?.open) this.#settle(token, entry, { kind: 'stopped' });
    }
    this.#byExecution.delete(executionArn);
  }

  #waiting(token: string): Entry {
    if (typeof token !== 'string' || !TOKEN_SHAPE.test(token)) {
      throw new TaskTokenError('InvalidToken', 'Invalid Token: not a task token');
    }
    const entry = this.#entries.get(token);
    if (!entry) throw new TaskTokenError('TaskDoesNotExist', 'Task Does Not Exist');
    if (!entry.open) {
      throw new TaskTokenError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
    }
    return entry;
  }

  #settle(token: string, entry: Entry, completion: TaskTokenCompletion): void {
    entry.completion = completion;
    const listeners = [...entry.listeners];
    this.close(token);
    for (const listener of listeners) listener(completion);
  }
}
