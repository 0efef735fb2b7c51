/**
 * An instalment of a payment arrangement: what a `payment-arrangement` run is about. `arrangement.agreed`
 * (an invoice's event) starts the run for the first instalment; `instalment.paid` is its goal and starts
 * the next one's run. Its id is `<arrangementId>.<number>`.
 */
import * as z from 'zod/mini';
import { AmountSchema, CurrencySchema, exactAmountChecks } from '#core/money.ts';
import { defineSubject } from './subject-type.ts';

type InstalmentFields = {
  type: 'instalment';
  id: string;
  invoiceId: string;
  arrangementId: string;
  number: number;
  of: number;
  amount: string;
  currency: string;
  dueDate: string;
  lastDayOfGrace: string;
  payUrl: string;
};

/** The instalment as a `payment-arrangement` run carries it. Passed through to templates. */
export const InstalmentSubjectSchema = z
  .strictObject({
    type: z.literal('instalment'),
    id: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}\.[1-9]\d{0,2}$/)),
    invoiceId: z.string().check(z.minLength(1), z.maxLength(128)),
    arrangementId: z.string().check(z.minLength(1), z.maxLength(64)),
    /** Its place in the schedule, from 1. */
    number: z.number().check(z.int(), z.gte(1)),
    /** How many instalments the arrangement has. */
    of: z.number().check(z.int(), z.gte(1)),
    amount: AmountSchema,
    currency: CurrencySchema,
    dueDate: z.iso.date(),
    /** The last day it may be paid before the arrangement is broken. */
    lastDayOfGrace: z.iso.date(),
    payUrl: z.url({ protocol: /^https$/ }),
  })
  .check(...exactAmountChecks<InstalmentFields>());
export type InstalmentSubject = z.infer<typeof InstalmentSubjectSchema>;

export default defineSubject<InstalmentSubject>({
  type: 'instalment',
  schema: InstalmentSubjectSchema,
  statuses: ['open', 'paid'],
  goalStatuses: ['paid'],
  events: {
    'instalment.paid': {
      status: 'paid',
      exit: true,
      description: 'stops the instalment’s run; the last one paid pays the invoice',
    },
  },
  // The instalment as agreed, written with the arrangement: `instalment.paid` finds its invoice there.
  storedFields: { instalment: InstalmentSubjectSchema },
  dates: ['dueDate', 'lastDayOfGrace'],
  links: (instalment) => ({ pay: instalment.payUrl }),
  sample: ({ id, now }) => ({
    type: 'instalment',
    id: `${id.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 60)}.1`,
    invoiceId: `INV-${id}`,
    arrangementId: id,
    number: 1,
    of: 2,
    amount: '45.50',
    currency: 'EUR',
    dueDate: now.toISOString().slice(0, 10),
    lastDayOfGrace: new Date(now.getTime() + 3 * 86_400_000).toISOString().slice(0, 10),
    payUrl: `https://pay.example.com/invoices/INV-${id}`,
  }),
});
