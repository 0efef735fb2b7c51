import { IANAZone } from 'luxon';
import type { CustomerProfile } from './customer.ts';
import type { InvoiceSubject } from './journey-step.ts';
import type { Policy } from './policy.ts';

/** The links a message carries, all absolute https on AWS. */
export interface MessageLinks {
  /** Pay this invoice: from the journey's subject (`payUrl`). */
  pay: string;
  /** The self-service portal: preferences, payment plans, questions. */
  portal: string;
  /** Opt out of this channel for this purpose: a signed token, one click (RFC 8058). */
  unsubscribe: string;
}

/**
 * Exactly what a template may use (templates/README.md). Built in one place for the render step,
 * the validation tests and the preview alike, so a template that passes validation gets the same
 * variables in production — and only what the text needs (data minimisation).
 */
export interface TemplateData {
  customer: { givenName: string; familyName: string };
  invoice: InvoiceSubject;
  links: MessageLinks;
}

/** Returns the template variables for a customer, the journey's subject and the message's links. */
export function templateDataFor(input: {
  customer: Pick<CustomerProfile, 'name'>;
  subject: InvoiceSubject;
  links: Omit<MessageLinks, 'pay'>;
}): TemplateData {
  return {
    customer: {
      givenName: input.customer.name?.given ?? '',
      familyName: input.customer.name?.family ?? '',
    },
    invoice: input.subject,
    links: { pay: input.subject.payUrl, portal: input.links.portal, unsubscribe: input.links.unsubscribe },
  };
}

/**
 * Returns the time zone moments are shown in: the customer's own, else their country's main zone,
 * else the policy default. The same order as the slot decision's `resolveTimezone`, which lives
 * beside the holiday calendars: importing it would put date-holidays (1 MB) into the render bundle.
 */
export function displayTimezoneOf(
  customer: Pick<CustomerProfile, 'timezone' | 'country'>,
  policy: Pick<Policy, 'countryTimezones' | 'defaults'>,
): string {
  const candidates = [customer.timezone, policy.countryTimezones[customer.country], policy.defaults.timezone];
  return candidates.find((zone): zone is string => !!zone && IANAZone.isValidZone(zone)) ?? 'UTC';
}
