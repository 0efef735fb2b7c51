/**
 * A letter to post: what the journey step records (the rendered text, the recipient, the pay details)
 * and what the posting function lays out as a PDF for the print-and-mail partner. Recorded in the
 * customer's partition, so it is exported and erased with the rest of their data.
 */
import * as z from 'zod/mini';
import { PostalAddressSchema } from './customer.ts';
import { zoned } from './local-time.ts';
import { formatMoney } from './money.ts';

/** The organisation's sender details, printed above the recipient's window and in the footer. */
export const LetterSenderSchema = z.strictObject({
  name: z.string().check(z.minLength(1), z.maxLength(100)),
  /** The return address, one line each (street, postal code and city). */
  address: z.array(z.string().check(z.maxLength(100))).check(z.minLength(1), z.maxLength(4)),
  /** Contact lines for the footer: phone, website, chamber of commerce number. */
  contact: z._default(z.array(z.string().check(z.maxLength(100))).check(z.maxLength(4)), []),
  /** Where to pay: the account (IBAN) the pay details name. */
  iban: z.optional(z.string().check(z.maxLength(34))),
});
export type LetterSender = z.infer<typeof LetterSenderSchema>;

/** The pay details of a letter about an invoice: amount, reference and where to pay online. */
export const LetterPaymentSchema = z.object({
  amount: z.string().check(z.minLength(1)),
  reference: z.string().check(z.minLength(1)),
  link: z.optional(z.string()),
});
export type LetterPayment = z.infer<typeof LetterPaymentSchema>;

export const LetterToPostSchema = z.object({
  /** The send's entry id: the same for every attempt of the step (one letter per run and step). */
  letterId: z.string().check(z.minLength(1)),
  customerId: z.string().check(z.minLength(1)),
  runId: z.string(),
  journeyId: z.string(),
  stepId: z.string(),
  templateId: z.string(),
  locale: z.string(),
  /** When the step recorded it (ISO): it is posted in the next posting run. */
  recordedAt: z.string(),
  /** The letter's date, as printed (`YYYY-MM-DD`, the customer's local date). */
  date: z.string(),
  recipient: z.object({
    name: z.string(),
    address: PostalAddressSchema,
  }),
  subject: z.string().check(z.minLength(1)),
  text: z.string().check(z.minLength(1)),
  payment: z.optional(LetterPaymentSchema),
});
export type LetterToPost = z.infer<typeof LetterToPostSchema>;

/**
 * Returns the pay details of a letter whose template data has an invoice (amount, currency, id) and a
 * pay link, or undefined for any other subject.
 */
export function letterPaymentOf(data: Record<string, unknown>, locale: string): LetterPayment | undefined {
  const invoice = data.invoice as { id?: unknown; amount?: unknown; currency?: unknown } | undefined;
  if (!invoice || typeof invoice.id !== 'string' || invoice.amount === undefined) return undefined;
  const link = (data.links as { pay?: unknown } | undefined)?.pay;
  return {
    amount: formatMoney(invoice.amount, invoice.currency ?? 'EUR', locale).replace(/[\u00A0\u202F]/g, ' '),
    reference: invoice.id,
    ...(typeof link === 'string' ? { link } : {}),
  };
}

/**
 * Returns the date a letter recorded at `at` carries (`YYYY-MM-DD`): the customer's local date in their
 * time zone (as slot planning resolves it), not UTC's: at 00:30 in Amsterdam it is already tomorrow there.
 */
export function letterDateOf(at: Date, timezone: string): string {
  return zoned(timezone, at.getTime()).localDay.isoDate;
}

/** Returns the day's posting batch a letter belongs to: the UTC day it was recorded. */
export function postingDayOf(recordedAt: string): string {
  return recordedAt.slice(0, 10);
}
