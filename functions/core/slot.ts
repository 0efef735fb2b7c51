import type { CustomerProfile } from './customer.ts';
import type { HolidayCalendar, HolidayCalendarLookup } from './holidays.ts';
import type { JourneyStep } from './journey-step.ts';
import {
  clockOf,
  DAY_MS,
  forEachRange,
  HOUR_MS,
  isValidZone,
  type LocalDay,
  localDay,
  localIso,
  MINUTE_MS,
  type ZonedInstant,
  zoned,
} from './local-time.ts';
import { minutesOf, type Policy, type Segment, type TimeWindow } from './policy.ts';
import type { Reason } from './reasons.ts';
import { spreadOffsetSeconds } from './spread.ts';
import type { Arrival } from './transit.ts';

/** Why no slot was planned: the step's deadline passed first, or the policy leaves no day open. */
export type SlotSkip = 'deadline' | 'no-slot';

export interface SlotDecision {
  /** ISO UTC, e.g. 2026-12-01T08:00:00.000Z; null when skipped. */
  sendAt: string | null;
  /** ISO with the customer's offset, e.g. 2026-12-01T09:00:00.000+01:00; null when skipped. */
  localSendAt: string | null;
  timezone: string;
  skipped: SlotSkip | null;
  reasons: Reason[];
  /** A channel that travels (a letter): when it arrives (`transit.ts`), when a slot was found. */
  arrival?: Arrival;
  /** True when the step is skipped because the channel would arrive after the step's deadline. */
  arrivesTooLate?: boolean;
}

/**
 * Returns the slot with its arrival for a channel that travels, or the step skipped (`deadline`) when
 * it would arrive after the step's deadline: a letter must be in the letterbox by then, not posted.
 */
function withArrival(
  slot: SlotDecision,
  arrivalOf: ((postedAtMs: number) => Arrival | null) | undefined,
  deadline: number,
  timezone: string,
): SlotDecision {
  if (!arrivalOf || !slot.sendAt) return slot;
  const arrival = arrivalOf(Date.parse(slot.sendAt));
  if (!arrival) return slot;
  if (arrival.arrivesAtMs > deadline) {
    const until = describeLocal(zoned(timezone, deadline));
    return {
      sendAt: null,
      localSendAt: null,
      timezone,
      skipped: 'deadline',
      arrivesTooLate: true,
      reasons: [...slot.reasons, `skipped: ${arrival.reason}, after the deadline ${until} local`],
    };
  }
  return { ...slot, arrival, reasons: [...slot.reasons, arrival.reason] };
}

/** How far ahead a slot is searched: five weeks outlast any run of public holidays on a window's days. */
export const SLOT_SEARCH_DAYS = 35;

const MINUTES_PER_DAY = 24 * 60;

/** Returns the customer's IANA time zone: their own, else their country's, else the policy default. */
export function resolveTimezone(
  customer: CustomerProfile,
  policy: Policy,
): { timezone: string; source: 'customer' | 'country' | 'policy'; reason: Reason } {
  if (customer.timezone && isValidZone(customer.timezone)) {
    return {
      timezone: customer.timezone,
      source: 'customer',
      reason: `timezone ${customer.timezone}: from customer`,
    };
  }
  const invalid = customer.timezone ? 'customer timezone is not a valid IANA zone, ' : '';
  const countryZone = policy.countryTimezones[customer.country];
  if (countryZone && isValidZone(countryZone)) {
    return {
      timezone: countryZone,
      source: 'country',
      reason: `timezone ${countryZone}: ${invalid}main zone of ${customer.country}`,
    };
  }
  const fallback = isValidZone(policy.defaults.timezone) ? policy.defaults.timezone : 'UTC';
  return {
    timezone: fallback,
    source: 'policy',
    reason: `timezone ${fallback}: ${invalid}policy default, none for ${customer.country}`,
  };
}

type MinuteRange = readonly [start: number, end: number];

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

