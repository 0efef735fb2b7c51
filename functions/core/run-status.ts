import type { JourneyRun, RunEnd } from './ports/runs.ts';

/** The detail type of the event Step Functions publishes when an execution changes status. */
export const EXECUTION_STATUS_CHANGE = 'Step Functions Execution Status Change';

/** The statuses a Step Functions execution ends in (the rule and the handler take only these). */
export const ENDED_EXECUTION_STATUSES = ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;
export type ExecutionEndStatus = (typeof ENDED_EXECUTION_STATUSES)[number];

const RUN_STATUS_OF_END: Record<ExecutionEndStatus, RunEnd['status']> = {
  SUCCEEDED: 'completed',
  FAILED: 'failed',
  TIMED_OUT: 'timed-out',
  ABORTED: 'aborted',
};

/** Returns how a run ended, given how its execution ended and when (`stopDate`, epoch milliseconds). */
export function runEndOf(status: ExecutionEndStatus, stopDate: number): RunEnd {
  return { status: RUN_STATUS_OF_END[status], endedAt: new Date(stopDate).toISOString() };
}

/**
 * Returns whether `end` replaces what the run holds. Status-change events arrive at least once and
 * in any order, so the latest end wins whatever the order (a redriven execution ends again, later),
 * an equal end changes nothing, and a tie in time is broken by the status name so every order gives
 * the same result. A run whose goal was reached keeps that status: the stop was an exit, not a fault.
 * `DynamoRuns.recordRunEnded` (`functions/adapters/dynamo/runs.ts`) writes exactly this rule as its condition.
 */
export function endReplaces(run: Pick<JourneyRun, 'status' | 'endedAt'>, end: RunEnd): boolean {
  if (run.status === 'goal-reached') return false;
  if (run.endedAt === undefined) return true;
  return run.endedAt < end.endedAt || (run.endedAt === end.endedAt && run.status < end.status);
}

/** Returns the run after its execution's end `end` is applied (the same run when it does not replace). */
export function withRunEnd<T extends JourneyRun>(run: T, end: RunEnd): T {
  return endReplaces(run, end) ? { ...run, status: end.status, endedAt: end.endedAt } : run;
}
