/**
 * The analysis record and its partition, for any counted event: the record has every column the
 * Glue table declares and nothing else, its JSON line reads back as itself, the local delivery
 * stream files it under the event's own day — and a day that is no calendar day never names a
 * partition (it could climb out of the events folder).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  RESULT_EVENT_COLUMNS,
  RESULT_EVENT_PARTITION_KEY,
  resultEventLineOf,
  resultEventRecordOf,
} from '#core/result-event-record.ts';
import { flatResultEvent, RESULT_COUNTERS, type ResultEvent } from '#core/results.ts';
import { partitionOf } from '#infra/local/emulators/firehose.ts';

const text = fc.string({ minLength: 1, maxLength: 20 });
const instant = fc.date({
  min: new Date('2020-01-01T00:00:00Z'),
  max: new Date('2035-12-31T23:59:59Z'),
  noInvalidDate: true,
});
const micros = fc.option(fc.nat({ max: 10_000_000 }), { nil: undefined });

const resultEvent: fc.Arbitrary<ResultEvent> = fc
  .record({
    at: instant,
    kind: fc.constantFrom(...RESULT_COUNTERS),
    channel: fc.constantFrom('email' as const, 'sms' as const, 'none' as const),
    words: fc.array(text, { minLength: 10, maxLength: 10 }),
    reason: fc.option(text, { nil: undefined }),
    delivery: micros,
    orchestration: micros,
    goalDays: fc.option(fc.nat({ max: 400 }), { nil: undefined }),
  })
  .map(({ at, kind, channel, words, reason, delivery, orchestration, goalDays }) => {
    const [eventId, journeyId, stepId, segment, variant, locale, experimentId, arm, runId, customerKey] =
      words as [string, string, string, string, string, string, string, string, string, string];
    return {
      eventId,
      at: at.toISOString(),
      kind,
      dims: {
        journeyId,
        stepId,
        segment,
        channel,
        variant,
        locale,
        experimentId,
        arm,
        day: at.toISOString().slice(0, 10),
      },
      runId,
      customerKey,
      ...(reason === undefined ? {} : { reason }),
      ...(delivery === undefined && orchestration === undefined
        ? {}
        : {
            costMicroUsd: {
              ...(delivery === undefined ? {} : { delivery }),
              ...(orchestration === undefined ? {} : { orchestration }),
            },
          }),
      ...(goalDays === undefined ? {} : { goalDays }),
    };
  });

/** Calendar days, near misses and anything at all. */
const anyDay = fc.oneof(
  instant.map((d) => d.toISOString().slice(0, 10)),
  fc.constantFrom('2026-02-29', '2026-02-30', '2026-13-01', '2026-1-01', '../2026-01-01', '2026-01-01/x'),
  fc.string({ maxLength: 12 }),
);

describe('result event records', () => {
  it('carry exactly the table’s columns and the day, read back as themselves, filed under their own day', () => {
    fc.assert(
      fc.property(resultEvent, (event) => {
        const record = resultEventRecordOf(flatResultEvent(event));
        expect(Object.keys(record).sort()).toEqual(
          [...Object.keys(RESULT_EVENT_COLUMNS), RESULT_EVENT_PARTITION_KEY].sort(),
        );
        const line = resultEventLineOf(record);
        expect(line).not.toContain('\n');
        expect(JSON.parse(line)).toEqual(record);
        expect(partitionOf(line)).toBe(`day=${event.dims.day}`);
        expect(record.delivery_cost_micro_usd + record.orchestration_cost_micro_usd).toBe(
          (event.costMicroUsd?.delivery ?? 0) + (event.costMicroUsd?.orchestration ?? 0),
        );
      }),
    );
  });

  it('never name a partition from a day that is not a calendar day', () => {
    fc.assert(
      fc.property(resultEvent, anyDay, (event, day) => {
        const flat = { ...flatResultEvent(event), day };
        let record: ReturnType<typeof resultEventRecordOf> | undefined;
        try {
          record = resultEventRecordOf(flat);
        } catch {
          record = undefined;
        }
        const calendarDay =
          /^\d{4}-\d{2}-\d{2}$/.test(day) &&
          !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) &&
          new Date(`${day}T00:00:00Z`).toISOString().startsWith(day);
        expect(record !== undefined).toBe(calendarDay);
        // What the stream is handed anyway never leaves the error folder either.
        const partition = partitionOf(JSON.stringify({ day }));
        expect(partition === 'errors' || partition === `day=${day}`).toBe(true);
        expect(partition.includes('/') || partition.includes('..')).toBe(false);
      }),
    );
  });
});
