import * as dynamodb from '@aws-sdk/client-dynamodb';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { type AslDefinition, type AslState, allStates, waitTarget } from './asl.ts';
import { type PausableExecution, type PausePoint, PausePoints } from './pause-points.ts';
import type { SimulatedClock } from './simulated-clock.ts';
import { TaskSlots } from './task-slots.ts';
import {
  isTaskTokenResource,
  TASK_TOKEN_CONTEXT,
  type TaskTokenCompletion,
  TaskTokens,
  taskTokenSettingsOf,
  withLocalTaskTokens,
  withTaskToken,
} from './task-tokens.ts';

/** A Lambda as the local runtime calls it: the handler of `functions/handlers/<id>.ts`. */
export type LocalLambda = (payload: unknown) => Promise<unknown>;

/** The longest delay `setTimeout` takes. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Definitions this process has already validated, by their text. The library validates a definition
 * with a freshly compiled JSON schema (ajv) at every `new StateMachine`, about a quarter of a second of
 * CPU per machine; a process that starts several stacks (tests, benchmarks) validates each text once.
 */
const validatedDefinitions = new Set<string>();

function stateMachineOf(definition: AslDefinition): StateMachine {
  const text = JSON.stringify(definition);
  const validated = validatedDefinitions.has(text);
  const machine = new StateMachine(definition as unknown as StateMachineDefinition, {
    validationOptions: validated ? { noValidate: true } : { checkPaths: true, checkArn: true },
  });
  validatedDefinitions.add(text);
  return machine;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';

export interface LocalExecution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  input: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  /** The execution's simulated time when it stopped. */
  simulatedStopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  /** States entered, in order: what a test or the demo can assert the path on. */
  statesEntered: string[];
  /** States retried (one entry per retry), in order. */
  retries: string[];
  /** Lambda tasks invoked, retries included. */
  lambdaInvocations: number;
  result: Promise<void>;
  /** Stops the execution (StopExecution); set while it runs. */
  abort?: () => void;
}

export class ExecutionAlreadyExists extends Error {
  constructor(name: string) {
    super(`Execution Already Exists: '${name}'`);
    this.name = 'ExecutionAlreadyExists';
  }
}

export class StateMachineDoesNotExist extends Error {
  constructor(arn: string) {
    super(`State Machine Does Not Exist: '${arn}'`);
    this.name = 'StateMachineDoesNotExist';
  }
}

export interface JourneyEngineOptions {
  /** Definitions with their substitutions already filled, by state machine ARN. */
  stateMachines: ReadonlyMap<string, AslDefinition>;
  /** Local handlers by Lambda function ARN. */
  lambdas: ReadonlyMap<string, LocalLambda>;
  /** Serves `arn:aws:states:::dynamodb:*` integrations, pointed at the local DynamoDB. */
  dynamodb: dynamodb.DynamoDBClient;
  clock: SimulatedClock;
  /** Wraps every Lambda task call: the local feedback loop delivers what a task sent once it ends. */
  aroundLambda?: <T>(call: () => Promise<T>) => Promise<T>;
  /**
   * Told when an execution has ended (succeeded, failed, timed out or stopped), before its `result`
   * settles: the local counterpart of Step Functions' status-change event.
   */
  onExecutionEnded?: (execution: LocalExecution) => Promise<void>;
  /**
   * Lambda and DynamoDB task calls running at once across every execution (default
   * `DEFAULT_TASK_SLOTS`); more wait their turn, so the HTTP API is not queued behind every run.
   */
  taskSlots?: number;
  /** Task calls running at once while an API request is answered (`givingWay`; default `DEFAULT_TASK_SLOTS_GIVING_WAY`). */
  taskSlotsGivingWay?: number;
}

/** Enough to keep two cores busy with I/O in between; few enough that an API request waits behind a handful. */
export const DEFAULT_TASK_SLOTS = 16;
/**
 * While API requests are answered: the runs go on, one task call at a time, and a request waits behind
 * that one at most (at 50 starts in flight: 92 starts/s with one, 80 with two).
 */
