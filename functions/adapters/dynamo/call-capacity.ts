/**
 * The contact centre's calls per hour, one counter item per hour, taken in one transaction with an
 * item per send key: the counter's condition fails once the hour is full, so concurrent steps never
 * plan more calls into an hour than the centre takes (as `DynamoRateLimiter` keeps a second's sends),
 * and the key's condition fails when an earlier attempt of the same step reserved its call already,
 * so a retried step keeps that call and counts no hour twice.
 */
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { CallCapacity, CallReservation } from '#core/ports.ts';
import { isCancelled } from './run-moves.ts';
import { Entity } from './stage-table.ts';
import { callHourKey, callReservationKey } from './table-keys.ts';

/** Counter and reservation items expire two weeks after their hour, the planning horizon. */
const COUNTER_TTL_SECONDS = 15 * 24 * 3600;

/** The transaction's first item (the key's) failed its condition: the key was reserved before. */
function keyTakenBefore(error: unknown): boolean {
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
  return reasons?.[0]?.Code === 'ConditionalCheckFailed';
}

export class DynamoCallCapacity implements CallCapacity {
  readonly #doc: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#doc = doc;
    this.#tableName = tableName;
  }

  async tryReserve(hour: string, callsPerHour: number, reservation: CallReservation): Promise<string | null> {
    const expiresAt = Math.floor(Date.parse(hour) / 1000) + COUNTER_TTL_SECONDS;
    try {
      await this.#doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.#tableName,
                Item: {
                  ...callReservationKey(reservation.key),
                  entity: Entity.callReservation,
                  hour,
                  callAt: reservation.callAt,
                  expiresAt,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Update: {
                TableName: this.#tableName,
                Key: callHourKey(hour),
                UpdateExpression: 'ADD #calls :one SET expiresAt = :expiresAt',
                ConditionExpression: 'attribute_not_exists(#calls) OR #calls < :limit',
                ExpressionAttributeNames: { '#calls': 'calls' },
                ExpressionAttributeValues: { ':one': 1, ':limit': callsPerHour, ':expiresAt': expiresAt },
              },
            },
          ],
        }),
      );
      return reservation.callAt;
    } catch (error) {
      if (!isCancelled(error)) throw error;
      if (!keyTakenBefore(error)) return null;
      const before = await this.#doc.send(
        new GetCommand({
          TableName: this.#tableName,
          Key: callReservationKey(reservation.key),
          ConsistentRead: true,
        }),
      );
      const callAt = before.Item?.callAt;
      return typeof callAt === 'string' ? callAt : null;
    }
  }
}
