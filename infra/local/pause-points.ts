/**
 * Pause points of the local journey engine: an execution that enters a paused state stays there
 * until it is released, so a test (or a demo) can act "in the middle of a wait" on any machine
 * load. Waiting for a pause is waiting for an engine event, never for real time to pass.
 */

/** The part of an execution a pause point looks at. */
export interface PausableExecution {
  readonly executionArn: string;
  readonly status: string;
  readonly statesEntered: readonly string[];
}

export interface PausePoint {
  /** The state executions pause in. */
  readonly state: string;
  /**
   * Resolves once the execution is held here; rejects, naming the path it took, when it stops
   * without having been held here.
   */
  reached(execution: PausableExecution): Promise<void>;
  /** Lets the execution (or, without one, every held execution and every later one) go on. */
  release(execution?: PausableExecution): void;
}

interface Hold {
  execution: PausableExecution;
  resume: () => void;
}

interface Point extends PausePoint {
  where: (execution: PausableExecution) => boolean;
  closed: boolean;
  /** Executions held here now, by ARN. */
  held: Map<string, Hold>;
  /** Executions that have been held here (released or not): each pauses here once. */
  visited: Set<string>;
  released: Set<string>;
  waiters: Map<string, Array<{ resolve: () => void; reject: (error: Error) => void }>>;
}

/** The engine's pause points, by state name. */
export class PausePoints {
  readonly #byState = new Map<string, Point[]>();
  readonly #onHold = new Set<() => void>();

  /**
   * Pauses every execution matching `where` the first time it enters `state` (while the point is
   * not released as a whole).
   */
  add(state: string, where: (execution: PausableExecution) => boolean): PausePoint {
    const point: Point = {
      state,
      where,
      closed: false,
      held: new Map(),
      visited: new Set(),
      released: new Set(),
      waiters: new Map(),
      reached: (execution) => {
        if (point.held.has(execution.executionArn) || point.visited.has(execution.executionArn))
          return Promise.resolve();
        if (execution.status !== 'RUNNING') return Promise.reject(neverReached(state, execution));
        return new Promise((resolve, reject) => {
          const waiting = point.waiters.get(execution.executionArn) ?? [];
          waiting.push({ resolve, reject });
          point.waiters.set(execution.executionArn, waiting);
        });
      },
      release: (execution) => {
        if (!execution) point.closed = true;
        for (const hold of [...point.held.values()]) {
          if (execution && hold.execution.executionArn !== execution.executionArn) continue;
          point.held.delete(hold.execution.executionArn);
          hold.resume();
        }
        if (execution) point.released.add(execution.executionArn);
      },
    };
    const points = this.#byState.get(state) ?? [];
    points.push(point);
    this.#byState.set(state, points);
    return point;
  }

  /**
   * Resolves when the execution, which just entered `state`, may go on: at once unless a pause point
   * holds it; else when released, when the execution stops, or when `endsWhen` settles (a token
   * Task's token completed).
   */
  async hold(execution: PausableExecution, state: string, endsWhen?: Promise<unknown>): Promise<undefined> {
    const holding: Array<Promise<void>> = [];
    for (const point of this.#byState.get(state) ?? []) {
      const arn = execution.executionArn;
      if (point.closed || point.visited.has(arn) || point.released.has(arn) || !point.where(execution))
        continue;
      point.visited.add(arn);
      holding.push(new Promise<void>((resume) => point.held.set(arn, { execution, resume })));
      for (const waiter of point.waiters.get(arn) ?? []) waiter.resolve();
      point.waiters.delete(arn);
    }
    if (holding.length === 0) return undefined;
    const end = () => this.#resume(execution, state);
    endsWhen?.then(end, end);
    for (const listener of [...this.#onHold]) listener();
    await Promise.all(holding);
    return undefined;
  }

  #resume(execution: PausableExecution, state: string): void {
    for (const point of this.#byState.get(state) ?? []) {
      point.held.get(execution.executionArn)?.resume();
      point.held.delete(execution.executionArn);
    }
  }

  /** The execution stopped: it goes on nowhere, and whoever waits for it to pause learns so. */
  stopped(execution: PausableExecution): void {
    for (const points of this.#byState.values()) {
      for (const point of points) {
        this.#resume(execution, point.state);
        for (const waiter of point.waiters.get(execution.executionArn) ?? [])
          waiter.reject(neverReached(point.state, execution));
        point.waiters.delete(execution.executionArn);
      }
    }
  }

  /** Releases every pause point: nothing pauses any more. */
  releaseAll(): void {
    for (const points of this.#byState.values()) for (const point of points) point.release();
  }

  /** `executionArn → state` of every execution held now. */
  heldNow(): Map<string, string> {
    const held = new Map<string, string>();
    for (const [state, points] of this.#byState)
      for (const point of points) for (const arn of point.held.keys()) held.set(arn, state);
    return held;
  }

  /** A promise that resolves the next time an execution is held, and a way to stop listening. */
  nextHold(): { promise: Promise<void>; cancel: () => void } {
    const { promise, resolve } = Promise.withResolvers<void>();
    const listener = () => {
      this.#onHold.delete(listener);
      resolve();
    };
    this.#onHold.add(listener);
    return { promise, cancel: () => this.#onHold.delete(listener) };
  }
}

function neverReached(state: string, execution: PausableExecution): Error {
  return new Error(
    `${execution.executionArn} never reached ${state} (${execution.status}): ${execution.statesEntered.join(' → ')}`,
  );
}
