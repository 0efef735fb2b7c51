/**
 * Letters to post in the stage table: one item per letter in the customer's partition (so an erasure
 * deletes it and the export lists it), indexed on gsi1 by the day it was recorded while it waits for
 * the posting run. Recording is idempotent by letter id: a retried step finds the first and keeps it.
 */
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type LetterToPost, LetterToPostSchema, postingDayOf } from '#core/letter.ts';
import type { LetterQueue, LettersToPost } from '#core/ports.ts';
import { Entity, StageTableRepository } from './stage-table.ts';
import { definedOnly, isConditionalCheckFailed, parseItem } from './table-items.ts';
import { letterKey, letterToPostIndexKey } from './table-keys.ts';

const INDEX = 'gsi1';

export class DynamoLetters extends StageTableRepository implements LetterQueue, LettersToPost {
  async queueLetter(letter: LetterToPost): Promise<{ providerMessageId: string }> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: definedOnly({
            ...letterKey(letter.customerId, letter.letterId),
            ...letterToPostIndexKey(postingDayOf(letter.recordedAt), letter.recordedAt, letter.letterId),
            entity: Entity.letter,
            ...letter,
          }),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    return { providerMessageId: `letter-${letter.letterId}` };
  }

  async lettersOf(day: string): Promise<LetterToPost[]> {
    const items = await this.table.queryAll({
      IndexName: INDEX,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': letterToPostIndexKey(day, `${day}T00:00:00.000Z`, '').gsi1pk },
    });
    return items.map((item) => parseItem(LetterToPostSchema, item, 'letter'));
  }

  async markPosted(letter: LetterToPost, posted: { batch: string; at: Date }): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: letterKey(letter.customerId, letter.letterId),
        UpdateExpression: 'SET postedAt = :at, #batch = :batch REMOVE gsi1pk, gsi1sk',
        ConditionExpression: 'attribute_exists(pk)',
        // BATCH is one of DynamoDB's reserved words.
        ExpressionAttributeNames: { '#batch': 'batch' },
        ExpressionAttributeValues: { ':at': posted.at.toISOString(), ':batch': posted.batch },
      }),
    );
  }
}
