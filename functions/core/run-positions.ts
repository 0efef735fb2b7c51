/**
 * Live counts of running runs per position (`journey-graph.ts` draws where each is): exact, never by scanning. Each
 * running run is counted at exactly one position: the run item holds its position (`position`)
 * and every change of it moves the count in the same transaction, conditional on the run item still
 * holding the old position, so a retried step or a redelivered end moves it at most once.
 *
 * The counters of a journey are spread over `POSITION_SHARDS` items per position (by run id), so a
 * batch of thousands of runs waking at once does not queue on one item; a read sums the shards.
 */
import type { RunEnd } from './ports/runs.ts';

/** Returns the key a step's position is recorded under: its id, told apart from its read check. */
export function stepKeyOf(step: { stepId: string; readCheck?: boolean | undefined }): string {
  return step.readCheck ? `${step.stepId}#read-check` : step.stepId;
}

/** How a run's visit of a step ended, as far as where it waits next. */
export const RUN_EXITS = ['next', 'deferred', 'callback', 'visit-moved'] as const;
export type RunExit = (typeof RUN_EXITS)[number];

/** Where a running run is: the step it last ran and how that visit ended. */
export interface RunPosition {
  stepKey: string;
  exit: RunExit;
}

/** The position of a run that has not run a step yet: it waits in the journey's first state. */
export const START_POSITION: RunPosition = { stepKey: 'start', exit: 'next' };

/** Returns the position as one string (`first-reminder:deferred`): the run item's and the counters' key. */
export function positionKey(position: RunPosition): string {
  return `${position.stepKey}:${position.exit}`;
}

/** Returns the position a key names, or undefined for a key this version does not know. */
export function positionOfKey(key: string): RunPosition | undefined {
  const at = key.lastIndexOf(':');
  const exit = key.slice(at + 1);
  if (at <= 0 || !(RUN_EXITS as readonly string[]).includes(exit)) return undefined;
  return { stepKey: key.slice(0, at), exit: exit as RunExit };
}

/** Counter items per (journey, position); a read is one Query per shard. */
export const POSITION_SHARDS = 8;

/** Returns the shard of a run's counters and index items: a stable hash (FNV-1a) of its id. */
export function shardOf(runId: string, shards = POSITION_SHARDS): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < runId.length; i += 1) {
    hash ^= runId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shards;
}

/** A run's move to a position, with when it next wakes (null: it waits for an event, not a time). */
export interface RunMove {
  customerId: string;
  runId: string;
  journeyId: string;
  to: RunPosition;
  nextWakeAt: string | null;
  /** Only a run not placed yet (its start): a step that ran first has placed it further already. */
  onlyIfUnplaced?: boolean;
}

/** What a move or a take-off did: `unchanged` when the run was there already, ended or unknown. */
export type PositionChange = 'moved' | 'unchanged';

/** Records where running runs are (the steps and the starters) and takes them off when they end. */
export interface RunPositionRecorder {
  /** Moves the run (from wherever its item says it is) to `move.to`, counted there; only while it runs. */
  moveRun(move: RunMove): Promise<PositionChange>;
  /**
   * Takes an ended run off the count of its position, once, and notes its end on its watch item (a
   * failed or timed-out run is listed for operators by the day it ended).
   */
  takeRunOff(customerId: string, runId: string, end: RunEnd): Promise<PositionChange>;
}

/** Reads the counts: position key (`positionKey`) → running runs there, shards summed. */
export interface RunPositionCounts {
  countsOf(journeyId: string): Promise<Record<string, number>>;
}

/** An operator's view of one run (its watch item): where it waits and until when, or how it ended. */
export interface WatchedRun {
  runId: string;
  journeyId: string;
  customerId: string;
  status: string;
  /** Its position key while it runs (`positionKey`). */
  position?: string;
  nextWakeAt?: string;
  endedAt?: string;
  executionArn?: string;
}

/** The operators' lists, each one Query per index partition, never a scan. */
export interface RunWatchReader {
  /** Runs that failed or timed out on the UTC days `fromDay`..`toDay` (YYYY-MM-DD), newest first. */
  failedRuns(fromDay: string, toDay: string, limit: number): Promise<WatchedRun[]>;
  /** Running runs whose next wake is before `before`, the longest overdue first. */
  overdueRuns(before: Date, limit: number): Promise<WatchedRun[]>;
}
