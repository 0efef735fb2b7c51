/**
 * The two items of a hand-over in the customer's partition (`table-keys.ts`): the record, found by its
 * id on gsi1, and its inbox copy, under its status's gsi1 partition. Both repositories write them.
 */
import type { HandOverRecord } from '#core/hand-over-desk.ts';
import { handOverInboxIndexKey, handOverInboxItemKey, handOverIndexKey, handOverKey } from './table-keys.ts';

export const HAND_OVER_ENTITY = { record: 'hand-over', inbox: 'hand-over-inbox' } as const;

export function handOverItem(record: HandOverRecord): Record<string, unknown> {
  return {
    ...handOverKey(record.customerId, record.handOverId),
    ...handOverIndexKey(record.handOverId),
    entity: HAND_OVER_ENTITY.record,
    ...record,
  };
}

export function handOverInboxItem(record: HandOverRecord): Record<string, unknown> {
  return {
    ...handOverInboxItemKey(record.customerId, record.handOverId),
    ...handOverInboxIndexKey(record.status, record.at, record.handOverId),
    entity: HAND_OVER_ENTITY.inbox,
    ...record,
  };
}
