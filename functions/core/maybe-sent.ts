/**
 * What happens to a message the provider may have accepted without telling us (connected, then no
 * answer): it waits for the provider's own events, which name the send (`send-tag.ts`), until a bound;
 * an event by then links it (`sent`), nothing by then means the provider did not accept it, and the
 * step sends it then — on the same channel where the provider's events can name a send whose answer
 * was lost (SES: message tags), on the supporting channel where they cannot (SNS `Publish`: its
 * delivery reports carry only the message id that the lost answer held).
 */
import type { Channel } from './customer.ts';

export interface MaybeSentPolicy {
  /** How long a maybe-sent message waits for its provider's events, per channel. */
  boundMinutes: Record<Channel, number>;
  /** Where it goes when none came within the bound. */
  unconfirmed: Record<Channel, 'same-channel' | 'supporting-channel'>;
}

/**
 * SES reports an accepted email (its `Send` event) within seconds; fifteen minutes leaves room for
 * the event bus's retries. SMS: see the module comment.
 */
export const DEFAULT_MAYBE_SENT_POLICY: MaybeSentPolicy = {
  boundMinutes: { email: 15, sms: 15 },
  unconfirmed: { email: 'same-channel', sms: 'supporting-channel' },
};

/** Returns when a message that may have been sent at `at` stops waiting for its events (ISO). */
export function reconcileByOf(policy: MaybeSentPolicy, channel: Channel, at: Date): string {
  return new Date(at.getTime() + policy.boundMinutes[channel] * 60_000).toISOString();
}
