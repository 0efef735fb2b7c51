/**
 * The send-time spread by customer id, alone: the slot picker uses it, and so do the journey starters
 * (start-journey, start-scheduled-runs) to plan a run's first wake, without the decision core in their bundles.
 */

/** Returns a stable 32-bit FNV-1a hash: the same text always gives the same number. */
export function stableHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Returns the customer's offset in whole seconds within a spread of `spreadSeconds` (0 when there is none). */
export function spreadOffsetSeconds(customerId: string, spreadSeconds: number): number {
  const room = Math.floor(spreadSeconds);
  return room > 0 ? stableHash(customerId) % room : 0;
}

/**
 * Returns when a run started now first wakes: now plus the customer's spread within the policy's
 * `sendTime.spreadMinutes`, as the slot picker spreads a slot that opens now. A start inside the
 * customer's window then sends at that moment without deciding a slot first.
 */
export function firstWakeAt(customerId: string, now: Date, spreadMinutes: number): Date {
  return new Date(now.getTime() + spreadOffsetSeconds(customerId, spreadMinutes * 60) * 1000);
}
