/**
 * Counted result events → the stage's Firehose delivery stream → S3 (Athena). The table's stream
 * invokes this with the marker items the results recorder wrote (the event source's filter lets
 * nothing else through), so what reaches S3 is exactly what the aggregates counted.
 *
 * At least once, never lost: records the stream did not take are put again a few times; what it
 * still refuses, and any marker that cannot be read, is reported as a batch item failure, so Lambda
 * retries from there (bisecting the batch) and finally hands the batch's place in the stream to the
 * dead-letter queue, which alarms. A retried batch may put an event twice; analysis deduplicates
 * by `event_id` (the saved queries do).
 */
import type { Context, DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import * as z from 'zod/mini';
import { readEnv } from '#adapters/env.ts';
import { firehoseClient } from '#adapters/firehose-client.ts';
import { FirehoseResultEvents } from '#adapters/firehose-result-events.ts';
import { logger, metrics } from '#adapters/powertools.ts';
import { wiredOnFirstUse, withObservability } from '#application/lambda.ts';
import { resultEventRecordOfStream } from '#application/result-event-stream.ts';
import type { ResultEventRecord, ResultEventStream } from '#core/result-event-record.ts';

/** The stream event's envelope; each record's image is read by `resultEventRecordOfStream`. */
const StreamEventSchema = z.object({
  Records: z.array(
    z.looseObject({
      eventName: z.optional(z.string()),
      dynamodb: z.looseObject({ SequenceNumber: z.string().check(z.minLength(1)) }),
    }),
  ),
});

/** Puts of the records the stream refused, counting the first; then they are left to Lambda's retries. */
export const PUT_ATTEMPTS = 3;
/** Pause before each repeat (ms): Firehose refuses records mostly when throttled, which passes. */
export const RETRY_PAUSES_MS = [200, 1_000] as const;

export interface ShipResultEventsDeps {
  stream: ResultEventStream;
  /** Waits between attempts; tests pass one that returns at once. */
  pause?: (ms: number) => Promise<void>;
}

const realPause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function makeHandler(deps: ShipResultEventsDeps) {
  const pause = deps.pause ?? realPause;
  return withObservability(async (event: unknown, _context: Context): Promise<DynamoDBBatchResponse> => {
    const { Records } = StreamEventSchema.parse(event);
    const failed = new Set<string>();
    const pending: Array<{ sequence: string; record: ResultEventRecord }> = [];
    for (const streamRecord of Records) {
      const sequence = streamRecord.dynamodb.SequenceNumber;
      // The envelope is checked; the image is read field by field by the mapping.
      const mapped = resultEventRecordOfStream(streamRecord as DynamoDBRecord);
      if (mapped.kind === 'event') pending.push({ sequence, record: mapped.record });
      else if (mapped.kind === 'unreadable') {
        logger.error('result event marker unreadable', { sequence, problem: mapped.problem });
        failed.add(sequence);
      }
    }
    let waiting = pending;
    for (let attempt = 1; waiting.length > 0 && attempt <= PUT_ATTEMPTS; attempt += 1) {
      if (attempt > 1) await pause(RETRY_PAUSES_MS[Math.min(attempt - 2, RETRY_PAUSES_MS.length - 1)] ?? 0);
      let taken: readonly boolean[];
      try {
        taken = await deps.stream.putRecords(waiting.map((p) => p.record));
      } catch (error) {
        logger.warn('delivery stream unreachable', { attempt, error: (error as Error).name });
        continue;
      }
      waiting = waiting.filter((_, i) => taken[i] !== true);
    }
    for (const { sequence } of waiting) failed.add(sequence);
    const shipped = pending.length - waiting.length;
    metrics.addMetric('ResultEventsShipped', 'Count', shipped);
    if (failed.size > 0) metrics.addMetric('ResultEventsNotShipped', 'Count', failed.size);
    logger.info('result events', { received: Records.length, shipped, failed: failed.size });
    // Lambda resumes the stream at the earliest failure; every failure is listed for clarity.
    return { batchItemFailures: [...failed].map((itemIdentifier) => ({ itemIdentifier })) };
  });
}

export const handler = wiredOnFirstUse(() => {
  const { RESULTS_DELIVERY_STREAM } = readEnv({ RESULTS_DELIVERY_STREAM: z.string().check(z.minLength(1)) });
  return makeHandler({ stream: new FirehoseResultEvents(firehoseClient(), RESULTS_DELIVERY_STREAM) });
});
