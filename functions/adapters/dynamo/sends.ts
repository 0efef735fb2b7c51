/**
 * The send records in the stage table: the idempotency claim of each send (one conditional write
 * lets exactly one attempt through), its outcome, the provider's message id (gsi1, so feedback finds
 * it) and the delivery outcome and engagement provider feedback records on it.
 */
import { randomUUID } from 'node:crypto';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { ChannelSchema } from '#core/customer.ts';
import type {
  ClaimResult,
  IdempotencyRepository,
  SendRecord,
  SendRecordReader,
  UnansweredSend,
} from '#core/ports.ts';
import { DeliveryStatusValues, EngagementValues } from '#core/timeline.ts';
import { type DynamoRepositoryOptions, Entity, expiresAfter, StageTableRepository } from './stage-table.ts';
import { definedOnly, isConditionalCheckFailed, parseItem, type StoredItem } from './table-items.ts';
import { sendIndexKey, sendKey } from './table-keys.ts';

const DEFAULT_IDEMPOTENCY_RETENTION_DAYS = 400;

export const DeliveryStatusSchema = z.enum(DeliveryStatusValues);

export const EngagementSchema = z.enum(EngagementValues);

/**
 * The send record as stored (zod strips the key attributes on parse); provider feedback
 * (`deliveries.ts`) and the export (`personal-data.ts`) read it too.
 */
export const SendItemSchema = z.object({
  key: z.string().check(z.minLength(1)),
  status: z.enum(['in-progress', 'sent', 'skipped', 'failed', 'maybe-sent']),
  channel: z.optional(ChannelSchema),
  providerMessageId: z.optional(z.string()),
  at: z.string().check(z.minLength(1)),
  reason: z.optional(z.string()),
  fallback: z.optional(ChannelSchema),
  attempt: z.optional(z.number().check(z.int(), z.positive())),
  reconcileBy: z.optional(z.string()),
  deliveryStatus: z.optional(DeliveryStatusSchema),
  engagement: z.optional(EngagementSchema),
});

/** Condition: the send record is about this attempt (a first attempt's record may not say). */
export function attemptIs(attempt: number): string {
  return attempt === 1 ? '(attribute_not_exists(attempt) OR attempt = :attempt)' : 'attempt = :attempt';
}

export class DynamoSends extends StageTableRepository implements IdempotencyRepository, SendRecordReader {
  readonly #idempotencyRetentionDays: number;

  constructor(doc: DynamoDBDocumentClient, tableName: string, options: DynamoRepositoryOptions = {}) {
    super(doc, tableName, options);
    this.#idempotencyRetentionDays = options.idempotencyRetentionDays ?? DEFAULT_IDEMPOTENCY_RETENTION_DAYS;
  }

  async claimSend(customerId: string, key: string, at: Date): Promise<ClaimResult> {
    const record: SendRecord = { key, status: 'in-progress', at: at.toISOString() };
    const claimId = randomUUID();
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...this.#sendItem(customerId, record), claimId },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { claimed: true, claimId };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    const existing = await this.table.get(sendKey(customerId, key));
    // Only possible if the record expired between the failed put and this read.
    if (!existing) throw new Error('send claim lost: record vanished after a failed claim, retry');
    return { claimed: false, existing: definedOnly(parseItem(SendItemSchema, existing, 'send')) };
  }

  async completeSend(customerId: string, record: SendRecord): Promise<void> {
    await this.table.put({
      ...this.#sendItem(customerId, record),
      ...(record.providerMessageId ? sendIndexKey(record.providerMessageId) : {}),
    });
  }

  async getSend(customerId: string, key: string): Promise<SendRecord | undefined> {
    const item = await this.table.get(sendKey(customerId, key));
    return item ? definedOnly(parseItem(SendItemSchema, item, 'send')) : undefined;
  }

  async releaseSend(customerId: string, key: string, claimId?: string): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: sendKey(customerId, key),
          ConditionExpression: claimId ? '#status = :claimed AND claimId = :claimId' : '#status = :claimed',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':claimed': 'in-progress',
            ...(claimId ? { ':claimId': claimId } : {}),
          },
        }),
      );
    } catch (error) {
      // Already completed, or another attempt's claim: not ours to release.
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  async settleUnanswered(customerId: string, record: SendRecord, expected: UnansweredSend): Promise<boolean> {
    const { claimId } = expected;
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...this.#sendItem(customerId, record), ...(claimId ? { claimId } : {}) },
          ConditionExpression: `#status = :expected AND ${attemptIs(expected.attempt)}${claimId ? ' AND claimId = :claimId' : ''}`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':expected': expected.status,
            ':attempt': expected.attempt,
            ...(claimId ? { ':claimId': claimId } : {}),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async retakeSend(customerId: string, key: string, attempt: number, at: Date): Promise<ClaimResult> {
    const claimId = randomUUID();
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: sendKey(customerId, key),
          UpdateExpression:
            'SET #status = :claimed, attempt = :next, claimId = :claimId, #at = :at REMOVE reconcileBy',
          ConditionExpression: `#status = :maybe AND ${attemptIs(attempt)}`,
          ExpressionAttributeNames: { '#status': 'status', '#at': 'at' },
          ExpressionAttributeValues: {
            ':claimed': 'in-progress',
            ':maybe': 'maybe-sent',
            ':attempt': attempt,
            ':next': attempt + 1,
            ':claimId': claimId,
            ':at': at.toISOString(),
          },
        }),
      );
      return { claimed: true, claimId };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    const existing = await this.getSend(customerId, key);
    if (!existing) throw new Error('send claim lost: record vanished while retaking it, retry');
    return { claimed: false, existing };
  }

  #sendItem(customerId: string, record: SendRecord): StoredItem {
    return {
      ...sendKey(customerId, record.key),
      entity: Entity.send,
      ...record,
      expiresAt: expiresAfter(record.at, this.#idempotencyRetentionDays),
    };
  }
}
