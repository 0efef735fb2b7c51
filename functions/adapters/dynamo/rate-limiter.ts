/**
 * The account's sending rates (SES max send rate, SMS messages per second), enforced across every
 * concurrent send: one counter item per channel and second, incremented with a conditional
 * UpdateItem that fails once the second's budget is used. DynamoDB applies conditional updates to
 * one item one at a time, so no interleaving of concurrent Lambdas, however many, can push a
 * second past its limit: a batch of 100,000 journeys gets at most `limit` sends per second.
 *
 * The counter's second is the caller's clock, so Lambdas with skewed clocks may share a second
 * unevenly; SES and SMS limits are averaged over about a second, so this stays within them.
 */
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Channel } from '#core/customer.ts';
import type { RateLimiter } from '#core/ports.ts';
import { rateKey } from './table-keys.ts';

/** Sends per second per channel; at least 1 (an SMS TPS of 0.5 still allows one send a second). */
export type ChannelRates = Record<Channel, number>;

/** Counter items expire a minute after their second: they are only ever read in that second. */
const COUNTER_TTL_SECONDS = 60;

export class DynamoRateLimiter implements RateLimiter {
  readonly #doc: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #rates: ChannelRates;

  constructor(doc: DynamoDBDocumentClient, tableName: string, rates: ChannelRates) {
    this.#doc = doc;
    this.#tableName = tableName;
    this.#rates = rates;
  }

  /** Returns true when this send fits in the current second's budget of its channel. */
  async tryAcquire(channel: Channel, at: Date): Promise<boolean> {
    const second = Math.floor(at.getTime() / 1000);
    const limit = Math.max(1, Math.floor(this.#rates[channel]));
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: rateKey(channel, second),
          UpdateExpression: 'ADD #sent :one SET expiresAt = :expiresAt',
          ConditionExpression: 'attribute_not_exists(#sent) OR #sent < :limit',
          ExpressionAttributeNames: { '#sent': 'sent' },
          ExpressionAttributeValues: {
            ':one': 1,
            ':limit': limit,
            ':expiresAt': second + COUNTER_TTL_SECONDS,
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
