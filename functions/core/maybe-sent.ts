/**
 * What happens to a message the provider may have accepted without telling us (connected, then no
 * answer): it waits for the provider's own events, which name the send (`send-tag.ts`), until a bound;
 * an event by then links it (`sent`), nothing by then means the provider did not accept it, and the
 * step sends it then — on the same channel where the provider's events can name a send whose answer
 * was lost (SES: message tags), a bounded number of times; then, or at once where the events cannot
 * name it (SNS `Publish`: its delivery reports carry only the message id that the lost answer held),
 * on the supporting channel.
 */
import type { Channel } from './customer.ts';

export interface MaybeSentPolicy {
  /** How long a maybe-sent message waits for its provider's events, per channel. */
  boundMinutes: Record<Channel, number>;
  /**
   * How many provider calls the message may take on its channel while none is confirmed; then the
   * supporting channel. 1 where no event can name a send whose answer was lost.
   */
  attempts: Record<Channel, number>;
}

/**
 * SES reports an accepted email (its `Send` event) within seconds; fifteen minutes leaves room for
 * the event bus's retries. SMS: see the module comment.
 */
export const DEFAULT_MAYBE_SENT_POLICY: MaybeSentPolicy = {
  boundMinutes: { email: 15, sms: 15 },
  attempts: { email: 2, sms: 1 },
};

/** Returns when a message that may have been sent at `at` stops waiting for its events (ISO). */
export function reconcileByOf(policy: MaybeSentPolicy, channel: Channel, at: Date): string {
  return new Date(at.getTime() + policy.boundMinutes[channel] * 60_000).toISOString();
}
