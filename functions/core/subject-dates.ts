/**
 * Waits and conditions relative to a date of the journey's subject (`30 days before endDate`, `1 day
 * after dueDate`), read off the subject by the field's name, so every subject type's `dates` work alike.
 * A subject date is an ISO date (a calendar day as written) or an ISO date-time with offset (an instant,
 * whose calendar day is the customer's, in their time zone). Days count in the customer's calendar, so
 * a wake keeps its local time of day across a daylight-saving change.
 */
import * as z from 'zod/mini';
import { DAY_MS, isoDateOfDay, offsetAt, zoned } from './local-time.ts';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/** A bound that keeps every computed day within the calendar Date can hold. */
const MAX_DAYS = 3_660;

/** The name of a subject's date field (`dueDate`, `endDate`, `startsAt`): one of its subject type's `dates`. */
export const SubjectDateFieldSchema = z.string().check(z.regex(/^[a-z][A-Za-z0-9]*$/));

const days = () => z.number().check(z.int(), z.gte(0), z.lte(MAX_DAYS));

/** A day relative to a subject date: `{ "daysBefore": 30, "of": "endDate" }`, `{ "daysAfter": 1, "of": "dueDate" }`. */
export const SubjectDayOffsetSchema = z.union([
  z.strictObject({ daysBefore: days(), of: SubjectDateFieldSchema }),
  z.strictObject({ daysAfter: days(), of: SubjectDateFieldSchema }),
]);
export type SubjectDayOffset = z.infer<typeof SubjectDayOffsetSchema>;

/** Returns whether a value is a subject day offset (`daysBefore`/`daysAfter` with `of`). */
export function isSubjectDayOffset(value: object): value is SubjectDayOffset {
  return 'of' in value && ('daysBefore' in value || 'daysAfter' in value);
}

/** Returns the signed number of days of the offset: negative before the date, positive after it. */
export function signedDays(offset: SubjectDayOffset): number {
  return 'daysBefore' in offset ? -offset.daysBefore : offset.daysAfter;
}

/** Returns the offset as people read it: `30 days before endDate`, `1 day after dueDate`. */
export function describeOffset(offset: SubjectDayOffset): string {
  const n = 'daysBefore' in offset ? offset.daysBefore : offset.daysAfter;
  return `${n} day${n === 1 ? '' : 's'} ${'daysBefore' in offset ? 'before' : 'after'} ${offset.of}`;
}

/** Days since 1970-01-01 of an ISO date. */
function dayNumber(isoDate: string): number {
  return Math.floor(Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS);
}

/**
 * Returns the local day number (days since 1970-01-01) of the subject's named date in the zone, or
 * undefined when the subject has no such field or it holds no ISO date or date-time with offset.
 */
function subjectDayNumber(subject: object, field: string, zone: string): number | undefined {
  const value = (subject as Record<string, unknown>)[field];
  if (typeof value !== 'string') return undefined;
  if (DATE_ONLY.test(value)) {
    const day = dayNumber(value);
    return Number.isNaN(day) || isoDateOfDay(day) !== value ? undefined : day;
  }
  if (!z.iso.datetime({ offset: true }).safeParse(value).success) return undefined;
  return zoned(zone, Date.parse(value)).localDay.day;
}

/** Returns the customer's calendar day (ISO date) of the subject's named date, or undefined when it has none. */
export function subjectDateOf(subject: object, field: string, zone: string): string | undefined {
  const day = subjectDayNumber(subject, field, zone);
  return day === undefined ? undefined : isoDateOfDay(day);
}

/** Returns the customer's calendar day (ISO date) the offset names, or undefined when the subject has no such date. */
export function subjectDayOf(offset: SubjectDayOffset, subject: object, zone: string): string | undefined {
  const day = subjectDayNumber(subject, offset.of, zone);
  return day === undefined ? undefined : isoDateOfDay(day + signedDays(offset));
}

/** Returns the calendar day (ISO date) of an instant in a zone. */
export function localDateIn(at: Date, zone: string): string {
  return zoned(zone, at.getTime()).localDay.isoDate;
}

/**
 * Returns the instant on the local day `isoDate` at the local time of day `wallMs` (ms since local
 * midnight) in the zone. A time a spring-forward change skips is moved on by the change (02:30 → 03:30);
 * a time a fall-back change repeats is its first pass.
 */
export function atLocalTime(isoDate: string, wallMs: number, zone: string): Date {
  const wall = dayNumber(isoDate) * DAY_MS + wallMs;
  // The offsets around the day (a zone changes at most once within it): the time is one of these passes.
  const earlier = offsetAt(zone, wall - DAY_MS);
  const later = offsetAt(zone, wall + DAY_MS);
  const passes = [wall - earlier, wall - later]
    .filter((utc) => utc + offsetAt(zone, utc) === wall)
    .sort((a, b) => a - b);
  // None: the change skipped it, and the earlier offset moves it on by the change.
  return new Date(passes[0] ?? wall - earlier);
}

/** Returns the first instant of the local day `isoDate` in the zone. */
export function startOfLocalDay(isoDate: string, zone: string): Date {
  return atLocalTime(isoDate, 0, zone);
}

/**
 * Returns when a wait relative to the subject's date ends: on the day it names, at the local time of
 * day of `base` (the step's message, so the customer's window again); `base` when the subject has no
 * such date.
 */
export function wakeOnSubjectDay(offset: SubjectDayOffset, base: Date, subject: object, zone: string): Date {
  const day = subjectDayOf(offset, subject, zone);
  if (day === undefined) return base;
  return atLocalTime(day, zoned(zone, base.getTime()).wallMs, zone);
}

/** A subject date a journey names, and where: `config.next.of`, `config.precededBy.until.of`, `firstWake.of`. */
export interface NamedSubjectDate {
  path: string;
  of: string;
}

/**
 * Returns every subject date named in a journey's value (a step's config, a whole definition): each `of`
 * of a day offset (`daysBefore`/`daysAfter`) or a condition (`kind`), with its path from `path`.
 */
export function subjectDatesNamed(value: unknown, path = ''): NamedSubjectDate[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => subjectDatesNamed(item, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  const named: NamedSubjectDate[] =
    typeof record.of === 'string' && ('daysBefore' in record || 'daysAfter' in record || 'kind' in record)
      ? [{ path: path ? `${path}.of` : 'of', of: record.of }]
      : [];
  for (const [key, inner] of Object.entries(record)) {
    if (key !== 'of') named.push(...subjectDatesNamed(inner, path ? `${path}.${key}` : key));
  }
  return named;
}
