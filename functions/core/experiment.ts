/**
 * Experiments on a message step: arms that change the text variant, the channel order or the send time,
 * with integer weights that sum to 100, and at most one holdout arm that sends nothing. A customer's arm is
 * a stable hash of (experiment id, customer id) into the weights: the same on every visit, retry and
 * redelivery, so the whole run (and its goal) can be attributed to it. Pure: no I/O, no clock. What the
 * step Lambda needs; the rules a journey's experiments must follow are in `./experiment-rules.ts`.
 */
import * as z from 'zod/mini';
import { ChannelSchema } from './customer.ts';
import { stableHash } from './spread.ts';

const ID = /^[a-z][a-z0-9-]*$/;

/** What the weights of an experiment's arms sum to: each weight is the arm's share in percent. */
export const EXPERIMENT_WEIGHT_TOTAL = 100;

/** The longest send-time delay an arm may ask for: three days, so a reminder still reads as one. */
export const MAX_ARM_DELAY_HOURS = 72;

/**
 * One arm. It changes only what it names; an arm that names nothing is a control. `holdout: true` sends
 * nothing (and names nothing else): the only way to learn whether the message causes the goal at all.
 */
export const ExperimentArmSchema = z.strictObject({
  id: z.string().check(z.regex(ID)),
  /** The arm's share in percent (an integer; the arms' weights sum to 100). */
  weight: z.number().check(z.int(), z.gte(1), z.lte(EXPERIMENT_WEIGHT_TOTAL)),
  /**
   * The text variant: a tone (`friendly`, `firm`) or a named variant, a folder beside them in
   * `templates/<templateId>/<locale>/` (it must exist for every locale of the step's template).
   */
  variant: z.optional(z.string().check(z.regex(ID))),
  /** The channels in this order instead of the segment's (a customer's own stated preference still comes first). */
  channelOrder: z.optional(z.array(ChannelSchema).check(z.minLength(1))),
  /**
   * The send time: this many hours after the step wakes, then the first open slot of the customer's
   * window from there (quiet hours, holidays and caps apply as ever), e.g. `{ "delayHours": 8 }` for the
   * evening instead of the morning.
   */
  sendAt: z.optional(
    z.strictObject({ delayHours: z.number().check(z.int(), z.gte(1), z.lte(MAX_ARM_DELAY_HOURS)) }),
  ),
  holdout: z.optional(z.literal(true)),
});
export type ExperimentArm = z.infer<typeof ExperimentArmSchema>;

export const ExperimentSchema = z.strictObject({
  /** Stable for the experiment's life: the assignment hashes it, and results are counted by it. */
  id: z.string().check(z.regex(ID)),
  arms: z.array(ExperimentArmSchema).check(z.minLength(2), z.maxLength(10)),
});
export type Experiment = z.infer<typeof ExperimentSchema>;

/** The arm a customer is in, with what it takes to say so. */
export interface ArmAssignment {
  experimentId: string;
  arm: ExperimentArm;
}

/** Returns the 32-bit hash of (experiment, customer), its bits mixed so each experiment splits customers anew. */
function assignmentHash(experimentId: string, customerId: string): number {
  // FNV-1a alone spreads nearby ids into nearby values in its high bits; a murmur finaliser mixes them.
  let h = stableHash(`${experimentId}\u0000${customerId}`);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Returns the customer's arm: a stable hash of (experiment id, customer id) into the weights, so the answer
 * is the same on every visit of the run and for every run of the customer while the arms stay the same.
 */
export function assignArm(experiment: Experiment, customerId: string): ArmAssignment {
  const total = experiment.arms.reduce((sum, arm) => sum + arm.weight, 0);
  // The top bits pick the bucket: bucket k of `total` holds the hashes in [k, k+1) * 2^32 / total.
  const bucket = Math.floor((assignmentHash(experiment.id, customerId) / 2 ** 32) * total);
  let upTo = 0;
  for (const arm of experiment.arms) {
    upTo += arm.weight;
    if (bucket < upTo) return { experimentId: experiment.id, arm };
  }
  return { experimentId: experiment.id, arm: experiment.arms.at(-1) as ExperimentArm };
}

/** Returns the arm the run is in: the one its progress carries for this experiment (if still an arm), else assigned. */
export function armOfRun(
  experiment: Experiment,
  customerId: string,
  carried: { id: string; arm: string } | null | undefined,
): ArmAssignment {
  const kept = carried?.id === experiment.id ? experiment.arms.find((a) => a.id === carried.arm) : undefined;
  return kept ? { experimentId: experiment.id, arm: kept } : assignArm(experiment, customerId);
}

/** Returns the reasons that say which arm the customer is in and what it changes. */
export function armReasons(assignment: ArmAssignment): string[] {
  const { arm } = assignment;
  const reasons = [`experiment ${assignment.experimentId}: arm ${arm.id} (weight ${arm.weight})`];
  if (arm.holdout) reasons.push(`holdout: arm ${arm.id} sends nothing`);
  if (arm.variant) reasons.push(`text variant ${arm.variant}: set by arm ${arm.id}`);
  if (arm.channelOrder) reasons.push(`channel order ${arm.channelOrder.join(', ')}: set by arm ${arm.id}`);
  if (arm.sendAt) reasons.push(`send ${arm.sendAt.delayHours} h after the step wakes: set by arm ${arm.id}`);
  return reasons;
}

/** Returns the arm with its text variant only: the step's message again on another channel (a follow-up). */
export function textVariantOnly(assignment: ArmAssignment): ArmAssignment {
  const { id, weight, variant } = assignment.arm;
  return { experimentId: assignment.experimentId, arm: { id, weight, ...(variant ? { variant } : {}) } };
}

/** Returns the experiment and arm as the decision result and the run's progress carry it. */
export function runExperimentOf(assignment: ArmAssignment): { id: string; arm: string } {
  return { id: assignment.experimentId, arm: assignment.arm.id };
}
