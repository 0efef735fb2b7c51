/**
 * When a message that travels arrives: a letter posted at some moment is collected on a working day
 * (the same day before the cut-off, else the next one) and delivered a number of working days later.
 * Working days are Monday to Friday that are not a public holiday of the destination country (and
 * region). Channels without a transit in the policy arrive the moment they are sent.
 */
import type { Channel } from './customer.ts';
import type { HolidayCalendar, HolidayCalendarLookup } from './holidays.ts';
import {
  DAY_MS,
  forEachRange,
  isoDateOfDay,
  isValidZone,
  localDay,
  weekdayOfDay,
  zoned,
} from './local-time.ts';
import { minutesOf, type Policy, type Transit } from './policy.ts';
import type { Reason } from './reasons.ts';

const MINUTES_PER_DAY = 24 * 60;

export interface Arrival {
  /** The working day it is collected (`YYYY-MM-DD`). */
  collectedOn: string;
  /** The working day it is delivered (`YYYY-MM-DD`): the day of receipt. */
  arrivesOn: string;
  /** When on that day it has come (the transit's `deliveredBy`, the customer's local time), epoch ms. */
  arrivesAtMs: number;
  workingDays: number;
  reason: Reason;
}

/** Returns the channel's transit in the policy, or null when it arrives at once. */
export function transitFor(policy: Pick<Policy, 'transit'>, channel: Channel): Transit | null {
  return policy.transit?.[channel] ?? null;
}

/** Returns whether a local date (days since 1970-01-01) is a working day on the calendar. */
export function isWorkingDay(day: number, calendar: HolidayCalendar | null): boolean {
  return weekdayOfDay(day) <= 5 && !calendar?.holidayOnDay(day);
}

/** Returns the first working day at or after `day`. */
function workingDayFrom(day: number, calendar: HolidayCalendar | null): number {
  let d = day;
  // Two weeks outlast any run of weekends and public holidays.
  for (let i = 0; i < 14 && !isWorkingDay(d, calendar); i++) d += 1;
  return d;
}

/**
 * Returns when a message posted at `postedAtMs` arrives, or null for a channel without transit.
 * Counts the destination's working days: posted after the cut-off (on the posting site's clock) or on a
 * day that is not a working day, it is collected the next working day; it arrives `workingDays`
 * working days after collection (0: the day it is collected), at `deliveredBy` in the customer's zone.
 * A letter posted on a Friday afternoon therefore arrives on the Monday at the earliest, never on a
 * Saturday. Pure; never throws on a valid policy.
 */
export function arrivalOf(input: {
  channel: Channel;
  postedAtMs: number;
  /** The destination: its working days and, per country, the number of them. */
  country: string;
  region?: string;
  /** The customer's time zone: when on the delivery day it has come. */
  timezone: string;
  policy: Pick<Policy, 'transit' | 'defaults'>;
  holidayCalendarFor: HolidayCalendarLookup;
}): Arrival | null {
  const transit = transitFor(input.policy, input.channel);
  if (!transit) return null;
  const postingZone = [transit.timezone, input.policy.defaults.timezone].find(
    (zone): zone is string => zone !== undefined && isValidZone(zone),
  );
  const posted = zoned(postingZone ?? 'UTC', input.postedAtMs);
  const calendar = input.holidayCalendarFor(input.country, input.region);
  const afterCutOff = posted.wallMs >= minutesOf(transit.cutOff) * 60_000;
  const postedDay = posted.localDay.day;
  const collected = workingDayFrom(afterCutOff ? postedDay + 1 : postedDay, calendar);
  const workingDays = transit.workingDays.byCountry[input.country] ?? transit.workingDays.default;
  let arrives = collected;
  for (let n = 0; n < workingDays; n++) arrives = workingDayFrom(arrives + 1, calendar);

  const zone = isValidZone(input.timezone) ? input.timezone : (postingZone ?? 'UTC');
  const deliveredBy = minutesOf(transit.deliveredBy);
  let arrivesAtMs = Number.NaN;
  // The first instant at or after `deliveredBy` that day (a skipped daylight-saving hour moves it on).
  forEachRange(localDay(zone, arrives), deliveredBy, MINUTES_PER_DAY, (from) => {
    if (Number.isNaN(arrivesAtMs)) arrivesAtMs = from;
  });
  if (Number.isNaN(arrivesAtMs)) arrivesAtMs = (arrives + 1) * DAY_MS - posted.offsetMs;
  // Delivered the day it is collected (no working days) but posted after the delivery: on receipt.
  arrivesAtMs = Math.max(arrivesAtMs, input.postedAtMs);

  const collectedOn = isoDateOfDay(collected);
  const arrivesOn = isoDateOfDay(arrives);
  const late = collected !== postedDay ? `, collected ${collectedOn}` : '';
  const why = afterCutOff ? ` (posted after the ${transit.cutOff} cut-off)` : '';
  return {
    collectedOn,
    arrivesOn,
    arrivesAtMs,
    workingDays,
    reason: `${input.channel} arrives ${arrivesOn}: ${workingDays} working day${workingDays === 1 ? '' : 's'} in ${input.country}${late}${why}`,
  };
}
