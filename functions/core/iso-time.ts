/**
 * ISO 8601 dates and date-times as the handlers read and write them, on `Date` and Intl alone:
 * luxon would cost 70 KB in every bundle that parses one date (the bundle budget).
 * Behaviour is luxon's for the forms Klantreis uses; `test/property/iso-time.test.ts` compares both.
 */
import { DAY_MS, isoDateOfDay, MINUTE_MS } from './local-time.ts';

/** An instant as written: its UTC time and the offset it was written with (0 for `Z` or none). */
export interface IsoInstant {
  utcMs: number;
  offsetMs: number;
  /** True for a calendar date without a time (`2026-12-01`). */
  dateOnly: boolean;
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/**
 * Returns the instant of an ISO date or date-time, or null when it is not one (or not a real
 * date: `2026-02-30`). Without an offset the time is read as UTC.
 */
export function parseIso(iso: string): IsoInstant | null {
  const m = ISO.exec(iso);
  if (!m) return null;
  const [year, month, day, hour = 0, minute = 0, second = 0] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(
    (part) => (part === undefined ? undefined : Number(part)),
  ) as [number, number, number, number?, number?, number?];
  const milli = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, milli);
  const check = new Date(wall);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return null;
  const offsetMs = offsetOf(m[8]);
  if (offsetMs === null) return null;
  return { utcMs: wall - offsetMs, offsetMs, dateOnly: m[4] === undefined };
}

/** Returns the offset in ms of `Z`, `+01:00`, `+0100` or `+01`; null when out of range. */
function offsetOf(text: string | undefined): number | null {
  if (!text || text === 'Z' || text === 'z') return 0;
  const sign = text.startsWith('-') ? -1 : 1;
  const digits = text.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 23 || minutes > 59) return null;
  return sign * (hours * 60 + minutes) * MINUTE_MS;
}

/** Returns `YYYY-MM-DD` of the instant's calendar date at its own offset, moved by `addDays`. */
export function isoDateAt(instant: IsoInstant, addDays = 0): string {
  return isoDateOfDay(Math.floor((instant.utcMs + instant.offsetMs) / DAY_MS) + addDays);
}

/** Returns the date `YYYY-MM-DD` moved by whole days (negative: earlier); throws if not a date. */
export function addDaysToIsoDate(isoDate: string, days: number): string {
  const parsed = parseIso(isoDate);
  if (!parsed?.dateOnly) throw new Error('not an ISO date such as 2026-12-01');
  return isoDateAt(parsed, days);
}

/** Returns the instant as UTC ISO 8601, milliseconds only when there are some (`2026-12-01T14:00:00Z`). */
export function utcIso(utcMs: number): string {
  return new Date(utcMs).toISOString().replace('.000Z', 'Z');
}
