/**
 * How this visit of a step came about, read from the Task's input: the previous step's progress, and
 * the deferral the step's Pass state left (its own `NotYet`, or a moved visit). It says what the step
 * plans from and whether its decision is in the conversation already.
 */
import {
  type AwaitingCall,
  type BusyTries,
  deferredWakeOf,
  type MaybeSentMessage,
} from '#core/journey-control.ts';
import type { RunJourneyStepInput, StepConfig, StepProgress } from '#core/journey-step-run.ts';

/** How this visit of the step came about: what it plans from, and whether its decision is recorded already. */
export interface Visit {
  /** The previous Task's result; null on the run's first step. */
  progress: StepProgress | null;
  /** The slot this visit keeps while it is still open (the start's first wake, or the deferral's wake). */
  planned: Date | undefined;
  /** Back at the wake this step's own deferral asked for: its decision is in the conversation already. */
  deferred: boolean;
  /** Woken at a time that carries the customer's spread already (a previous step planned it): no second spread. */
  spreadless: boolean;
  /** The run's first visit of its first step: no step ran before, no deferral. */
  firstOfRun: boolean;
  /** The provider's refusals of this step's send so far (its deferral carries them), or null. */
  busy: BusyTries | null;
  /**
   * The step's own message may have been sent (its provider's answer was lost) and the step deferred for
   * it (its bound, or the re-send's slot): this visit reads its send record first. Null on every other visit.
   */
  maybeSent: MaybeSentMessage | null;
  /** Back at the end of a person's or an arrangement's hold that kept the step back. */
  afterHold: boolean;
  /** Back for the outcome of the call the step put (or, unanswered, its supporting channel's slot). */
  awaitingCall: AwaitingCall | null;
}

/** Returns the visit: the progress, and the deferral the step's Pass state left (`$.journey.deferral`). */
export function visitOf(input: RunJourneyStepInput, step: StepConfig, now: Date): Visit {
  const given = input.journey?.progress ?? input.progress ?? null;
  const progress = given && given.action !== 'start' ? given : null;
  // The run's first wake (start progress): planned as now plus the customer's spread by the starter.
  const start = given?.action === 'start' ? new Date(given.wakeAt) : undefined;
  const deferral = deferredWakeOf(input.journey?.deferral);
  if (deferral?.kind === 'not-yet') {
    return {
      progress,
      planned: deferral.at,
      // After a person's hold the step has not decided yet: it decides, and records it, now.
      deferred: deferral.at.getTime() <= now.getTime() && !deferral.held,
      spreadless: false,
      firstOfRun: false,
      busy: deferral.busy,
      maybeSent: deferral.maybeSent,
      afterHold: deferral.held,
      awaitingCall: deferral.awaitingCall,
    };
  }
  // Woken at the time the previous step planned (its send time plus whole hours or days, or a moved
  // visit's reminder slot): that time carries the customer's spread already, so the slot is not
  // spread again (else every step would be deferred once).
  const planned = deferral?.kind === 'visit-moved' || (progress !== null && progress.stepId !== step.stepId);
  return {
    progress,
    planned: start,
    deferred: false,
    spreadless: planned,
    firstOfRun: progress === null && deferral === null,
    busy: null,
    maybeSent: null,
    afterHold: false,
    awaitingCall: null,
  };
}