export const DEFAULT_TASK_SLOTS_GIVING_WAY = 1;

/**
 * Returns the nominal wait before a retry (no jitter), which simulated time skips: Step Functions'
 * `IntervalSeconds × BackoffRate^(attempt-1)`, capped by `MaxDelaySeconds`.
 */
export function retryDelayMs(retrier: Record<string, unknown>, attempt: number): number {
  const interval = typeof retrier.IntervalSeconds === 'number' ? retrier.IntervalSeconds : 1;
  const backoff = typeof retrier.BackoffRate === 'number' ? retrier.BackoffRate : 2;
  const cap =
    typeof retrier.MaxDelaySeconds === 'number' ? retrier.MaxDelaySeconds : Number.POSITIVE_INFINITY;
  return Math.min(interval * backoff ** Math.max(0, attempt - 1), cap) * 1000;
}

const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
const DYNAMODB_INTEGRATION = /^arn:aws:states:::dynamodb:(getItem|putItem|updateItem|deleteItem)$/;

/** The DynamoDB integrations journeys use; their Parameters are the API's own request shapes. */
const dynamoCalls = {
  getItem: (client: dynamodb.DynamoDBClient, input: unknown) =>
    client.send(new dynamodb.GetItemCommand(input as dynamodb.GetItemCommandInput)),
  putItem: (client: dynamodb.DynamoDBClient, input: unknown) =>
    client.send(new dynamodb.PutItemCommand(input as dynamodb.PutItemCommandInput)),
  updateItem: (client: dynamodb.DynamoDBClient, input: unknown) =>
    client.send(new dynamodb.UpdateItemCommand(input as dynamodb.UpdateItemCommandInput)),
  deleteItem: (client: dynamodb.DynamoDBClient, input: unknown) =>
    client.send(new dynamodb.DeleteItemCommand(input as dynamodb.DeleteItemCommandInput)),
} as const;

/** The resource a Wait state runs as locally (see `withLocalWaits`); never called on AWS. */
const LOCAL_WAIT_RESOURCE = 'arn:aws:states:::klantreis-local:wait';

/**
 * Returns a copy of the definition whose Wait states are Tasks the engine runs itself: the library
 * would sleep in real time, where the engine moves the execution's clock to the Wait's target and
 * lets a pause point hold the execution there (a Task with its default paths passes its input on,
 * as a Wait does). Also returns the Wait states as written, by name.
 */
export function withLocalWaits(definition: AslDefinition): {
  definition: AslDefinition;
  waits: Map<string, AslState>;
} {
  const copy = structuredClone(definition);
  const waits = new Map<string, AslState>();
  for (const [name, state] of allStates(copy)) {
    if (state.Type !== 'Wait') continue;
    waits.set(name, structuredClone(state));
    for (const field of ['Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath']) delete state[field];
    state.Type = 'Task';
    state.Resource = LOCAL_WAIT_RESOURCE;
  }
  return { definition: copy, waits };
}

/**
 * Returns a copy of the definition whose Task states without a timeout have none, as on AWS
 * (a Lambda task is bounded by the function's own timeout). aws-local-stepfunctions would
 * otherwise fail any task after 60 s of real time, which a batch reaches on a loaded machine.
 */
export function withTaskTimeoutsOfAws(definition: AslDefinition): AslDefinition {
  const copy = structuredClone(definition);
  for (const state of allStates(copy).values()) {
    if (state.Type === 'Task' && state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined)
      state.TimeoutSeconds = Math.floor(MAX_TIMER_MS / 1000);
  }
  return copy;
}

/**
 * Returns the error an execution failed with, as Step Functions reports it: the failing state's
 * error name and cause, not the engine's wrapper (a Map's first failing iteration included).
 */
