import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  forEachRange,
  isoDateOfDay,
  isValidZone,
  localDay,
  localIso,
  weekdayOfDay,
  zoned,
} from '#core/local-time.ts';

const dayOf = (isoDate: string) => Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS;
const rangesOf = (zone: string, isoDate: string, start: number, end: number) => {
  const found: string[] = [];
  forEachRange(localDay(zone, dayOf(isoDate)), start, end, (from, to) => {
    found.push(`${new Date(from).toISOString()}/${new Date(to).toISOString()}`);
  });
  return found;
};

describe('local time', () => {
  it('agrees with luxon on the local date, weekday, time and offset, in zones with odd rules', () => {
    // Half-hour DST (Lord Howe), 45-minute offsets (Chatham), changes at midnight (Santiago),
    // a date-line jump in the past (Apia), Ramadan DST (Casablanca).
    const zones = [
      'Europe/Amsterdam',
      'America/New_York',
      'Australia/Lord_Howe',
      'Pacific/Chatham',
      'America/Santiago',
      'America/St_Johns',
      'Asia/Kolkata',
      'Africa/Casablanca',
      'Pacific/Apia',
      'UTC',
    ];
    let compared = 0;
    const mismatches: string[] = [];
    for (const zone of zones) {
      // A step that is not a whole number of hours lands on every minute of the day over two years.
      for (
        let t = Date.parse('2025-12-01T00:00:00Z');
        t < Date.parse('2027-12-31T00:00:00Z');
        t += 7 * 3_600_000 + 61_001
      ) {
        const mine = zoned(zone, t);
        const theirs = DateTime.fromMillis(t, { zone });
        const same =
          localIso(mine).slice(0, 23) === theirs.toISO()?.slice(0, 23) &&
          mine.offsetMs === theirs.offset * 60_000 &&
          mine.localDay.weekday === theirs.weekday &&
          Date.parse(localIso(mine)) === t;
        if (!same)
          mismatches.push(`${zone} ${new Date(t).toISOString()}: ${localIso(mine)} vs ${theirs.toISO()}`);
        compared++;
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(compared).toBeGreaterThan(20_000);
  });

  it('maps a window across the spring-forward change to real instants only (Amsterdam, 29 March 2026)', () => {
    // 02:00-03:00 does not exist that night: 02:00-04:00 local is one hour, 03:00-04:00 CEST.
    expect(rangesOf('Europe/Amsterdam', '2026-03-29', 120, 240)).toEqual([
      '2026-03-29T01:00:00.000Z/2026-03-29T02:00:00.000Z',
    ]);
    expect(rangesOf('Europe/Amsterdam', '2026-03-29', 150, 170)).toEqual([]);
  });

  it('maps a window across the fall-back change to both passes of the repeated hour (Amsterdam, 25 October 2026)', () => {
    expect(rangesOf('Europe/Amsterdam', '2026-10-25', 120, 180)).toEqual([
      '2026-10-25T00:00:00.000Z/2026-10-25T01:00:00.000Z',
      '2026-10-25T01:00:00.000Z/2026-10-25T02:00:00.000Z',
    ]);
  });

  it('handles a change at midnight: Santiago starts 6 September 2026 at 01:00', () => {
    const day = localDay('America/Santiago', dayOf('2026-09-06'));
    let first = Number.POSITIVE_INFINITY;
    forEachRange(day, 0, 24 * 60, (from) => {
      first = Math.min(first, from);
    });
    expect(localIso(zoned('America/Santiago', first))).toBe('2026-09-06T01:00:00.000-03:00');
  });

  it('knows real zones and rejects invented ones', () => {
    expect(isValidZone('Europe/Amsterdam')).toBe(true);
    expect(isValidZone('Mars/Olympus')).toBe(false);
  });

  it('writes civil dates and weekdays of day numbers', () => {
    expect(isoDateOfDay(0)).toBe('1970-01-01');
    expect(weekdayOfDay(0)).toBe(4);
    expect(isoDateOfDay(dayOf('2028-02-29'))).toBe('2028-02-29');
    expect(weekdayOfDay(dayOf('2026-12-07'))).toBe(1);
  });
});
