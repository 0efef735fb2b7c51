import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capacityHourOf, HOUR_MS, planCall } from '#core/call-planning.ts';
import type { ContactCentre } from '#core/policy.ts';

const MINUTE_MS = 60_000;
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** The wall clock in the zone as Intl reads it: weekday 1–7 and minutes since midnight (independent of the core). */
const formats = new Map<string, Intl.DateTimeFormat>();
function wallOf(zone: string, ms: number): { weekday: number; minute: number } {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(zone, format);
  }
  const parts = format.formatToParts(new Date(ms));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    weekday: WEEKDAYS.indexOf(part('weekday')) + 1,
    minute: Number(part('hour')) * 60 + Number(part('minute')),
  };
}

function isOpen(centre: ContactCentre, ms: number): boolean {
  const { weekday, minute } = wallOf(centre.timezone, ms);
  const toMinutes = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
  return centre.openingHours.some(
    (w) => w.days.includes(weekday) && toMinutes(w.start) <= minute && minute < toMinutes(w.end),
  );
}

const clock = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

const centre: fc.Arbitrary<ContactCentre> = fc
  .record({
    timezone: fc.constantFrom('Europe/Amsterdam', 'Europe/London', 'America/New_York', 'UTC'),
    start: fc.integer({ min: 6 * 4, max: 12 * 4 }).map((q) => q * 15),
    length: fc.integer({ min: 1, max: 10 * 4 }).map((q) => q * 15),
    days: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
    callsPerHour: fc.integer({ min: 1, max: 4 }),
  })
  .map(({ timezone, start, length, days, callsPerHour }) => ({
    timezone,
    openingHours: [{ days, start: clock(start), end: clock(Math.min(start + length, 23 * 60 + 59)) }],
    callsPerHour,
  }));
const earliest = fc
  .integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2027-12-31T00:00:00Z') })
  .map((ms) => Math.floor(ms / MINUTE_MS) * MINUTE_MS);

describe('planning a call (property)', () => {
  it('is inside the opening hours, never before the slot, in an hour with room, and the first such moment', () => {
    fc.assert(
      fc.property(
        centre,
        earliest,
        fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 30 }),
        (c, from, fill) => {
          // Some of the next hours are booked, some of them full.
          const booked = new Map<string, number>();
          fill.forEach((count, i) => {
            booked.set(capacityHourOf(from + i * HOUR_MS), count);
          });
          const planned = planCall({ earliestMs: from, centre: c, booked: (hour) => booked.get(hour) ?? 0 });
          expect(planned).not.toBeNull();
          if (!planned) return;
          expect(planned.callAtMs).toBeGreaterThanOrEqual(from);
          expect(isOpen(c, planned.callAtMs)).toBe(true);
          expect(planned.hour).toBe(capacityHourOf(planned.callAtMs));
          expect(booked.get(planned.hour) ?? 0).toBeLessThan(c.callsPerHour);
          // Every earlier open minute is in a full hour.
          for (let ms = from; ms < planned.callAtMs; ms += MINUTE_MS) {
            if (isOpen(c, ms))
              expect(booked.get(capacityHourOf(ms)) ?? 0).toBeGreaterThanOrEqual(c.callsPerHour);
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('never puts more calls in an hour than its capacity, however many are planned one after another', () => {
    fc.assert(
      fc.property(centre, earliest, fc.integer({ min: 1, max: 40 }), (c, from, calls) => {
        const booked = new Map<string, number>();
        for (let n = 0; n < calls; n++) {
          const planned = planCall({ earliestMs: from, centre: c, booked: (hour) => booked.get(hour) ?? 0 });
          // Every open hour of the horizon is full: nothing more is planned.
          if (!planned) break;
          booked.set(planned.hour, (booked.get(planned.hour) ?? 0) + 1);
        }
        for (const count of booked.values()) expect(count).toBeLessThanOrEqual(c.callsPerHour);
        expect([...booked.values()].reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(calls);
      }),
      { numRuns: 40 },
    );
  });
});
