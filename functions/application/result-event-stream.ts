/**
 * The table's stream, as the results pipeline reads it: the results recorder writes each counted
 * event once as a marker item (`RESULTEVENT#<eventId>`, `itemType` `result-event`, the flat event in
 * its `event` attribute), so the stream's INSERT of a marker is exactly one counted event. The filter
 * below is the Lambda event source's (the stack) and the local runtime's alike: the feed is invoked
 * for marker inserts only, never for the rest of the table's traffic, nor for a marker's TTL removal.
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import * as z from 'zod/mini';
import { tableDesign } from '#catalog/table-design.ts';
import { ChannelSchema } from '#core/customer.ts';
import { type ResultEventRecord, resultEventRecordOf } from '#core/result-event-record.ts';
import {
  type FlatResultEvent,
  RESULT_COUNTERS,
  RESULT_ITEM_TYPE,
  resultEventMarkerKey,
} from '#core/results.ts';

/** The Lambda event filter pattern (the same JSON on AWS and locally): marker inserts only. */
export const RESULT_EVENT_STREAM_FILTER = {
  eventName: ['INSERT'],
  dynamodb: { NewImage: { itemType: { S: [RESULT_ITEM_TYPE.marker] } } },
} as const;

const text = z.string().check(z.minLength(1));
const micros = z.optional(z.number().check(z.int(), z.nonnegative()));

/** A marker item's `event`; what else the item holds (keys, TTL) is not part of it. */
const FlatEventSchema = z.object({
  eventId: text,
  at: z.iso.datetime({ offset: true }),
  kind: z.enum(RESULT_COUNTERS),
  journeyId: text,
  stepId: text,
  segment: text,
  channel: z.union([ChannelSchema, z.literal('none')]),
  variant: text,
  locale: text,
  experimentId: text,
  arm: text,
  day: text,
  runId: text,
  customerKey: text,
  reason: z.optional(z.string()),
  costDeliveryMicroUsd: micros,
  costOrchestrationMicroUsd: micros,
  goalDays: z.optional(z.number().check(z.int(), z.nonnegative())),
  goalEvent: z.optional(z.string()),
}) satisfies z.ZodMiniType<FlatResultEvent>;

export type StreamRecordMapping =
  | { kind: 'event'; record: ResultEventRecord }
  /** Not a marker insert: the filter keeps these away, so one here is passed over, not failed. */
  | { kind: 'not-a-marker' }
  /** A marker whose event cannot be read: kept for the dead-letter queue rather than dropped. */
  | { kind: 'unreadable'; problem: string };

/** Returns the analysis record a stream record carries, or why it carries none. */
export function resultEventRecordOfStream(record: DynamoDBRecord): StreamRecordMapping {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || image?.itemType?.S !== RESULT_ITEM_TYPE.marker) {
    return { kind: 'not-a-marker' };
  }
  let item: Record<string, unknown>;
  try {
    // The SDK's attribute-value type is its own; a stream image has the same shape.
    item = unmarshall(image as Parameters<typeof unmarshall>[0]);
  } catch (error) {
    return { kind: 'unreadable', problem: `image: ${(error as Error).message}` };
  }
  const parsed = FlatEventSchema.safeParse(item.event);
  if (!parsed.success) {
    // Field paths only: the values could be anything, so none goes into a log line.
    const fields = parsed.error.issues.map((issue) => ['event', ...issue.path].join('.'));
    return { kind: 'unreadable', problem: `fields: ${[...new Set(fields)].join(', ')}` };
  }
  if (item[tableDesign.partitionKey] !== resultEventMarkerKey(parsed.data.eventId).pk) {
    return { kind: 'unreadable', problem: 'event.eventId differs from the marker key' };
  }
  try {
    return { kind: 'event', record: resultEventRecordOf(parsed.data) };
  } catch {
    return { kind: 'unreadable', problem: 'fields: event.day' };
  }
}
