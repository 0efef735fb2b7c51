import type { Channel, CustomerProfile, Purpose } from './customer.ts';

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
