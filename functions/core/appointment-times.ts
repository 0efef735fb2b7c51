import { DateTime } from 'luxon';

/** After the visit's start, when the follow-up survey may go: the visit is over by then. */
export const FOLLOW_UP_AFTER_HOURS = 4;

/** Before the visit's start, the last moment a reminder still helps (travel, a note to take along). */
export const REMINDER_LEAD_HOURS = 2;

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
  const start = DateTime.fromISO(startsAt, { setZone: true });
  if (!start.isValid) throw new Error('appointment start is not an ISO date-time');
  const utc = (at: DateTime) => at.toUTC().toISO({ suppressMilliseconds: true }) as string;
  return {
    startsAt,
    reminderOn: start.minus({ days: 1 }).toISODate() as string,
    remindBy: utc(start.minus({ hours: REMINDER_LEAD_HOURS })),
    followUpAt: utc(start.plus({ hours: FOLLOW_UP_AFTER_HOURS })),
  };
}
