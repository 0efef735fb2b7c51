/**
 * A customer's conversation in the stage table. A timeline entry with a body is written as two
 * items, the metadata (`TIMELINE#<at>#<id>`, kept) and the body (`TIMELINE#<at>#<id>#BODY`, with
 * `expiresAt`): DynamoDB TTL deletes whole items, so only a separate item can expire the body while the
 * metadata stays. The body item sorts right after its entry, so the one timeline Query reads both. TTL
 * deletion lags (up to days on AWS; never on dynalite), so reads also drop bodies whose `expiresAt` has
 * passed. The messages sent lately (contact pressure) are the `message`/`sent` entries.
 */
import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { SentMessage } from '#core/contact-pressure.ts';
import { ChannelSchema } from '#core/customer.ts';
import type {
  ContactHistoryRepository,
  ConversationPage,
  ConversationReader,
  TimelineEntry,
  TimelineRepository,
} from '#core/ports.ts';
import { TimelineEntrySchema } from '#core/timeline.ts';
import { type DynamoRepositoryOptions, Entity, expiresAfter, StageTableRepository } from './stage-table.ts';
import { definedOnly, parseItem, type StoredItem } from './table-items.ts';
import {
  BODY_SUFFIX,
  customerPartitionKey,
  SK_PREFIX,
  timelineBodyKey,
  timelineKey,
  timelineRange,
} from './table-keys.ts';

const DEFAULT_BODY_RETENTION_DAYS = 30;

const DEFAULT_TIMELINE_LIMIT = 50;

/** Letters, digits and `._:-` only: all sort above `#`, so a body item always sorts right after its entry. */
const ENTRY_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const TimelineItemSchema = z.extend(z.omit(TimelineEntrySchema, { id: true, body: true }), {
  entryId: z.string().check(z.minLength(1)),
});

const SentMessageItemSchema = z.object({
  at: z.string().check(z.minLength(1)),
  channel: ChannelSchema,
  journeyId: z.optional(z.string()),
  stepId: z.optional(z.string()),
});

const TimelineBodyItemSchema = z.object({
  subject: z.optional(z.string()),
  text: z.string(),
  expiresAt: z.number(),
});

/**
 * Returns timeline entries from items in newest-first sort-key order, each with its body when the
 * body item exists and has not expired. A body item comes right before its entry in this order.
 */
export function assembleTimeline(
  itemsNewestFirst: StoredItem[],
  nowSeconds: number,
  limit: number,
): TimelineEntry[] {
  const bodies = new Map<string, TimelineEntry['body']>();
  const entries: TimelineEntry[] = [];
  for (const item of itemsNewestFirst) {
    if (entries.length >= limit) break;
    const sk = String(item.sk);
    if (item.entity === Entity.timelineBody) {
      const body = parseItem(TimelineBodyItemSchema, item, 'timeline body');
      if (body.expiresAt > nowSeconds) {
        bodies.set(sk.slice(0, -BODY_SUFFIX.length), definedOnly({ subject: body.subject, text: body.text }));
      }
      continue;
    }
    const { entryId, ...entry } = parseItem(TimelineItemSchema, item, 'timeline');
    const body = bodies.get(sk);
    entries.push(definedOnly({ id: entryId, ...entry, body }));
  }
  return entries;
}

export class DynamoTimeline
  extends StageTableRepository
  implements TimelineRepository, ConversationReader, ContactHistoryRepository
{
  readonly #bodyRetentionDays: number;

  constructor(doc: DynamoDBDocumentClient, tableName: string, options: DynamoRepositoryOptions = {}) {
    super(doc, tableName, options);
    this.#bodyRetentionDays = options.bodyRetentionDays ?? DEFAULT_BODY_RETENTION_DAYS;
  }

  async appendTimeline(entry: TimelineEntry): Promise<void> {
    const { id, body, ...metadata } = entry;
    const entryId = id ?? randomUUID();
    if (!ENTRY_ID.test(entryId)) throw new Error('timeline entry id: letters, digits and . _ : - only');
    // Body first: a crash in between leaves an unreferenced body that expires, never an entry whose body is lost.
    if (body && this.#bodyRetentionDays > 0) {
      await this.table.put({
        ...timelineBodyKey(entry.customerId, entry.at, entryId),
        entity: Entity.timelineBody,
        ...body,
        expiresAt: expiresAfter(entry.at, this.#bodyRetentionDays),
      });
    }
    await this.table.put({
      ...timelineKey(entry.customerId, entry.at, entryId),
      entity: Entity.timeline,
      entryId,
      ...metadata,
    });
  }

  async listTimeline(customerId: string, limit = DEFAULT_TIMELINE_LIMIT): Promise<TimelineEntry[]> {
    if (limit < 1) return [];
    const items: StoredItem[] = [];
    let entries = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      // At most one body per entry, so twice the missing count usually fills the page in one call.
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: {
            ':pk': customerPartitionKey(customerId),
            ':prefix': SK_PREFIX.timeline,
          },
          ScanIndexForward: false,
          Limit: (limit - entries) * 2,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        items.push(item);
        if (item.entity === Entity.timeline) entries += 1;
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey && entries < limit);
    return assembleTimeline(items, this.table.nowSeconds(), limit);
  }

  async readConversation(
    customerId: string,
    page: { limit: number; after?: string },
  ): Promise<ConversationPage> {
    const pk = customerPartitionKey(customerId);
    if (page.after !== undefined && !page.after.startsWith(SK_PREFIX.timeline)) {
      throw new Error('conversation position must be a timeline key');
    }
    const items: StoredItem[] = [];
    let entries = 0;
    let lastEntrySk: string | undefined;
    let more = false;
    let startKey: Record<string, unknown> | undefined = page.after ? { pk, sk: page.after } : undefined;
    while (entries < page.limit) {
      const result = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': SK_PREFIX.timeline },
          ScanIndexForward: false,
          // At most one body per entry; one extra item tells whether anything follows.
          Limit: (page.limit - entries) * 2 + 1,
          ExclusiveStartKey: startKey,
        }),
      );
      const found = result.Items ?? [];
      let index = 0;
      for (; index < found.length && entries < page.limit; index += 1) {
        const item = found[index] as StoredItem;
        items.push(item);
        if (item.entity === Entity.timeline) {
          entries += 1;
          lastEntrySk = String(item.sk);
        }
      }
      startKey = result.LastEvaluatedKey;
      if (index < found.length || (entries >= page.limit && startKey)) {
        more = true;
        break;
      }
      if (!startKey) break;
    }
    const assembled = assembleTimeline(items, this.table.nowSeconds(), page.limit);
    return more && lastEntrySk ? { entries: assembled, next: lastEntrySk } : { entries: assembled };
  }

  async listSentMessages(customerId: string, since: Date): Promise<SentMessage[]> {
    const range = timelineRange(since);
    // Body items sort inside the range too; they have no `kind`, so the filter drops them.
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      FilterExpression: '#kind = :message AND #outcome = :sent AND attribute_exists(#channel)',
      ProjectionExpression: '#at, #channel, journeyId, stepId',
      ExpressionAttributeNames: {
        '#kind': 'kind',
        '#outcome': 'outcome',
        '#at': 'at',
        '#channel': 'channel',
      },
      ExpressionAttributeValues: {
        ':pk': customerPartitionKey(customerId),
        ':from': range.from,
        ':to': range.to,
        ':message': 'message',
        ':sent': 'sent',
      },
    });
    return items.map((item) => definedOnly(parseItem(SentMessageItemSchema, item, 'sent message')));
  }
}
