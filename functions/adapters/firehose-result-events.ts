/**
 * The analysis records onto a Firehose delivery stream: `PutRecordBatch`, one JSON object per record
 * (the stream appends the newline and partitions by the record's `day`). A batch call takes at most
 * 500 records and 4 MiB, so larger inputs go in several calls; Firehose answers per record, and a
 * record it refused (throttled, service error) is reported as not taken for the caller to retry; so
 * is every record of a call that failed outright, while the other calls' records stay taken.
 */
import { type FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import {
  type ResultEventRecord,
  type ResultEventStream,
  resultEventLineOf,
} from '#core/result-event-record.ts';

/** Firehose's limits per `PutRecordBatch` call. */
export const PUT_RECORD_BATCH_LIMITS = { records: 500, bytes: 4 * 1024 * 1024 } as const;

export class FirehoseResultEvents implements ResultEventStream {
  readonly #client: FirehoseClient;
  readonly #deliveryStreamName: string;

  constructor(client: FirehoseClient, deliveryStreamName: string) {
    this.#client = client;
    this.#deliveryStreamName = deliveryStreamName;
  }

  async putRecords(records: readonly ResultEventRecord[]): Promise<readonly boolean[]> {
    const taken: boolean[] = [];
    let failure: unknown;
    for (const chunk of chunksOf(records.map((r) => Buffer.from(resultEventLineOf(r))))) {
      try {
        const answer = await this.#client.send(
          new PutRecordBatchCommand({
            DeliveryStreamName: this.#deliveryStreamName,
            Records: chunk.map((data) => ({ Data: data })),
          }),
        );
        const responses = answer.RequestResponses ?? [];
        // Firehose answers each record in order; a missing answer is no proof that it was taken.
        for (const i of chunk.keys()) {
          const response = responses[i];
          taken.push(response !== undefined && !response.ErrorCode && Boolean(response.RecordId));
        }
      } catch (error) {
        // The other calls' records may still be taken: only this call's count as not taken.
        failure = error;
        for (const _ of chunk) taken.push(false);
      }
    }
    if (failure !== undefined && !taken.includes(true)) throw failure;
    return taken;
  }
}

/** Splits encoded records into calls within Firehose's per-call limits, keeping their order. */
export function chunksOf(encoded: readonly Buffer[]): Buffer[][] {
  const chunks: Buffer[][] = [];
  let current: Buffer[] = [];
  let bytes = 0;
  for (const data of encoded) {
    if (
      current.length > 0 &&
      (current.length === PUT_RECORD_BATCH_LIMITS.records ||
        bytes + data.byteLength > PUT_RECORD_BATCH_LIMITS.bytes)
    ) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(data);
    bytes += data.byteLength;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
