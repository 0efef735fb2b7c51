/** Results: the aggregates result events add to, what a run's events are attributed with, and the pseudonymous customer key they carry. */
import type { AttributedMessage, ResultEvent, ResultRow, RunOutcome, RunResultContext } from '../results.ts';

/** Adds each result event to its aggregate (`functions/core/results.ts`). */
export interface ResultsRecorder {
  /** Adds the event to its aggregate once: a second call with the same eventId changes nothing. */
  record(event: ResultEvent): Promise<void>;
}

export interface ResultsReader {
  /** Every aggregate row of the journey whose day is in [fromDay, toDay], shards summed. Never scans. */
  readResults(journeyId: string, fromDay: string, toDay: string): Promise<ResultRow[]>;
}

/** The pseudonymous key result events carry instead of the customer id (an HMAC under the stage's pseudonym key). */
export interface CustomerKeys {
  customerKeyOf(customerId: string): Promise<string>;
}

/** What a run's later events are attributed with, kept on its run item (`functions/core/results.ts`). */
export interface RunResultsRepository {
  /** The run's start, journey and result context; undefined when there is no such run (never claimed, erased). */
  getRunResults(
    customerId: string,
    runId: string,
  ): Promise<
    { journeyId: string; startedAt: string; context: RunResultContext; outcome?: RunOutcome } | undefined
  >;
  /**
   * Keeps the segment and arm of the run's decisions and its latest message (a later message
   * replaces an earlier one, never the reverse). Nothing when the run does not exist.
   */
  noteRunResults(
    customerId: string,
    runId: string,
    note: { segment?: string; experimentId?: string; arm?: string; message?: AttributedMessage },
  ): Promise<void>;
  /** Records the run's outcome unless it has one; returns the outcome it holds afterwards (undefined: no run). */
  recordRunOutcome(customerId: string, runId: string, outcome: RunOutcome): Promise<RunOutcome | undefined>;
}

/** A counted result event (its marker), while kept: provider feedback finds its message's dims there. */
export interface ResultEventLookup {
  getResultEvent(eventId: string): Promise<ResultEvent | undefined>;
}
