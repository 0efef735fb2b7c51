/**
 * The tone rule: which text variants a template must have. A template has each text variant a journey
 * step can pick for it, and no other is demanded: the step's own `tone` when it sets one, else each
 * tone segmentation can give (every segment's tone, and firm for a repeat late payer, `segment.ts`),
 * plus each named variant an arm of the step's experiment picks. Content validation checks exactly
 * these, per channel the step allows and per locale; the run-time fall-back to friendly is never relied on.
 */
import type { Policy, TextVariant, Tone } from './policy.ts';
import { REPEAT_LATE_PAYER_TONE } from './segment.ts';

/** What of a journey step decides its text variant. */
export interface StepTextChoice {
  templateId: string;
  /** The tone the step forces, overriding the segment's. */
  tone?: Tone;
  /** The named text variants the arms of the step's experiment pick. */
  armVariants?: readonly TextVariant[];
}

/** Returns the tones segmentation can give a customer: each segment's tone, and the repeat late payer's. */
export function tonesSegmentationGives(policy: Pick<Policy, 'segments'>): Tone[] {
  return [...new Set([...policy.segments.map((segment) => segment.tone), REPEAT_LATE_PAYER_TONE])];
}

/** Returns the text variants the step can pick: its forced tone or the segmentation's, and its arms' variants. */
export function textVariantsOfStep(step: StepTextChoice, segmentationTones: readonly Tone[]): TextVariant[] {
  const own: readonly TextVariant[] = step.tone ? [step.tone] : segmentationTones;
  return [...new Set([...own, ...(step.armVariants ?? [])])];
}

/** Returns, per template the steps name, the text variants it must have (sorted). */
export function requiredTextVariants(
  steps: readonly StepTextChoice[],
  policy: Pick<Policy, 'segments'>,
): Map<string, TextVariant[]> {
  const segmentationTones = tonesSegmentationGives(policy);
  const required = new Map<string, Set<TextVariant>>();
  for (const step of steps) {
    const variants = required.get(step.templateId) ?? new Set<TextVariant>();
    for (const variant of textVariantsOfStep(step, segmentationTones)) variants.add(variant);
    required.set(step.templateId, variants);
  }
  return new Map([...required].map(([templateId, variants]) => [templateId, [...variants].sort()]));
}
