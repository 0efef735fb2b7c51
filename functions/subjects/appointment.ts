/**
 * An appointment: a visit, where and when, and where to move or cancel it. The start writes the
 * visit's moments onto the subject item (`appointmentTimesOf`); `appointment.rescheduled` rewrites
 * them, and the running journey re-reads them after each wait, so its reminder and follow-up move.
 */
import * as z from 'zod/mini';
import { appointmentTimesOf } from '#core/appointment-times.ts';
import { defineSubject, subjectEvent } from './subject-type.ts';

export const AppointmentSubjectSchema = z.strictObject({
  type: z.literal('appointment'),
  id: z.string().check(z.minLength(1), z.maxLength(128)),
  /** With its offset, so the reminder and the texts show the visit's own local time. */
  startsAt: z.iso
    .datetime({ offset: true })
    .check(z.describe('ISO date-time with offset, within ten years of the request')),
  locationName: z.string().check(z.minLength(1), z.maxLength(200)),
  manageUrl: z.url({ protocol: /^https$/ }),
  /** Where the survey after the visit is answered; without it the survey links to the appointment page. */
  surveyUrl: z.optional(z.url({ protocol: /^https$/ })),
});
export type AppointmentSubject = z.infer<typeof AppointmentSubjectSchema>;

const RescheduledDataSchema = z.object({
  startsAt: z.iso
    .datetime({ offset: true })
    .check(z.describe('the new start, ISO date-time with offset, within ten years of the request')),
});

const DAY_MS = 86_400_000;

export default defineSubject<AppointmentSubject>({
  type: 'appointment',
  schema: AppointmentSubjectSchema,
  statuses: ['open', 'cancelled'],
  goalStatuses: ['cancelled'],
  events: {
    'appointment.rescheduled': subjectEvent<z.infer<typeof RescheduledDataSchema>>({
      status: 'open',
      data: RescheduledDataSchema,
      dataRequired: true,
      stored: (data) => appointmentTimesOf(data.startsAt),
      description:
        'carries the new start in `data.startsAt`: the running journey moves its reminder and follow-up',
    }),
    'appointment.cancelled': {
      status: 'cancelled',
      exit: true,
      description: 'stops the customer’s running journeys about the appointment at once',
    },
  },
  dates: ['startsAt'],
  links: (appointment) => ({
    manage: appointment.manageUrl,
    survey: appointment.surveyUrl ?? appointment.manageUrl,
  }),
  storedFields: {
    startsAt: z.string(),
    reminderOn: z.string(),
    remindBy: z.string(),
    followUpAt: z.string(),
  },
  storedAtStart: (appointment) => appointmentTimesOf(appointment.startsAt),
  sample: ({ id, now }) => ({
    type: 'appointment',
    id,
    // Three days on at 10:30 UTC: a visit with time for its reminder.
    startsAt: `${new Date(now.getTime() + 3 * DAY_MS).toISOString().slice(0, 10)}T10:30:00Z`,
    locationName: 'Keuringsstation Utrecht',
    manageUrl: `https://portal.example.com/appointments/${id}`,
  }),
});
