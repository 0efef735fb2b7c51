import { type ChannelDecision, channelCost, costReason, pickChannel } from './channel.ts';
import { contactPressureFor, type SentMessage } from './contact-pressure.ts';
import type { CountryTables } from './country-tables.ts';
import type { Channel, CustomerProfile } from './customer.ts';
import { type ArmAssignment, armReasons, runExperimentOf } from './experiment.ts';
import type { JourneyStep } from './journey-step.ts';
import { localeFor } from './locale.ts';
import type { Policy, Segment, TextVariant, Tone } from './policy.ts';
import type { Reason } from './reasons.ts';
import { pickSlot, resolveTimezone } from './slot.ts';
import { type SmsForm, type SmsLength, smsLengthOutcome, smsWithinLimit } from './sms-limit.ts';
import { arrivalOf } from './transit.ts';

/**
 * Why a step sends nothing: a code for machines (and the simulator), the reasons say the rest.
 * `holdout`: the customer's experiment arm holds the message back (everything else was decided as for a send).
 * `sms-too-long`: SMS was the channel, its text (and its short text) over the template's part limit, and
 * no other channel could take it.
 */
export type SkipCode =
  | 'no-reachable-channel'
  | 'contact-pressure'
  | 'deadline'
  | 'no-slot'
  | 'holdout'
  | 'sms-too-long';

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
  /** The text variant: the experiment arm's, else the step's tone, else the segment's. */
  variant: TextVariant;
  locale: string;
  skipped: SkipCode | null;
  reasons: Reason[];
  /** The experiment and the customer's arm, when the step has one. */
  experiment?: { id: string; arm: string };
  /** An SMS whose length was counted: the text it is rendered from (the short one when the full is over the limit). */
  smsForm?: SmsForm;
  /** A channel that travels (a letter): the day of receipt and when on it (UTC ISO), from the policy's transit. */
  arrival?: { on: string; at: string };
}

