/**
 * EventBridge Scheduler's one-time schedules (`at(…)`, deleted after they ran) on the local
 * runtime, on its simulated clock: a schedule runs by itself once world time reaches it — as real
 * time passes (`npm start`), or at once when the world is moved on (`SimulatedClock.advanceWorld`,
 * the tests' "sixteen minutes later"). Here they start the erasure's second pass.
 */
import type { ErasurePassScheduler } from '#core/ports.ts';
import type { SimulatedClock } from './simulated-clock.ts';

/** The longest delay `setTimeout` takes. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface OneTimeSchedule {
  at: Date;
  input: unknown;
}

export interface ScheduleRun extends OneTimeSchedule {
  /** World time when it ran. */
  ranAt: Date;
  outcome: 'succeeded' | 'failed';
  result?: unknown;
  error?: string;
}

export class LocalOneTimeSchedules implements ErasurePassScheduler {
  private readonly clock: SimulatedClock;
  private readonly target: (input: unknown) => Promise<unknown>;
  private readonly waiting: OneTimeSchedule[] = [];
  private readonly running = new Set<Promise<void>>();
  /** Every schedule that ran, in order: what the scheduler's metrics and dead-letter queue would show. */
  readonly runs: ScheduleRun[] = [];
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  /** `target`: the function the schedules invoke (the second pass), called with each schedule's input. */
  constructor(clock: SimulatedClock, target: (input: unknown) => Promise<unknown>) {
    this.clock = clock;
    this.target = target;
    clock.onAdvance(() => this.runDue());
  }

  async scheduleSecondPass(customerId: string, at: Date): Promise<void> {
    this.waiting.push({ at, input: { customerId } });
    this.waiting.sort((a, b) => a.at.getTime() - b.at.getTime());
    this.arm();
  }

  /** The schedules not yet run, earliest first. */
  pending(): readonly OneTimeSchedule[] {
    return [...this.waiting];
  }

  /** Resolves once every schedule that is due has run. */
  async whenIdle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** Runs every schedule whose time has come, each once, and re-arms for the next. */
  private runDue(): void {
    if (this.stopped) return;
    const now = this.clock.worldNow();
    while (this.waiting[0] && this.waiting[0].at.getTime() <= now.getTime()) {
      const schedule = this.waiting.shift() as OneTimeSchedule;
      const run = this.runOne(schedule).finally(() => this.running.delete(run));
      this.running.add(run);
    }
    this.arm();
  }

  private async runOne(schedule: OneTimeSchedule): Promise<void> {
    const ranAt = this.clock.worldNow();
    try {
      const result = await this.target(schedule.input);
      this.runs.push({ ...schedule, ranAt, outcome: 'succeeded', result });
    } catch (error) {
      this.runs.push({ ...schedule, ranAt, outcome: 'failed', error: (error as Error).name });
    }
  }

  /** A real-time timer for the earliest schedule, for when world time reaches it without being moved on. */
  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const next = this.waiting[0];
    if (!next || this.stopped) return;
    const delay = Math.min(Math.max(0, next.at.getTime() - this.clock.worldNow().getTime()), MAX_TIMER_MS);
    this.timer = setTimeout(() => this.runDue(), delay);
    this.timer.unref();
  }
}
