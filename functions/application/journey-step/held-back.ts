/**
 * A step a person's hold keeps back (a pause, a promise to pay, a dispute): recorded in the conversation
 * once per hold, then this step again when the hold ends (`Klantreis.NotYet`), as a step whose slot is later.
 */
import type { Hold, HoldNow } from '#core/hold.ts';
import { NotYet } from '#core/journey-control.ts';
import type { RunJourneyStepInput } from '#core/journey-step-run.ts';
import type { RunJourneyStepDeps } from './deps.ts';
import type { Visit } from './visit.ts';

/** Records the deferral and returns the control error that wakes the step when the hold ends. */
export async function heldBack(
  deps: Pick<RunJourneyStepDeps, 'timeline'>,
  input: RunJourneyStepInput,
  visit: Visit,
  held: HoldNow,
  now: Date,
): Promise<NotYet> {
  const stepId = input.step.stepId;
  await deps.timeline.appendTimeline({
    // One entry per step and hold end: the visits a retry repeats overwrite it.
    id: `${input.runId}.${stepId}.held-${held.until.getTime()}`,
    customerId: input.customerId,
    at: now.toISOString(),
    kind: 'decision',
    summary: `${input.journeyId}/${stepId}: deferred, ${held.reason}`,
    runId: input.runId,
    journeyId: input.journeyId,
    stepId,
    reasons: [held.reason],
  });
  // What the step remembers across its deferrals (the provider's refusals, a maybe-sent message) goes on.
  return new NotYet(held.until, visit.busy, visit.maybeSent, true);
}

/**
 * The step goes on after a payment arrangement's hold ran out (its open instalment unpaid beyond grace):
 * the conversation says why the reminders resume here, once, at the hold's end.
 */
export async function resumedAfterArrangement(
  deps: Pick<RunJourneyStepDeps, 'timeline'>,
  input: RunJourneyStepInput,
  hold: Hold,
): Promise<void> {
  const stepId = input.step.stepId;
  const reason = `the arrangement is broken: ${hold.reason ?? `payment arrangement ${hold.arrangementId}`}, and it was not paid by then`;
  await deps.timeline.appendTimeline({
    id: `${input.runId}.${stepId}.resumed-${Date.parse(hold.until)}`,
    customerId: input.customerId,
    at: hold.until,
    kind: 'decision',
    summary: `${input.journeyId}/${stepId}: resumes where it stopped, payment arrangement ${hold.arrangementId} broken`,
    runId: input.runId,
    journeyId: input.journeyId,
    stepId,
    reasons: [reason],
  });
}
