import { pickChannel } from './channel.ts';
import { contactPressureFor, type SentMessage } from './contact-pressure.ts';
import type { Channel, CustomerProfile } from './customer.ts';
import type { JourneyStep } from './journey-step.ts';
import { localeFor } from './locale.ts';
import type { Policy, Segment, Tone } from './policy.ts';
import type { Reason } from './reasons.ts';
import { pickSlot, resolveTimezone } from './slot.ts';

/** Why a step sends nothing: a code for machines (and the simulator), the reasons say the rest. */
export type SkipCode = 'no-reachable-channel' | 'contact-pressure' | 'deadline' | 'no-slot';

/** Everything decided for one customer and one journey step, with every reason. */
export interface StepDecision {
  /** Null when the step is skipped. */
  channel: Channel | null;
  fallbacks: Channel[];
  costUsd: number | null;
  /** UTC ISO; null when skipped. */
  sendAt: string | null;
  /** ISO in the customer's zone; null when skipped. */
  localSendAt: string | null;
  timezone: string;
  template: string;
  /** The text variant (tone): the step's, else the segment's. */
  variant: Tone;
  locale: string;
  skipped: SkipCode | null;
  reasons: Reason[];
}

/**
 * Returns the whole decision for one step: channel and fallbacks (`pickChannel`), contact pressure
 * on the chosen channel (`contactPressureFor`), the slot (`pickSlot`), the text variant and the
 * locale. The handler and the simulator both call this, so they cannot disagree. Never throws on
 * a schema-valid customer, step and policy.
 */
export function decideStep(input: {
  customer: CustomerProfile;
  segment: Segment;
  /** The tone segmentation chose (a repeat late payer gets `firm` whatever the segment). */
  tone: Tone;
  step: JourneyStep;
  policy: Policy;
  now: Date;
  /** When the journey was triggered; defaults to `now`. */
  triggeredAt?: Date;
  /** Channels whose address is on the suppression list. */
  suppressed?: readonly Channel[];
  /** Messages already sent to the customer, for contact pressure. */
  sent?: readonly SentMessage[];
  /** When the customer opened or clicked an email (epoch ms), for send-time optimisation. */
  engagement?: readonly number[];
  /** The slot planned for this step before (a journey that waited for it): kept while still open. */
  planned?: Date;
}): StepDecision {
  const { customer, segment, step, policy, now } = input;
  const variant = input.step.tone ?? input.tone;
  const variantReason = step.tone
    ? `tone ${variant}: set by the journey step`
    : `tone ${variant}: from segmentation`;
  const locale = localeFor(customer.locale, segment, policy);

  const channel = pickChannel({
    customer,
    segment,
    step,
    policy,
    ...(input.suppressed ? { suppressed: input.suppressed } : {}),
  });
  // One array collects every reason: the channel's, contact pressure's, the slot's, locale and variant.
  const reasons = channel.reasons;
  const skip = (skipped: SkipCode, timezone: string): StepDecision => {
    reasons.push(...locale.reasons, variantReason);
    return {
      channel: null,
      fallbacks: [],
      costUsd: null,
      sendAt: null,
      localSendAt: null,
      timezone,
      template: step.templateId,
      variant,
      locale: locale.locale,
      skipped,
      reasons,
    };
  };
  if (!channel.channel) {
    const zone = resolveTimezone(customer, policy);
    reasons.push(zone.reason);
    return skip('no-reachable-channel', zone.timezone);
  }

  const pressure = contactPressureFor({
    policy,
    channel: channel.channel,
    purpose: step.purpose,
    sent: input.sent ?? [],
    now,
  });
  if (pressure.kind === 'drop') {
    const zone = resolveTimezone(customer, policy);
    reasons.push(pressure.reason, zone.reason);
    return skip('contact-pressure', zone.timezone);
  }
  if (pressure.kind === 'ok' && pressure.reason) reasons.push(pressure.reason);

  const slot = pickSlot({
    customer,
    segment,
    step,
    policy,
    now,
    ...(input.triggeredAt ? { triggeredAt: input.triggeredAt } : {}),
    ...(pressure.kind === 'defer' ? { earliest: { at: pressure.until, reason: pressure.reason } } : {}),
    ...(input.engagement ? { engagement: input.engagement } : {}),
    ...(input.planned ? { planned: input.planned } : {}),
  });
  for (const reason of slot.reasons) reasons.push(reason);
  if (slot.skipped) return skip(slot.skipped, slot.timezone);
  reasons.push(...locale.reasons, variantReason);
  return {
    channel: channel.channel,
    fallbacks: channel.fallbacks,
    costUsd: channel.costUsd,
    sendAt: slot.sendAt,
    localSendAt: slot.localSendAt,
    timezone: slot.timezone,
    template: step.templateId,
    variant,
    locale: locale.locale,
    skipped: null,
    reasons,
  };
}
