/**
 * The outcome of a contact centre's call task (`call.completed`), for the run that asked for the call:
 * recorded in the conversation, and the journey goes on from it. A promise to pay holds the customer's
 * payment reminders about the run's subject until the promised day plus grace; a dispute holds them
 * and hands the customer over to a person; reached and no answer are recorded, and the step that put
 * the call reads them back (`journey-step/after-call.ts`: no answer → its supporting channel, or the
 * call once more). The pause is the reminders' one (`reminder-holds.ts`).
 */
import { type CallOutcome, callSummary } from '#core/call-outcome.ts';
import { actionEntry, actionId } from '#core/console-action.ts';
import { conversationUrlOf, handOver } from '#core/hand-over.ts';
import { DISPUTE_HOLD_DAYS, promisedDateProblem, promiseWakeAt } from '#core/hold.ts';
import type { Clock, HandOverPublisher, JourneyRun, TimelineRepository } from '#core/ports.ts';
import { HttpError } from './http.ts';
import { pauseRemindersUntil, type ReminderHoldDeps } from './reminder-holds.ts';

export { CALL_OUTCOMES, type CallOutcome, callSummary } from '#core/call-outcome.ts';

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

/** Until when a call's outcome holds the reminders: the promised day plus grace, a dispute's days, else not. */
export function callHoldUntil(
  outcome: CallOutcome,
  promisedDate: string | undefined,
  now: Date,
): Date | null {
  if (outcome === 'promise-to-pay') return promiseWakeAt(promisedDate as string);
  if (outcome === 'dispute') return new Date(now.getTime() + DISPUTE_HOLD_DAYS * DAY_MS);
  return null;
}

/** Hands a disputing customer over to a person, naming the run the dispute is about when there is one. */
export async function handOverDispute(
  deps: Pick<CallCompletedDeps, 'handOvers' | 'timeline'>,
  customerId: string,
  run: JourneyRun | undefined,
  now: Date,
): Promise<string> {
  const opened = await handOver(
    { publisher: deps.handOvers.publisher, timeline: deps.timeline },
    {
      handOverId: `${customerId}.dispute.${now.getTime()}`,
      customerId,
      reason: 'dispute',
      at: now.toISOString(),
      conversationUrl: conversationUrlOf(deps.handOvers.apiBaseUrl, customerId),
      ...(run ? { journeyId: run.journeyId, runId: run.runId } : {}),
      ...(run?.subjectId ? { subjectId: run.subjectId } : {}),
    },
  );
  return opened.handOverId;
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
  const until = callHoldUntil(call.outcome, call.promisedDate, now);
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
  // The step whose call task this answers: the run's latest call (it reads the outcome back).
  const timeline = await deps.timeline.listTimeline(call.customerId);
  const calling = timeline.find(
    (e) => e.kind === 'message' && e.runId === run.runId && e.channel === 'phone' && e.outcome === 'sent',
  );
  await deps.timeline.appendTimeline({
    ...actionEntry({
      id: actionId('call', now, BY),
      customerId: call.customerId,
      at: now,
      actor: BY,
      summary: callSummary(call.outcome, call.promisedDate),
      runId: run.runId,
      reasons: held.map((r) => `${r.journeyId} run ${r.runId} waits until ${(until as Date).toISOString()}`),
    }),
    ...(calling?.stepId ? { stepId: calling.stepId } : {}),
  });
  const handOverId =
    call.outcome === 'dispute' ? await handOverDispute(deps, call.customerId, run, now) : null;
  return {
    runId: run.runId,
    outcome: call.outcome,
    heldRuns: held.map((r) => r.runId),
    heldUntil: held.length > 0 && until ? until.toISOString() : null,
    handOverId,
  };
}
