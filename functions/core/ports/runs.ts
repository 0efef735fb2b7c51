/** A customer's journey runs: their start (one claim per run id), progress, status and end. */
import type { RunOutcome } from '../results.ts';

/**
 * `running` until the execution ends; then what it ended as (`completed`, `failed`, `aborted`,
 * `timed-out`: see `functions/core/run-status.ts`), or `goal-reached` when an exit event stopped it.
 */
export type JourneyRunStatus = 'running' | 'completed' | 'goal-reached' | 'failed' | 'aborted' | 'timed-out';

export interface JourneyRun {
  runId: string;
  journeyId: string;
  customerId: string;
  subjectId?: string;
  executionArn: string;
  status: JourneyRunStatus;
  startedAt: string;
  /** When the execution ended (UTC ISO), once it has. */
  endedAt?: string;
  /** The step the run visited last, as its step recorded it (`RunProgressRecorder`). */
  currentStep?: string;
  /** When the run wakes next (UTC ISO), as its last step visit planned it. */
  nextWakeAt?: string;
  /** The run's experiment arm, once a step with an experiment assigned it: what its goal is attributed to. */
  experiment?: { id: string; arm: string };
  /** How the run ended for its goal (first outcome recorded wins), once it has. */
  outcome?: RunOutcome;
}

/** Where a run is: its last step visit writes the step and the next wake onto the run item. */
export interface RunProgressRecorder {
  /**
   * Updates the run's `currentStep` and `nextWakeAt` (and its experiment arm, when the run has one); a run
   * that is not there (erased) stays absent.
   */
  recordRunProgress(
    customerId: string,
    runId: string,
    progress: { currentStep: string; nextWakeAt: string; experiment?: { id: string; arm: string } },
  ): Promise<void>;
}

/** A run item as its start claimed it: `pendingInput` is the execution input until the start is confirmed. */
export interface ClaimedRun extends JourneyRun {
  pendingInput?: string;
}

export type RunClaimResult = { claimed: true } | { claimed: false; existing: ClaimedRun };

export interface RunRepository {
  putRun(run: JourneyRun): Promise<void>;
  getRun(runId: string): Promise<JourneyRun | undefined>;
  setRunStatus(customerId: string, runId: string, status: JourneyRunStatus): Promise<void>;
}

/**
 * The start of a run, decided by one conditional write: the run item is the claim on its id, so of
 * identical starts at the same moment exactly one wins. The item keeps the execution input until
 * the start is confirmed, so a request after a crash in between can finish the same start.
 */
export interface RunStartRepository {
  /** Writes the run with its execution input if no run with this id exists for the customer; else returns that one. */
  claimRun(run: JourneyRun, executionInput: string): Promise<RunClaimResult>;
  /** The execution exists and the run is in the conversation: the claim drops its input. */
  confirmRunStarted(customerId: string, runId: string): Promise<void>;
  /** Deletes a claim whose start has not been confirmed (its id belongs to another start). */
  releaseRunClaim(customerId: string, runId: string): Promise<void>;
}

/** How an execution ended, as its status-change event says: applied to the run at most once, latest end wins. */
export interface RunEnd {
  status: Exclude<JourneyRunStatus, 'running' | 'goal-reached'>;
  /** When the execution stopped (UTC ISO). */
  endedAt: string;
}

export interface RunStatusRepository {
  /**
   * Records how the run's execution ended, unless the run already holds this end or a later one, its
   * goal was reached (an exit event stopped it) or there is no such run (never claimed, or erased).
   */
  recordRunEnded(customerId: string, runId: string, end: RunEnd): Promise<'recorded' | 'unchanged'>;
}

export interface RunLookup {
  /** Every run recorded for the customer (any status), in run-id order. */
  listRuns(customerId: string): Promise<JourneyRun[]>;
}
