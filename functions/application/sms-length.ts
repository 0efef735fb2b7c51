/**
 * The parts a step's SMS takes for one customer, counted before the channel is chosen: the text
 * rendered for them (their name, their subject, their language and the policy's letters) with links
 * of the real short-link length, so the decision prices the parts that go out and never picks an SMS
 * over its template's limit. Pure: no signing, no store, no clock (the run and the simulator agree).
 */

import type { CustomerProfile } from '#core/customer.ts';
import type { JourneyStep, JourneySubject } from '#core/journey-step.ts';
import { type Policy, smsLettersFor, type TextVariant } from '#core/policy.ts';
import { smsPhoneProblem } from '#core/reachability.ts';
import { renderMessage, smsLimitOf, type TemplateCatalog } from '#core/render.ts';
import { PREVIEW_LINK_BASE, placeholderShortLinks } from '#core/short-link.ts';
import type { SmsForm, SmsLength } from '#core/sms-limit.ts';
import { smsOptOutFor } from '#core/sms-opt-out.ts';
import { displayTimezoneOf, templateDataFor } from '#core/template-data.ts';
import { type SubjectRegistry, subjects } from '#subjects/registry.ts';
import { renderLocaleOf } from './render-step.ts';

/** What counting reads: the templates, the policy, and the base the SMS's short links go out under. */
export interface SmsLengthDeps {
  catalog: TemplateCatalog;
  policy: Policy;
  /** The stage's short-link base (`https://go.example.nl`); absent: one as long as a short link domain should be. */
  smsLinkBase?: string;
  subjects?: SubjectRegistry;
  /** The stage's SMS sender takes replies: the opt-out may be "reply STOP" instead of a link, as the render says. */
  smsTwoWay?: boolean;
}

/**
 * Returns the parts of the step's SMS for the customer and its template's limit, with the parts of its
 * short text when the full one is over it; undefined when SMS is no candidate (the step does not allow
 * it, or the customer has no mobile number) or the template has no SMS to count.
 */
export function smsLengthFor(
  deps: SmsLengthDeps,
  input: {
    customer: CustomerProfile;
    step: Pick<JourneyStep, 'templateId' | 'channels'>;
    tone: TextVariant;
    locale: string;
    subject: JourneySubject;
    isMobileNumber: (phone: string) => boolean;
  },
): SmsLength | undefined {
  const { customer } = input;
  if (!input.step.channels.includes('sms')) return undefined;
  if (smsPhoneProblem(customer.phone, input.isMobileNumber)) return undefined;
  const limit = smsLimitOf(deps.catalog, input.step.templateId, input.tone);
  const parts = smsPartsOf(deps, input, 'normal');
  if (parts === undefined) return undefined;
  return { parts, limit, shortParts: parts > limit ? (smsPartsOf(deps, input, 'short') ?? null) : null };
}

/** Returns the parts of one form of the SMS, or undefined when the template has no such text. */
function smsPartsOf(
  deps: SmsLengthDeps,
  input: Parameters<typeof smsLengthFor>[1],
  form: SmsForm,
): number | undefined {
  const { customer } = input;
  try {
    const data = templateDataFor({
      customer,
      subject: (deps.subjects ?? subjects).templateSubjectOf(input.subject),
      links: { portal: '', unsubscribe: '' },
    });
    const links = placeholderShortLinks(data.links, deps.smsLinkBase ?? PREVIEW_LINK_BASE);
    const { message } = renderMessage({
      catalog: deps.catalog,
      templateId: input.step.templateId,
      channel: 'sms',
      locale: renderLocaleOf(input.locale, customer.locale),
      tone: input.tone,
      data: { ...data, links },
      defaultLocale: deps.policy.defaults.locale,
      timezone: displayTimezoneOf(customer, deps.policy),
      smsLetters: smsLettersFor(deps.policy, customer.country),
      smsForm: form,
      smsOptOut: smsOptOutFor(deps.policy, customer.country, deps.smsTwoWay === true).form,
    });
    // A variant without a short text renders its normal one: then there is no short text to count.
    return message.channel === 'sms' && (message.form ?? 'normal') === form ? message.segments : undefined;
  } catch {
    // No SMS for this locale and tone: the send renders it and fails as it always did.
    return undefined;
  }
}
