/**
 * Who gets the fourteen-day notice and how (`docs/credit-management.md`): a consumer (not a business by
 * the rule's `businessIf`) in a country whose policy has a collection rule, about an invoice in euro. It
 * goes by letter; by email only where the customer agreed to electronic communication, which the profile
 * records as the attribute `electronicNoticesAgreedAt` (the ISO date of the agreement; anything else is
 * no agreement).
 */
import * as z from 'zod/mini';
import { type CollectionCosts, statutoryCollectionCosts } from './collection-costs.ts';
import type { Channel, CustomerProfile } from './customer.ts';
import { type PaymentTerm, paymentTermOf } from './payment-term.ts';
import type { CollectionRule, Policy } from './policy.ts';
import { dutchNonTermDay } from './statutory-term-days.ts';

/** The channels a fourteen-day notice may go on: email where the customer agreed to it, else a letter. */
export const NOTICE_CHANNELS = ['email', 'letter'] as const satisfies readonly Channel[];

/** The profile attribute that records the customer's agreement to electronic communication. */
export const ELECTRONIC_NOTICES_ATTRIBUTE = 'electronicNoticesAgreedAt';

/** The rule that applies to a customer's invoice, or why none does (personal-data-free). */
export type CollectionRuleMatch = { rule: CollectionRule; reason: string } | { rule: null; reason: string };

/** Returns whether the customer agreed to receive notices electronically (an agreement date on the profile). */
export function agreedToElectronicNotices(customer: Pick<CustomerProfile, 'attributes'>): boolean {
  const agreed = customer.attributes?.[ELECTRONIC_NOTICES_ATTRIBUTE];
  return typeof agreed === 'string' && /^\d{4}-\d{2}-\d{2}/.test(agreed) && !Number.isNaN(Date.parse(agreed));
}

/** Returns the collection rule for the customer and the invoice's currency, or why none applies. */
export function collectionRuleFor(
  policy: Pick<Policy, 'collection'>,
  customer: Pick<CustomerProfile, 'country' | 'attributes'>,
  currency: unknown,
): CollectionRuleMatch {
  const rule = policy.collection?.[customer.country];
  if (!rule) return { rule: null, reason: `no collection rule for ${customer.country}` };
  const business = Object.entries(rule.businessIf.attributes).every(
    ([key, expected]) => customer.attributes?.[key] === expected,
  );
  if (business) return { rule: null, reason: `business customer: no ${customer.country} consumer notice` };
  if (currency !== 'EUR')
    return { rule: null, reason: `invoice not in EUR: the ${rule.statutoryScale} scale is in euro` };
  return { rule, reason: `${customer.country} consumer: fourteen-day notice (${rule.statutoryScale})` };
}

/** What the notice states: the amount's statutory costs and the term, from the day of receipt. */
export interface CollectionNotice {
  costs: CollectionCosts;
  term: PaymentTerm;
}

/** Returns the notice's costs and term for an invoice amount (euro) received on `receivedOn`. */
export function collectionNoticeOf(
  rule: CollectionRule,
  amount: string,
  receivedOn: string,
): CollectionNotice {
  return {
    costs: statutoryCollectionCosts(amount, rule.vatOnCosts ? rule.vatRatePercent : undefined),
    term: paymentTermOf({
      receivedOn,
      termDays: rule.termDays,
      nonTermDay: (day) => dutchNonTermDay(day, rule.equatedDays),
    }),
  };
}

/** What a notice's template reads under `collection` (`templates/README.md`); a template's sample may carry it. */
export const CollectionTemplateDataSchema = z.strictObject({
  /** The statutory costs before VAT, a euro decimal (`"40.00"`). */
  costs: z.string(),
  /** The VAT on them, `"0.00"` without. */
  vat: z.string(),
  /** What is charged when the term runs out unpaid: costs plus VAT. */
  total: z.string(),
  /** Whether VAT is added (the rule's `vatOnCosts`). */
  withVat: z.boolean(),
  /** The days to pay from the day after receipt. */
  termDays: z.number(),
  /** The day the notice is counted as received, the term's first day and its last (ISO dates). */
  receivedOn: z.iso.date(),
  firstDay: z.iso.date(),
  lastDay: z.iso.date(),
});
export type CollectionTemplateData = z.infer<typeof CollectionTemplateDataSchema>;

/** Returns the template data of a notice. */
export function collectionTemplateDataOf(
  rule: CollectionRule,
  notice: CollectionNotice,
): CollectionTemplateData {
  return {
    ...notice.costs,
    withVat: rule.vatOnCosts,
    termDays: rule.termDays,
    receivedOn: notice.term.receivedOn,
    firstDay: notice.term.firstDay,
    lastDay: notice.term.lastDay,
  };
}
