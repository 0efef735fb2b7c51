import type { JourneyRun, RunRepository, TimelineEntry, TimelineRepository } from '#core/ports.ts';

/**
 * Returns the `started` line of the run's conversation. Its id derives from the run and its time is
 * the run's start, so writing it again (a repeated or completed start) leaves one line.
 */
export function runStartedEntry(run: JourneyRun): TimelineEntry {
  return {
    id: `${run.runId}.started`,
    customerId: run.customerId,
    at: run.startedAt,
    kind: 'journey',
    summary: `${run.journeyId}: started`,
    runId: run.runId,
    journeyId: run.journeyId,
    outcome: 'started',
  };
}

/**
 * Records a started run: the run item (found by id through gsi1, listed in the customer's export)
 * and the `started` line of the conversation.
 */
export async function recordRunStarted(
  deps: { runs: Pick<RunRepository, 'putRun'>; timeline: Pick<TimelineRepository, 'appendTimeline'> },
  run: JourneyRun,
): Promise<void> {
  await deps.runs.putRun(run);
  await deps.timeline.appendTimeline(runStartedEntry(run));
}
