import type { Channel, Consent, CustomerProfile, Purpose } from './customer.ts';

/** The `source` of a consent record written by an unsubscribe link. */
export const UNSUBSCRIBE_LINK_SOURCE = 'unsubscribe-link';
/**
 * Returns the opt-out record (`granted: false`) to append for the channel and purpose, or null when
 * the latest record for them is already an opt-out (a second click changes nothing). The opt-out
 * wins over any earlier opt-in because it is the latest record.
 */
export function optOutRecord(
  customer: Pick<CustomerProfile, 'consents'>,
  optOut: { channel: Channel; purpose: Purpose; at: Date; source: string },
): Consent | null {
  const consents = customer.consents ?? [];
  let latest: Consent | undefined;
  for (const consent of consents) {
    if (consent.channel !== optOut.channel || consent.purpose !== optOut.purpose) continue;
    if (!latest || Date.parse(consent.at) >= Date.parse(latest.at)) latest = consent;
  }
  if (latest?.granted === false) return null;
  return {
    channel: optOut.channel,
    purpose: optOut.purpose,
    granted: false,
    at: optOut.at.toISOString(),
    source: optOut.source,
  };
}
