/**
 * What the hand-over desk (the console) reads and changes beside the journeys: finding customers by
 * email address, putting and lifting holds, and reading, changing and listing hand-over records. Apart
 * from the journeys' repositories, so the step and the other handlers do not carry it; the step only
 * reads holds (`holds.ts`) and opens hand-overs (`hand-overs.ts`).
 */
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { tableDesign } from '#catalog/table-design.ts';
import {
  type HandOverRecord,
  HandOverRecordSchema,
  type HandOverStatus,
  type HandOverStore,
} from '#core/hand-over-desk.ts';
import { type Hold, HoldSchema } from '#core/hold.ts';
import type { EmailLookup, HoldRepository } from '#core/ports.ts';
import { handOverInboxItem, handOverItem } from './hand-over-items.ts';
import {
  definedOnly,
  isConditionalCheckFailed,
  itemByGsi1,
  itemsByGsi1Partition,
  parseItem,
} from './table-items.ts';
import { emailIndexKey, handOverInboxIndexKey, handOverIndexKey, holdKey } from './table-keys.ts';

const EmailIndexItemSchema = z.object({
  entity: z.literal('email-index'),
  customerId: z.string().check(z.minLength(1)),
});

export class DynamoDeskRepository
  implements
    Pick<HandOverStore, 'getHandOver' | 'saveHandOver' | 'listHandOvers'>,
    HoldRepository,
    EmailLookup
{
  readonly #doc: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#doc = doc;
    this.#tableName = tableName;
  }

  /** Returns the ids of the customers with this email address (eventually consistent: an index). */
  async customerIdsByEmail(email: string): Promise<string[]> {
    const items = await itemsByGsi1Partition(this.#doc, this.#tableName, emailIndexKey(email, '').gsi1pk);
    return items.map((item) => parseItem(EmailIndexItemSchema, item, 'email index').customerId);
  }

  async listHolds(customerId: string): Promise<Hold[]> {
    const page = await this.#doc.send(
      new QueryCommand({
        TableName: this.#tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': holdKey(customerId).pk, ':prefix': 'HOLD#' },
        ConsistentRead: true,
      }),
    );
    // A pause and a hold per running run: far below one page.
    return (page.Items ?? []).map((item) => definedOnly(parseItem(HoldSchema, item, 'hold')));
  }

  async putHold(customerId: string, hold: Hold): Promise<void> {
    await this.#doc.send(
      new PutCommand({
        TableName: this.#tableName,
        Item: definedOnly({ ...holdKey(customerId, hold.runId), entity: 'hold', ...hold }),
      }),
    );
  }

  async removeHold(customerId: string, runId?: string): Promise<void> {
    await this.#doc.send(new DeleteCommand({ TableName: this.#tableName, Key: holdKey(customerId, runId) }));
  }

  /** Reads through gsi1 (eventually consistent): a hand-over of a moment ago may not be found yet. */
  async getHandOver(handOverId: string): Promise<HandOverRecord | undefined> {
    const item = await itemByGsi1(this.#doc, this.#tableName, handOverIndexKey(handOverId));
    return item && definedOnly(parseItem(HandOverRecordSchema, item, 'hand-over'));
  }

  async saveHandOver(record: HandOverRecord, expected: HandOverStatus): Promise<boolean> {
    try {
      await this.#doc.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: definedOnly(handOverItem(record)),
          ConditionExpression: '#status = :expected',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':expected': expected },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
    // The record decides; its inbox item follows it into the new status's partition.
    await this.#doc.send(
      new PutCommand({ TableName: this.#tableName, Item: definedOnly(handOverInboxItem(record)) }),
    );
    return true;
  }

  async listHandOvers(query: {
    status: HandOverStatus;
    reason?: HandOverRecord['reason'];
    limit: number;
    next?: string;
  }): Promise<{ items: HandOverRecord[]; next?: string }> {
    const items: HandOverRecord[] = [];
    let startKey = query.next
      ? (JSON.parse(Buffer.from(query.next, 'base64url').toString('utf8')) as Record<string, unknown>)
      : undefined;
    do {
      // The limit applies before the filter, so a page never holds more than asked for.
      const page = await this.#doc.send(
        new QueryCommand({
          TableName: this.#tableName,
          IndexName: tableDesign.gsi1.indexName,
          KeyConditionExpression: 'gsi1pk = :pk',
          ...(query.reason
            ? {
                FilterExpression: '#reason = :reason',
                ExpressionAttributeNames: { '#reason': 'reason' },
                ExpressionAttributeValues: {
                  ':pk': handOverInboxIndexKey(query.status, new Date(0), '').gsi1pk,
                  ':reason': query.reason,
                },
              }
            : {
                ExpressionAttributeValues: {
                  ':pk': handOverInboxIndexKey(query.status, new Date(0), '').gsi1pk,
                },
              }),
          Limit: query.limit - items.length,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        items.push(definedOnly(parseItem(HandOverRecordSchema, item, 'hand-over inbox')));
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey && items.length < query.limit);
    return startKey
      ? { items, next: Buffer.from(JSON.stringify(startKey), 'utf8').toString('base64url') }
      : { items };
  }
}
