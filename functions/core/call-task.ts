/**
 * A call task for the contact centre: the phone channel's "message". It goes on the stage's event bus
 * beside the hand-overs (same source, its own detail-type), and waits in the call queue for the
 * contact centre's system, which calls the customer at `callAt`, reads the script and records the
 * outcome as `call.completed` (the events API) naming the run.
 */

import type { OutboundCall } from './ports/messaging.ts';

/** The detail-type a rule matches to receive every call task (`source` is the hand-overs' `klantreis`). */
export const CALL_TASK_DETAIL_TYPE = 'Klantreis Call Task';

export interface CallTask {
  /** Stable per run and step: a consumer deduplicates on it (at-least-once delivery). */
  callTaskId: string;
  customerId: string;
  runId: string;
  journeyId: string;
  stepId: string;
  templateId: string;
  /** When to call (UTC ISO): inside the contact centre's opening hours and its calls per hour. */
  callAt: string;
  /** The script's language, for the agent who calls. */
  locale: string;
  /** The number to call (E.164, landline or mobile): personal data, for the contact centre only. */
  phone: string;
  /** The script, rendered from the template's blocks: personal data, for the contact centre only. */
  script: string;
  /** When the task was put (UTC ISO). */
  at: string;
}

/** Returns the call task's id: one per run and step, so a retried step puts the same task. */
export function callTaskIdOf(runId: string, stepId: string): string {
  return `${runId}.${stepId}.call`;
}

/** Returns the call task an outbound call puts on the bus. */
export function callTaskOf(call: OutboundCall, now: Date): CallTask {
  return {
    callTaskId: callTaskIdOf(call.runId, call.stepId),
    customerId: call.customerId,
    runId: call.runId,
    journeyId: call.journeyId,
    stepId: call.stepId,
    templateId: call.templateId,
    callAt: call.callAt,
    locale: call.locale,
    phone: call.to,
    script: call.script,
    at: now.toISOString(),
  };
}
