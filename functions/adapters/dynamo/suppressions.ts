/**
 * The suppression list in the stage table: each entry keyed by the keyed hash of its normalised
 * address (`table-keys.ts`), never the address; entries under the legacy plain hash are still read
 * until the operator's one-off migration (`suppression-migration.ts`) converts them.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Channel } from '#core/customer.ts';
import type { SuppressionRepository } from '#core/ports.ts';
import { noPseudonymKey, type PseudonymKeySource } from '../pseudonym-key-source.ts';
import { type DynamoRepositoryOptions, Entity, StageTable } from './stage-table.ts';
import { legacySuppressionKey, suppressionKey } from './table-keys.ts';

export class DynamoSuppressions implements SuppressionRepository {
  readonly #table: StageTable;
  readonly #pseudonymKey: PseudonymKeySource;

  constructor(doc: DynamoDBDocumentClient, tableName: string, options: DynamoRepositoryOptions = {}) {
    this.#table = new StageTable(doc, tableName, options.clock);
    this.#pseudonymKey = options.pseudonymKey ?? noPseudonymKey;
  }

  async isSuppressed(channel: Channel, address: string): Promise<boolean> {
    const key = await this.#pseudonymKey();
    // The legacy (plain SHA-256) key is read too, so an entry not yet migrated keeps suppressing.
    const found = await Promise.all([
      this.#table.get(suppressionKey(channel, address, key)),
      this.#table.get(legacySuppressionKey(channel, address)),
    ]);
    return found.some((item) => item !== undefined);
  }

  async suppress(channel: Channel, address: string, reason: string, at: Date): Promise<void> {
    // Only the key's keyed hash identifies the address; `reason` must be free of personal data.
    await this.#table.put({
      ...suppressionKey(channel, address, await this.#pseudonymKey()),
      entity: Entity.suppression,
      channel,
      reason,
      at: at.toISOString(),
    });
  }
}
