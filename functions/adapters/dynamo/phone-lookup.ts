/**
 * Finding the customers who gave a phone number, for an inbound SMS that arrives without any other
 * reference: one Query of gsi1 on the number's hash (the profile items carry it, `customers.ts`).
 */
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { tableDesign } from '#catalog/table-design.ts';
import type { CustomerLookup } from '#core/ports.ts';
import { ProfileItemSchema } from './customers.ts';
import { type DynamoRepositoryOptions, Entity } from './stage-table.ts';
import { parseItem } from './table-items.ts';
import { phoneIndexKey } from './table-keys.ts';

export class DynamoPhoneLookup implements CustomerLookup {
  readonly #doc: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(doc: DynamoDBDocumentClient, tableName: string, _options: DynamoRepositoryOptions = {}) {
    this.#doc = doc;
    this.#tableName = tableName;
  }

  async customerIdsByPhone(phone: string): Promise<string[]> {
    const index = phoneIndexKey(phone, '');
    const ids: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.#doc.send(
        new QueryCommand({
          TableName: this.#tableName,
          IndexName: tableDesign.gsi1.indexName,
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': index.gsi1pk },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        if (item.entity === Entity.profile)
          ids.push(parseItem(ProfileItemSchema, item, 'profile').profile.id);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return ids;
  }
}
