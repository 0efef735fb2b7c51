/**
 * A call task's outcome as the conversation keeps it: the contact centre's `call.completed` writes
 * its line (`callSummary`, as an agent's own call does) with the run and the step that put the call,
 * and that step reads it back (`callUnanswered`) to decide how the journey goes on. Pure.
 */
import type { TimelineEntry } from './ports/timeline.ts';

export const CALL_OUTCOMES = ['reached', 'no-answer', 'promise-to-pay', 'dispute'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** Hours after the planned call a step waits for its outcome; an outcome later only shows in the conversation. */
export const CALL_OUTCOME_WAIT_HOURS = 4;
const HOUR_MS = 3_600_000;
const CALL_LINE = 'call: ';
const NO_ANSWER = `${CALL_LINE}no answer`;

/** The conversation's line for a call's outcome. */
export function callSummary(outcome: CallOutcome, promisedDate: string | undefined): string {
  if (outcome === 'promise-to-pay') return `${CALL_LINE}promise to pay on ${promisedDate}`;
  if (outcome === 'dispute') return `${CALL_LINE}the customer disputes the claim`;
  return outcome === 'reached' ? `${CALL_LINE}reached the customer` : NO_ANSWER;
}

/** Returns when the step that put a call task looks for its outcome: the call's time plus the wait. */
export function callOutcomeDueAt(callAt: string): Date {
  return new Date(Date.parse(callAt) + CALL_OUTCOME_WAIT_HOURS * HOUR_MS);
}

/**
 * Returns whether the latest outcome recorded for the call task of this run's step is "no answer".
 * Another outcome after it (reached, a promise, a dispute) wins; none at all is not "no answer".
 */
export function callUnanswered(entries: TimelineEntry[], runId: string, stepId: string): boolean {
  const outcomes = entries
    .filter(
      (e) =>
        e.kind === 'action' && e.runId === runId && e.stepId === stepId && e.summary.startsWith(CALL_LINE),
    )
    .sort((a, b) => a.at.localeCompare(b.at));
  return outcomes.at(-1)?.summary.startsWith(NO_ANSWER) ?? false;
}
