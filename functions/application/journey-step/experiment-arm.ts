/**
 * The customer's arm of a step's experiment during the run: the arm the run carries for it (set on the
 * step's first visit), else the deterministic assignment, which gives the same arm anyway.
 */
import type { ArmAssignment } from '#core/experiment.ts';
import { armOfRun } from '#core/experiment.ts';

export { textVariantOnly } from '#core/experiment.ts';

import type { MessageStepConfig } from '#core/journey-step-run.ts';
import type { Base } from './progress.ts';

/** Returns the customer's arm of the step's experiment, or undefined when the step has none. */
export function armOf(step: MessageStepConfig, customerId: string, base: Base): ArmAssignment | undefined {
  return step.experiment ? armOfRun(step.experiment, customerId, base.experiment) : undefined;
}
