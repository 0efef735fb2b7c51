import { consentProblem } from './consent.ts';
import type { Channel, CustomerProfile } from './customer.ts';
import type { JourneyStep } from './journey-step.ts';
import type { ChannelRank, Policy, Segment } from './policy.ts';
import { reachProblem } from './reachability.ts';
import type { Reason } from './reasons.ts';

export interface ChannelDecision {
  channel: Channel | null;
  fallbacks: Channel[];
  costUsd: number | null;
  reasons: Reason[];
}

/**
 * Returns the price in USD of a message on `channel` to this customer: an email, an SMS of
 * `smsParts` parts (carriers bill each part; the policy's SMS price is per part, by country), or a
 * letter (one unit, by destination country), or a call (one call by the contact centre, by country).
 */
export function channelCost(channel: Channel, country: string, policy: Policy, smsParts = 1): number {
  const costs = policy.channelCosts;
  const prices: Record<Channel, () => number> = {
    email: () => costs.email,
    sms: () => smsParts * (costs.sms.byCountry[country] ?? costs.sms.default),
    letter: () => (costs.letter ? (costs.letter.byCountry[country] ?? costs.letter.default) : 0),
    phone: () => (costs.phone ? (costs.phone.byCountry[country] ?? costs.phone.default) : 0),
  };
  return prices[channel]();
}

/** Returns how a channel's price reads in the reasons: `sms: 2 parts, 0.19 USD`, `email: 0.0001 USD`. */
export function costReason(channel: Channel, costUsd: number, smsParts: number): string {
  const usd = Number(costUsd.toPrecision(6));
  return channel === 'sms'
    ? `sms: ${smsParts} part${smsParts === 1 ? '' : 's'}, ${usd} USD`
    : `${channel}: ${usd} USD`;
}

/** A channel order that replaces the segment's (an experiment's arm), with why it applies. */
export interface ChannelOrder {
  channels: readonly Channel[];
  why: string;
}

interface Ranked {
  channel: Channel;
  why: string;
}

/**
 * Returns the channels in the order they should be tried, each with why it sits there:
 * the customer's preference for the purpose, then their overall preference, then the segment's
 * order for the purpose (channels it ranks equally: the cheaper first), then the step's own
 * order (primary, then supporting) for channels nobody else named — except a call, which only a
 * preference or the segment's order brings.
 */
function rankChannels(
  customer: CustomerProfile,
  segment: Segment,
  step: JourneyStep,
  policy: Policy,
  smsParts: number,
  armOrder?: ChannelOrder,
): Ranked[] {
  const ranked: Ranked[] = [];
  const add = (channel: Channel, why: string) => {
    for (const r of ranked) if (r.channel === channel) return;
    ranked.push({ channel, why });
  };
  const purpose = step.purpose;

  const byPurpose = customer.preferences?.byPurpose?.[purpose];
  if (byPurpose) add(byPurpose, `preferred by customer for ${purpose}`);
  const overall = customer.preferences?.channel;
  if (overall) add(overall, 'preferred by customer');
  // An experiment's arm orders the channels instead of the segment; what the customer said still comes first.
  armOrder?.channels.forEach((channel, i) => {
    add(channel, `${armOrder.why} (#${i + 1})`);
  });

  // The schema asks every purpose of a segment; a policy written for an older schema may lack one.
  const order: readonly ChannelRank[] = segment.channels[purpose] ?? segment.channels.service ?? [];
  const source = segment.channels[purpose] ? purpose : 'service';
  order.forEach((rank, i) => {
    if (typeof rank === 'string') {
      add(rank, `segment ${segment.id} order for ${source} (#${i + 1})`);
      return;
    }
    const byCost = [...rank].sort(
      (a, b) =>
        channelCost(a, customer.country, policy, smsParts) -
        channelCost(b, customer.country, policy, smsParts),
    );
    for (const channel of byCost) {
      add(channel, `segment ${segment.id} order for ${source} (#${i + 1}, tied: cheapest first)`);
    }
  });
  step.channels.forEach((channel, i) => {
    // A call takes an agent's time: only the customer's preference or the segment's order brings one.
    if (channel === 'phone') return;
    add(
      channel,
      i === 0 ? `primary channel of step ${step.stepId}` : `supporting channel of step ${step.stepId}`,
    );
  });
  return ranked;
}

/** Returns why the channel cannot be used for this customer and step, or null when it can. */
function dropReason(
  channel: Channel,
  customer: CustomerProfile,
  step: JourneyStep,
  suppressed: readonly Channel[],
  isMobileNumber: (phone: string) => boolean,
): string | null {
  if (!step.channels.includes(channel)) return `not allowed by step ${step.stepId}`;
  const consent = consentProblem(customer, channel, step.purpose);
  if (consent) return consent;
  const reach = reachProblem(channel, customer, isMobileNumber);
  if (reach) return reach;
  if (suppressed.includes(channel)) return 'address suppressed';
  return null;
}

/**
 * Returns the channel to use for this step, the usable fallbacks in order, the chosen channel's
 * cost, and a reason for every channel kept or dropped. Order: the customer's preference for the
 * purpose, their overall preference, the segment's order (cheapest first among channels it ranks
 * equally), the step's order. A channel is dropped when the step does not allow it, without
 * consent (an opt-out always wins; marketing needs an opt-in), without a valid address (email), a
 * mobile number (SMS), a complete postal address (letter) or a phone number, landline or mobile (phone), or when its address is suppressed. Nobody reachable gives `channel: null`
 * with every drop explained; never throws.
 */
export function pickChannel(input: {
  customer: CustomerProfile;
  segment: Segment;
  step: JourneyStep;
  policy: Policy;
  /** Tells a mobile number (`country-tables.ts`): SMS goes to valid mobile numbers only. */
  isMobileNumber: (phone: string) => boolean;
  suppressed?: readonly Channel[];
  /** Replaces the segment's order (an experiment's arm); the customer's own preferences still come first. */
  order?: ChannelOrder;
  /** The parts this step's SMS takes for this customer, where the render knows them; else one. */
  smsParts?: number;
}): ChannelDecision {
  const { customer, segment, step, policy, suppressed = [] } = input;
  const reasons: Reason[] = [];
  if (!segment.channels[step.purpose]) {
    reasons.push(`segment ${segment.id} has no order for ${step.purpose}: using service`);
  }
  const usable: Ranked[] = [];
  const smsParts = Math.max(1, input.smsParts ?? 1);
  for (const ranked of rankChannels(customer, segment, step, policy, smsParts, input.order)) {
    const problem = dropReason(ranked.channel, customer, step, suppressed, input.isMobileNumber);
    if (problem) reasons.push(`${ranked.channel} dropped: ${problem}`);
    else usable.push(ranked);
  }

  const [first, ...rest] = usable;
  if (!first) {
    reasons.push(`no reachable channel for ${step.purpose}`);
    return { channel: null, fallbacks: [], costUsd: null, reasons };
  }
  const costUsd = channelCost(first.channel, customer.country, policy, smsParts);
  reasons.push(`${first.channel}: ${first.why}`, `cost ${costReason(first.channel, costUsd, smsParts)}`);
  const fallbacks: Channel[] = [];
  rest.forEach((r, i) => {
    fallbacks.push(r.channel);
    reasons.push(`${r.channel} kept as fallback #${i + 1}: ${r.why}`);
  });
  return { channel: first.channel, fallbacks, costUsd, reasons };
}
