import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ToneSchema } from '#core/policy.ts';
import {
  aggregateDayRange,
  aggregateKey,
  checkResultEvent,
  dimensionAttributesOf,
  flatResultEvent,
  goalDaysBucket,
  incrementsOf,
  RESULT_COUNTERS,
  RESULT_ITEM_TYPE,
  RESULT_SHARDS,
  type ResultDims,
  type ResultEvent,
  resultDayOf,
  resultEventMarkerKey,
  rowsFrom,
  shardOf,
  wholeDaysBetween,
} from '#core/results.ts';

const dims: ResultDims = {
  journeyId: 'payment-reminder',
  stepId: 'first-reminder',
  segment: 'standard',
  channel: 'email',
  variant: 'friendly',
  locale: 'nl',
  experimentId: 'none',
  arm: 'none',
  day: '2026-12-08',
};

function event(over: Partial<ResultEvent> = {}): ResultEvent {
  return {
    eventId: 'sent:run-1#first-reminder',
    at: '2026-12-08T09:00:00.000Z',
    kind: 'sent',
    dims,
    runId: 'run-1',
    customerKey: 'k1',
    ...over,
  };
}

/** What the adapters do: ADD each increment on the item of the event's dims and shard. */
function aggregate(events: ResultEvent[]): Array<Record<string, unknown>> {
  const items = new Map<string, Record<string, unknown>>();
  for (const e of events) {
    const key = aggregateKey(e.dims, shardOf(e.customerKey));
    const id = `${key.pk}|${key.sk}`;
    const item = items.get(id) ?? {
      ...key,
      itemType: RESULT_ITEM_TYPE.aggregate,
      ...dimensionAttributesOf(e.dims),
    };
    for (const [name, value] of Object.entries(incrementsOf(e))) {
      item[name] = ((item[name] as number | undefined) ?? 0) + value;
    }
    items.set(id, item);
  }
  return [...items.values()];
}