export function executionFailureOf(error: unknown): { error: string; cause: string } {
  let failure = error as Error & { cause?: unknown };
  while (failure.name === 'ExecutionError' && failure.cause instanceof Error) {
    failure = failure.cause as Error & { cause?: unknown };
  }
  return { error: failure.name, cause: failure.message };
}

/**
 * Returns a handler's error as a Lambda function error reaches Step Functions on AWS: name = the
 * error's name (`errorType`), message = the JSON string `{"errorType","errorMessage","trace"}`, which
 * a Catch puts in `Cause` (a journey's Pass state parses it with `States.StringToJson`).
 */
export function asLambdaFunctionError(error: unknown): Error {
  const failure = error instanceof Error ? error : new Error(String(error));
  const cause = {
    errorType: failure.name,
    errorMessage: failure.message,
    trace: (failure.stack ?? '').split('\n').filter(Boolean),
  };
  const named = new Error(JSON.stringify(cause));
  named.name = failure.name;
  return named;
}

/** Lets the execution's event-log reader catch up before a task reads the simulated clock. */
const nextMacrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Runs journeys on one machine: the same ASL files, executed by aws-local-stepfunctions, with
 * every Lambda task bound to its in-process handler and every DynamoDB integration sent to the
 * local DynamoDB. Waits take no real time while the simulated clock moves on; a pause point holds
 * an execution in a wait until released (`pauseAt`).
 */
export class JourneyEngine {
  private readonly options: JourneyEngineOptions;
  private readonly machines = new Map<string, MachineEntry>();
  private readonly executions = new Map<string, LocalExecution>();
  /** Task calls still going: a stopped execution's Lambda runs on to its end, as on AWS. */
  private readonly tasksInFlight = new Set<Promise<unknown>>();
  /** The task tokens handed out by `.waitForTaskToken` Tasks, waiting or closed. */
  private readonly taskTokens = new TaskTokens();
  private readonly pauses = new PausePoints();
  private readonly slots: TaskSlots;

  constructor(options: JourneyEngineOptions) {
    this.options = options;
    this.slots = new TaskSlots(options.taskSlots ?? DEFAULT_TASK_SLOTS, {
      whileGivingWay: options.taskSlotsGivingWay ?? DEFAULT_TASK_SLOTS_GIVING_WAY,
    });
    for (const [arn, asl] of options.stateMachines) {
      // The engine times executions out in real milliseconds (setTimeout, at most 2^31-1 ms ≈ 24.8
      // days; beyond it Node fires at once). Time is simulated here, so a longer limit is clamped.
      // Token Tasks keep their timeouts to this engine (simulated time), not the library (real time).
      const { definition: withWaits, waits } = withLocalWaits(
        withLocalTaskTokens(
          typeof asl.TimeoutSeconds === 'number' && asl.TimeoutSeconds * 1000 > MAX_TIMER_MS
            ? { ...asl, TimeoutSeconds: Math.floor(MAX_TIMER_MS / 1000) }
            : asl,
        ),
      );
      const definition = withTaskTimeoutsOfAws(withWaits);
      this.machines.set(arn, { definition, waits, machine: stateMachineOf(definition) });
    }
  }

  /**
   * StartExecution semantics of Step Functions Standard: a name is used once per state machine;
   * repeating it with the same input while the run is going returns that run, otherwise it fails.
   */
  startExecution(request: { stateMachineArn: string; name: string; input: string }): {
    execution: LocalExecution;
    existing: boolean;
  } {
    const entry = this.machines.get(request.stateMachineArn);
    if (!entry) throw new StateMachineDoesNotExist(request.stateMachineArn);
    const executionArn = `${request.stateMachineArn.replace(':stateMachine:', ':execution:')}:${request.name}`;
    const known = this.executions.get(executionArn);
    if (known) {
      if (known.status === 'RUNNING' && known.input === request.input)
        return { execution: known, existing: true };
      throw new ExecutionAlreadyExists(request.name);
    }

    const execution: LocalExecution = {
      executionArn,
      stateMachineArn: request.stateMachineArn,
      name: request.name,
      input: request.input,
      status: 'RUNNING',
      startDate: new Date(),
      statesEntered: [],
      retries: [],
      lambdaInvocations: 0,
      result: Promise.resolve(),
    };
    this.executions.set(executionArn, execution);
    execution.result = this.options.clock.runExecution((advanceTo) => this.run(entry, execution, advanceTo));
    return { execution, existing: false };
  }

