/**
 * Storing the short links of SMS messages in the stage table, as the journey step renders them: one item
 * per link, in the customer's partition (an erasure deletes them with the rest, the export lists them),
 * indexed by code on gsi1. The item's TTL attribute is the link's own expiry, so DynamoDB removes it some
 * time after it stops working (`short-link-visits.ts` reads and marks them).
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ShortLinkWriter } from '#core/ports.ts';
import type { ShortLink } from '#core/short-link.ts';
import { Entity, StageTableRepository } from './stage-table.ts';
import { definedOnly, isConditionalCheckFailed } from './table-items.ts';
import { shortLinkIndexKey, shortLinkKey } from './table-keys.ts';

export class DynamoShortLinks extends StageTableRepository implements ShortLinkWriter {
  async putShortLink(link: ShortLink): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: definedOnly({
            ...shortLinkKey(link.customerId, link.code),
            ...shortLinkIndexKey(link.code),
            entity: Entity.shortLink,
            ...link,
            expiresAt: Math.floor(Date.parse(link.expiresAt) / 1000),
          }),
          // A retried step keeps the first item (and any click already recorded on it).
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }
}
