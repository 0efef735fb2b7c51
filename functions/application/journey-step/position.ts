/**
 * Where the run waits once its step is done (`#core/run-positions.ts`): the step the run last ran and
 * how the visit ended, recorded with the run's next wake, so the console counts running runs per state
 * and operators find runs whose wake is overdue. A step that ends the run records nothing (its end
 * takes the run off, `record-run-status`). Recording never fails the step: the message is out.
 */

import { logger } from '#adapters/powertools.ts';
import { countWith } from '#application/metrics.ts';
import { isJourneyControl, NOT_YET, VISIT_MOVED } from '#core/journey-control.ts';
import { isHandOverStep, type RunJourneyStepInput, type StepProgress } from '#core/journey-step-run.ts';
import { type RunExit, type RunPositionRecorder, stepKeyOf } from '#core/run-positions.ts';

/** Returns how the visit ended and the run's next wake, or undefined when the run does not wait after it. */
export function exitOf(
  input: RunJourneyStepInput,
  ended: { progress: StepProgress } | { error: unknown },
): { exit: RunExit; nextWakeAt: string | null } | undefined {
  if (isHandOverStep(input.step)) return undefined;
  if ('error' in ended) {
    const { error } = ended;
    if (!isJourneyControl(error)) return undefined;
    const wakeAt = 'wakeAt' in error && error.wakeAt instanceof Date ? error.wakeAt.toISOString() : null;
    if (error.name === NOT_YET) return { exit: 'deferred', nextWakeAt: wakeAt };
    if (error.name === VISIT_MOVED) return { exit: 'visit-moved', nextWakeAt: wakeAt };
    return undefined;
  }
  const { progress } = ended;
  if (progress.action !== 'next') return undefined;
  // A callback Task keeping its token until the email is read: the run waits inside the Task.
  if (input.taskToken && progress.pending === 'follow-up' && progress.sentChannel === 'email') {
    return { exit: 'callback', nextWakeAt: null };
  }
  return { exit: 'next', nextWakeAt: progress.wakeAt };
}

/** Records where the run waits after this visit of its step; logs and counts a failure to record. */
export async function recordPosition(
  positions: Pick<RunPositionRecorder, 'moveRun'> | undefined,
  input: RunJourneyStepInput,
  ended: { progress: StepProgress } | { error: unknown },
): Promise<void> {
  const at = positions && exitOf(input, ended);
  if (!positions || !at) return;
  try {
    await positions.moveRun({
      customerId: input.customerId,
      runId: input.runId,
      journeyId: input.journeyId,
      to: { stepKey: stepKeyOf(input.step as { stepId: string; readCheck?: boolean }), exit: at.exit },
      nextWakeAt: at.nextWakeAt,
    });
  } catch (error) {
    logger.warn('run position not recorded', { stepId: input.step.stepId, error });
    countWith('RunPositionNotRecorded', { journeyId: input.journeyId });
  }
}