  /**
   * StopExecution semantics: a running execution ends ABORTED with the given error and cause; a
   * stopped one is left as it is. Returns the execution, or undefined when it does not exist.
   */
  stopExecution(
    executionArn: string,
    failure: { error?: string; cause?: string } = {},
  ): LocalExecution | undefined {
    const execution = this.executions.get(executionArn);
    if (execution?.status !== 'RUNNING') return execution;
    execution.status = 'ABORTED';
    execution.error = failure.error;
    execution.cause = failure.cause;
    execution.abort?.();
    this.pauses.stopped(execution);
    // Its waiting Tasks are gone: completing their tokens now answers TaskTimedOut, as on AWS.
    this.taskTokens.closeAllOf(executionArn);
    return execution;
  }

  /**
   * SendTaskSuccess: the `.waitForTaskToken` Task holding this token succeeds with `output` (a JSON
   * text) as its result. Throws `InvalidToken`, `TaskDoesNotExist`, `TaskTimedOut` (the Task no longer
   * waits: completed, timed out or its execution stopped) or `InvalidOutput`, as Step Functions does.
   */
  sendTaskSuccess(taskToken: string, output: string): void {
    this.taskTokens.complete(taskToken, TaskTokens.success(output));
  }

  /** SendTaskFailure: the Task holding this token fails with this error and cause; throws as `sendTaskSuccess`. */
  sendTaskFailure(taskToken: string, failure: { error?: string; cause?: string } = {}): void {
    this.taskTokens.complete(taskToken, {
      kind: 'failure',
      error: failure.error ?? '',
      cause: failure.cause ?? '',
    });
  }

  /** SendTaskHeartbeat: the Task holding this token is alive (its `HeartbeatSeconds` start again). */
  sendTaskHeartbeat(taskToken: string): void {
    this.taskTokens.heartbeat(taskToken, this.options.clock.now());
  }

  /**
   * Answers an API request (`call`) with the executions' task calls held to fewer slots until it
   * settles (see `TaskSlots`): a start or an exit event does not queue behind every run going.
   */
  givingWay<T>(call: () => Promise<T>): Promise<T> {
    return this.slots.givingWay(call);
  }

  /** Returns the type of a state by name (`Task`, `Wait`, …), for an execution history. */
  stateTypeOf(stateMachineArn: string, stateName: string): string | undefined {
    const entry = this.machines.get(stateMachineArn);
    if (!entry) return undefined;
    return entry.waits.get(stateName)?.Type ?? allStates(entry.definition).get(stateName)?.Type;
  }

  /**
   * Holds every execution matching `where` the first time it enters `state` until the returned point
   * releases it: a Wait state holds after its time has passed on the execution's clock, before its
   * next state; a `.waitForTaskToken` Task holds while it waits for its token (a completion, or
   * stopping the execution, ends the hold). Whatever happens meanwhile happens "mid-wait" on any
   * machine load. Add pause points before the executions they hold start.
   */
  pauseAt(state: string, where: (execution: LocalExecution) => boolean = () => true): PausePoint {
    const pausable = [...this.machines.values()].some((entry) => {
      const found = entry.waits.get(state) ?? allStates(entry.definition).get(state);
      return found?.Type === 'Wait' || (found?.Type === 'Task' && isTaskTokenResource(found.Resource));
    });
    if (!pausable) throw new Error(`no Wait state or .waitForTaskToken Task named ${state}`);
    return this.pauses.add(state, where as (execution: PausableExecution) => boolean);
  }

