/**
 * When the contact centre calls: the first moment at or after the step's slot that is inside the
 * centre's opening hours (its own time zone) and in an hour that still has room under its
 * calls-per-hour capacity. A call beyond capacity goes into the next hour with room. Hours are
 * counted on the UTC clock (whole hours in every zone a contact centre is likely to sit in).
 * Pure: the booked counts come in, the caller reserves the hour it is given.
 */
import { clockOf, weekdayOfDay, zoned } from './local-time.ts';
import {
  type ContactCentre,
  ContactCentreSchema,
  minutesOf,
  type Policy,
  type TimeWindow,
} from './policy.ts';
import type { Reason } from './reasons.ts';

export const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
/** Two weeks of hours: further ahead, a call is no longer the step's message. */
export const CALL_HORIZON_HOURS = 14 * 24;

export interface PlannedCall {
  /** When to call (epoch ms): inside the opening hours, at or after the earliest moment. */
  callAtMs: number;
  /** The capacity hour it takes: its start, UTC ISO (the key the caller reserves). */
  hour: string;
  reasons: Reason[];
}

/** Returns the start of the UTC hour of an instant, as the capacity key. */
export function capacityHourOf(ms: number): string {
  return new Date(Math.floor(ms / HOUR_MS) * HOUR_MS).toISOString();
}

/** Returns the open window the moment is in (opening hours, the centre's zone), if any. */
function openWindowAt(centre: ContactCentre, ms: number): TimeWindow | undefined {
  const at = zoned(centre.timezone, ms);
  const weekday = weekdayOfDay(at.localDay.day);
  const minute = Math.floor(at.wallMs / MINUTE_MS);
  return centre.openingHours.find(
    (w) => w.days.includes(weekday) && minutesOf(w.start) <= minute && minute < minutesOf(w.end),
  );
}

/** Returns the first open moment in [from, to), or null: `from`, or a window's start that day. */
function firstOpenIn(centre: ContactCentre, from: number, to: number): number | null {
  if (openWindowAt(centre, from)) return from;
  const at = zoned(centre.timezone, from);
  const weekday = weekdayOfDay(at.localDay.day);
  const wall = at.wallMs;
  const starts = centre.openingHours
    .filter((w) => w.days.includes(weekday) && minutesOf(w.start) * MINUTE_MS > wall)
    .map((w) => from + minutesOf(w.start) * MINUTE_MS - wall)
    .filter((ms) => ms < to && openWindowAt(centre, ms))
    .sort((a, b) => a - b);
  return starts[0] ?? null;
}

/**
 * Returns when to call, or null when no hour within the horizon is open with room. `booked` is the
 * number of calls already planned per capacity hour (`capacityHourOf`).
 */
export function planCall(input: {
  earliestMs: number;
  centre: ContactCentre;
  booked: (hour: string) => number;
}): PlannedCall | null {
  const { centre } = input;
  const reasons: Reason[] = [];
  let full = 0;
  let hourStart = Math.floor(input.earliestMs / HOUR_MS) * HOUR_MS;
  for (let i = 0; i < CALL_HORIZON_HOURS; i++, hourStart += HOUR_MS) {
    const from = Math.max(input.earliestMs, hourStart);
    const open = firstOpenIn(centre, from, hourStart + HOUR_MS);
    if (open === null) continue;
    const hour = capacityHourOf(hourStart);
    const taken = input.booked(hour);
    if (taken >= centre.callsPerHour) {
      full += 1;
      continue;
    }
    if (full > 0)
      reasons.push(
        `contact centre full for ${full} open hour${full === 1 ? '' : 's'} (${centre.callsPerHour} calls an hour): next hour with room`,
      );
    const local = zoned(centre.timezone, open);
    reasons.push(
      `call planned ${local.localDay.isoDate} ${clockOf(local.wallMs)} ${centre.timezone}: contact centre open, ${centre.callsPerHour} calls an hour`,
    );
    return { callAtMs: open, hour, reasons };
  }
  return null;
}

/**
 * Returns the policy with the stage's contact centre (`contactCentre` in the stage config, as JSON)
 * over the policy's, field by field: the stage value wins, the policy is the default. Throws naming
 * the field when the two together are no contact centre (e.g. a stage's hours without a policy's).
 */
export function withStageContactCentre(policy: Policy, stageJson: string | undefined): Policy {
  if (!stageJson) return policy;
  return {
    ...policy,
    contactCentre: ContactCentreSchema.parse({ ...policy.contactCentre, ...JSON.parse(stageJson) }),
  };
}
