import type { CustomerProfile } from './customer.ts';
import type { AccountSubject, AppointmentSubject, InvoiceSubject, JourneySubject } from './journey-step.ts';
import { isValidZone } from './local-time.ts';
import type { Policy } from './policy.ts';

/** The links a message carries, all absolute https on AWS. */
export interface MessageLinks {
  /** Pay this invoice: from an invoice subject (`payUrl`). */
  pay?: string;
  /** Activate the portal: from an account subject (`activationUrl`). */
  activate?: string;
  /** Move or cancel the appointment: from an appointment subject (`manageUrl`). */
  manage?: string;
  /** Answer the survey after the visit: the appointment's `surveyUrl`, else its page (`manageUrl`). */
  survey?: string;
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
  /** Exactly one of these, by the subject's type: a template for another type fails validation. */
  invoice?: InvoiceSubject;
  account?: AccountSubject;
  appointment?: AppointmentSubject;
  links: MessageLinks;
}

/** Returns the template variables for a customer, the journey's subject and the message's links. */
export function templateDataFor(input: {
  customer: Pick<CustomerProfile, 'name'>;
  subject: JourneySubject;
  links: Pick<MessageLinks, 'portal' | 'unsubscribe'>;
}): TemplateData {
  return {
    customer: {
      givenName: input.customer.name?.given ?? '',
      familyName: input.customer.name?.family ?? '',
    },
    ...subjectDataOf(input.subject),
    links: {
      ...subjectLinksOf(input.subject),
      portal: input.links.portal,
      unsubscribe: input.links.unsubscribe,
    },
  };
}

/** Returns the subject under its own name (`invoice`, `account`, `appointment`). */
function subjectDataOf(subject: JourneySubject): Pick<TemplateData, 'invoice' | 'account' | 'appointment'> {
  switch (subject.type) {
    case 'invoice':
      return { invoice: subject };
    case 'account':
      return { account: subject };
    case 'appointment':
      return { appointment: subject };
  }
}

/** Returns the subject's own links: pay, activate, or manage and survey. */
function subjectLinksOf(
  subject: JourneySubject,
): Pick<MessageLinks, 'pay' | 'activate' | 'manage' | 'survey'> {
  switch (subject.type) {
    case 'invoice':
      return { pay: subject.payUrl };
    case 'account':
      return { activate: subject.activationUrl };
    case 'appointment':
      return { manage: subject.manageUrl, survey: subject.surveyUrl ?? subject.manageUrl };
  }
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
