/**
 * At most `size` journey task calls at once; the rest wait their turn, first come first served.
 *
 * Every run's tasks share one process with the HTTP API. Unbounded, hundreds of runs' Lambda and
 * DynamoDB calls interleave with every API request, so a start or an exit event waits behind all
 * of them (tens of seconds with a few hundred runs going). Bounded, an API request waits behind a
 * handful, while the runs go on as fast as the machine allows. Simulated time is per run, so a run
 * that waits for a slot decides exactly as it would have without waiting.
 */
export class TaskSlots {
  readonly #size: number;
  #busy = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error('task slots: a whole number ≥ 1');
    this.#size = size;
  }

  /** Calls `task` once a slot is free and frees it when the task settles. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#busy >= this.#size) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#busy += 1;
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      // The slot passes straight to the next waiter: `busy` stays as it is.
      if (next) next();
      else this.#busy -= 1;
    }
  }
}
