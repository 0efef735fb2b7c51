import * as z from 'zod/mini';
import { ChannelSchema, PurposeSchema } from './customer.ts';
import { ToneSchema } from './policy.ts';

/**
 * One communication step of a journey, written literally in the ASL file's task Parameters,
 * so a journey's content and channels read in one place. Strict: a misspelt key is refused, never
 * silently dropped.
 */
export const JourneyStepSchema = z.strictObject({
  journeyId: z.string().check(z.regex(/^[a-z][a-z0-9-]*$/)),
  stepId: z.string().check(z.regex(/^[a-z][a-z0-9-]*$/)),
  templateId: z.string().check(z.regex(/^[a-z][a-z0-9-]*$/)),
  purpose: PurposeSchema,
  /** Channels this step may use, in the journey designer's order; the decision core orders them per customer. */
  channels: z.array(ChannelSchema).check(z.minLength(1)),
  /** Forces a tone (e.g. `firm` for a second reminder); otherwise the segment's tone is used. */
  tone: z.optional(ToneSchema),
  /**
   * Not before this moment: an ISO date (`2026-12-01`: from the start of that day in the customer's
   * time zone) or an ISO instant with offset. Written literally or taken from the input (`"notBefore.$"`).
   */
  notBefore: z.optional(z.union([z.iso.date(), z.iso.datetime({ offset: true })])),
  /**
   * Not after this moment, or not at all (the step is skipped with reason `deadline`): an ISO instant
   * with offset, or an ISO date (until the end of that day in the customer's time zone). E.g. an
   * appointment reminder must go before the visit (`"notAfter.$"` from the subject's `remindBy`).
   */
  notAfter: z.optional(z.union([z.iso.date(), z.iso.datetime({ offset: true })])),
  /** Send within this many hours of the journey's trigger, or not at all (the step is skipped, with the reason). */
  withinHours: z.optional(z.number().check(z.positive(), z.lte(8_760))),
  /**
   * What this message is about when the step can be about different things in one run, e.g. the
   * visit's start for an appointment reminder: part of the send's identity (claim and conversation
   * entry), so a rescheduled visit gets its own reminder and the same visit never gets two.
   */
  occurrence: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
});
export type JourneyStep = z.infer<typeof JourneyStepSchema>;

/**
 * Any journey's subject as the core reads it: its type, its id and its type's own fields. Its subject
 * type's module (`functions/subjects/`) validates it strictly where it enters (the start, the step's input).
 */
export const JourneySubjectSchema = z.looseObject({
  type: z.string().check(z.regex(/^[a-z][a-z0-9-]*$/)),
  id: z.string().check(z.minLength(1), z.maxLength(128)),
});
export type JourneySubject = z.infer<typeof JourneySubjectSchema>;
