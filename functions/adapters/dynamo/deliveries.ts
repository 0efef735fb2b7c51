/**
 * Provider feedback on the send records: a provider event links the send attempt it names (`sent`,
 * with the provider's message id in gsi1), feedback finds a send by that id, and delivery outcomes
 * and engagement are recorded on the record, an older event never overwriting a newer one. Apart from
 * `sends.ts` (the send step's claims), so the journey step carries none of it.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DeliveryRepository, DeliveryStatus, Engagement, LocatedSend, SendRecord } from '#core/ports.ts';
import { attemptIs, DeliveryStatusSchema, EngagementSchema, SendItemSchema } from './sends.ts';
import { StageTableRepository } from './stage-table.ts';
import { definedOnly, isConditionalCheckFailed, itemByGsi1, parseItem } from './table-items.ts';
import { customerPartitionKey, isoKeyTime, sendIndexKey, sendKey } from './table-keys.ts';

/** `getSend` is the send records' own (`sends.ts`); the rest of the port is here. */
export class DynamoDeliveries extends StageTableRepository implements Omit<DeliveryRepository, 'getSend'> {
  async linkSend(
    customerId: string,
    key: string,
    link: { attempt: number; providerMessageId: string },
  ): Promise<SendRecord | undefined> {
    const index = sendIndexKey(link.providerMessageId);
    try {
      const result = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: sendKey(customerId, key),
          UpdateExpression:
            'SET #status = :sent, providerMessageId = :id, gsi1pk = :gsi1pk, gsi1sk = :gsi1sk REMOVE reconcileBy',
          ConditionExpression: `attribute_exists(pk) AND #status IN (:claimed, :maybe) AND ${attemptIs(link.attempt)}`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':sent': 'sent',
            ':claimed': 'in-progress',
            ':maybe': 'maybe-sent',
            ':attempt': link.attempt,
            ':id': link.providerMessageId,
            ':gsi1pk': index.gsi1pk,
            ':gsi1sk': index.gsi1sk,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return result.Attributes
        ? definedOnly(parseItem(SendItemSchema, result.Attributes, 'send'))
        : undefined;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    const item = await this.table.get(sendKey(customerId, key));
    return item ? definedOnly(parseItem(SendItemSchema, item, 'send')) : undefined;
  }

  /** Reads through gsi1 (eventually consistent): a send recorded a moment ago may not be found yet. */
  async findSendByProviderMessageId(providerMessageId: string): Promise<LocatedSend | undefined> {
    const item = await itemByGsi1(this.doc, this.tableName, sendIndexKey(providerMessageId));
    if (!item) return undefined;
    const customerId = String(item.pk).slice(customerPartitionKey('').length);
    return { customerId, record: definedOnly(parseItem(SendItemSchema, item, 'send')) };
  }

  async recordDeliveryOutcome(
    customerId: string,
    key: string,
    outcome: { deliveryStatus?: DeliveryStatus; engagement?: Engagement; at: string },
  ): Promise<void> {
    const at = isoKeyTime(outcome.at);
    const updates: Array<{ set: string; condition: string; values: Record<string, unknown> }> = [];
    if (outcome.deliveryStatus) {
      updates.push({
        set: 'deliveryStatus = :status, deliveryStatusAt = :at',
        // Events arrive out of order: an older one never overwrites a newer status.
        condition: 'attribute_not_exists(deliveryStatusAt) OR deliveryStatusAt <= :at',
        values: { ':status': DeliveryStatusSchema.parse(outcome.deliveryStatus), ':at': at },
      });
    }
    if (outcome.engagement) {
      const engagement = EngagementSchema.parse(outcome.engagement);
      updates.push({
        set: 'engagement = :engagement, engagedAt = :at',
        condition:
          engagement === 'clicked'
            ? 'attribute_not_exists(engagement) OR engagement = :opened'
            : 'attribute_not_exists(engagement)',
        values: {
          ':engagement': engagement,
          ':at': at,
          ...(engagement === 'clicked' ? { ':opened': 'opened' } : {}),
        },
      });
    }
    for (const update of updates) {
      try {
        await this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: sendKey(customerId, key),
            UpdateExpression: `SET ${update.set}`,
            ConditionExpression: `attribute_exists(pk) AND (${update.condition})`,
            ExpressionAttributeValues: update.values,
          }),
        );
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
      }
    }
  }
}
