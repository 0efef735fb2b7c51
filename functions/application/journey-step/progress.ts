/**
 * A step's progress results: the run's carried fields (`Base`) that every part of the step hands on,
 * the result built from them, and the two ways a step closes: it moves on to the next step's wake
 * (in the customer's window), or it ends the run (the last step) or stops it (`Klantreis.RunEnded`).
 */
import { RunEnded } from '#core/journey-control.ts';
import {
  isHandOverStep,
  type MessageStepConfig,
  nextWakeAt,
  type RunJourneyStepInput,
  type StepConfig,
  type StepProgress,
} from '#core/journey-step-run.ts';
import type { Place } from './place.ts';

/**
 * What every result of the run carries on from the step before: the segment, the last message, the step,
 * and the run's experiment arm (set by the step with the experiment).
 */
export type Base = Pick<StepProgress, 'segment' | 'lastMessage' | 'stepId' | 'experiment'>;

/** Returns a result with the carried fields of the run filled in. */
export function result(
  base: Base,
  fields: Partial<StepProgress> & Pick<StepProgress, 'action' | 'wakeAt' | 'outcome'>,
): StepProgress {
  return {
    channel: null,
    reasons: [],
    pending: null,
    sentAt: null,
    sentChannel: null,
    handOver: null,
    ...base,
    ...fields,
  };
}

/**
 * Returns the result when the step has no next step (the Task is `End: true`); throws
 * `Klantreis.RunEnded` when it has one, so the step's Catch ends the run before it (goal reached,
 * handed over). The outcome is in the conversation before this is called.
 */
export function endOrStop(step: StepConfig, ended: StepProgress): StepProgress {
  if (isHandOverStep(step) || !step.next) return ended;
  throw new RunEnded(ended.outcome === 'handed-over' ? 'handed over' : 'goal reached');
}

/**
 * Returns the result that moves on to the next step (or ends the run after the last one). A step with
 * a read check (`followUpUnreadHours`) whose check is not needed wakes its read-check Task at once,
 * which then wakes the next step from this step's message.
 */
export function moveOn(
  input: RunJourneyStepInput,
  step: MessageStepConfig,
  base: Base,
  now: Date,
  timezone: Place,
  fields: Partial<StepProgress> & Pick<StepProgress, 'outcome'>,
  from?: Date,
): StepProgress {
  // A callback Task (`taskToken`) has no read-check Task after it on this path: the next step's wake.
  if (step.followUpUnreadHours && !step.readCheck && !input.taskToken) {
    return result(base, { ...fields, action: 'next', wakeAt: now.toISOString(), pending: null });
  }
  if (!step.next) return result(base, { ...fields, action: 'end', wakeAt: now.toISOString() });
  const wake = timezone.align(
    nextWakeAt(
      step.next,
      from ?? (fields.sentAt ? new Date(fields.sentAt) : now),
      input.subject,
      timezone.timezone,
    ),
  );
  return result(base, {
    ...fields,
    action: 'next',
    wakeAt: new Date(Math.max(wake.getTime(), now.getTime())).toISOString(),
  });
}
