/**
 * What both passes of a GDPR erasure do: stop the customer's running journeys (found through their
 * run records, the customer's own partition) before deleting, so no run writes after the deletion.
 *
 * An email reply's text lives only in the customer's conversation, so deleting the partition erases
 * it. Its raw mail is not the customer's to find: receive-email-reply deletes each message once
 * handled, records nothing for an erased customer (and deletes that message too), and a message it
 * failed on expires with the replies bucket's lifecycle (`inboundEmail.retentionDays`).
 */
import type { JourneyExecutions, JourneyRun } from '#core/ports.ts';

/** The reason a run is stopped with, and the reason stored with an erased address's suppression. */
export const ERASED_REASON = 'customer erased (GDPR)';

/**
 * The second pass runs this long after the erasure: past the longest a Lambda invocation can run
 * (15 minutes), so every step that was in flight when its run was stopped has ended and whatever it
 * wrote is there to remove.
 */
export const SECOND_PASS_DELAY_MS = 16 * 60_000;

/** Stops the runs Step Functions still reports running; returns how many it stopped. */
export async function stopRunningRuns(
  executions: JourneyExecutions,
  runs: readonly Pick<JourneyRun, 'executionArn'>[],
): Promise<number> {
  let stopped = 0;
  for (const run of runs) {
    const view = await executions.describe(run.executionArn);
    if (view?.status !== 'RUNNING') continue;
    await executions.stop(run.executionArn, ERASED_REASON);
    stopped += 1;
  }
  return stopped;
}
