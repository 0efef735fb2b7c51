/**
 * What a person did in the console, as a line of the customer's conversation (kind `action`): who,
 * when and what, in words without personal data. A person's own words (a reason, a call note) may hold
 * personal data, so they go in the entry's body, which is kept for the body retention only, as a
 * message's body is, and never logged.
 */
import type { TimelineEntry } from './ports/timeline.ts';

export interface ConsoleAction {
  /** Stable per action, so a retried request writes the same entry once. */
  id: string;
  customerId: string;
  at: Date;
  actor: string;
  /** What was done, e.g. `stopped run run-1`; no personal data. */
  summary: string;
  runId?: string;
  journeyId?: string;
  reasons?: string[];
  /** The person's own words, kept as a body. */
  note?: string;
}

export function actionEntry(action: ConsoleAction): TimelineEntry {
  return {
    id: action.id,
    customerId: action.customerId,
    at: action.at.toISOString(),
    kind: 'action',
    summary: `${action.summary} (by ${action.actor})`,
    actor: action.actor,
    ...(action.runId ? { runId: action.runId } : {}),
    ...(action.journeyId ? { journeyId: action.journeyId } : {}),
    ...(action.reasons && action.reasons.length > 0 ? { reasons: action.reasons } : {}),
    ...(action.note ? { body: { text: action.note } } : {}),
  };
}

/** An id for an action entry: the action, who did it, what on, and the moment (one per person and millisecond). */
export function actionId(name: string, at: Date, actor: string, ...parts: string[]): string {
  return [name, actor, ...parts, String(at.getTime())].join('.').replace(/[^A-Za-z0-9._:-]/g, '-');
}
