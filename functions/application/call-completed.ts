/**
 * The outcome of a contact centre's call task (`call.completed`), for the run that asked for the call:
 * recorded in the conversation, and the journey goes on from it. A promise to pay holds the customer's
 * payment reminders about the run's subject until the promised day plus grace; a dispute holds them
 * and hands the customer over to a person; reached and no answer are recorded (the run's next step
 * follows at its own time). The pause is the reminders' one (`reminder-holds.ts`).
 */
import { actionEntry, actionId } from '#core/console-action.ts';
import { conversationUrlOf, handOver } from '#core/hand-over.ts';
import { DISPUTE_HOLD_DAYS, promisedDateProblem, promiseWakeAt } from '#core/hold.ts';
import type { Clock, HandOverPublisher, JourneyRun, TimelineRepository } from '#core/ports.ts';
import { HttpError } from './http.ts';
import { pauseRemindersUntil, type ReminderHoldDeps } from './reminder-holds.ts';

export const CALL_OUTCOMES = ['reached', 'no-answer', 'promise-to-pay', 'dispute'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** Who records a call's outcome, as the conversation and the holds show it. */
const BY = 'call.completed';
const DAY_MS = 86_400_000;

export interface CallCompletedDeps extends ReminderHoldDeps {
  timeline: TimelineRepository;
  handOvers: { publisher: HandOverPublisher; apiBaseUrl: string };
  clock: Clock;
}

export interface CallCompleted {
  customerId: string;
  runId: string;
  outcome: CallOutcome;
  /** The promised payment day (ISO date), for `promise-to-pay`. */
  promisedDate?: string;
}

export interface CallCompletedResult {
  runId: string;
  outcome: CallOutcome;
  heldRuns: string[];
  heldUntil: string | null;
  handOverId: string | null;
}

/** Returns the run the outcome is for, or a 404/409 naming it: unknown to this customer, or ended. */
function callingRunOf(runs: JourneyRun[], runId: string): JourneyRun {
  const run = runs.find((candidate) => candidate.runId === runId);
  if (!run) throw new HttpError(404, `run not found: ${runId} (not a run of this customer)`);
  if (run.status !== 'running') throw new HttpError(409, `run ${runId} has ended already (${run.status})`);
  return run;
}

/** Records a call's outcome for its run and continues the journey on it; see the module comment. */
export async function recordCallCompleted(
  deps: CallCompletedDeps,
  call: CallCompleted,
): Promise<CallCompletedResult> {
  const now = deps.clock.now();
  if (call.outcome === 'promise-to-pay') {
    const problem = call.promisedDate
      ? promisedDateProblem(call.promisedDate, now)
      : 'a promise to pay needs the promised date';
    if (problem) throw new HttpError(400, 'invalid request', [{ path: 'promisedDate', message: problem }]);
  }
  const run = callingRunOf(await deps.runs.listRuns(call.customerId), call.runId);
  const until =
    call.outcome === 'promise-to-pay'
      ? promiseWakeAt(call.promisedDate as string)
      : call.outcome === 'dispute'
        ? new Date(now.getTime() + DISPUTE_HOLD_DAYS * DAY_MS)
        : null;
  const held =
    until && run.subjectId
      ? await pauseRemindersUntil(
          deps,
          call.customerId,
          run.subjectId,
          until,
          {
            kind: call.outcome === 'dispute' ? 'dispute' : 'promise-to-pay',
            by: BY,
            ...(call.promisedDate ? { promisedDate: call.promisedDate } : {}),
          },
          now,
        )
      : [];
  const summary =
    call.outcome === 'promise-to-pay'
      ? `call: promise to pay on ${call.promisedDate}`
      : call.outcome === 'dispute'
        ? 'call: the customer disputes the claim'
        : `call: ${call.outcome === 'reached' ? 'reached the customer' : 'no answer'}`;
  await deps.timeline.appendTimeline(
    actionEntry({
      id: actionId('call', now, BY),
      customerId: call.customerId,
      at: now,
      actor: BY,
      summary,
      runId: run.runId,
      reasons: held.map((r) => `${r.journeyId} run ${r.runId} waits until ${(until as Date).toISOString()}`),
    }),
  );
  let handOverId: string | null = null;
  if (call.outcome === 'dispute') {
    const opened = await handOver(
      { publisher: deps.handOvers.publisher, timeline: deps.timeline },
      {
        handOverId: `${call.customerId}.dispute.${now.getTime()}`,
        customerId: call.customerId,
        reason: 'dispute',
        at: now.toISOString(),
        conversationUrl: conversationUrlOf(deps.handOvers.apiBaseUrl, call.customerId),
        journeyId: run.journeyId,
        runId: run.runId,
        ...(run.subjectId ? { subjectId: run.subjectId } : {}),
      },
    );
    handOverId = opened.handOverId;
  }
  return {
    runId: run.runId,
    outcome: call.outcome,
    heldRuns: held.map((r) => r.runId),
    heldUntil: held.length > 0 && until ? until.toISOString() : null,
    handOverId,
  };
}
