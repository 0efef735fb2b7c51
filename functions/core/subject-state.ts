import * as z from 'zod/mini';
import { InvoiceSubjectSchema } from './journey-step.ts';

/**
 * Where a journey's subject stands: `open`, `paid` (an invoice), `cancelled` (also an appointment),
 * `activated` (an account's portal, onboarding's goal). One list for the store, the export and its document.
 */
export const SubjectStatusValues = ['open', 'paid', 'cancelled', 'activated'] as const;
export type SubjectStatus = (typeof SubjectStatusValues)[number];

/** The stored subject item's own fields; the subject registry adds each subject type's stored fields. */
export const SubjectStateBaseShape = {
  customerId: z.string().check(z.minLength(1)),
  subjectId: z.string().check(z.minLength(1)),
  status: z.string().check(z.minLength(1)),
  updatedAt: z.string().check(z.minLength(1)),
};

/** The business object a journey is about (an invoice) and whether its goal is reached, as stored. */
export const SubjectStateSchema = z.object({
  customerId: z.string().check(z.minLength(1)),
  subjectId: z.string().check(z.minLength(1)),
  status: z.enum(SubjectStatusValues),
  updatedAt: z.string().check(z.minLength(1)),
  /** An appointment's start and the moments derived from it (`appointmentTimesOf`): the journey re-reads them. */
  startsAt: z.optional(z.string()),
  reminderOn: z.optional(z.string()),
  remindBy: z.optional(z.string()),
  followUpAt: z.optional(z.string()),
  /** The invoice as `invoice.created` described it; an open one with a due date is found by the scheduled batch. */
  invoice: z.optional(InvoiceSubjectSchema),
});
export type SubjectState = z.infer<typeof SubjectStateSchema>;
