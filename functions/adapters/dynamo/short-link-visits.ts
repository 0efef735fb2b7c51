/**
 * Following the short links of SMS messages (`short-links.ts` stores them): found by code on gsi1,
 * marked on their first visit with a conditional update, read back for the export.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { ShortLinkReader } from '#core/ports.ts';
import type { ShortLink } from '#core/short-link.ts';
import { ShortLinkSchema } from '#core/short-link-schema.ts';
import { StageTableRepository } from './stage-table.ts';
import { definedOnly, isConditionalCheckFailed, itemsByGsi1Partition, parseItem } from './table-items.ts';
import { shortLinkIndexKey, shortLinkKey } from './table-keys.ts';

/** The item as stored: the link, with its expiry as TTL epoch seconds. */
const ShortLinkItemSchema = z.extend(z.omit(ShortLinkSchema, { expiresAt: true }), {
  expiresAt: z.number(),
});

/** Returns the link an item holds. */
export function shortLinkOfItem(item: unknown): ShortLink {
  const { expiresAt, ...stored } = parseItem(ShortLinkItemSchema, item, 'short link');
  return definedOnly({ ...stored, expiresAt: new Date(expiresAt * 1000).toISOString() });
}

export class DynamoShortLinkVisits extends StageTableRepository implements ShortLinkReader {
  async findShortLinks(code: string): Promise<ShortLink[]> {
    const index = shortLinkIndexKey(code);
    const items = await itemsByGsi1Partition(this.doc, this.tableName, index.gsi1pk);
    return items.filter((item) => item.gsi1sk === index.gsi1sk).map(shortLinkOfItem);
  }

  async markShortLinkFollowed(link: Pick<ShortLink, 'customerId' | 'code'>, at: Date): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: shortLinkKey(link.customerId, link.code),
          UpdateExpression: 'SET clickedAt = :at',
          // Exists (an erasure may have removed it meanwhile) and not followed before.
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(clickedAt)',
          ExpressionAttributeValues: { ':at': at.toISOString() },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}
