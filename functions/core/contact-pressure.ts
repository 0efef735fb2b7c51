import type { Channel, Purpose } from './customer.ts';
import { DAY_MS } from './local-time.ts';
import type { Policy } from './policy.ts';
import type { Reason } from './reasons.ts';

/** A message that went out to a customer, as contact pressure counts it (from the timeline). */
export interface SentMessage {
  /** ISO instant it was sent. */
  at: string;
  channel: Channel;
  journeyId?: string;
  stepId?: string;
}

export type PressureOutcome =
  | { kind: 'ok'; reason: Reason | null }
  | { kind: 'defer'; until: number; reason: Reason }
  | { kind: 'drop'; reason: Reason };

/**
 * Returns what the policy's contact-pressure cap means for one more message on `channel` at
 * `now`: at most `perChannel[channel]` messages per customer in the rolling `days` before it,
 * across all journeys. Priority transactional > service > marketing: a transactional message is
 * never capped, a capped service message is deferred until the oldest counted message leaves the
 * window, a capped marketing message is dropped. Without a cap for the channel: `ok`, no reason.
 */
export function contactPressureFor(input: {
  policy: Policy;
  channel: Channel;
  purpose: Purpose;
  sent: readonly SentMessage[];
  now: Date;
}): PressureOutcome {
  const { policy, channel, purpose, sent, now } = input;
  const cap = policy.contactPressure?.perChannel[channel];
  if (cap === undefined || !policy.contactPressure) return { kind: 'ok', reason: null };
  const days = policy.contactPressure.days;
  const nowMs = now.getTime();
  const windowStart = nowMs - days * DAY_MS;
  const counted: number[] = [];
  for (const message of sent) {
    if (message.channel !== channel) continue;
    const at = Date.parse(message.at);
    if (at > windowStart && at <= nowMs) counted.push(at);
  }
  const load = `${counted.length} of ${cap} ${channel} messages in ${days} days`;
  if (counted.length < cap) return { kind: 'ok', reason: `contact pressure: ${load}` };
  if (purpose === 'transactional') {
    return { kind: 'ok', reason: `contact pressure: ${load}, transactional is never capped` };
  }
  if (purpose === 'marketing') {
    return { kind: 'drop', reason: `skipped: contact pressure, ${load}, marketing is dropped` };
  }
  // The window has room again once enough of the oldest messages have left it.
  counted.sort((a, b) => a - b);
  const leaving = counted[counted.length - cap] ?? nowMs;
  const until = Math.max(nowMs, leaving + days * DAY_MS);
  return {
    kind: 'defer',
    until,
    reason: `contact pressure: ${load}, service deferred until ${new Date(until).toISOString()}`,
  };
}
