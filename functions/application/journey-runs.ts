import * as z from 'zod/mini';
import type {
  ExecutionInputReader,
  JourneyRun,
  JourneyStarter,
  RunStartRepository,
  TimelineEntry,
} from '#core/ports.ts';
import { type RunPositionRecorder, START_POSITION } from '#core/run-positions.ts';

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

export interface RunStartDeps {
  runs: RunStartRepository;
  timeline: { appendTimeline(entry: TimelineEntry): Promise<void> };
  /**
   * `inputOf` tells whose an execution of the same name is. Without it (run ids derived from what
   * they start, as the scheduled batch's are) an existing execution of that name is this start.
   */
  starter: JourneyStarter & Partial<ExecutionInputReader>;
  /** Counts the started run in its journey's first state (`#core/run-positions.ts`); absent: not counted. */
  positions?: Pick<RunPositionRecorder, 'moveRun'>;
}

/** What a start came to: this call started the run, another start had, or the run id belongs to another start. */
export type RunStartOutcome =
  | { kind: 'started'; run: JourneyRun }
  | { kind: 'already-started'; run: JourneyRun }
  | { kind: 'id-taken' };

/** Whether an existing run is the same start: its customer, journey and subject. */
function isSameStart(a: JourneyRun, b: JourneyRun): boolean {
  return a.customerId === b.customerId && a.journeyId === b.journeyId && a.subjectId === b.subjectId;
}

/**
 * Starts a run once however many identical starts race and whichever of them crashes: the run item
 * is the claim (one conditional write decides), written with the execution input until the start is
 * confirmed. The winner starts the execution; a loser that finds the claim unconfirmed finishes that
 * same start (to Step Functions the same name and input is the same execution). `beforeStart` runs
 * before the execution starts (e.g. writing the item the journey reads).
 */
export async function startRunOnce(
  deps: RunStartDeps,
  stateMachineArn: string,
  claim: JourneyRun,
  executionInput: string,
  beforeStart: (run: JourneyRun) => Promise<void> = async () => {},
): Promise<RunStartOutcome> {
  const claimed = await deps.runs.claimRun(claim, executionInput);
  if (claimed.claimed) {
    const started = await completeStart(deps, stateMachineArn, claim, executionInput, beforeStart);
    return started ? { kind: 'started', run: claim } : { kind: 'id-taken' };
  }
  const { pendingInput, ...existing } = claimed.existing;
  if (!isSameStart(existing, claim)) return { kind: 'id-taken' };
  if (pendingInput !== undefined) {
    const started = await completeStart(deps, stateMachineArn, existing, pendingInput, beforeStart);
    if (!started) return { kind: 'id-taken' };
  }
  return { kind: 'already-started', run: existing };
}

/**
 * Starts the claimed run's execution with the claim's input, writes its `started` line (one per run)
 * and confirms the claim. Returns false, having released the claim, when the execution name belongs
 * to another start (the id reused for another customer at the same moment).
 */
async function completeStart(
  deps: RunStartDeps,
  stateMachineArn: string,
  run: JourneyRun,
  executionInput: string,
  beforeStart: (run: JourneyRun) => Promise<void>,
): Promise<boolean> {
  await beforeStart(run);
  const execution = await deps.starter.startJourney({
    stateMachineArn,
    runId: run.runId,
    input: JSON.parse(executionInput),
  });
  if (execution.alreadyStarted && deps.starter.inputOf) {
    const owner = await deps.starter.inputOf(execution.executionArn);
    if (!startedFor(owner, run)) {
      await deps.runs.releaseRunClaim(run.customerId, run.runId);
      return false;
    }
  }
  await deps.timeline.appendTimeline(runStartedEntry(run));
  await deps.runs.confirmRunStarted(run.customerId, run.runId);
  await deps.positions?.moveRun({
    customerId: run.customerId,
    runId: run.runId,
    journeyId: run.journeyId,
    to: START_POSITION,
    nextWakeAt: firstWakeOf(executionInput),
    onlyIfUnplaced: true,
  });
  return true;
}

/** The first wake the starter planned (`journey.progress.wakeAt`), when the journey starts with a Wait. */
function firstWakeOf(executionInput: string): string | null {
  const planned = FirstWakeSchema.safeParse(JSON.parse(executionInput));
  return planned.success ? (planned.data.journey?.progress?.wakeAt ?? null) : null;
}

const FirstWakeSchema = z.object({
  journey: z.optional(z.object({ progress: z.optional(z.object({ wakeAt: z.optional(z.string()) })) })),
});

/** What of an execution's input names its start. */
const ExecutionOwnerSchema = z.object({
  customerId: z.string(),
  journeyId: z.string(),
  subject: z.object({ id: z.string() }),
});

/** Returns whether an execution's input (JSON) is the start of `run`: its customer, journey and subject. */
function startedFor(executionInput: string | undefined, run: JourneyRun): boolean {
  if (executionInput === undefined) return false;
  const owner = ExecutionOwnerSchema.safeParse(JSON.parse(executionInput));
  return (
    owner.success &&
    owner.data.customerId === run.customerId &&
    owner.data.journeyId === run.journeyId &&
    owner.data.subject.id === run.subjectId
  );
}
