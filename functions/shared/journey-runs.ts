import type { JourneyRun, RunRepository, TimelineRepository } from '#core/ports.ts';

/**
 * Records a started run: the run item (found by id through gsi1, listed in the customer's export)
 * and the `started` line of the conversation. The timeline id derives from the run, so recording
 * the same start twice leaves one line.
 */
export async function recordRunStarted(
  deps: { runs: Pick<RunRepository, 'putRun'>; timeline: Pick<TimelineRepository, 'appendTimeline'> },
  run: JourneyRun,
): Promise<void> {
  await deps.runs.putRun(run);
  await deps.timeline.appendTimeline({
    id: `${run.runId}.started`,
    customerId: run.customerId,
    at: run.startedAt,
    kind: 'journey',
    summary: `${run.journeyId}: started`,
    runId: run.runId,
    journeyId: run.journeyId,
    outcome: 'started',
  });
}
