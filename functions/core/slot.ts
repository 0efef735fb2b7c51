import { DateTime, IANAZone } from 'luxon';
import type { CustomerProfile } from './customer.ts';
import { holidayCalendarFor } from './holidays.ts';
import type { JourneyStep } from './journey-step.ts';
import type { Policy, Segment, TimeWindow } from './policy.ts';
import type { Reason } from './reasons.ts';

export interface SlotDecision {
  /** ISO UTC, e.g. 2026-12-01T08:00:00.000Z. */
  sendAt: string;
  /** ISO with the customer's offset, e.g. 2026-12-01T09:00:00.000+01:00. */
  localSendAt: string;
  timezone: string;
  reasons: Reason[];
}

/** How far ahead a slot is searched; two weeks always hold a working day outside holidays. */
export const SLOT_SEARCH_DAYS = 14;
/** A batch is spread over at most this many minutes from the start of a slot. */
export const SPREAD_MINUTES = 60;

const MINUTES_PER_DAY = 24 * 60;
const MINUTE_MS = 60_000;

type MinuteRange = readonly [start: number, end: number];

/** Returns the customer's IANA time zone: their own, else their country's, else the policy default. */
export function resolveTimezone(
  customer: CustomerProfile,
  policy: Policy,
): { timezone: string; reason: Reason } {
  if (customer.timezone && IANAZone.isValidZone(customer.timezone)) {
    return { timezone: customer.timezone, reason: `timezone ${customer.timezone}: from customer` };
  }
  const invalid = customer.timezone ? 'customer timezone is not a valid IANA zone, ' : '';
  const countryZone = policy.countryTimezones[customer.country];
  if (countryZone && IANAZone.isValidZone(countryZone)) {
    return {
      timezone: countryZone,
      reason: `timezone ${countryZone}: ${invalid}main zone of ${customer.country}`,
    };
  }
  const fallback = IANAZone.isValidZone(policy.defaults.timezone) ? policy.defaults.timezone : 'UTC';
  return {
    timezone: fallback,
    reason: `timezone ${fallback}: ${invalid}policy default, none for ${customer.country}`,
  };
}

/** Returns minutes since local midnight for `HH:mm`. */
function minutesOf(clock: string): number {
  const [h, m] = clock.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** Returns the quiet hours as ranges within one local day (21:00–08:00 becomes two ranges). */
export function quietRanges(quiet: Policy['quietHours']): MinuteRange[] {
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return [];
  return start < end
    ? [[start, end]]
    : [
        [0, end],
        [start, MINUTES_PER_DAY],
      ];
}

/** Returns the parts of a window that are not in quiet hours. */
function allowedRanges(window: TimeWindow, quiet: readonly MinuteRange[]): MinuteRange[] {
  let parts: MinuteRange[] = [[minutesOf(window.start), minutesOf(window.end)]];
  for (const [qs, qe] of quiet) {
    parts = parts.flatMap(([s, e]): MinuteRange[] => {
      if (qe <= s || qs >= e) return [[s, e]];
      const kept: MinuteRange[] = [];
      if (s < qs) kept.push([s, qs]);
      if (qe < e) kept.push([qe, e]);
      return kept;
    });
  }
  return parts;
}

/** Returns the instant of a local wall-clock minute on `day`; luxon resolves DST gaps and overlaps. */
function atLocalMinute(day: DateTime, minutes: number): DateTime {
  if (minutes >= MINUTES_PER_DAY) return day.plus({ days: 1 }).startOf('day');
  return day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0, millisecond: 0 });
}

const DAY_NAMES = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function describeWindow(window: TimeWindow): string {
  return `${window.days.map((d) => DAY_NAMES[d]).join(',')} ${window.start}-${window.end}`;
}

function describeLocal(t: DateTime): string {
  return `${DAY_NAMES[t.weekday]} ${t.toFormat('yyyy-MM-dd HH:mm')}`;
}

