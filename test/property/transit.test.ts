import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { holidayCalendarFor } from '#adapters/holiday-table.ts';
import { DAY_MS, weekdayOfDay, zoned } from '#core/local-time.ts';
import { PolicySchema } from '#core/policy.ts';
import { arrivalOf, isWorkingDay } from '#core/transit.ts';
import { testPolicy } from '../unit/core/test-policy.ts';

const country = fc.constantFrom('NL', 'BE', 'DE', 'GB', 'FR', 'US');
const postedAt = fc.integer({
  min: Date.parse('2026-01-01T00:00:00Z'),
  max: Date.parse('2027-12-31T00:00:00Z'),
});
const transitPolicy = fc
  .record({
    days: fc.integer({ min: 0, max: 6 }),
    cutOff: fc.constantFrom('00:00', '12:00', '15:00', '17:30', '23:59'),
  })
  .map(({ days, cutOff }) =>
    PolicySchema.parse({
      ...testPolicy,
      transit: { letter: { workingDays: { default: days }, cutOff, deliveredBy: '17:00' } },
    }),
  );

const dayOf = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;

const arrive = (policy: ReturnType<typeof PolicySchema.parse>, at: number, to: string) => {
  const arrival = arrivalOf({
    channel: 'letter',
    postedAtMs: at,
    country: to,
    timezone: 'Europe/Amsterdam',
    policy,
    holidayCalendarFor,
  });
  if (!arrival) throw new Error('letter has a transit');
  return arrival;
};

describe('letter transit', () => {
  it('arrives on a working day of the destination, never on a weekend or a public holiday', () => {
    fc.assert(
      fc.property(transitPolicy, postedAt, country, (policy, at, to) => {
        const arrival = arrive(policy, at, to);
        const day = dayOf(arrival.arrivesOn);
        expect(weekdayOfDay(day)).toBeLessThanOrEqual(5);
        expect(holidayCalendarFor(to)?.holidayOnDay(day) ?? null).toBeNull();
      }),
    );
  });

  it('arrives no earlier than it is posted, exactly N working days after collection', () => {
    fc.assert(
      fc.property(transitPolicy, postedAt, country, (policy, at, to) => {
        const arrival = arrive(policy, at, to);
        expect(arrival.arrivesAtMs).toBeGreaterThanOrEqual(at);
        const postedDay = zoned('Europe/Amsterdam', at).localDay.day;
        const collected = dayOf(arrival.collectedOn);
        expect(collected).toBeGreaterThanOrEqual(postedDay);
        let between = 0;
        for (let d = collected + 1; d <= dayOf(arrival.arrivesOn); d++) {
          if (isWorkingDay(d, holidayCalendarFor(to))) between += 1;
        }
        expect(between).toBe(policy.transit?.letter?.workingDays.default);
      }),
    );
  });

  it('never arrives earlier for a letter posted later', () => {
    fc.assert(
      fc.property(
        transitPolicy,
        postedAt,
        fc.integer({ min: 0, max: 10 * DAY_MS }),
        country,
        (policy, at, later, to) => {
          expect(arrive(policy, at + later, to).arrivesAtMs).toBeGreaterThanOrEqual(
            arrive(policy, at, to).arrivesAtMs,
          );
        },
      ),
    );
  });
});
