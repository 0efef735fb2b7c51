/**
 * At most `size` journey task calls at once; the rest wait their turn, first come first served.
 *
 * Every run's tasks share one process with the HTTP API. Unbounded, hundreds of runs' Lambda and
 * DynamoDB calls interleave with every API request, so a start or an exit event waits behind all
 * of them (tens of seconds with a few hundred runs going). Bounded, an API request waits behind a
 * handful, while the runs go on as fast as the machine allows. Simulated time is per run, so a run
 * that waits for a slot decides exactly as it would have without waiting.
 *
 * While an API request is answered (`givingWay`), tasks take at most `whileGivingWay` slots: on AWS
 * the API's Lambdas do not share a processor with the journeys' Lambdas, so a start's latency does
 * not grow with the runs going. The runs keep going meanwhile, more slowly, and catch up in between.
 */
export class TaskSlots {
  readonly #size: number;
  readonly #whileGivingWay: number;
  #busy = 0;
  /** Calls going that tasks give way to. */
  #givingWay = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(size: number, options: { whileGivingWay?: number } = {}) {
    const whileGivingWay = options.whileGivingWay ?? size;
    for (const n of [size, whileGivingWay]) {
      if (!Number.isInteger(n) || n < 1) throw new Error('task slots: a whole number ≥ 1');
    }
    this.#size = size;
    this.#whileGivingWay = Math.min(size, whileGivingWay);
  }

  /** Calls `task` once a slot is free and frees it when the task settles. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#waiting.length > 0 || this.#busy >= this.#limit()) {
      // `#admit` counts the slot for this task before it wakes it.
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else this.#busy += 1;
    try {
      return await task();
    } finally {
      this.#busy -= 1;
      this.#admit();
    }
  }

  /** Calls `call` (an API request) with tasks held to `whileGivingWay` slots until it settles. */
  async givingWay<T>(call: () => Promise<T>): Promise<T> {
    this.#givingWay += 1;
    try {
      return await call();
    } finally {
      this.#givingWay -= 1;
      this.#admit();
    }
  }

  #limit(): number {
    return this.#givingWay > 0 ? this.#whileGivingWay : this.#size;
  }

  /** Wakes waiting tasks, oldest first, while slots are free. */
  #admit(): void {
    while (this.#waiting.length > 0 && this.#busy < this.#limit()) {
      this.#busy += 1;
      this.#waiting.shift()?.();
    }
  }
}