/** Returns a stable 32-bit FNV-1a hash: the same customer always gets the same spread. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Returns when to send this step to the customer, with reasons. Transactional steps go now.
 * Otherwise: the earliest instant at or after `now` inside one of the segment's weekly windows in
 * the customer's local time, outside the policy's quiet hours and not on a public holiday of the
 * customer's country, plus a spread of up to an hour (from a hash of the customer id, staying
 * inside the window) so a batch does not fire at once. Throws when the policy leaves no slot
 * within SLOT_SEARCH_DAYS: that is a policy bug, not a customer outcome.
 */
export function pickSlot(input: {
  customer: CustomerProfile;
  segment: Segment;
  step: JourneyStep;
  policy: Policy;
  now: Date;
}): SlotDecision {
  const { customer, segment, step, policy, now } = input;
  const { timezone, reason: zoneReason } = resolveTimezone(customer, policy);
  const reasons: Reason[] = [zoneReason];
  const localNow = DateTime.fromJSDate(now, { zone: timezone });

  if (step.purpose === 'transactional') {
    reasons.push('transactional: send immediately, windows and quiet hours do not apply');
    return { sendAt: now.toISOString(), localSendAt: localNow.toISO() ?? '', timezone, reasons };
  }

  const calendar = holidayCalendarFor(customer.country, customer.region);
  if (!calendar) reasons.push(`holidays: no calendar for ${customer.country}`);
  const quiet = quietRanges(policy.quietHours);
  const nowMs = now.getTime();

  for (let d = 0; d <= SLOT_SEARCH_DAYS; d++) {
    const day = localNow.startOf('day').plus({ days: d });
    const intervals = segment.windows
      .filter((w) => w.days.includes(day.weekday))
      .flatMap((w) =>
        allowedRanges(w, quiet).map(([s, e]) => ({
          window: w,
          start: atLocalMinute(day, s).toMillis(),
          end: atLocalMinute(day, e).toMillis(),
        })),
      )
      .filter((i) => i.end > nowMs && i.start < i.end)
      .sort((a, b) => a.start - b.start);
    if (intervals.length === 0) continue;

    const isoDate = day.toISODate() ?? '';
    const holiday = calendar?.publicHolidayOn(isoDate);
    if (holiday) {
      reasons.push(`skipped ${isoDate}: public holiday in ${customer.country} (${holiday})`);
      continue;
    }

    const [first] = intervals;
    if (!first) continue;
    const base = Math.max(first.start, nowMs);
    const baseLocal = DateTime.fromMillis(base, { zone: timezone });
    if (base === nowMs) {
      reasons.push(`now is inside window ${describeWindow(first.window)} local`);
    } else {
      reasons.push(
        `slot moved to ${describeLocal(baseLocal)} local: ${whyNotNow(localNow, segment, quiet, calendar)}`,
      );
    }

    const room = Math.floor((first.end - base) / MINUTE_MS);
    const spread = room > 0 ? hash(customer.id) % Math.min(SPREAD_MINUTES, room) : 0;
    const sendAt = DateTime.fromMillis(base + spread * MINUTE_MS, { zone: timezone });
    reasons.push(`spread +${spread} min by customer id: ${describeLocal(sendAt)} local`);
    return {
      sendAt: new Date(sendAt.toMillis()).toISOString(),
      localSendAt: sendAt.toISO() ?? '',
      timezone,
      reasons,
    };
  }
  throw new Error(
    `no slot within ${SLOT_SEARCH_DAYS} days for segment ${segment.id}: check its windows against the quiet hours`,
  );
}

/** Returns why the current local time cannot be used (the first rule it breaks). */
function whyNotNow(
  localNow: DateTime,
  segment: Segment,
  quiet: readonly MinuteRange[],
  calendar: ReturnType<typeof holidayCalendarFor>,
): string {
  if (calendar?.publicHolidayOn(localNow.toISODate() ?? '')) return 'public holiday';
  const minute = localNow.hour * 60 + localNow.minute;
  if (quiet.some(([s, e]) => minute >= s && minute < e)) return 'quiet hours';
  const inWindow = segment.windows.some(
    (w) => w.days.includes(localNow.weekday) && minute >= minutesOf(w.start) && minute < minutesOf(w.end),
  );
  return inWindow ? 'window closes too soon' : 'outside window';
}
