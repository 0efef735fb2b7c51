/**
 * Holds a person puts on a customer's automated messages from the console: a pause of every journey
 * (the customer talks to a person), a promise to pay on a date (the payment reminder waits for it),
 * a dispute (reminders stop while a person looks into it). A journey step that would send during a
 * hold defers to its end, as it defers to the customer's window: the pure decision is here, the step
 * enforces it.
 */
import * as z from 'zod/mini';

export type HoldKind = 'pause' | 'promise-to-pay' | 'dispute' | 'arrangement';

export interface Hold {
  kind: HoldKind;
  /** No message before this moment (UTC ISO). */
  until: string;
  /** Who put it (a console user name or `system:<principal>`). */
  by: string;
  /** When it was put (UTC ISO). */
  at: string;
  /** The run it holds; absent: every run of the customer (a pause). */
  runId?: string;
  /** The promised payment day (`promise-to-pay`), ISO date. */
  promisedDate?: string;
  /** The payment arrangement that holds the run (`arrangement`); its end is the open instalment's grace. */
  arrangementId?: string;
  /** Why, in plain words and free of personal data, when the kind alone does not say it (an arrangement). */
  reason?: string;
}

export const HoldSchema = z.object({
  kind: z.enum(['pause', 'promise-to-pay', 'dispute', 'arrangement']),
  until: z.string(),
  by: z.string(),
  at: z.string(),
  runId: z.optional(z.string()),
  promisedDate: z.optional(z.string()),
  arrangementId: z.optional(z.string()),
  reason: z.optional(z.string()),
});

/** The longest pause or promise a person may set: longer is a decision about the journey, not a hold. */
export const MAX_HOLD_DAYS = 90;

/**
 * Days after the promised day before the reminder may go again: a payment made on the promised day
 * takes a banking day to show, and a reminder crossing it in the post costs goodwill.
 */
export const PROMISE_GRACE_DAYS = 2;

/** How long a dispute holds the reminders at most, unless a person closes its hand-over earlier. */
export const DISPUTE_HOLD_DAYS = 30;

const DAY_MS = 86_400_000;

/** The hold a step meets now, and the reason its deferral records in plain words. */
export interface HoldNow {
  until: Date;
  reason: string;
}

function reasonOf(hold: Hold): string {
  switch (hold.kind) {
    case 'pause':
      return `paused until ${hold.until} by a person (${hold.by})`;
    case 'promise-to-pay':
      return `waits for the promise to pay on ${hold.promisedDate ?? hold.until} recorded by a person (${hold.by}), until ${hold.until}`;
    case 'dispute':
      return `held while a dispute is with a person (${hold.by}), until ${hold.until} at most`;
    case 'arrangement':
      return `paused by ${hold.reason ?? `payment arrangement ${hold.arrangementId}`}; until ${hold.until}`;
  }
}

/**
 * Returns the hold that keeps the run's next message back now, if any: a pause holds every run of the
 * customer, a promise or dispute only its own run. Of several, the one that ends last decides.
 */
export function holdNow(holds: readonly Hold[], runId: string, now: Date): HoldNow | undefined {
  let found: Hold | undefined;
  for (const hold of holds) {
    if (hold.runId !== undefined && hold.runId !== runId) continue;
    if (Date.parse(hold.until) <= now.getTime()) continue;
    if (!found || Date.parse(hold.until) > Date.parse(found.until)) found = hold;
  }
  return found && { until: new Date(found.until), reason: reasonOf(found) };
}

/**
 * Returns the payment arrangement whose hold of the run has run out by `now` (its open instalment's
 * grace is over; a paid instalment would have moved the hold on), if any: the reminders go on.
 */
export function lapsedArrangementHold(holds: readonly Hold[], runId: string, now: Date): Hold | undefined {
  return holds.find(
    (hold) => hold.kind === 'arrangement' && hold.runId === runId && Date.parse(hold.until) <= now.getTime(),
  );
}

/** The start (UTC) of the day `days` after the ISO date: the first moment a message may go. */
export function promiseWakeAt(promisedDate: string, graceDays = PROMISE_GRACE_DAYS): Date {
  return new Date(Date.parse(`${promisedDate}T00:00:00Z`) + graceDays * DAY_MS);
}

/**
 * Why `until` cannot end a hold put at `now` (in the past, or more than `MAX_HOLD_DAYS` ahead), or
 * undefined when it can.
 */
export function holdEndProblem(until: Date, now: Date): string | undefined {
  if (until.getTime() <= now.getTime()) return 'must be in the future';
  if (until.getTime() - now.getTime() > MAX_HOLD_DAYS * DAY_MS) {
    return `must be at most ${MAX_HOLD_DAYS} days ahead`;
  }
  return undefined;
}

/**
 * Why a promised payment day cannot be held for at `now` (before today, or further than
 * `MAX_HOLD_DAYS`), or undefined.
 */
export function promisedDateProblem(promisedDate: string, now: Date): string | undefined {
  const day = Date.parse(`${promisedDate}T00:00:00Z`);
  const today = Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00Z`);
  if (day < today) return 'must be today or later';
  if (day - today > MAX_HOLD_DAYS * DAY_MS) return `must be at most ${MAX_HOLD_DAYS} days ahead`;
  return undefined;
}
