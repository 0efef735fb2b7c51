import { createHash } from 'node:crypto';

/**
 * Returns the id of what one provider event (delivery, open, reply, …) wrote: the same on every
 * redelivery of that event, so at-least-once delivery overwrites instead of duplicating.
 */
export function feedbackEntryId(provider: string, eventType: string, messageId: string, at: string): string {
  const hash = createHash('sha256').update(`${messageId}|${eventType}|${at}`).digest('hex').slice(0, 40);
  return `${provider}.${eventType.toLowerCase().replace(/[^a-z0-9_]/g, '_')}.${hash}`;
}
