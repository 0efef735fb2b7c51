/**
 * The erasure records in the stage table: written before anything of the customer's is deleted, so
 * every writer that could bring their data back (a journey step in flight) sees it and stops; keyed
 * by a keyed hash of the id (no personal data) and kept until well after the erasure's second pass.
 */
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { ErasureRecord, ErasureRepository } from '#core/ports.ts';
import { noPseudonymKey, type PseudonymKeySource } from '../pseudonym-key-source.ts';
import { type DynamoRepositoryOptions, Entity, expiresAfter, StageTableRepository } from './stage-table.ts';
import { definedOnly, isConditionalCheckFailed, parseItem } from './table-items.ts';
import { erasureKey } from './table-keys.ts';

/** Longer than the scheduler's retries of the second pass (24 hours) and a week to redrive its dead letters. */
const DEFAULT_ERASURE_RETENTION_DAYS = 7;

const ErasureItemSchema = z.object({
  erasedAt: z.string().check(z.minLength(1)),
  secondPassAt: z.string().check(z.minLength(1)),
  secondPass: z.optional(
    z.object({
      ranAt: z.string().check(z.minLength(1)),
      removedItems: z.number().check(z.int(), z.gte(0)),
      stoppedRuns: z.number().check(z.int(), z.gte(0)),
    }),
  ),
});

export class DynamoErasures extends StageTableRepository implements ErasureRepository {
  readonly #pseudonymKey: PseudonymKeySource;
  readonly #erasureRetentionDays: number;

  constructor(doc: DynamoDBDocumentClient, tableName: string, options: DynamoRepositoryOptions = {}) {
    super(doc, tableName, options);
    this.#pseudonymKey = options.pseudonymKey ?? noPseudonymKey;
    this.#erasureRetentionDays = options.erasureRetentionDays ?? DEFAULT_ERASURE_RETENTION_DAYS;
  }

  async markErased(customerId: string, erasure: { erasedAt: Date; secondPassAt: Date }): Promise<void> {
    await this.table.put({
      ...erasureKey(customerId, await this.#pseudonymKey()),
      entity: Entity.erasure,
      erasedAt: erasure.erasedAt.toISOString(),
      secondPassAt: erasure.secondPassAt.toISOString(),
      expiresAt: expiresAfter(erasure.secondPassAt, this.#erasureRetentionDays),
    });
  }

  async isErased(customerId: string): Promise<boolean> {
    return (await this.getErasure(customerId)) !== undefined;
  }

  async getErasure(customerId: string): Promise<ErasureRecord | undefined> {
    const item = await this.table.get(erasureKey(customerId, await this.#pseudonymKey()));
    // TTL deletion lags: an expired record no longer counts.
    if (!item || (typeof item.expiresAt === 'number' && item.expiresAt <= this.table.nowSeconds()))
      return undefined;
    return definedOnly(parseItem(ErasureItemSchema, item, 'erasure'));
  }

  async recordSecondPass(
    customerId: string,
    pass: { ranAt: Date; removedItems: number; stoppedRuns: number },
  ): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: erasureKey(customerId, await this.#pseudonymKey()),
          UpdateExpression: 'SET secondPass = :pass',
          // Without it, a pass for an unknown erasure would create a stub record.
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: {
            ':pass': {
              ranAt: pass.ranAt.toISOString(),
              removedItems: pass.removedItems,
              stoppedRuns: pass.stoppedRuns,
            },
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}
