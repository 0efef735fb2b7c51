/**
 * A customer's behaviour events in the stage table, keyed by when they happened: recorded once per
 * event id, listed from a moment on.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { type BehaviourEvent, BehaviourEventSchema } from '#core/behaviour.ts';
import type { CustomerRepository } from '#core/ports.ts';
import { type DynamoRepositoryOptions, Entity, StageTable } from './stage-table.ts';
import { parseItem } from './table-items.ts';
import { customerPartitionKey, eventKey, eventRange } from './table-keys.ts';

/**
 * The event item as stored (zod strips the key attributes on parse); the export
 * (`personal-data.ts`) reads it too.
 */
export const EventItemSchema = z.object({
  eventId: z.string().check(z.minLength(1)),
  event: BehaviourEventSchema,
});

export class DynamoEvents implements Pick<CustomerRepository, 'listEvents' | 'recordEvent'> {
  readonly #table: StageTable;

  constructor(doc: DynamoDBDocumentClient, tableName: string, options: DynamoRepositoryOptions = {}) {
    this.#table = new StageTable(doc, tableName, options.clock);
  }

  async listEvents(customerId: string, since: Date): Promise<BehaviourEvent[]> {
    const range = eventRange(since);
    const items = await this.#table.queryAll({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': customerPartitionKey(customerId),
        ':from': range.from,
        ':to': range.to,
      },
    });
    return items.map((item) => parseItem(EventItemSchema, item, 'event').event);
  }

  async recordEvent(customerId: string, event: BehaviourEvent, eventId: string): Promise<void> {
    await this.#table.put({
      ...eventKey(customerId, event.occurredAt, eventId),
      entity: Entity.event,
      eventId,
      event,
    });
  }
}
