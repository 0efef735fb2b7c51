/**
 * An invoice: what a payment reminder is about. `invoice.created` with `data` makes it known to the
 * scheduled batch, which starts its reminder once it is due; `invoice.paid` is the goal.
 */
import * as z from 'zod/mini';
import { ArrangementSchema } from '#core/arrangement-schema.ts';
import { AmountSchema, CurrencySchema, exactAmountChecks } from '#core/money.ts';
import { defineSubject, subjectEvent } from './subject-type.ts';

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
export type InvoiceDetails = z.infer<typeof InvoiceDetailsSchema>;

/** The invoice as a payment reminder carries it. Passed through to templates. */
export const InvoiceSubjectSchema = z
  .strictObject({
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

/** Returns the invoice a subject item keeps (`invoice.created`'s), if it is a valid one. */
export function storedInvoiceOf(
  item: { readonly [field: string]: unknown } | undefined,
): InvoiceSubject | undefined {
  const parsed = InvoiceSubjectSchema.safeParse(item?.invoice);
  return parsed.success ? parsed.data : undefined;
}

const CURRENCY_BY_COUNTRY: Readonly<Record<string, string>> = { GB: 'GBP', US: 'USD' };

export default defineSubject<InvoiceSubject>({
  type: 'invoice',
  schema: InvoiceSubjectSchema,
  statuses: ['open', 'paid'],
  goalStatuses: ['paid'],
  events: {
    'invoice.created': subjectEvent<InvoiceDetails>({
      status: 'open',
      data: InvoiceDetailsSchema,
      // The whole invoice: while open, the scheduled batch finds it by its due date.
      stored: (data, id) => ({ invoice: { type: 'invoice', id, ...data } }),
      description:
        '`data` {amount, currency, dueDate, payUrl} makes the invoice known to the scheduled batch, which ' +
        'starts its payment reminder once it is due; amount (exact, within the currency’s ISO 4217 ' +
        'decimals), currency, dueDate and payUrl are all required',
    }),
    'arrangement.agreed': {
      description: 'agrees a payment arrangement: see docs/payment-arrangements.md',
    },
    'invoice.paid': {
      status: 'paid',
      exit: true,
      description:
        'stops the customer’s running journeys about the invoice at once (also in a multi-day wait)',
    },
  },
  storedFields: { invoice: InvoiceSubjectSchema, arrangement: ArrangementSchema },
  dates: ['dueDate'],
  links: (invoice) => ({ pay: invoice.payUrl }),
  sample: ({ id, now, country, variant = 0 }) => ({
    type: 'invoice',
    id,
    amount: `${45 + ((variant * 137) % 900)}.50`,
    currency: CURRENCY_BY_COUNTRY[country ?? ''] ?? 'EUR',
    dueDate: now.toISOString().slice(0, 10),
    payUrl: `https://pay.example.com/invoices/${id}`,
  }),
});
