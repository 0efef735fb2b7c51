import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { letterDateOf } from '#core/letter.ts';

describe('the date a letter carries', () => {
  it("is the customer's local date, not UTC's, on either side of midnight", () => {
    // 23:30 UTC on 7 December is 00:30 on 8 December in Amsterdam (UTC+1 in winter).
    expect(letterDateOf(new Date('2026-12-07T23:30:00Z'), 'Europe/Amsterdam')).toBe('2026-12-08');
    expect(letterDateOf(new Date('2026-12-07T22:59:59Z'), 'Europe/Amsterdam')).toBe('2026-12-07');
    expect(letterDateOf(new Date('2026-12-07T23:00:00Z'), 'Europe/Amsterdam')).toBe('2026-12-08');
    // West of Greenwich the local day is still yesterday's.
    expect(letterDateOf(new Date('2026-12-08T03:00:00Z'), 'America/New_York')).toBe('2026-12-07');
    expect(letterDateOf(new Date('2026-12-07T23:30:00Z'), 'UTC')).toBe('2026-12-07');
  });

  it('follows summer time: midnight in Amsterdam is 22:00 UTC in July', () => {
    expect(letterDateOf(new Date('2026-07-14T21:59:00Z'), 'Europe/Amsterdam')).toBe('2026-07-14');
    expect(letterDateOf(new Date('2026-07-14T22:00:00Z'), 'Europe/Amsterdam')).toBe('2026-07-15');
  });

  it('equals the calendar date Intl gives for the zone, at any moment', () => {
    const zones = ['Europe/Amsterdam', 'Europe/London', 'America/Curacao', 'Asia/Tokyo', 'Pacific/Auckland'];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }),
        fc.constantFrom(...zones),
        (ms, zone) => {
          const expected = new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(new Date(ms));
          expect(letterDateOf(new Date(ms), zone)).toBe(expected);
        },
      ),
    );
  });
});
