/**
 * Pausing and resuming a subject's payment reminders: one call each for whoever decides it (a payment
 * arrangement, a promise to pay on a call, a dispute). The pause is a hold on each running reminder run
 * about the subject (`#core/hold.ts`): the run stays where it is, and each step that wakes meanwhile
 * defers to the hold's end with the reason in the conversation, then goes on at the step it reached.
 */
import type { Hold, HoldKind } from '#core/hold.ts';
import type { HoldRepository, JourneyRun, RunLookup } from '#core/ports.ts';

/** The journey whose messages a hold about an invoice keeps back. */
export const PAYMENT_REMINDER = 'payment-reminder';

export interface ReminderHoldDeps {
  runs: RunLookup;
  holds: Pick<HoldRepository, 'putHold' | 'removeHold'>;
}

/** Why and by whom the reminders wait. */
export interface PauseReason {
  kind: Exclude<HoldKind, 'pause'>;
  /** Who decided it: a console user, `system:<principal>`, or `arrangement.agreed`. */
  by: string;
  /** Plain words, free of personal data (an arrangement's next instalment and its grace). */
  reason?: string;
  promisedDate?: string;
  arrangementId?: string;
}

/** Returns the customer's running payment reminders about the subject. */
export async function runningReminders(
  runs: RunLookup,
  customerId: string,
  subjectId: string,
): Promise<JourneyRun[]> {
  return (await runs.listRuns(customerId)).filter(
    (run) => run.status === 'running' && run.journeyId === PAYMENT_REMINDER && run.subjectId === subjectId,
  );
}

/**
 * Holds the customer's running payment reminders about the subject until `until` (each run's hold
 * replaces the one it had); returns the runs it holds. A phone promise to pay is this call with
 * `until` the promised day plus grace; a dispute is this call and a hand-over.
 */
export async function pauseRemindersUntil(
  deps: ReminderHoldDeps,
  customerId: string,
  subjectId: string,
  until: Date,
  why: PauseReason,
  now: Date,
): Promise<JourneyRun[]> {
  const held = await runningReminders(deps.runs, customerId, subjectId);
  for (const run of held) {
    const hold: Hold = {
      kind: why.kind,
      until: until.toISOString(),
      by: why.by,
      at: now.toISOString(),
      runId: run.runId,
      ...(why.promisedDate ? { promisedDate: why.promisedDate } : {}),
      ...(why.arrangementId ? { arrangementId: why.arrangementId } : {}),
      ...(why.reason ? { reason: why.reason } : {}),
    };
    await deps.holds.putHold(customerId, hold);
  }
  return held;
}

/**
 * Lifts the holds of the customer's running payment reminders about the subject: each goes on at the
 * step it reached, at its next wake (a run deferred to a hold's end wakes then). Returns the runs.
 */
export async function resumeReminders(
  deps: ReminderHoldDeps,
  customerId: string,
  subjectId: string,
): Promise<JourneyRun[]> {
  const held = await runningReminders(deps.runs, customerId, subjectId);
  for (const run of held) await deps.holds.removeHold(customerId, run.runId);
  return held;
}
