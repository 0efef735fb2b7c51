/**
 * The rules a journey's experiments must follow, each problem named by its field, and what an arm changes
 * in a few words: for validation (`npm test`, `cdk synth`) and the simulator, kept out of the step Lambda,
 * which runs only experiments that passed them.
 */
import type { Channel } from './customer.ts';
import { EXPERIMENT_WEIGHT_TOTAL, type Experiment, type ExperimentArm } from './experiment.ts';

/** A problem with an experiment, with the field it is about (`experiment.arms[1].weight`). */
export interface ExperimentProblem {
  field: string;
  problem: string;
}

/** What an experiment's step offers the arms: its channels, whether it is mandatory, and its texts when known. */
export interface ExperimentContext {
  channels: readonly Channel[];
  /** A legally required notice: it refuses a holdout. */
  mandatory?: boolean;
  /** The step template's text variants per locale (the folders in `templates/<id>/<locale>/`); unknown: not checked. */
  variantsByLocale?: Record<string, readonly string[]>;
}

/**
 * Returns every problem of the experiment on its step, each with its field: weights that do not sum to 100,
 * duplicate arm ids, more than one holdout, a holdout on a mandatory step or naming a change, a channel the
 * step does not allow (or named twice), a text variant missing in a locale of the step's template.
 */
export function experimentProblems(experiment: Experiment, context: ExperimentContext): ExperimentProblem[] {
  const problems: ExperimentProblem[] = [];
  const add = (field: string, problem: string) => problems.push({ field: `experiment.${field}`, problem });
  const total = experiment.arms.reduce((sum, arm) => sum + arm.weight, 0);
  if (total !== EXPERIMENT_WEIGHT_TOTAL) {
    add(
      'arms[].weight',
      `the weights sum to ${total}, not ${EXPERIMENT_WEIGHT_TOTAL} (each weight is the arm's share in percent)`,
    );
  }
  const seen = new Set<string>();
  let holdouts = 0;
  experiment.arms.forEach((arm, i) => {
    const at = `arms[${i}]`;
    if (seen.has(arm.id)) add(`${at}.id`, `arm id ${arm.id} is used twice`);
    seen.add(arm.id);
    if (arm.holdout) {
      holdouts++;
      if (holdouts > 1) add(`${at}.holdout`, 'at most one arm may be a holdout');
      if (context.mandatory) {
        add(`${at}.holdout`, 'a mandatory step (a legally required notice) must reach everybody: no holdout');
      }
      const named = (['variant', 'channelOrder', 'sendAt'] as const).filter((k) => arm[k] !== undefined);
      for (const key of named) add(`${at}.${key}`, 'a holdout sends nothing, so it changes nothing else');
    }
    arm.channelOrder?.forEach((channel, j) => {
      if (!context.channels.includes(channel)) {
        add(
          `${at}.channelOrder[${j}]`,
          `channel ${channel} is not one of the step's channels (${context.channels.join(', ')})`,
        );
      }
      if (arm.channelOrder?.indexOf(channel) !== j)
        add(`${at}.channelOrder[${j}]`, `channel ${channel} named twice`);
    });
    if (arm.variant && context.variantsByLocale) {
      for (const [locale, variants] of Object.entries(context.variantsByLocale)) {
        if (!variants.includes(arm.variant)) {
          add(
            `${at}.variant`,
            `text variant ${arm.variant} does not exist for locale ${locale} (it has ${variants.join(', ')})`,
          );
        }
      }
    }
  });
  return problems;
}

/** Returns what the arm changes, in a few words (the simulator shows it): `text direct`, `sends nothing`. */
export function armChange(arm: ExperimentArm): string {
  if (arm.holdout) return 'sends nothing';
  const changes = [
    ...(arm.variant ? [`text ${arm.variant}`] : []),
    ...(arm.channelOrder ? [`channels ${arm.channelOrder.join('>')}`] : []),
    ...(arm.sendAt ? [`send +${arm.sendAt.delayHours} h`] : []),
  ];
  return changes.length > 0 ? changes.join(', ') : 'no change';
}
