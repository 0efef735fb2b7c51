/**
 * The contact centre's calls per hour, one counter item per hour, incremented with a conditional
 * UpdateItem that fails once the hour is full: concurrent steps can never plan more calls into an
 * hour than the centre takes (as `DynamoRateLimiter` keeps a second's sends).
 */
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CallCapacity } from '#core/ports.ts';
import { callHourKey } from './table-keys.ts';

/** Counter items expire two weeks after their hour, the planning horizon. */
const COUNTER_TTL_SECONDS = 15 * 24 * 3600;

export class DynamoCallCapacity implements CallCapacity {
  readonly #doc: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#doc = doc;
    this.#tableName = tableName;
  }

  async tryReserve(hour: string, callsPerHour: number): Promise<boolean> {
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: callHourKey(hour),
          UpdateExpression: 'ADD #calls :one SET expiresAt = :expiresAt',
          ConditionExpression: 'attribute_not_exists(#calls) OR #calls < :limit',
          ExpressionAttributeNames: { '#calls': 'calls' },
          ExpressionAttributeValues: {
            ':one': 1,
            ':limit': callsPerHour,
            ':expiresAt': Math.floor(Date.parse(hour) / 1000) + COUNTER_TTL_SECONDS,
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}