  /** Releases every pause point: held executions go on, none pauses any more. */
  releaseAll(): void {
    this.pauses.releaseAll();
  }

  describeExecution(executionArn: string): LocalExecution | undefined {
    return this.executions.get(executionArn);
  }

  listExecutions(): LocalExecution[] {
    return [...this.executions.values()];
  }

  /**
   * Resolves when every execution started so far has stopped and every task call has returned.
   * Rejects when only executions held at pause points are left: nothing would release them.
   */
  async whenIdle(): Promise<void> {
    for (;;) {
      const running = [...this.executions.values()].filter((e) => e.status === 'RUNNING');
      if (running.length === 0 && this.tasksInFlight.size === 0) return;
      const held = this.pauses.heldNow();
      if (this.tasksInFlight.size === 0 && running.every((e) => held.has(e.executionArn))) {
        const holds = [...held].map(([arn, state]) => `${arn} at ${state}`).join(', ');
        throw new Error(`the engine waits only for executions held at pause points: ${holds}`);
      }
      const nextHold = this.pauses.nextHold();
      await Promise.race([
        Promise.all([
          ...running.map((e) => e.result),
          ...[...this.tasksInFlight].map((t) => t.catch(() => undefined)),
        ]),
        nextHold.promise,
      ]);
      nextHold.cancel();
    }
  }

  /** Returns the task's call, tracked until it settles. */
  private tracked<T>(call: Promise<T>): Promise<T> {
    this.tasksInFlight.add(call);
    const untrack = () => this.tasksInFlight.delete(call);
    call.then(untrack, untrack);
    return call;
  }

  private async run(
    entry: MachineEntry,
    execution: LocalExecution,
    advanceTo: (at: Date) => void,
  ): Promise<void> {
    const states = allStates(entry.definition);
    const clock = this.options.clock;
    const taskResourceLocalHandlers: Record<string, (input: unknown) => Promise<never>> = {};
    const retryIntervalOverrides: Record<string, number> = {};
    for (const [name, state] of states) {
      if (entry.waits.has(name)) taskResourceLocalHandlers[name] = this.bindWait(name, execution);
      else if (state.Type === 'Task') {
        taskResourceLocalHandlers[name] = isTaskTokenResource(state.Resource)
          ? this.bindTaskTokenTask(name, execution, advanceTo)
          : this.bindTask(name, state, execution);
      }
      if (Array.isArray(state.Retry)) retryIntervalOverrides[name] = 0;
    }

    const running = entry.machine.run(JSON.parse(execution.input), {
      overrides: {
        taskResourceLocalHandlers: taskResourceLocalHandlers as never,
        retryIntervalOverrides,
      },
      context: {
        Execution: {
          Id: execution.executionArn,
          Name: execution.name,
          StartTime: clock.now().toISOString(),
        },
        StateMachine: { Id: execution.stateMachineArn },
        // `$$.Task.Token` evaluates to a marker; each token Task puts its own fresh token in its place.
        Task: { Token: TASK_TOKEN_CONTEXT },
      } as never,
    });

    execution.abort = running.abort;

    // The event log is read synchronously per event, so by the next macrotask the execution's
    // clock has moved past every Wait state entered before it (see `nextMacrotask`).
    const reader = (async () => {
      for await (const event of running.eventLogs) {
        if (event.type === 'StateRetried') {
          // The retry's backoff passes in simulated time, so a rate limit's next second comes.
          execution.retries.push(event.state.name);
          const { retrier, attempt } = event.retry as { retrier: Record<string, unknown>; attempt: number };
          advanceTo(new Date(clock.now().getTime() + retryDelayMs(retrier, attempt)));
          continue;
        }
        if (event.type !== 'StateEntered') continue;
        execution.statesEntered.push(event.state.name);
        const wait = entry.waits.get(event.state.name);
        if (wait) advanceTo(waitTarget(wait, event.state.input, clock.now()));
      }
    })();

    try {
      const output = await running.result;
      execution.status = 'SUCCEEDED';
      execution.output = JSON.stringify(output);
    } catch (error) {
      const failure = error as Error & { cause?: unknown };
      // StopExecution already set the status, error and cause.
      if (failure.name === 'ExecutionAbortedError' || execution.status === 'ABORTED') return;
      execution.status = failure.name === 'ExecutionTimeoutError' ? 'TIMED_OUT' : 'FAILED';
      const { error: name, cause } = executionFailureOf(failure);
      execution.error = name;
      execution.cause = cause;
    } finally {
      await reader.catch(() => undefined);
      this.pauses.stopped(execution);
      this.taskTokens.closeAllOf(execution.executionArn);
      execution.abort = undefined;
      execution.stopDate = new Date();
      execution.simulatedStopDate = clock.now();
      await this.options.onExecutionEnded?.(execution);
    }
  }

