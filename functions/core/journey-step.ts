import * as z from 'zod/mini';
import { ChannelSchema, PurposeSchema } from './customer.ts';
import { AmountSchema, CurrencySchema, exactAmountChecks } from './money.ts';
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
 * What an invoice states, as `invoice.created` describes it and a payment reminder's subject carries it:
 * the amount exactly (a decimal string with the currency's decimals, `money.ts`), its currency, due date and pay link.
 */
export const InvoiceDetailsSchema = z
  .object({
    amount: AmountSchema,
    currency: CurrencySchema,
    /** The API takes a due date within ten years of the day of the request. */
    dueDate: z.iso.date().check(z.describe('ISO date, within ten years of the day of the request')),
    payUrl: z.url({ protocol: /^https$/ }),
  })
  .check(...exactAmountChecks<{ amount: string; currency: string; dueDate: string; payUrl: string }>());

/** What the journey is about: for a payment reminder, the invoice. Passed through to templates. */
export const InvoiceSubjectSchema = z
  .object({
    type: z.literal('invoice'),
    id: z.string().check(z.minLength(1), z.maxLength(128)),
    ...InvoiceDetailsSchema.shape,
  })
  .check(
    ...exactAmountChecks<{
      type: 'invoice';
      id: string;
      amount: string;
      currency: string;
      dueDate: string;
      payUrl: string;
    }>(),
  );
export type InvoiceSubject = z.infer<typeof InvoiceSubjectSchema>;

/** What an onboarding is about: the customer's new account, with the link that activates its portal. */
export const AccountSubjectSchema = z.object({
  type: z.literal('account'),
  id: z.string().check(z.minLength(1), z.maxLength(128)),
  activationUrl: z.url({ protocol: /^https$/ }),
});
export type AccountSubject = z.infer<typeof AccountSubjectSchema>;

/** What an appointment journey is about: the visit, where and when, and where to move or cancel it. */
export const AppointmentSubjectSchema = z.object({
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

/** Any journey's subject, told apart by `type`; each journey accepts one type (`JOURNEY_SUBJECT_TYPES`). */
export const JourneySubjectSchema = z.discriminatedUnion('type', [
  InvoiceSubjectSchema,
  AccountSubjectSchema,
  AppointmentSubjectSchema,
]);
export type JourneySubject = z.infer<typeof JourneySubjectSchema>;
export type JourneySubjectType = JourneySubject['type'];
