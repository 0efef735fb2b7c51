/**
 * Reading the holds a person put on a customer's messages (`desk.ts` writes them): what the step
 * checks before it sends. The step writes one too: a payment reminder started under an arrangement
 * holds itself as the arrangement would have (`arrangement-hold.ts`).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Hold, HoldSchema } from '#core/hold.ts';
import type { HoldRepository } from '#core/ports.ts';
import { type DynamoRepositoryOptions, StageTable } from './stage-table.ts';
import { definedOnly, parseItem } from './table-items.ts';
import { customerPartitionKey, holdKey, SK_PREFIX } from './table-keys.ts';

export class DynamoHolds implements Pick<HoldRepository, 'listHolds' | 'putHold'> {
  readonly #table: StageTable;

  constructor(doc: DynamoDBDocumentClient, tableName: string, options: DynamoRepositoryOptions = {}) {
    this.#table = new StageTable(doc, tableName, options.clock);
  }

  async listHolds(customerId: string): Promise<Hold[]> {
    const items = await this.#table.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': customerPartitionKey(customerId), ':prefix': SK_PREFIX.hold },
    });
    return items.map((item) => definedOnly(parseItem(HoldSchema, item, 'hold')));
  }

  async putHold(customerId: string, hold: Hold): Promise<void> {
    await this.#table.put({ ...holdKey(customerId, hold.runId), entity: 'hold', ...hold });
  }
}
