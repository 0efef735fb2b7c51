import { AsyncLocalStorage } from 'node:async_hooks';
import type { Clock } from '#core/ports.ts';

interface ExecutionTime {
  now: number;
}

/**
 * Simulated time for the local runtime, so a 14-day journey finishes in seconds and every
 * decision is made on the time the journey would have on AWS.
 *
 * Outside an execution (the HTTP API, the seeding) time is the simulation's start plus the
 * real time elapsed since. Each journey execution carries its own time in an AsyncLocalStorage:
 * it starts at the world time of its start and jumps forward whenever the execution passes a
 * Wait state. Handlers only ever see `clock.now()`, the same port the system clock implements.
 */
export class SimulatedClock implements Clock {
  private readonly storage = new AsyncLocalStorage<ExecutionTime>();
  private readonly start: Date;
  private readonly realNow: () => number;
  private readonly startedAtReal: number;
  /** Simulated time the world was moved on by (`advanceWorld`), beyond real elapsed time. */
  private skippedMs = 0;
  private readonly advanceListeners: Array<() => void> = [];

  constructor(start: Date, realNow: () => number = Date.now) {
    this.start = start;
    this.realNow = realNow;
    this.startedAtReal = realNow();
  }

  /** World time: the simulation's start plus real elapsed time, plus any time the world was moved on. */
  worldNow(): Date {
    return new Date(this.start.getTime() + (this.realNow() - this.startedAtReal) + this.skippedMs);
  }

  /**
   * Moves world time on by `ms` at once ("fifteen minutes later"): what is due by then (a one-time
   * schedule) runs. Executions keep their own time.
   */
  advanceWorld(ms: number): void {
    if (ms < 0) throw new Error('simulated time never runs backwards');
    this.skippedMs += ms;
    for (const listener of this.advanceListeners) listener();
  }

  /** Calls `listener` whenever world time is moved on. */
  onAdvance(listener: () => void): void {
    this.advanceListeners.push(listener);
  }

  now(): Date {
    const execution = this.storage.getStore();
    return execution ? new Date(execution.now) : this.worldNow();
  }

  /** Runs `fn` (an execution) on its own timeline, starting at the current world time. */
  runExecution<T>(fn: (advanceTo: (at: Date) => void) => T): T {
    const time: ExecutionTime = { now: this.worldNow().getTime() };
    const advanceTo = (at: Date) => {
      // Time never runs backwards: a Wait for a past timestamp does not wait at all.
      time.now = Math.max(time.now, at.getTime());
    };
    return this.storage.run(time, () => fn(advanceTo));
  }
}