const HOUR_MS = 3_600_000;

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
  /** The holidays and numbering plans the slot and the channel read (`country-tables.ts`). */
  countries: CountryTables;
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
  /**
   * The customer's arm of the step's experiment: it changes only what it names (text variant, channel
   * order, send time) or, a holdout, holds the message back once everything else is decided as for a send.
   * Consent, quiet hours, caps and suppression apply as without it.
   */
  arm?: ArmAssignment;
  /** When the step woke (the same on every visit of it): an arm's send-time delay counts from it; defaults to `now`. */
  wokenAt?: Date;
  /** The parts this step's SMS takes for this customer, where a render knows them: the cost tie-break prices them. */
  smsParts?: number;
  /**
   * The step's SMS for this customer counted against its template's limit (replaces `smsParts`): priced
   * by the parts that would go out, and never sent over the limit (`smsLengthOutcome`).
   */
  sms?: SmsLength;
}): StepDecision {
  const { customer, segment, policy, now } = input;
  const arm = input.arm?.arm;
  const step = arm?.channelOrder
    ? { ...input.step, channels: orderedChannels(input.step.channels, arm.channelOrder) }
    : input.step;
  const { variant, locale } = stepTextOf({ ...input, step });
  const variantReason = arm?.variant
    ? `text variant ${variant}: set by experiment ${input.arm?.experimentId} arm ${arm.id}`
    : step.tone
      ? `tone ${variant}: set by the journey step`
      : `tone ${variant}: from segmentation`;
  const smsParts = input.sms ? smsWithinLimit(input.sms)?.parts : input.smsParts;

  const picked = pickChannel({
    customer,
    segment,
    step,
    policy,
    isMobileNumber: input.countries.isMobileNumber,
    ...(input.suppressed ? { suppressed: input.suppressed } : {}),
    ...(smsParts ? { smsParts } : {}),
    ...(input.arm && arm?.channelOrder
      ? {
          order: {
            channels: arm.channelOrder,
            why: `order of experiment ${input.arm.experimentId} arm ${arm.id}`,
          },
        }
      : {}),
  });
  const sms =
    input.sms && picked.channel === 'sms' ? withinSmsLimit(picked, input.sms, customer, policy) : null;
  let channel = sms?.channel ?? picked;
  // One array collects every reason: the arm's, the channel's, contact pressure's, the slot's, locale and variant.
  const reasons = [...(input.arm ? armReasons(input.arm) : []), ...channel.reasons];
  const experiment = input.arm ? { experiment: runExperimentOf(input.arm) } : {};
  const smsForm = sms?.form && channel.channel === 'sms' ? { smsForm: sms.form } : {};
  const skip = (skipped: SkipCode, timezone: string): StepDecision => {
    reasons.push(...locale.reasons, variantReason);
    return {
      ...experiment,
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
    return skip(sms?.skipped ?? 'no-reachable-channel', zone.timezone);
  }

  type Planned =
    | { kind: 'skip'; skipped: SkipCode; timezone: string }
    | { kind: 'too-late'; timezone: string }
    | { kind: 'slot'; slot: ReturnType<typeof pickSlot> };
  /** Plans the send on a chosen channel: contact pressure, then the slot (and its arrival). */
  const planOn = (decision: ChannelDecision): Planned => {
    const onChannel = decision.channel as Channel;
    const pressure = contactPressureFor({
      policy,
      channel: onChannel,
      purpose: step.purpose,
      sent: input.sent ?? [],
      now,
    });
    if (pressure.kind === 'drop') {
      const zone = resolveTimezone(customer, policy);
      reasons.push(pressure.reason, zone.reason);
      return { kind: 'skip', skipped: 'contact-pressure', timezone: zone.timezone };
    }
    if (pressure.kind === 'ok' && pressure.reason) reasons.push(pressure.reason);
    const earliest = latest(
      pressure.kind === 'defer' ? { at: pressure.until, reason: pressure.reason } : undefined,
      arm?.sendAt
        ? {
            at: (input.wokenAt ?? now).getTime() + arm.sendAt.delayHours * HOUR_MS,
            reason: `not before ${arm.sendAt.delayHours} h after the step woke: experiment ${input.arm?.experimentId} arm ${arm.id}`,
          }
        : undefined,
    );
    const slot = pickSlot({
      customer,
      segment,
      step,
      policy,
      now,
      holidayCalendarFor: input.countries.holidayCalendarFor,
      ...(input.triggeredAt ? { triggeredAt: input.triggeredAt } : {}),
      ...(earliest ? { earliest } : {}),
      ...(input.engagement ? { engagement: input.engagement } : {}),
      ...(input.planned ? { planned: input.planned } : {}),
      arrivalOf: (postedAtMs) =>
        arrivalOf({
          channel: onChannel,
          postedAtMs,
          country: customer.address?.country ?? customer.country,
          ...(customer.region ? { region: customer.region } : {}),
          timezone: resolveTimezone(customer, policy).timezone,
          policy,
          holidayCalendarFor: input.countries.holidayCalendarFor,
        }),
    });
    for (const reason of slot.reasons) reasons.push(reason);
    if (slot.arrivesTooLate) return { kind: 'too-late', timezone: slot.timezone };
    if (slot.skipped) return { kind: 'skip', skipped: slot.skipped, timezone: slot.timezone };
    return { kind: 'slot', slot };
  };

  // A channel that would arrive after the step's deadline (a letter) gives way to its fallback.
  let planned = planOn(channel);
  while (planned.kind === 'too-late') {
    const [next, ...rest] = channel.fallbacks;
    if (!next) return skip('deadline', planned.timezone);
    const costUsd = channelCost(next, customer.country, policy, smsParts ?? 1);
    reasons.push(
      `${channel.channel} dropped: arrives after the deadline`,
      `${next}: fallback instead`,
      `cost ${costReason(next, costUsd, smsParts ?? 1)}`,
    );
    channel = { channel: next, fallbacks: rest, costUsd, reasons: [] };
    planned = planOn(channel);
  }
  if (planned.kind === 'skip') return skip(planned.skipped, planned.timezone);
  const { slot } = planned;
  if (arm?.holdout) {
    // Decided as for a send, then held back: the slot stays, so the journey moves on as if it had gone.
    reasons.push(`skipped: holdout, ${channel.channel} at ${slot.localSendAt} not sent`);
    return { ...skip('holdout', slot.timezone), sendAt: slot.sendAt, localSendAt: slot.localSendAt };
  }
  const arrival = slot.arrival
    ? { arrival: { on: slot.arrival.arrivesOn, at: new Date(slot.arrival.arrivesAtMs).toISOString() } }
    : {};
  reasons.push(...locale.reasons, variantReason);
  return {
    ...experiment,
    ...smsForm,
    ...arrival,
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

/**
 * Returns the text variant and the locale the step's message is written in: the arm's variant, else
 * the step's tone, else the segment's; the locale by the segment's rules. Known before the channel is
 * chosen, so the SMS can be rendered and counted first.
 */
export function stepTextOf(input: {
  customer: Pick<CustomerProfile, 'locale'>;
  segment: Segment;
  tone: Tone;
  step: Pick<JourneyStep, 'tone'>;
  policy: Policy;
  arm?: ArmAssignment;
}): { variant: TextVariant; locale: { locale: string; reasons: Reason[] } } {
  return {
    variant: input.arm?.arm.variant ?? input.step.tone ?? input.tone,
    locale: localeFor(input.customer.locale, input.segment, input.policy),
  };
}

/**
 * Returns the channel decision of a step whose SMS was counted, SMS chosen: within the limit as it was
 * (the text form noted), over it the short text, else the supporting channel or none (`sms-too-long`).
 */
function withinSmsLimit(
  picked: ChannelDecision,
  length: SmsLength,
  customer: CustomerProfile,
  policy: Policy,
): { channel: ChannelDecision; form?: SmsForm; skipped?: 'sms-too-long' } {
  const others = picked.fallbacks.filter((c) => c !== 'sms');
  const outcome = smsLengthOutcome(length, others[0] ?? null);
  const withReason = (reason: string | null) => (reason ? [...picked.reasons, reason] : picked.reasons);
  if (outcome.kind === 'send') {
    return { channel: { ...picked, reasons: withReason(outcome.reason) }, form: outcome.form };
  }
  if (outcome.kind === 'skip') {
    const channel = { channel: null, fallbacks: [], costUsd: null, reasons: withReason(outcome.reason) };
    return { channel, skipped: outcome.skipped };
  }
  const costUsd = channelCost(outcome.channel, customer.country, policy);
  const reasons = [...withReason(outcome.reason), `cost ${costReason(outcome.channel, costUsd, 1)}`];
  const fallbacks = others.filter((c) => c !== outcome.channel);
  return { channel: { channel: outcome.channel, fallbacks, costUsd, reasons } };
}

/** Returns the step's channels in the arm's order, the step's others after them. */
function orderedChannels(channels: readonly Channel[], order: readonly Channel[]): Channel[] {
  const first = order.filter((c) => channels.includes(c));
  return [...first, ...channels.filter((c) => !first.includes(c))];
}

/** Returns the later of two lower bounds on the slot (either may be absent). */
function latest(
  a: { at: number; reason: Reason } | undefined,
  b: { at: number; reason: Reason } | undefined,
): { at: number; reason: Reason } | undefined {
  if (!a) return b;
  if (!b) return a;
  return b.at > a.at ? b : a;
}
