/**
 * What happens to a message the provider may have accepted without telling us (connected, then no
 * answer): it waits for the provider's own events, which name the send (`send-tag.ts`), until a bound;
 * an event by then links it (`sent`), nothing by then means the provider did not accept it, and the
 * step sends it then — on the same channel where the sender's events can name a send whose answer
 * was lost (SES: message tags; End User Messaging SMS: the message's context), a bounded number of
 * times; then, or at once where the events cannot name it (SNS `Publish`: its delivery reports carry
 * only the message id that the lost answer held), on the supporting channel.
 */
import type { Channel } from './customer.ts';

export interface MaybeSentPolicy {
  /** How long a maybe-sent message waits for its provider's events, per channel. */
  boundMinutes: Record<Channel, number>;
  /**
   * How many provider calls the message may take on its channel while none is confirmed, when the
   * sender's events name the send; then the supporting channel. A sender whose events cannot name a
   * send whose answer was lost gets one call (`attemptsOf`).
   */
  attemptsWhenLinked: number;
}

/**
 * SES reports an accepted email (its `Send` event) within seconds, End User Messaging SMS an
 * accepted SMS (`TEXT_QUEUED`, `TEXT_PENDING`) as fast; fifteen minutes leaves room for the event
 * bus's retries.
 */
export const DEFAULT_MAYBE_SENT_POLICY: MaybeSentPolicy = {
  boundMinutes: { email: 15, sms: 15, letter: 15, phone: 15 },
  attemptsWhenLinked: 2,
};

/** Returns how many provider calls a maybe-sent message may take on a sender (see `attemptsWhenLinked`). */
export function attemptsOf(policy: MaybeSentPolicy, senderLinksEvents: boolean): number {
  return senderLinksEvents ? policy.attemptsWhenLinked : 1;
}

/** Returns when a message that may have been sent at `at` stops waiting for its events (ISO). */
export function reconcileByOf(policy: MaybeSentPolicy, channel: Channel, at: Date): string {
  return new Date(at.getTime() + policy.boundMinutes[channel] * 60_000).toISOString();
}
