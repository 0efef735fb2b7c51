/**
 * Local wall-clock time in IANA zones, built for the slot decision's hot path: a zone's offsets
 * come from Intl (the runtime's own tz database, as luxon uses) and are computed once per
 * zone and local day, then reused by every decision on that day.
 *
 * A local day is described by the pieces of constant UTC offset that overlap it, so a window's
 * local minutes map to exact UTC ranges: a minute skipped by a spring-forward change maps to no
 * instant, a minute repeated by a fall-back change maps to both (and the earliest is used).
 */

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;
/** No zone's offset exceeds ±14 h, so the instants of one local date lie in this margin around it. */
const MAX_OFFSET_MS = 14 * HOUR_MS;
/** Offsets are sampled this far apart when looking for a change; no zone changes twice within it. */
const SAMPLE_MS = 6 * HOUR_MS;
/** Days kept per zone before the cache starts over (memory stays bounded in long-running processes). */
const MAX_CACHED_DAYS = 5_000;

/** A stretch of UTC instants `[from, to)` with one UTC offset (local = utc + offsetMs). */
export interface OffsetPiece {
  from: number;
  to: number;
  offsetMs: number;
}

/** One calendar date in one zone. */
export interface LocalDay {
  zone: string;
  /** Days since 1970-01-01 of the local calendar date. */
  day: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** `YYYY-MM-DD`. */
  isoDate: string;
  /** The local date's midnight written as if it were UTC (`day * DAY_MS`). */
  wallStart: number;
  /** Constant-offset pieces covering every instant that may have this local date. */
  pieces: readonly OffsetPiece[];
}

const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(zone: string): Intl.DateTimeFormat | null {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        era: 'short',
      });
    } catch {
      formatter = null;
    }
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** Returns whether the runtime knows this IANA zone (`Europe/Amsterdam`: yes, `Mars/Olympus`: no). */
export function isValidZone(zone: string): boolean {
  return formatterFor(zone) !== null;
}

/** Returns the zone's UTC offset in ms at an instant (local = utc + offset); throws for an unknown zone. */
export function offsetAt(zone: string, utcMs: number): number {
  const formatter = formatterFor(zone);
  if (!formatter) throw new Error(`unknown time zone ${zone}`);
  const second = Math.floor(utcMs / 1000) * 1000;
  let year = 0;
  let month = 0;
  let date = 0;
  let hour = 0;
  let minute = 0;
  let sec = 0;
  let bc = false;
  for (const part of formatter.formatToParts(second)) {
    switch (part.type) {
      case 'year':
        year = Number(part.value);
        break;
      case 'month':
        month = Number(part.value);
        break;
      case 'day':
        date = Number(part.value);
        break;
      case 'hour':
        hour = Number(part.value);
        break;
      case 'minute':
        minute = Number(part.value);
        break;
      case 'second':
        sec = Number(part.value);
        break;
      case 'era':
        bc = part.value.startsWith('B');
        break;
    }
  }
  const wall = Date.UTC(bc ? 1 - year : year, month - 1, date, hour, minute, sec);
  return wall - second;
}

