import { describe, expect, it } from 'vitest';
import type { ResultEventRecord, ResultEventStream } from '#core/result-event-record.ts';
import { makeHandler, PUT_ATTEMPTS } from '#handlers/ship-result-events.ts';
import { lambdaContext } from '../../fixtures/lambda.ts';
import { goalEvent, markerInsert, sentEvent } from '../../fixtures/result-events.ts';

/** A delivery stream that refuses the records `refuse` names for the first `times` puts of each. */
function fakeStream(
  options: { refuse?: (record: ResultEventRecord, put: number) => boolean; down?: boolean } = {},
) {
  const taken: ResultEventRecord[] = [];
  const calls: string[][] = [];
  const stream: ResultEventStream = {
    async putRecords(records) {
      calls.push(records.map((r) => r.event_id));
      if (options.down)
        throw Object.assign(new Error('unreachable'), { name: 'ServiceUnavailableException' });
      return records.map((record) => {
        const refused = options.refuse?.(record, calls.length) ?? false;
        if (!refused) taken.push(record);
        return !refused;
      });
    },
  };
  return { stream, taken, calls };
}

const events = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ ...sentEvent, eventId: `sent:run-${i}#s`, runId: `run-${i}` }));
const batchOf = (...records: ReturnType<typeof markerInsert>[]) => ({ Records: records });

describe('ship-result-events', () => {
  it('puts every marker’s record once, in stream order, and reports no failure', async () => {
    const { stream, taken, calls } = fakeStream();
    const pauses: number[] = [];
    const handle = makeHandler({ stream, pause: async (ms) => void pauses.push(ms) });
    const answer = await handle(
      batchOf(markerInsert(goalEvent, '10'), markerInsert(sentEvent, '11')),
      lambdaContext,
    );
    expect(answer).toEqual({ batchItemFailures: [] });
    expect(taken.map((r) => r.event_id)).toEqual(['goal:run-1', 'sent:run-2#first-reminder']);
    expect(calls).toHaveLength(1);
    expect(pauses).toEqual([]);
  });

  it('puts again only what the stream refused, after a pause, until it is taken', async () => {
    const [first, second, third] = events(3);
    // The second record is throttled on the first put only.
    const { stream, taken, calls } = fakeStream({
      refuse: (r, put) => r.event_id === second?.eventId && put === 1,
    });
    const pauses: number[] = [];
    const handle = makeHandler({ stream, pause: async (ms) => void pauses.push(ms) });
    const answer = await handle(
      batchOf(
        markerInsert(first as never, '1'),
        markerInsert(second as never, '2'),
        markerInsert(third as never, '3'),
      ),
      lambdaContext,
    );
    expect(answer).toEqual({ batchItemFailures: [] });
    expect(calls).toEqual([[first?.eventId, second?.eventId, third?.eventId], [second?.eventId]]);
    expect(taken.map((r) => r.event_id).sort()).toEqual([first, second, third].map((e) => e?.eventId).sort());
    expect(pauses).toEqual([200]);
  });

  it('reports what the stream still refuses after its attempts, and only that, so Lambda retries from there', async () => {
    const [first, second, third] = events(3);
    const { stream, taken, calls } = fakeStream({ refuse: (r) => r.event_id === second?.eventId });
    const handle = makeHandler({ stream, pause: async () => {} });
    const answer = await handle(
      batchOf(
        markerInsert(first as never, '1'),
        markerInsert(second as never, '2'),
        markerInsert(third as never, '3'),
      ),
      lambdaContext,
    );
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: '2' }] });
    expect(calls).toHaveLength(PUT_ATTEMPTS);
    expect(taken.map((r) => r.event_id)).toEqual([first?.eventId, third?.eventId]);
  });

  it('reports the whole batch when the stream cannot be reached', async () => {
    const { stream, calls } = fakeStream({ down: true });
    const handle = makeHandler({ stream, pause: async () => {} });
    const answer = await handle(
      batchOf(markerInsert(goalEvent, '7'), markerInsert(sentEvent, '8')),
      lambdaContext,
    );
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: '7' }, { itemIdentifier: '8' }] });
    expect(calls).toHaveLength(PUT_ATTEMPTS);
  });

  it('fails an unreadable marker (for the dead-letter queue) and ships the rest; passes over a non-marker', async () => {
    const { stream, taken } = fakeStream();
    const handle = makeHandler({ stream, pause: async () => {} });
    const unreadable = markerInsert({ ...goalEvent, day: 'yesterday' }, '21');
    const other = markerInsert(goalEvent, '22', { pk: 'CUSTOMER#c-1', sk: 'PROFILE', itemType: 'customer' });
    const answer = await handle(batchOf(unreadable, other, markerInsert(sentEvent, '23')), lambdaContext);
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: '21' }] });
    expect(taken.map((r) => r.event_id)).toEqual([sentEvent.eventId]);
  });

  it('refuses an event that is no stream batch', async () => {
    const { stream } = fakeStream();
    const handle = makeHandler({ stream });
    await expect(handle({ Records: [{ dynamodb: {} }] }, lambdaContext)).rejects.toThrow();
  });
});
