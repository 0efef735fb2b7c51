import type { CustomerProfile } from './customer.ts';
import { isValidZone } from './local-time.ts';
import type { Policy } from './policy.ts';

/** The links a message carries, all absolute https on AWS. */
export interface MessageLinks {
  /** The self-service portal: preferences, payment plans, questions. */
  portal: string;
  /** Opt out of this channel for this purpose: a signed token, one click (RFC 8058). */
  unsubscribe: string;
  /** The subject's own links, as its subject type declares them (`pay`, `activate`, `manage`, …). */
  readonly [subjectLink: string]: string;
}

/**
 * What templates see of the journey's subject, as its subject type declares it (the subject registry's
 * `templateSubjectOf`): its data under the type's name (`{ invoice: { amount, … } }`) and its own links.
 */
export interface TemplateSubject {
  data: Readonly<Record<string, unknown>>;
  links: Readonly<Record<string, string>>;
}

/**
 * Exactly what a template may use (templates/README.md). Built in one place for the render step,
 * the validation tests and the preview alike, so a template that passes validation gets the same
 * variables in production — and only what the text needs (data minimisation).
 */
export interface TemplateData {
  customer: { givenName: string; familyName: string };
  links: MessageLinks;
  /** The subject under its type's name (`invoice`, `account`, …): a template for another type fails validation. */
  readonly [subjectType: string]: unknown;
}

/** Returns the template variables for a customer, the journey's subject and the message's links. */
export function templateDataFor(input: {
  customer: Pick<CustomerProfile, 'name'>;
  subject: TemplateSubject;
  links: Pick<MessageLinks, 'portal' | 'unsubscribe'>;
}): TemplateData {
  return {
    ...input.subject.data,
    customer: {
      givenName: input.customer.name?.given ?? '',
      familyName: input.customer.name?.family ?? '',
    },
    links: {
      ...input.subject.links,
      portal: input.links.portal,
      unsubscribe: input.links.unsubscribe,
    },
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
  return candidates.find((zone): zone is string => !!zone && isValidZone(zone)) ?? 'UTC';
}
