/**
 * One step's message rendered for a customer, with the signed unsubscribe link it carries:
 * what run-journey-step sends.
 */

import { logger, metrics } from '#adapters/powertools.ts';
import type { Channel, CustomerProfile } from '#core/customer.ts';
import type { JourneyStep, JourneySubject } from '#core/journey-step.ts';
import { languageOf } from '#core/locale.ts';
import { type Policy, smsLettersFor, type TextVariant } from '#core/policy.ts';
import type { Clock } from '#core/ports.ts';
import { type RenderedMessage, renderMessage, type SmsForm, type TemplateCatalog } from '#core/render.ts';
import { smsOptOutFor } from '#core/sms-opt-out.ts';
import { displayTimezoneOf, templateDataFor } from '#core/template-data.ts';
import { type UnsubscribeKeySource, unsubscribeLinkFor } from '#core/unsubscribe-token.ts';
import { type SubjectRegistry, subjects } from '#subjects/registry.ts';

/**
 * Returns the locale to render in: the decision's, but the customer's own tag when it is the same
 * language, so amounts and dates keep the customer's region (`nl-BE`: the decision says `nl`).
 */
export function renderLocaleOf(decided: string | undefined, customerLocale: string): string {
  return decided && languageOf(decided) !== languageOf(customerLocale) ? decided : customerLocale;
}

/** What rendering reads: the templates, the policy (display time zone), links and the signing key. */
export interface RenderStepDeps {
  catalog: TemplateCatalog;
  policy: Policy;
  links: { portal: string };
  /** The API's `/unsubscribe` address and the key its links are signed with. */
  unsubscribe: { baseUrl: string; key: UnsubscribeKeySource };
  clock: Clock;
  /** The subject types (template data and links); absent: `functions/subjects`. */
  subjects?: SubjectRegistry;
  /** The stage's SMS sender number takes replies (`sms.twoWay`): an SMS may say "reply STOP". */
  smsTwoWay?: boolean;
}

/**
 * The rendered message, its reasons, and the signed unsubscribe link it carries (the send step
 * puts it in the `List-Unsubscribe` header of an email).
 */
export type RenderMessageResult = RenderedMessage & { reasons: string[]; unsubscribeUrl: string };

/** Renders a step's message for a customer already read; returns it with its signed unsubscribe link. */
export async function renderStepMessage(
  deps: RenderStepDeps,
  input: {
    customer: CustomerProfile;
    step: JourneyStep;
    channel: Channel;
    tone: TextVariant;
    locale?: string;
    subject: JourneySubject;
    /** The SMS text the decision chose: the short one when the customer's full text is over the limit. */
    smsForm?: SmsForm;
  },
): Promise<RenderMessageResult> {
  const { customer } = input;
  const locale = renderLocaleOf(input.locale, customer.locale);
  // The link opts out of exactly this channel for this step's purpose; its pages answer in the message's language.
  const unsubscribeUrl = unsubscribeLinkFor({
    baseUrl: deps.unsubscribe.baseUrl,
    key: await deps.unsubscribe.key(),
    customerId: customer.id,
    channel: input.channel,
    purpose: input.step.purpose,
    now: deps.clock.now(),
    locale,
  });
  const data = templateDataFor({
    customer,
    subject: (deps.subjects ?? subjects).templateSubjectOf(input.subject),
    links: { portal: deps.links.portal, unsubscribe: unsubscribeUrl },
  });
  const timezone = displayTimezoneOf(customer, deps.policy);
  const optOut = smsOptOutFor(deps.policy, customer.country, deps.smsTwoWay === true);
  const { message, reasons } = renderMessage({
    catalog: deps.catalog,
    templateId: input.step.templateId,
    channel: input.channel,
    locale,
    tone: input.tone,
    data: { ...data },
    defaultLocale: deps.policy.defaults.locale,
    timezone,
    smsLetters: smsLettersFor(deps.policy, customer.country),
    ...(input.smsForm ? { smsForm: input.smsForm } : {}),
    smsOptOut: optOut.form,
  });
  if (message.channel === 'sms') reasons.push(optOut.reason);
  logger.info('message rendered', {
    templateId: input.step.templateId,
    channel: message.channel,
    locale: message.locale,
    ...(message.channel === 'sms' ? { smsSegments: message.segments, smsEncoding: message.encoding } : {}),
  });
  metrics.addMetric('MessagesRendered', 'Count', 1);
  if (message.channel === 'sms') metrics.addMetric('SmsSegmentsRendered', 'Count', message.segments);
  return { ...message, reasons, unsubscribeUrl };
}