/** A part of a window outside quiet hours, in minutes after local midnight. */
interface OpenRange {
  start: number;
  end: number;
  window: TimeWindow;
  /** The whole window's minutes (quiet hours included), to tell "outside window" from "quiet hours". */
  windowStart: number;
  windowEnd: number;
  label: string;
}

/** Per ISO weekday (index 1–7), the open ranges of a segment, earliest first; and the quiet ranges. */
interface WeeklyPlan {
  byWeekday: ReadonlyArray<readonly OpenRange[]>;
  quiet: readonly MinuteRange[];
}

const DAY_NAMES = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function describeWindow(window: TimeWindow): string {
  return `${window.days.map((d) => DAY_NAMES[d]).join(',')} ${window.start}-${window.end}`;
}

/** Returns the parts of a window that are not in quiet hours. */
function openParts(window: TimeWindow, quiet: readonly MinuteRange[]): MinuteRange[] {
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

const plans = new WeakMap<Segment, { quiet: Policy['quietHours']; plan: WeeklyPlan }>();

/** Returns the segment's open ranges per weekday, computed once per segment and quiet hours. */
function weeklyPlan(segment: Segment, quietHours: Policy['quietHours']): WeeklyPlan {
  const known = plans.get(segment);
  if (known && known.quiet === quietHours) return known.plan;
  const quiet = quietRanges(quietHours);
  const byWeekday: OpenRange[][] = Array.from({ length: 8 }, () => []);
  for (const window of segment.windows) {
    const label = describeWindow(window);
    const windowStart = minutesOf(window.start);
    const windowEnd = minutesOf(window.end);
    for (const [start, end] of openParts(window, quiet)) {
      for (const day of new Set(window.days)) {
        byWeekday[day]?.push({ start, end, window, windowStart, windowEnd, label });
      }
    }
  }
  for (const ranges of byWeekday) ranges.sort((a, b) => a.start - b.start);
  const plan = { byWeekday, quiet };
  plans.set(segment, { quiet: quietHours, plan });
  return plan;
}

function describeLocal(at: ZonedInstant): string {
  return `${DAY_NAMES[at.localDay.weekday]} ${at.localDay.isoDate} ${clockOf(at.wallMs)}`;
}

function describeDuration(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return s === 0 ? `${m} min` : `${m} min ${s} s`;
}

/** An open stretch of UTC instants on the chosen day. */
interface Interval {
  from: number;
  to: number;
  range: OpenRange;
}

/** Returns the open intervals of a local day clipped to `[earliest, deadline)`, earliest first. */
function openIntervals(day: LocalDay, ranges: readonly OpenRange[], earliest: number, deadline: number) {
  const found: Interval[] = [];
  for (const range of ranges) {
    forEachRange(day, range.start, range.end, (from, to) => {
      const a = Math.max(from, earliest);
      const b = Math.min(to, deadline);
      if (a < b) found.push({ from: a, to: b, range });
    });
  }
  if (found.length > 1) found.sort((x, y) => x.from - y.from);
  return found;
}

/** Returns the start of the step's `notBefore` as epoch ms (a date: local midnight in the zone), or null. */
function notBeforeOf(step: JourneyStep, zone: string): number | null {
  if (!step.notBefore) return null;
  if (step.notBefore.length === 10) {
    const day = Date.parse(`${step.notBefore}T00:00:00Z`) / DAY_MS;
    let first: number | null = null;
    forEachRange(localDay(zone, day), 0, MINUTES_PER_DAY, (from) => {
      if (first === null || from < first) first = from;
    });
    return first;
  }
  return Date.parse(step.notBefore);
}

/** Returns the end of the step's `notAfter` as epoch ms (a date: the end of that local day in the zone), or null. */
function notAfterOf(step: JourneyStep, zone: string): number | null {
  if (!step.notAfter) return null;
  if (step.notAfter.length === 10) {
    const day = Date.parse(`${step.notAfter}T00:00:00Z`) / DAY_MS;
    let last: number | null = null;
    forEachRange(localDay(zone, day), 0, MINUTES_PER_DAY, (_from, to) => {
      if (last === null || to > last) last = to;
    });
    return last;
  }
  return Date.parse(step.notAfter);
}

/** Returns the open stretch in the customer's most engaged local hour on this day, or null when none is open. */
function engagedSlot(
  day: LocalDay,
  intervals: readonly Interval[],
  engagement: readonly number[],
  zone: string,
): { from: number; to: number; hour: number; count: number } | null {
  const perHour = new Int32Array(24);
  for (const t of engagement) {
    const h = Math.floor(zoned(zone, t).wallMs / HOUR_MS);
    perHour[h] = (perHour[h] ?? 0) + 1;
  }
  // Hours by engagement, most first (the earlier hour on a tie); an hour closed today gives way to the next.
  for (;;) {
    let hour = -1;
    for (let h = 0; h < 24; h++)
      if ((perHour[h] ?? 0) > 0 && (hour < 0 || (perHour[h] ?? 0) > (perHour[hour] ?? 0))) hour = h;
    if (hour < 0) return null;
    const count = perHour[hour] ?? 0;
    perHour[hour] = 0;
    let best: { from: number; to: number } | null = null;
    forEachRange(day, hour * 60, hour * 60 + 60, (from, to) => {
      for (const interval of intervals) {
        const a = Math.max(from, interval.from);
        const b = Math.min(to, interval.to);
        if (a < b && best === null) best = { from: a, to: b };
      }
    });
    const found = best as { from: number; to: number } | null;
    if (found) return { from: found.from, to: found.to, hour, count };
  }
}

/** Returns whether the instant lies in an open part of a window (not quiet hours) on no public holiday. */
function isOpenAt(at: ZonedInstant, plan: WeeklyPlan, calendar: HolidayCalendar | null): boolean {
  if (calendar?.holidayOnDay(at.localDay.day)) return false;
  const minute = Math.floor(at.wallMs / MINUTE_MS);
  return (plan.byWeekday[at.localDay.weekday] ?? []).some((r) => minute >= r.start && minute < r.end);
}

/** Returns why the earliest allowed instant itself cannot be used (the first rule it breaks). */
function whyNotThen(at: ZonedInstant, plan: WeeklyPlan, calendar: HolidayCalendar | null): string {
  if (calendar?.holidayOnDay(at.localDay.day)) return 'public holiday';
  const minute = Math.floor(at.wallMs / MINUTE_MS);
  if (plan.quiet.some(([s, e]) => minute >= s && minute < e)) return 'quiet hours';
  const inWindow = (plan.byWeekday[at.localDay.weekday] ?? []).some(
    (r) => minute >= r.windowStart && minute < r.windowEnd,
  );
  return inWindow ? 'window closes too soon' : 'outside window';
}

/**
 * Returns when to send this step to the customer, in their time zone, with reasons.
 *
 * Transactional steps go at once: windows, quiet hours and holidays do not apply. Otherwise the
 * slot is the earliest instant at or after `now` (and after the step's `notBefore` and any
 * `earliest` the caller sets, e.g. a contact-pressure deferral) that lies inside one of the
 * segment's weekly windows in local time, outside the policy's quiet hours and not on a public
 * holiday of the customer's country (and region). Within that first open day the customer's most
 * engaged local hour is used when their history is long enough (send-time optimisation);
 * otherwise the send is spread from the start of the slot by up to `sendTime.spreadMinutes`,
 * by a hash of the customer id, so a batch does not reach the provider in one second.
 * A step with `withinHours` is skipped (`deadline`) when no slot opens before the trigger plus
 * that many hours; a step with `notAfter` (e.g. an appointment reminder, before the visit) when no
 * slot opens before that moment (a transactional step too, once it has passed). Daylight saving is exact: a skipped local hour has no instants, a repeated one
 * is used once. Never throws on a valid policy.
 */
export function pickSlot(input: {
  customer: CustomerProfile;
  segment: Segment;
  step: JourneyStep;
  policy: Policy;
  now: Date;
  /** The public holidays of the customer's country and region (`country-tables.ts`): no slot on one. */
  holidayCalendarFor: HolidayCalendarLookup;
  /** When the journey was triggered, for the step's `withinHours`; defaults to `now`. */
  triggeredAt?: Date;
  /** A lower bound with its reason, e.g. when contact pressure defers the message. */
  earliest?: { at: number; reason: Reason };
  /** When the customer opened or clicked an email (epoch ms), for send-time optimisation. */
  engagement?: readonly number[];
  /**
   * The slot planned for this step before (a journey that waited for it): kept (or now, when it has
   * passed) while that moment is still open, so waking for a spread slot ends in a send, not a new spread.
   */
  planned?: Date;
  /**
   * When a message sent at a moment arrives, for a channel that travels (`arrivalOf` in `transit.ts`):
   * it must arrive before the step's deadline, not merely go before it.
   */
  arrivalOf?: (postedAtMs: number) => Arrival | null;
}): SlotDecision {
  const { customer, segment, step, policy, now } = input;
  const zone = resolveTimezone(customer, policy);
  const timezone = zone.timezone;
  const reasons: Reason[] = [zone.reason];
  const nowMs = now.getTime();

  const notAfter = notAfterOf(step, timezone);
  if (step.purpose === 'transactional') {
    if (notAfter !== null && notAfter <= nowMs) {
      reasons.push(
        `skipped: not after ${describeLocal(zoned(timezone, notAfter))} local (set by step ${step.stepId}), which has passed`,
      );
      return { sendAt: null, localSendAt: null, timezone, skipped: 'deadline', reasons };
    }
    reasons.push('transactional: send immediately, windows and quiet hours do not apply');
    const slot: SlotDecision = {
      sendAt: now.toISOString(),
      localSendAt: localIso(zoned(timezone, nowMs)),
      timezone,
      skipped: null,
      reasons,
    };
    return withArrival(slot, input.arrivalOf, notAfter ?? Number.POSITIVE_INFINITY, timezone);
  }

  let earliest = nowMs;
  const notBefore = notBeforeOf(step, timezone);
  if (notBefore !== null && notBefore > earliest) {
    earliest = notBefore;
    reasons.push(`not before ${describeLocal(zoned(timezone, notBefore))} local: set by step ${step.stepId}`);
  }
  if (input.earliest && input.earliest.at > earliest) {
    earliest = input.earliest.at;
    reasons.push(input.earliest.reason);
  }
  let deadline = Number.POSITIVE_INFINITY;
  if (step.withinHours !== undefined) {
    const trigger = (input.triggeredAt ?? now).getTime();
    deadline = trigger + step.withinHours * HOUR_MS;
    const until = describeLocal(zoned(timezone, deadline));
    if (deadline <= earliest) {
      reasons.push(`skipped: deadline ${until} local (${step.withinHours} h after the trigger) has passed`);
      return { sendAt: null, localSendAt: null, timezone, skipped: 'deadline', reasons };
    }
    reasons.push(`deadline ${until} local: within ${step.withinHours} h of the trigger`);
  }
  if (notAfter !== null && notAfter < deadline) {
    deadline = notAfter;
    const until = describeLocal(zoned(timezone, notAfter));
    if (deadline <= earliest) {
      reasons.push(`skipped: not after ${until} local (set by step ${step.stepId}), no time left before it`);
      return { sendAt: null, localSendAt: null, timezone, skipped: 'deadline', reasons };
    }
    reasons.push(`deadline ${until} local: not after, set by step ${step.stepId}`);
  }

  const calendar = input.holidayCalendarFor(customer.country, customer.region);
  if (!calendar) reasons.push(`holidays: no calendar for ${customer.country}`);
  else if (customer.region && calendar.region === null) {
    reasons.push(`holidays: region not known for ${customer.country}, national holidays only`);
  }
  const plan = weeklyPlan(segment, policy.quietHours);
  if (input.planned) {
    const kept = zoned(timezone, Math.max(input.planned.getTime(), earliest));
    if (kept.utcMs < deadline && isOpenAt(kept, plan, calendar)) {
      reasons.push(`planned slot kept: ${describeLocal(kept)} local is still open`);
      const slot: SlotDecision = {
        sendAt: new Date(kept.utcMs).toISOString(),
        localSendAt: localIso(kept),
        timezone,
        skipped: null,
        reasons,
      };
      return withArrival(slot, input.arrivalOf, deadline, timezone);
    }
  }
  const start = zoned(timezone, earliest);
  let noDataYear = 0;

  for (let d = 0; d <= SLOT_SEARCH_DAYS; d++) {
    const day = d === 0 ? start.localDay : localDay(timezone, start.localDay.day + d);
    if ((day.pieces[0]?.from ?? 0) >= deadline) break;
    const ranges = plan.byWeekday[day.weekday];
    if (!ranges || ranges.length === 0) continue;
    const intervals = openIntervals(day, ranges, earliest, deadline);
    const first = intervals[0];
    if (!first) continue;

    if (calendar) {
      const holiday = calendar.holidayOnDay(day.day);
      if (holiday) {
        reasons.push(`skipped ${day.isoDate}: public holiday in ${customer.country} (${holiday})`);
        continue;
      }
      const year = Number(day.isoDate.slice(0, 4));
      if (year !== noDataYear && !calendar.coversYear(year)) {
        noDataYear = year;
        reasons.push(`holidays: no data for ${customer.country} in ${year}, run npm run holidays`);
      }
    }

    if (first.from === earliest) {
      reasons.push(`${earliest === nowMs ? 'now' : 'then'} is inside window ${first.range.label} local`);
    } else {
      const why = whyNotThen(start, plan, calendar);
      reasons.push(`slot moved to ${describeLocal(zoned(timezone, first.from))} local: ${why}`);
    }

    let base = first.from;
    let room = first.to - first.from;
    const engagement = input.engagement ?? [];
    const sendTime = policy.sendTime;
    if (sendTime.optimise && engagement.length >= sendTime.minEngagements) {
      const engaged = engagedSlot(day, intervals, engagement, timezone);
      if (engaged) {
        base = engaged.from;
        room = engaged.to - engaged.from;
        reasons.push(
          `send-time optimisation: ${String(engaged.hour).padStart(2, '0')}:00 local has the most engagement (${engaged.count} of ${engagement.length})`,
        );
      } else {
        reasons.push('send-time optimisation: no engaged hour open that day, spread instead');
      }
    }
    const spreadSeconds = Math.min(sendTime.spreadMinutes * 60, Math.floor(room / 1000));
    const spread = spreadOffsetSeconds(customer.id, spreadSeconds);
    const sendAtMs = base + spread * 1000;
    const local = zoned(timezone, sendAtMs);
    reasons.push(`spread +${describeDuration(spread)} by customer id: ${describeLocal(local)} local`);
    const slot: SlotDecision = {
      sendAt: new Date(sendAtMs).toISOString(),
      localSendAt: localIso(local),
      timezone,
      skipped: null,
      reasons,
    };
    // The earliest open slot arrives earliest: when it arrives too late, every later one does.
    return withArrival(slot, input.arrivalOf, deadline, timezone);
  }
  if (deadline !== Number.POSITIVE_INFINITY) {
    const which =
      deadline === notAfter
        ? `not after ${describeLocal(zoned(timezone, deadline))} local, set by step ${step.stepId}`
        : `${step.withinHours} h after the trigger`;
    reasons.push(`skipped: no open slot before the deadline (${which})`);
    return { sendAt: null, localSendAt: null, timezone, skipped: 'deadline', reasons };
  }
  reasons.push(`skipped: no open slot within ${SLOT_SEARCH_DAYS} days for segment ${segment.id}`);
  return { sendAt: null, localSendAt: null, timezone, skipped: 'no-slot', reasons };
}
