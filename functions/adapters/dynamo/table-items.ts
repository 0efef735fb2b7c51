/**
 * What every repository over the stage table does alike with its items: parse a stored item, drop
 * `undefined` before a write, recognise a failed condition, read the one item a gsi1 key names or every
 * item of a gsi1 partition.
 */
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type * as z from 'zod/mini';
import { tableDesign } from '#catalog/table-design.ts';

export type StoredItem = Record<string, unknown>;

/** Returns the parsed item; the error names the failing fields only, never their values. */
export function parseItem<T>(schema: z.ZodMiniType<T>, item: unknown, what: string): T {
  const result = schema.safeParse(item);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => issue.path.join('.') || '(item)').join(', ');
  throw new Error(`stored ${what} item is invalid at: ${fields}`);
}

/** Returns a deep copy without `undefined` values, so any document client can marshall it. */
export function definedOnly<T>(value: T): T {
  if (Array.isArray(value)) return value.map(definedOnly) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, definedOnly(v)]),
    ) as T;
  }
  return value;
}

export function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** Returns the one item gsi1 holds under `index`, if any: eventually consistent, as GSI reads are. */
export async function itemByGsi1(
  doc: DynamoDBDocumentClient,
  tableName: string,
  index: { gsi1pk: string; gsi1sk: string },
): Promise<StoredItem | undefined> {
  const page = await doc.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: tableDesign.gsi1.indexName,
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk = :sk',
      ExpressionAttributeValues: { ':pk': index.gsi1pk, ':sk': index.gsi1sk },
      Limit: 1,
    }),
  );
  return page.Items?.[0];
}

/** Returns every item of one gsi1 partition, following pagination: eventually consistent, as GSI reads are. */
export async function itemsByGsi1Partition(
  doc: DynamoDBDocumentClient,
  tableName: string,
  gsi1pk: string,
): Promise<StoredItem[]> {
  const items: StoredItem[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: tableDesign.gsi1.indexName,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': gsi1pk },
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}
