/**
 * Finding the send a provider event is about, for both feedback handlers: by the send the event
 * names (SES message tags, End User Messaging SMS `context`: see `#core/send-tag.ts`), linking it
 * when the step never heard the provider's answer; else by the provider's message id.
 */
import type { DeliveryRepository, LocatedSend } from '#core/ports.ts';
import type { SendReference } from '#core/send-tag.ts';
import { logger } from '../adapters/powertools.ts';

/**
 * Returns the send the event is about, with `linked` when this event made it `sent` (the step had no
 * answer from the provider: `in-progress` or `maybe-sent`); undefined when no send is recorded.
 * A named send is read consistently, so a send recorded a moment ago is found.
 */
export async function locateSend(
  deliveries: DeliveryRepository,
  named: SendReference | undefined,
  providerMessageId: string,
): Promise<(LocatedSend & { linked: boolean }) | undefined> {
  if (!named) {
    const found = await deliveries.findSendByProviderMessageId(providerMessageId);
    return found ? { ...found, linked: false } : undefined;
  }
  const record = await deliveries.getSend(named.customerId, named.key);
  if (!record) return undefined;
  const unanswered = record.status === 'in-progress' || record.status === 'maybe-sent';
  if (!unanswered || (record.attempt ?? 1) !== named.attempt) {
    return { customerId: named.customerId, record, linked: false };
  }
  const linked = await deliveries.linkSend(named.customerId, named.key, {
    attempt: named.attempt,
    providerMessageId,
  });
  if (!linked) return undefined;
  const madeSent = linked.status === 'sent' && linked.providerMessageId === providerMessageId;
  if (madeSent) logger.info('send linked by its provider event', { attempt: named.attempt });
  return { customerId: named.customerId, record: linked, linked: madeSent };
}
