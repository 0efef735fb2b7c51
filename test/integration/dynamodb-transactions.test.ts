/**
 * TransactWriteItems on the local DynamoDB: all items or none, and the cancellation DynamoDB answers.
 */
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestTable, type TestTable } from '../fixtures/dynamo-table.ts';

const TABLE = 'klantreis-transactions';
let table: TestTable;

beforeAll(async () => {
  table = await startTestTable(TABLE);
  await table.doc.send(new PutCommand({ TableName: TABLE, Item: { pk: 'B', sk: 'B', n: 1 } }));
});

afterAll(async () => {
  await table?.stop();
});

const get = async (pk: string) =>
  (await table.doc.send(new GetCommand({ TableName: TABLE, Key: { pk, sk: pk }, ConsistentRead: true })))
    .Item;

describe('local transactions', () => {
  it('applies every item when every condition holds', async () => {
    await table.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: TABLE,
              Item: { pk: 'A', sk: 'A' },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Update: {
              TableName: TABLE,
              Key: { pk: 'B', sk: 'B' },
              UpdateExpression: 'ADD n :one',
              ExpressionAttributeValues: { ':one': 1 },
            },
          },
        ],
      }),
    );
    expect(await get('A')).toEqual({ pk: 'A', sk: 'A' });
    expect((await get('B'))?.n).toBe(2);
  });

  it('applies none when one is refused, naming it in the cancellation reasons', async () => {
    const refused = await table.doc
      .send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: TABLE, Item: { pk: 'C', sk: 'C' } } },
            {
              Update: {
                TableName: TABLE,
                Key: { pk: 'B', sk: 'B' },
                UpdateExpression: 'ADD n :one',
                ExpressionAttributeValues: { ':one': 1 },
              },
            },
            {
              Put: {
                TableName: TABLE,
                Item: { pk: 'A', sk: 'A', again: true },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      )
      .catch((error: unknown) => error as Error & { CancellationReasons?: Array<{ Code?: string }> });
    expect(refused).toMatchObject({ name: 'TransactionCanceledException' });
    expect(
      (refused as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons?.map((r) => r.Code),
    ).toEqual(['None', 'None', 'ConditionalCheckFailed']);
    expect(await get('C')).toBeUndefined();
    expect((await get('B'))?.n).toBe(2);
    expect(await get('A')).toEqual({ pk: 'A', sk: 'A' });
  });
});
