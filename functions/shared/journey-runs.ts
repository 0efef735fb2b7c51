import type { JourneyRun, TimelineEntry } from '#core/ports.ts';

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