  /**
   * A `lambda:invoke.waitForTaskToken` Task: invokes the function with a fresh token in place of
   * `$$.Task.Token`, then waits for SendTaskSuccess / SendTaskFailure. A completion that arrives while
   * the Lambda runs, while the feedback of its sends is delivered (`aroundLambda`) or while a pause
   * point holds the Task settles it; none by then → the execution's clock moves to the timeout
   * (`TimeoutSeconds`, or `HeartbeatSeconds` since the last heartbeat, whichever comes first) and the
   * Task fails with `States.Timeout` or `States.HeartbeatTimeout`.
   */
  private bindTaskTokenTask(
    stateName: string,
    execution: LocalExecution,
    advanceTo: (at: Date) => void,
  ): (input: unknown) => Promise<never> {
    const clock = this.options.clock;
    return async (input: unknown) => {
      await nextMacrotask();
      const { parameters, timeoutSeconds, heartbeatSeconds } = taskTokenSettingsOf(stateName, input);
      const { FunctionName, Payload } = parameters as { FunctionName: string; Payload: unknown };
      const lambda = this.options.lambdas.get(FunctionName);
      if (!lambda) throw new Error(`state ${stateName}: no local handler for ${FunctionName}`);
      const startedAt = clock.now();
      const waiting = this.taskTokens.open(execution.executionArn, startedAt);
      execution.lambdaInvocations += 1;
      const around = this.options.aroundLambda;
      const payload = withTaskToken(Payload, waiting.token);
      try {
        // On AWS the function's own result is dropped: the Task's result is the token's output.
        await this.tracked(this.slots.run(() => (around ? around(() => lambda(payload)) : lambda(payload))));
      } catch (error) {
        // The function failed: the Task fails with its error, as a Lambda function error reaches it on AWS.
        this.taskTokens.close(waiting.token);
        throw asLambdaFunctionError(error);
      }
      const waitForever = timeoutSeconds === undefined && heartbeatSeconds === undefined;
      let completion: TaskTokenCompletion | undefined = waiting.completion;
      if (!completion) {
        // Held at a pause point: waiting for the token until released, completed or stopped.
        const completed = waiting.completed();
        completion = await Promise.race([completed, this.pauses.hold(execution, stateName, completed)]);
      }
      if (!completion && waitForever) {
        // No timeout at all: it waits until completed or stopped, as on AWS.
        completion = await waiting.completed();
      }
      if (completion) return settledResult(completion);

      const deadline = timeoutDeadline(startedAt, waiting.lastHeartbeatAt, timeoutSeconds, heartbeatSeconds);
      this.taskTokens.close(waiting.token);
      advanceTo(deadline.at);
      throw namedError(deadline.error, deadline.cause);
    };
  }

  /**
   * A Wait state (run as a Task, see `withLocalWaits`): the execution's clock already moved to its
   * target when it entered; it passes its input on once no pause point holds it. No real time passes.
   */
  private bindWait(stateName: string, execution: LocalExecution): (input: unknown) => Promise<never> {
    return async (input: unknown) => {
      await nextMacrotask();
      await this.pauses.hold(execution, stateName);
      return input as never;
    };
  }

