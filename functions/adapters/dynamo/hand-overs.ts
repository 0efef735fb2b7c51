/**
 * Opening a hand-over to a person in the stage table: its record and its inbox item, each written
 * once, so a retried hand-over leaves the record as a person may have changed it (`desk.ts` reads,
 * changes and lists them).
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { type HandOverRecord, HandOverRecordSchema, type HandOverStore } from '#core/hand-over-desk.ts';
import { handOverInboxItem, handOverItem } from './hand-over-items.ts';
import { StageTableRepository } from './stage-table.ts';
import { definedOnly, isConditionalCheckFailed, parseItem } from './table-items.ts';
import { handOverKey } from './table-keys.ts';

export class DynamoHandOvers extends StageTableRepository implements Pick<HandOverStore, 'openHandOver'> {
  async openHandOver(record: HandOverRecord): Promise<void> {
    let stored = record;
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: definedOnly(handOverItem(record)),
          // A retried hand-over leaves the record as a person may have changed it.
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      const existing = await this.table.get(handOverKey(record.customerId, record.handOverId));
      if (existing) stored = definedOnly(parseItem(HandOverRecordSchema, existing, 'hand-over'));
    }
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: definedOnly(handOverInboxItem(stored)),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }
}
