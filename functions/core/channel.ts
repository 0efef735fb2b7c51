import { consentProblem } from './consent.ts';
import type { Channel, CustomerProfile } from './customer.ts';
import type { JourneyStep } from './journey-step.ts';
import type { Policy, Segment } from './policy.ts';
import { emailProblem, smsPhoneProblem } from './reachability.ts';
import type { Reason } from './reasons.ts';

export interface ChannelDecision {
  channel: Channel | null;
  fallbacks: Channel[];
  costUsd: number | null;
  reasons: Reason[];
}

/** Returns the price in USD of one message on `channel` to this customer (SMS by country). */
export function channelCost(channel: Channel, country: string, policy: Policy): number {
  if (channel === 'email') return policy.channelCosts.email;
  return policy.channelCosts.sms.byCountry[country] ?? policy.channelCosts.sms.default;
}

interface Ranked {
  channel: Channel;
  why: string;
}

/** Returns the channels in the order they should be tried, each with why it sits there. */
function rankChannels(
  customer: CustomerProfile,
  segment: Segment,
  step: JourneyStep,
  policy: Policy,
  reasons: Reason[],
): Ranked[] {
  const ranked: Ranked[] = [];
  const add = (channel: Channel, why: string) => {
    if (!ranked.some((r) => r.channel === channel)) ranked.push({ channel, why });
  };
  const purpose = step.purpose;

  const byPurpose = customer.preferences?.byPurpose?.[purpose];
  if (byPurpose) add(byPurpose, `preferred by customer for ${purpose}`);
  const overall = customer.preferences?.channel;
  if (overall) add(overall, 'preferred by customer');

  // The schema asks every purpose of a segment; a policy written for an older schema may lack one.
  const segmentOrder = segment.channels[purpose] ?? segment.channels.service;
  if (segmentOrder) {
    if (!segment.channels[purpose])
      reasons.push(`segment ${segment.id} has no order for ${purpose}: using service`);
    segmentOrder.forEach((channel, i) => {
      add(channel, `segment ${segment.id} order for ${purpose} (#${i + 1})`);
    });
    for (const channel of step.channels) add(channel, 'step order');
  } else {
    // Cost only decides where nobody expressed an order: the cheapest channel that reaches the customer.
    const byCost = [...step.channels].sort(
      (a, b) => channelCost(a, customer.country, policy) - channelCost(b, customer.country, policy),
    );
    for (const channel of byCost) add(channel, 'cheapest');
  }
  return ranked;
}

/** Returns why the channel cannot be used for this customer and step, or null when it can. */
function dropReason(
  channel: Channel,
  customer: CustomerProfile,
  step: JourneyStep,
  suppressed: readonly Channel[],
): string | null {
  if (!step.channels.includes(channel)) return `not allowed by step ${step.stepId}`;
  const consent = consentProblem(customer, channel, step.purpose);
  if (consent) return consent;
  const reach = channel === 'email' ? emailProblem(customer.email) : smsPhoneProblem(customer.phone);
  if (reach) return reach;
  if (suppressed.includes(channel)) return 'address suppressed';
  return null;
}

/**
 * Returns the channel to use for this step (the customer's preference first, then the segment's
 * order, then the step's), the usable fallbacks in order, the chosen channel's cost, and why.
 * A channel is dropped without consent, without a usable address, when suppressed or not allowed
 * by the step. Nobody reachable gives `channel: null` with every drop explained; never throws.
 */
export function pickChannel(input: {
  customer: CustomerProfile;
  segment: Segment;
  step: JourneyStep;
  policy: Policy;
  suppressed?: readonly Channel[];
}): ChannelDecision {
  const { customer, segment, step, policy, suppressed = [] } = input;
  const reasons: Reason[] = [];
  const usable: Ranked[] = [];
  for (const ranked of rankChannels(customer, segment, step, policy, reasons)) {
    const problem = dropReason(ranked.channel, customer, step, suppressed);
    if (problem) reasons.push(`${ranked.channel} dropped: ${problem}`);
    else usable.push(ranked);
  }

  const [first, ...rest] = usable;
  if (!first) {
    reasons.push(`no reachable channel for ${step.purpose}`);
    return { channel: null, fallbacks: [], costUsd: null, reasons };
  }
  const costUsd = channelCost(first.channel, customer.country, policy);
  reasons.push(`${first.channel}: ${first.why}`);
  reasons.push(`cost ${costUsd} USD`);
  if (rest.length > 0) reasons.push(`fallbacks: ${rest.map((r) => r.channel).join(', ')}`);
  return { channel: first.channel, fallbacks: rest.map((r) => r.channel), costUsd, reasons };
}
