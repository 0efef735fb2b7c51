/**
 * The send-time spread by customer id, alone: the slot picker spreads a slot's sends with it (so a
 * batch does not reach the provider in one second, and a run's first wake, `first-wake.ts`, lands
 * where the first step's slot does); its hash also spreads busy sends (`busyWakeAt`).
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
