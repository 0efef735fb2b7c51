/**
 * Finding the customers who gave a phone number, for an inbound SMS that arrives without any other
 * reference: one Query of gsi1 on the number's hash (the profile items carry it, `customers.ts`).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CustomerLookup } from '#core/ports.ts';
import { ProfileItemSchema } from './customers.ts';
import { type DynamoRepositoryOptions, Entity } from './stage-table.ts';
import { itemsByGsi1Partition, parseItem } from './table-items.ts';
import { phoneIndexKey } from './table-keys.ts';

export class DynamoPhoneLookup implements CustomerLookup {
  readonly #doc: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(doc: DynamoDBDocumentClient, tableName: string, _options: DynamoRepositoryOptions = {}) {
    this.#doc = doc;
    this.#tableName = tableName;
  }

  async customerIdsByPhone(phone: string): Promise<string[]> {
    const items = await itemsByGsi1Partition(this.#doc, this.#tableName, phoneIndexKey(phone, '').gsi1pk);
    return items
      .filter((item) => item.entity === Entity.profile)
      .map((item) => parseItem(ProfileItemSchema, item, 'profile').profile.id);
  }
}