  private bindTask(
    stateName: string,
    state: Record<string, unknown>,
    execution: LocalExecution,
  ): (input: unknown) => Promise<never> {
    const resource = String(state.Resource);
    if (resource === LAMBDA_INVOKE || resource.startsWith('arn:aws:lambda:')) {
      return async (input: unknown) => {
        await nextMacrotask();
        const invoke = resource === LAMBDA_INVOKE;
        const { FunctionName, Payload } = (invoke ? input : { FunctionName: resource, Payload: input }) as {
          FunctionName: string;
          Payload: unknown;
        };
        const lambda = this.options.lambdas.get(FunctionName);
        if (!lambda) throw new Error(`state ${stateName}: no local handler for ${FunctionName}`);
        execution.lambdaInvocations += 1;
        const around = this.options.aroundLambda;
        const result = await this.tracked(
          this.slots.run(() => (around ? around(() => lambda(Payload)) : lambda(Payload))),
        ).catch((error: unknown) => {
          throw asLambdaFunctionError(error);
        });
        // `lambda:invoke` wraps the function's result the way the AWS integration does.
        return (invoke ? { Payload: result, StatusCode: 200, ExecutedVersion: '$LATEST' } : result) as never;
      };
    }
    const dynamoAction = DYNAMODB_INTEGRATION.exec(resource)?.[1] as keyof typeof dynamoCalls | undefined;
    if (dynamoAction) {
      const call = dynamoCalls[dynamoAction];
      return async (input: unknown) => {
        await nextMacrotask();
        try {
          const { $metadata: _metadata, ...output } = await this.tracked(
            this.slots.run(() => call(this.options.dynamodb, input)),
          );
          return output as never;
        } catch (error) {
          // Step Functions prefixes service errors with the service name.
          const failure = error as Error;
          const named = new Error(failure.message);
          named.name = `DynamoDB.${failure.name}`;
          throw named;
        }
      };
    }
    throw new Error(`state ${stateName}: resource ${resource} has no local binding`);
  }
}

interface MachineEntry {
  /** The definition the library runs (Waits as Tasks, token Tasks rewritten, Task timeouts as on AWS). */
  definition: AslDefinition;
  /** The Wait states as written, by name. */
  waits: Map<string, AslState>;
  machine: StateMachine;
}

/** Returns an error with this name, as the engine matches `Retry` and `Catch` on it. */
function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** Returns the Task's result for a completed token, or throws its failure; a stopped run's result is dropped. */
function settledResult(completion: TaskTokenCompletion): never {
  if (completion.kind === 'failure') throw namedError(completion.error, completion.cause);
  return (completion.kind === 'success' ? completion.output : null) as never;
}

/**
 * Returns when and how a token Task that nobody completes times out: `TimeoutSeconds` after it started,
 * or `HeartbeatSeconds` after its start or last heartbeat, whichever comes first.
 */
export function timeoutDeadline(
  startedAt: Date,
  lastHeartbeatAt: Date,
  timeoutSeconds: number | undefined,
  heartbeatSeconds: number | undefined,
): { at: Date; error: 'States.Timeout' | 'States.HeartbeatTimeout'; cause: string } {
  const timeoutAt =
    timeoutSeconds === undefined ? Number.POSITIVE_INFINITY : startedAt.getTime() + timeoutSeconds * 1000;
  const heartbeatAt =
    heartbeatSeconds === undefined
      ? Number.POSITIVE_INFINITY
      : lastHeartbeatAt.getTime() + heartbeatSeconds * 1000;
  if (heartbeatAt < timeoutAt) {
    return {
      at: new Date(heartbeatAt),
      error: 'States.HeartbeatTimeout',
      cause: `no heartbeat within ${heartbeatSeconds} seconds`,
    };
  }
  return {
    at: new Date(timeoutAt),
    error: 'States.Timeout',
    cause: `task token not completed within ${timeoutSeconds} seconds`,
  };
}
