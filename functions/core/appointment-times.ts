import { isoDateAt, parseIso, utcIso } from './iso-time.ts';

/** After the visit's start, when the follow-up survey may go: the visit is over by then. */
export const FOLLOW_UP_AFTER_HOURS = 4;

/** Before the visit's start, the last moment a reminder still helps (travel, a note to take along). */
export const REMINDER_LEAD_HOURS = 2;

const HOUR_MS = 3_600_000;

/**
 * The moments the appointment journey waits for, derived from the visit's start (ISO with offset):
 * `reminderOn` the day before in the visit's own offset (the reminder goes in the customer's window
 * from the start of that day), `remindBy` the reminder's deadline a little before the start (no slot
 * before it: the reminder is skipped with reason `deadline`), `followUpAt` a few hours after the
 * start (UTC instant). Start-journey and `appointment.rescheduled` both write them onto the subject
 * item, where the journey re-reads them.
 */
export function appointmentTimesOf(startsAt: string): {
  startsAt: string;
  reminderOn: string;
  remindBy: string;
  followUpAt: string;
} {
  const start = parseIso(startsAt);
  if (!start) throw new Error('appointment start is not an ISO date-time');
  return {
    startsAt,
    reminderOn: isoDateAt(start, -1),
    remindBy: utcIso(start.utcMs - REMINDER_LEAD_HOURS * HOUR_MS),
    followUpAt: utcIso(start.utcMs + FOLLOW_UP_AFTER_HOURS * HOUR_MS),
  };
}
