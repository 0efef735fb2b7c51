import type { Channel, Consent, CustomerProfile, Purpose } from './customer.ts';

const EVERY_PURPOSE: readonly Purpose[] = ['transactional', 'service', 'marketing'];

/** The consents an opt-out by reply records (STOP by SMS, "stop" by email): the channel withdrawn for every purpose. */
export function withdrawnForEveryPurpose(channel: Channel, at: string, source: string): Consent[] {
  return EVERY_PURPOSE.map((purpose) => ({ channel, purpose, granted: false, at, source }));
}

/**
 * Returns why the customer's consents forbid this channel for this purpose, or null when allowed.
 * The latest record per channel and purpose wins (a later record in the list wins a tie);
 * an opt-out always forbids; marketing needs an explicit opt-in; transactional and service
 * messages need no record (contract or legitimate interest).
 */
export function consentProblem(customer: CustomerProfile, channel: Channel, purpose: Purpose): string | null {
  let latest: { granted: boolean; at: number } | undefined;
  for (const consent of customer.consents ?? []) {
    if (consent.channel !== channel || consent.purpose !== purpose) continue;
    const at = Date.parse(consent.at);
    if (!latest || at >= latest.at) latest = { granted: consent.granted, at };
  }
  if (latest?.granted === false) return `opted out of ${channel} for ${purpose}`;
  if (purpose === 'marketing' && latest?.granted !== true) return `no opt-in for ${channel} marketing`;
  return null;
}
