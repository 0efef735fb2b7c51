import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { chunksOf, FirehoseResultEvents, PUT_RECORD_BATCH_LIMITS } from '#adapters/firehose-result-events.ts';
import { resultEventRecordOf } from '#core/result-event-record.ts';
import { goalEvent, sentEvent } from '../../fixtures/result-events.ts';

const firehose = mockClient(FirehoseClient);
afterEach(() => firehose.reset());

const records = [resultEventRecordOf(goalEvent), resultEventRecordOf(sentEvent)];

describe('FirehoseResultEvents', () => {
  it('puts each record as one JSON object on the named stream and reads the per-record answers', async () => {
    firehose.on(PutRecordBatchCommand).resolves({
      FailedPutCount: 1,
      RequestResponses: [
        { RecordId: 'r-1' },
        { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'slow down' },
      ],
    });
    const taken = await new FirehoseResultEvents(new FirehoseClient({}), 'klantreis-test-results').putRecords(
      records,
    );
    expect(taken).toEqual([true, false]);
    const [call] = firehose.commandCalls(PutRecordBatchCommand);
    expect(call?.args[0].input.DeliveryStreamName).toBe('klantreis-test-results');
    const sent = (call?.args[0].input.Records ?? []).map((r) =>
      JSON.parse(Buffer.from(r.Data as Uint8Array).toString()),
    );
    expect(sent).toEqual(records);
  });

  it('keeps the records of the calls that succeeded when a later call fails outright', async () => {
    const many = Array.from({ length: PUT_RECORD_BATCH_LIMITS.records + 1 }, (_, i) => ({
      ...records[1],
      event_id: `e-${i}`,
    })) as typeof records;
    firehose
      .on(PutRecordBatchCommand)
      .resolvesOnce({
        FailedPutCount: 0,
        RequestResponses: many.slice(0, 500).map((_, i) => ({ RecordId: `r-${i}` })),
      })
      .rejectsOnce(new Error('connection reset'));
    const taken = await new FirehoseResultEvents(new FirehoseClient({}), 'klantreis-test-results').putRecords(
      many,
    );
    expect(firehose.commandCalls(PutRecordBatchCommand)).toHaveLength(2);
    expect(taken.filter(Boolean)).toHaveLength(500);
    expect(taken.at(-1)).toBe(false);
  });

  it('throws when no call reached the stream', async () => {
    firehose.on(PutRecordBatchCommand).rejects(new Error('no route'));
    await expect(
      new FirehoseResultEvents(new FirehoseClient({}), 'klantreis-test-results').putRecords(records),
    ).rejects.toThrow('no route');
  });
});

describe('chunksOf', () => {
  it('keeps each call within 500 records and 4 MiB, in order', () => {
    const small = Array.from({ length: 1001 }, (_, i) => Buffer.from(String(i)));
    expect(chunksOf(small).map((c) => c.length)).toEqual([500, 500, 1]);
    const big = Array.from({ length: 5 }, () => Buffer.alloc(1024 * 1024));
    expect(chunksOf(big).map((c) => c.length)).toEqual([4, 1]);
    expect(chunksOf(small).flat()).toEqual(small);
  });
});
