/**
 * The operator's one-off conversion of suppression entries keyed by the plain SHA-256 of their
 * address to the keyed hash (`klantreis migrate-suppressions`): apart from the suppression list the
 * handlers read, so no function carries its Scan.
 */
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { ChannelSchema } from '#core/customer.ts';
import { noPseudonymKey, type PseudonymKeySource } from '../pseudonym-key-source.ts';
import { type DynamoRepositoryOptions, Entity } from './stage-table.ts';
import { isConditionalCheckFailed, parseItem } from './table-items.ts';
import { legacySuppressionOf, SUPPRESSION_PREFIX, suppressionKeyOfHash } from './table-keys.ts';

const SuppressionItemSchema = z.object({
  channel: ChannelSchema,
  reason: z.string(),
  at: z.string(),
});

export class DynamoSuppressionMigration {
  readonly #doc: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #pseudonymKey: PseudonymKeySource;

  constructor(doc: DynamoDBDocumentClient, tableName: string, options: DynamoRepositoryOptions = {}) {
    this.#doc = doc;
    this.#tableName = tableName;
    this.#pseudonymKey = options.pseudonymKey ?? noPseudonymKey;
  }

  /**
   * Converts every suppression entry keyed by the plain SHA-256 of its address to the keyed hash
   * (HMAC of that SHA-256, so no address is needed), keeping its reason and time, and deletes the
   * plain one. A one-off Scan, run by an operator (`klantreis migrate-suppressions`); safe to repeat.
   */
  async migrateLegacySuppressions(): Promise<{ migrated: number; keyed: number }> {
    const key = await this.#pseudonymKey();
    let migrated = 0;
    let keyed = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.#doc.send(
        new ScanCommand({
          TableName: this.#tableName,
          FilterExpression: 'begins_with(pk, :prefix)',
          ExpressionAttributeValues: { ':prefix': SUPPRESSION_PREFIX },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const legacy = legacySuppressionOf(String(item.pk));
        if (!legacy) {
          keyed += 1;
          continue;
        }
        const entry = parseItem(SuppressionItemSchema, item, 'suppression');
        try {
          await this.#doc.send(
            new PutCommand({
              TableName: this.#tableName,
              Item: {
                ...suppressionKeyOfHash(legacy.channel, legacy.sha256Hex, key),
                entity: Entity.suppression,
                ...entry,
              },
              // A keyed entry written since (the same address suppressed again) is newer: it stays.
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          );
        } catch (error) {
          if (!isConditionalCheckFailed(error)) throw error;
        }
        await this.#doc.send(
          new DeleteCommand({ TableName: this.#tableName, Key: { pk: item.pk, sk: item.sk } }),
        );
        migrated += 1;
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return { migrated, keyed };
  }
}
