/**
 * Everything stored about one customer, as a whole: the export (one Query of their partition, each
 * item parsed by its entity) and the erasure (every item of the partition deleted; suppressions stay, so
 * an opt-out outlives it).
 */

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { HandOverRecordSchema } from '#core/hand-over-desk.ts';
import { HoldSchema } from '#core/hold.ts';
import { LetterToPostSchema } from '#core/letter.ts';
import type { CustomerDataExport, PersonalDataRepository } from '#core/ports.ts';
import { ProfileItemSchema } from './customers.ts';
import { EventItemSchema } from './events.ts';
import { RunItemSchema } from './runs.ts';
import { SendItemSchema } from './sends.ts';
import { shortLinkOfItem } from './short-link-visits.ts';
import { type DynamoRepositoryOptions, Entity, StageTable } from './stage-table.ts';
import { SubjectItemSchema } from './subjects.ts';
import { definedOnly, parseItem, type StoredItem } from './table-items.ts';
import { customerPartitionKey } from './table-keys.ts';
import { assembleTimeline } from './timeline.ts';

export class DynamoPersonalData implements PersonalDataRepository {
  readonly #table: StageTable;

  constructor(doc: DynamoDBDocumentClient, tableName: string, options: DynamoRepositoryOptions = {}) {
    this.#table = new StageTable(doc, tableName, options.clock);
  }

  async exportCustomerData(customerId: string): Promise<CustomerDataExport> {
    const items = await this.#table.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': customerPartitionKey(customerId) },
    });
    const result: CustomerDataExport = {
      customerId,
      events: [],
      timeline: [],
      subjects: [],
      runs: [],
      sends: [],
      holds: [],
      handOvers: [],
      shortLinks: [],
      letters: [],
    };
    const timelineItems: StoredItem[] = [];
    for (const item of items) {
      switch (item.entity) {
        case Entity.profile:
          result.profile = parseItem(ProfileItemSchema, item, 'profile').profile;
          break;
        case Entity.event: {
          const { eventId, event } = parseItem(EventItemSchema, item, 'event');
          result.events.push({ ...event, eventId });
          break;
        }
        case Entity.timeline:
        case Entity.timelineBody:
          timelineItems.push(item);
          break;
        case Entity.subject:
          result.subjects.push(parseItem(SubjectItemSchema, item, 'subject'));
          break;
        case Entity.run:
          result.runs.push(parseItem(RunItemSchema, item, 'run'));
          break;
        case Entity.send:
          result.sends.push(definedOnly(parseItem(SendItemSchema, item, 'send')));
          break;
        case Entity.hold:
          result.holds.push(definedOnly(parseItem(HoldSchema, item, 'hold')));
          break;
        case Entity.handOver:
          result.handOvers.push(definedOnly(parseItem(HandOverRecordSchema, item, 'hand-over')));
          break;
        case Entity.shortLink:
          result.shortLinks.push(shortLinkOfItem(item));
          break;
        case Entity.letter:
          result.letters.push(parseItem(LetterToPostSchema, item, 'letter'));
          break;
        // Copies for the indexes: the profile and the hand-overs hold what they say.
        case Entity.emailIndex:
        case Entity.handOverInbox:
        case Entity.runWatch:
          break;
        default:
          throw new Error(`stored item of unknown entity under ${String(item.sk)}`);
      }
    }
    result.timeline = assembleTimeline(
      timelineItems.reverse(),
      this.#table.nowSeconds(),
      Number.POSITIVE_INFINITY,
    );
    return result;
  }

  async eraseCustomerData(customerId: string): Promise<{ deletedItems: number }> {
    const items = await this.#table.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': customerPartitionKey(customerId) },
      ProjectionExpression: 'pk, sk',
    });
    for (let start = 0; start < items.length; start += 25) {
      const deletes = items
        .slice(start, start + 25)
        .map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } }));
      await this.#table.batchWrite(deletes);
    }
    return { deletedItems: items.length };
  }
}