/** Returns `YYYY-MM-DD` of a day count since 1970-01-01 (proleptic Gregorian; H. Hinnant's civil_from_days). */
export function isoDateOfDay(day: number): string {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** Returns the ISO weekday (1 = Monday … 7 = Sunday) of a day count since 1970-01-01 (a Thursday). */
export function weekdayOfDay(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** Returns the instant where the offset changes in `(lo, hi]`, given different offsets at both ends. */
function findChange(zone: string, lo: number, hi: number, offsetLo: number): number {
  // Offsets change on whole seconds; bisect down to one.
  let a = lo;
  let b = hi;
  while (b - a > 1000) {
    const mid = a + Math.floor((b - a) / 2000) * 1000;
    if (offsetAt(zone, mid) === offsetLo) a = mid;
    else b = mid;
  }
  return b;
}

function computeDay(zone: string, day: number): LocalDay {
  const wallStart = day * DAY_MS;
  const from = wallStart - MAX_OFFSET_MS;
  const to = wallStart + DAY_MS + MAX_OFFSET_MS;
  const pieces: OffsetPiece[] = [];
  let start = from;
  let offset = offsetAt(zone, from);
  for (let t = from; t < to; ) {
    const next = Math.min(t + SAMPLE_MS, to);
    const offsetNext = offsetAt(zone, next);
    let lo = t;
    // Normally at most one change per step; the loop also copes with two.
    while (offsetNext !== offset) {
      const change = findChange(zone, lo, next, offset);
      pieces.push({ from: start, to: change, offsetMs: offset });
      start = change;
      offset = offsetAt(zone, change);
      lo = change;
    }
    t = next;
  }
  pieces.push({ from: start, to, offsetMs: offset });
  return { zone, day, weekday: weekdayOfDay(day), isoDate: isoDateOfDay(day), wallStart, pieces };
}

const days = new Map<string, Map<number, LocalDay>>();
/** The last offset seen per zone: a good first guess of the local date of the next instant. */
const lastOffset = new Map<string, number>();

/** Returns the local date `day` (days since 1970-01-01) in `zone`, computed once per process. */
export function localDay(zone: string, day: number): LocalDay {
  let zoneDays = days.get(zone);
  if (!zoneDays) {
    zoneDays = new Map();
    days.set(zone, zoneDays);
  }
  let found = zoneDays.get(day);
  if (!found) {
    if (zoneDays.size >= MAX_CACHED_DAYS) zoneDays.clear();
    found = computeDay(zone, day);
    zoneDays.set(day, found);
  }
  return found;
}

/** Returns the offset of the instant if its local date is `day`, else null. */
function offsetOnDay(localDate: LocalDay, utcMs: number): number | null {
  for (const piece of localDate.pieces) {
    if (utcMs < piece.from || utcMs >= piece.to) continue;
    const wall = utcMs + piece.offsetMs;
    return wall >= localDate.wallStart && wall < localDate.wallStart + DAY_MS ? piece.offsetMs : null;
  }
  return null;
}

/** An instant seen in a zone: its local date and its offset. */
export interface ZonedInstant {
  utcMs: number;
  offsetMs: number;
  localDay: LocalDay;
  /** Milliseconds since local midnight. */
  wallMs: number;
}

/** Returns the local date, offset and wall-clock time of an instant in a zone. */
export function zoned(zone: string, utcMs: number): ZonedInstant {
  const known = lastOffset.get(zone);
  const guess = known ?? offsetAt(zone, utcMs);
  const guessDay = Math.floor((utcMs + guess) / DAY_MS);
  for (let i = 0; i < 3; i++) {
    const candidate = localDay(zone, i === 0 ? guessDay : i === 1 ? guessDay - 1 : guessDay + 1);
    const offsetMs = offsetOnDay(candidate, utcMs);
    if (offsetMs !== null) {
      if (offsetMs !== known) lastOffset.set(zone, offsetMs);
      return { utcMs, offsetMs, localDay: candidate, wallMs: utcMs + offsetMs - candidate.wallStart };
    }
  }
  // Unreachable while offsets stay within ±14 h; computed directly so it never throws.
  const offsetMs = offsetAt(zone, utcMs);
  const day = localDay(zone, Math.floor((utcMs + offsetMs) / DAY_MS));
  return { utcMs, offsetMs, localDay: day, wallMs: utcMs + offsetMs - day.wallStart };
}

/**
 * Calls `found(from, to)` for each UTC range `[from, to)` whose local time on this day lies in
 * `[startMinute, endMinute)` minutes after local midnight (`endMinute` may be 1440), earliest first.
 * A skipped hour yields nothing; a repeated hour yields both passes.
 */
export function forEachRange(
  day: LocalDay,
  startMinute: number,
  endMinute: number,
  found: (from: number, to: number) => void,
): void {
  const wallFrom = day.wallStart + startMinute * MINUTE_MS;
  const wallTo = day.wallStart + endMinute * MINUTE_MS;
  for (const piece of day.pieces) {
    const from = Math.max(wallFrom - piece.offsetMs, piece.from);
    const to = Math.min(wallTo - piece.offsetMs, piece.to);
    if (from < to) found(from, to);
  }
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Returns `HH:mm` of a wall-clock time in ms since local midnight. */
export function clockOf(wallMs: number): string {
  const minutes = Math.floor(wallMs / MINUTE_MS);
  return `${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
}

/** Returns the instant as local ISO 8601 with its offset, e.g. `2026-12-01T09:00:00.000+01:00`. */
export function localIso(at: ZonedInstant): string {
  const ms = at.wallMs;
  const h = Math.floor(ms / HOUR_MS);
  const m = Math.floor((ms % HOUR_MS) / MINUTE_MS);
  const s = Math.floor((ms % MINUTE_MS) / 1000);
  const milli = ms % 1000;
  const offsetMinutes = Math.round(at.offsetMs / MINUTE_MS);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${at.localDay.isoDate}T${pad2(h)}:${pad2(m)}:${pad2(s)}.${String(milli).padStart(3, '0')}${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}