describe('results model', () => {
  it('puts a journey’s aggregates in one partition per shard, sorted by day first', () => {
    expect(aggregateKey(dims, 2)).toEqual({
      pk: 'RESULTS#payment-reminder#2',
      sk: '2026-12-08#first-reminder#standard#email#friendly#nl#none#none',
    });
    expect(resultEventMarkerKey('sent:run-1#first-reminder')).toEqual({
      pk: 'RESULTEVENT#sent:run-1#first-reminder',
      sk: 'RESULTEVENT',
    });
  });

  it('keeps dimensions that contain the separator apart', () => {
    const a = aggregateKey({ ...dims, variant: 'a#b', locale: 'nl' }, 0).sk;
    const b = aggregateKey({ ...dims, variant: 'a', locale: 'b#nl' }, 0).sk;
    expect(a).not.toBe(b);
  });

  it('reads a window of days inclusive, and only that window', () => {
    const range = aggregateDayRange('2026-12-08', '2026-12-09');
    const inside = (day: string) => {
      const sk = aggregateKey({ ...dims, day }, 0).sk;
      return sk >= range.from && sk <= range.to;
    };
    expect(inside('2026-12-07')).toBe(false);
    expect(inside('2026-12-08')).toBe(true);
    expect(inside('2026-12-09')).toBe(true);
    expect(inside('2026-12-10')).toBe(false);
    expect(() => aggregateDayRange('2026-12-8', '2026-12-09')).toThrow(/YYYY-MM-DD/);
  });

  it('spreads customers over every shard and keeps each customer on one', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const shard = shardOf(`customer-key-${i}`);
      expect(shard).toBe(shardOf(`customer-key-${i}`));
      expect(shard).toBeGreaterThanOrEqual(0);
      expect(shard).toBeLessThan(RESULT_SHARDS);
      seen.add(shard);
    }
    expect(seen.size).toBe(RESULT_SHARDS);
  });

  it('buckets the time to goal by whole days, with one bucket beyond 60', () => {
    expect(goalDaysBucket(0)).toBe('0');
    expect(goalDaysBucket(3.9)).toBe('3');
    expect(goalDaysBucket(60)).toBe('60');
    expect(goalDaysBucket(61)).toBe('61+');
    expect(goalDaysBucket(400)).toBe('61+');
    expect(goalDaysBucket(-1)).toBe('0');
    expect(wholeDaysBetween('2026-12-01T10:00:00Z', '2026-12-04T09:59:59Z')).toBe(2);
    expect(resultDayOf('2026-12-08T23:30:00-02:00')).toBe('2026-12-09');
  });

  it('sums the shards of one group and counts skips by reason, cost and the time to goal', () => {
    const events = [
      event({ eventId: 'planned:1', kind: 'planned', customerKey: 'a' }),
      event({ eventId: 'planned:2', kind: 'planned', customerKey: 'b' }),
      event({ eventId: 'planned:3', kind: 'planned', customerKey: 'c' }),
      event({ eventId: 'skipped:3', kind: 'skipped', reason: 'quiet-hours', customerKey: 'c' }),
      event({
        eventId: 'sent:1',
        kind: 'sent',
        customerKey: 'a',
        costMicroUsd: { delivery: 100, orchestration: 7 },
      }),
      event({
        eventId: 'sent:2',
        kind: 'sent',
        customerKey: 'b',
        costMicroUsd: { delivery: 100, orchestration: 5 },
      }),
      event({
        eventId: 'goal:1',
        kind: 'goalReached',
        customerKey: 'a',
        goalDays: 3,
        goalEvent: 'invoice.paid',
      }),
      event({
        eventId: 'goal:2',
        kind: 'goalReached',
        customerKey: 'b',
        goalDays: 75,
        goalEvent: 'goal-check',
      }),
      event({
        eventId: 'sent:other-day',
        kind: 'sent',
        customerKey: 'a',
        dims: { ...dims, day: '2026-12-09' },
      }),
    ];
    expect(new Set(events.map((e) => shardOf(e.customerKey))).size).toBeGreaterThan(1);
    const rows = rowsFrom(aggregate(events));
    expect(rows).toHaveLength(2);
    const [first, second] = rows;
    expect(first).toMatchObject({ ...dims });
    expect(first?.counts).toMatchObject({ planned: 3, skipped: 1, sent: 2, goalReached: 2, delivered: 0 });
    expect(first?.skippedBy).toEqual({ 'quiet-hours': 1 });
    expect(first?.costMicroUsd).toEqual({ delivery: 200, orchestration: 12 });
    expect(first?.goalDays).toEqual({ '3': 1, '61+': 1 });
    expect(second?.day).toBe('2026-12-09');
    expect(second?.counts.sent).toBe(1);
  });

  it('sums to the number of events of each kind, however they are sharded (property)', () => {
    const arbitraryEvent = fc.record({
      kind: fc.constantFrom(...RESULT_COUNTERS),
      customerKey: fc.string({ minLength: 1, maxLength: 12 }),
      day: fc.constantFrom('2026-12-08', '2026-12-09'),
      variant: fc.constantFrom(...ToneSchema.options),
    });
    fc.assert(
      fc.property(fc.array(arbitraryEvent, { maxLength: 60 }), (drawn) => {
        const events = drawn.map((d, i) =>
          event({
            eventId: `e${i}`,
            kind: d.kind,
            customerKey: d.customerKey,
            dims: { ...dims, day: d.day, variant: d.variant },
          }),
        );
        const rows = rowsFrom(aggregate(events));
        for (const kind of RESULT_COUNTERS) {
          const total = rows.reduce((sum, row) => sum + row.counts[kind], 0);
          expect(total).toBe(events.filter((e) => e.kind === kind).length);
        }
        expect(new Set(rows.map((r) => `${r.day}${r.variant}`)).size).toBe(rows.length);
      }),
      { numRuns: 200 },
    );
  });

  it('ignores items that are not aggregates', () => {
    expect(rowsFrom([{ pk: 'x', sk: 'y', itemType: 'result-event', sent: 3 }])).toEqual([]);
  });

  it('flattens the event for the marker item, with no customer id', () => {
    const flat = flatResultEvent(
      event({ kind: 'goalReached', goalDays: 2, goalEvent: 'invoice.paid', costMicroUsd: { delivery: 0 } }),
    );
    expect(flat).toEqual({
      eventId: 'sent:run-1#first-reminder',
      at: '2026-12-08T09:00:00.000Z',
      kind: 'goalReached',
      runId: 'run-1',
      customerKey: 'k1',
      goalDays: 2,
      goalEvent: 'invoice.paid',
      costDeliveryMicroUsd: 0,
      ...dims,
    });
  });

  it('refuses an event it cannot count, naming the field', () => {
    expect(() => checkResultEvent(event({ eventId: 'has space' }))).toThrow(/eventId/);
    expect(() => checkResultEvent(event({ dims: { ...dims, day: '8-12-2026' } }))).toThrow(/dims.day/);
    expect(() => checkResultEvent(event({ dims: { ...dims, segment: '' } }))).toThrow(/dims.segment/);
    expect(() => checkResultEvent(event({ costMicroUsd: { delivery: 1.5 } }))).toThrow(/costMicroUsd/);
    expect(() => checkResultEvent(event())).not.toThrow();
  });
});
