/**
 * A run's first wake, planned by the journey starters (start-journey, start-scheduled-runs) with the
 * slot picker the first step's Task uses (`pickSlot`): the customer's segment (profile and a year of
 * behaviour), its windows in the customer's time zone, quiet hours, public holidays, send-time
 * optimisation and the spread by customer id. The journey's first Wait ends at that slot, and the
 * Task, woken there, keeps it (`planned`): one visit sends the first message, also for a run started
 * at night, before the window opens, on a weekend or a holiday.
 *
 * What the starter does not read, the Task may still find different at the wake (then it decides a
 * later slot and waits once more, `Klantreis.NotYet`): the first step's own constraints (a transactional
 * purpose, `notBefore`, `withinHours`, `notAfter`: the shipped journeys' first waited-for steps have
 * none), contact pressure from recent sends, and behaviour or age that change between start and wake.
 */
import type { BehaviourSummary } from './behaviour.ts';
import type { CustomerProfile } from './customer.ts';
import type { HolidayCalendarLookup } from './holidays.ts';
import type { JourneyStep } from './journey-step.ts';
import type { Policy } from './policy.ts';
import type { Reason } from './reasons.ts';
import { segmentOf } from './segment.ts';
import { pickSlot, resolveTimezone } from './slot.ts';
import { spreadOffsetSeconds } from './spread.ts';
import { describeOffset, type SubjectDayOffset, startOfLocalDay, subjectDayOf } from './subject-dates.ts';

/**
 * The first step as the starter sees it: a service message with no constraints of its own (the
 * shipped journeys' first waited-for steps: the pre-due notice, the first reminder, the welcome).
 * The slot picker reads only its purpose and constraints; a marketing step gets the same slot.
 */
export const FIRST_STEP: JourneyStep = {
  journeyId: 'first-wake',
  stepId: 'first-wake',
  templateId: 'first-wake',
  purpose: 'service',
  channels: ['email', 'sms'],
};

export interface FirstWake {
  /** When the journey's first Wait ends: the first step's slot, never before `now`. */
  wakeAt: Date;
  /** The segment whose windows the slot is in. */
  segmentId: string;
  /** Personal-data-free reasons: the segment's and the slot's. */
  reasons: Reason[];
}

/**
 * A journey whose first message is about a date of its subject (a renewal notice 30 days before the
 * contract's `endDate`): the first wake is not before the start of that day in the customer's time zone.
 */
export interface FirstWakeDay {
  offset: SubjectDayOffset;
  subject: object;
}

/**
 * Returns the first instant the first step may go (epoch ms) with its reason: the start of the
 * subject day in the customer's time zone, when that is later than `now`; otherwise undefined.
 */
function earliestOf(
  day: FirstWakeDay,
  timezone: string,
  now: Date,
): { at: number; reason: string } | undefined {
  const isoDate = subjectDayOf(day.offset, day.subject, timezone);
  if (isoDate === undefined) return undefined;
  const at = startOfLocalDay(isoDate, timezone).getTime();
  return at > now.getTime()
    ? { at, reason: `first message on ${isoDate}: ${describeOffset(day.offset)}` }
    : undefined;
}

/**
 * Returns the run's first wake for a start at `now`: the slot `pickSlot` gives the customer's segment
 * for a step decided at `now` (inside the window now: now plus the customer's spread; otherwise the
 * window's next opening on a day that is no public holiday, plus the spread, or the customer's most
 * engaged hour that day). With `day`, not before the subject day it names (a day already passed: as
 * without). No slot within the picker's search (a policy that leaves no day open): the earliest moment
 * plus the spread, and the Task records why it skips.
 */
export function planFirstWake(input: {
  customer: CustomerProfile;
  behaviour: BehaviourSummary;
  policy: Policy;
  now: Date;
  day?: FirstWakeDay | undefined;
  /** The public holidays of the customer's country (`country-tables.ts`): the first wake skips them. */
  holidayCalendarFor: HolidayCalendarLookup;
}): FirstWake {
  const { customer, behaviour, policy, now } = input;
  const segmented = segmentOf({ customer, behaviour, policy, now });
  const segment = policy.segments.find((s) => s.id === segmented.segmentId);
  const earliest = input.day
    ? earliestOf(input.day, resolveTimezone(customer, policy).timezone, now)
    : undefined;
  const from = earliest?.at ?? now.getTime();
  const spread = () =>
    new Date(from + spreadOffsetSeconds(customer.id, policy.sendTime.spreadMinutes * 60) * 1000);
  // segmentOf returns one of the policy's segments; kept total so a starter never fails on it.
  if (!segment) return { wakeAt: spread(), segmentId: segmented.segmentId, reasons: segmented.reasons };
  const slot = pickSlot({
    customer,
    segment,
    step: FIRST_STEP,
    policy,
    now,
    ...(earliest ? { earliest } : {}),
    holidayCalendarFor: input.holidayCalendarFor,
    engagement: behaviour.engagementTimes ?? [],
  });
  return {
    wakeAt: slot.sendAt ? new Date(slot.sendAt) : spread(),
    segmentId: segment.id,
    reasons: [...segmented.reasons, ...slot.reasons],
  };
}
