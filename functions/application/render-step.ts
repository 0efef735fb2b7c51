/**
 * One step's message rendered for a customer, with the signed unsubscribe link it carries:
 * what run-journey-step sends.
 */

import { logger, metrics } from '#adapters/powertools.ts';
import { messageEntryId, sendKey } from '#application/send-step.ts';
import type { CollectionTemplateData } from '#core/collection-rule.ts';
import type { Channel, CustomerProfile } from '#core/customer.ts';
import type { JourneyStep, JourneySubject } from '#core/journey-step.ts';
import { type LetterPayment, letterPaymentOf } from '#core/letter.ts';
import { languageOf } from '#core/locale.ts';
import { type Policy, smsLettersFor, type TextVariant } from '#core/policy.ts';
import type { Clock, ShortLinkWriter } from '#core/ports.ts';
import { type RenderedMessage, renderMessage, type SmsForm, type TemplateCatalog } from '#core/render.ts';
import { shortLinkCode, shortLinkExpiry, shortLinkUrl } from '#core/short-link.ts';
import { smsOptOutFor } from '#core/sms-opt-out.ts';
import { displayTimezoneOf, type MessageLinks, templateDataFor } from '#core/template-data.ts';
import {
  UNSUBSCRIBE_TOKEN_DAYS,
  type UnsubscribeKeySource,
  unsubscribeLinkFor,
} from '#core/unsubscribe-token.ts';
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
  /**
   * Where an SMS's links are stored as short links (`<base>/s/<code>`), and how many days one works
   * when its target has no expiry of its own; absent: an SMS carries its links in full.
   */
  shortLinks?: { base: string; store: ShortLinkWriter; days?: number };
}

/**
 * The rendered message, its reasons, and the signed unsubscribe link it carries (the send step
 * puts it in the `List-Unsubscribe` header of an email).
 */
export type RenderMessageResult = RenderedMessage & {
  reasons: string[];
  unsubscribeUrl: string;
  /** A letter's pay details, when its subject is an invoice. */
  payment?: LetterPayment;
};

/** Renders a step's message for a customer already read; returns it with its signed unsubscribe link. */
export async function renderStepMessage(
  deps: RenderStepDeps,
  input: {
    runId: string;
    customer: CustomerProfile;
    step: JourneyStep;
    channel: Channel;
    tone: TextVariant;
    locale?: string;
    subject: JourneySubject;
    /** The SMS text the decision chose: the short one when the customer's full text is over the limit. */
    smsForm?: SmsForm;
    /** A fourteen-day notice's costs and term: templates read them as `collection`. */
    collection?: CollectionTemplateData;
  },
): Promise<RenderMessageResult> {
  const { customer } = input;
  const locale = renderLocaleOf(input.locale, customer.locale);
  const now = deps.clock.now();
  const key = await deps.unsubscribe.key();
  // The link opts out of exactly this channel for this step's purpose; its pages answer in the message's language.
  const unsubscribeUrl = unsubscribeLinkFor({
    baseUrl: deps.unsubscribe.baseUrl,
    key,
    customerId: customer.id,
    channel: input.channel,
    purpose: input.step.purpose,
    now,
    locale,
  });
  const data = templateDataFor({
    customer,
    subject: (deps.subjects ?? subjects).templateSubjectOf(input.subject),
    links: { portal: deps.links.portal, unsubscribe: unsubscribeUrl },
  });
  const timezone = displayTimezoneOf(customer, deps.policy);
  const optOut = smsOptOutFor(deps.policy, customer.country, deps.smsTwoWay === true);
  const links =
    input.channel === 'sms' && deps.shortLinks
      ? await storedShortLinks(deps.shortLinks, data.links, {
          secret: key,
          runId: input.runId,
          customerId: customer.id,
          step: input.step,
          locale,
          now,
        })
      : data.links;
  const { message, reasons } = renderMessage({
    catalog: deps.catalog,
    templateId: input.step.templateId,
    channel: input.channel,
    locale,
    tone: input.tone,
    data: { ...data, links, ...(input.collection ? { collection: input.collection } : {}) },
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
  const payment = message.channel === 'letter' ? letterPaymentOf(data, message.locale) : undefined;
  return { ...message, reasons, unsubscribeUrl, ...(payment ? { payment } : {}) };
}

/**
 * Returns the message's links as short links, each stored first (a put per link, kept when a retry
 * finds it stored). The unsubscribe link works as long as its token; the others `days`.
 */
async function storedShortLinks(
  shortLinks: NonNullable<RenderStepDeps['shortLinks']>,
  links: MessageLinks,
  message: {
    secret: string;
    runId: string;
    customerId: string;
    step: JourneyStep;
    locale: string;
    now: Date;
  },
): Promise<MessageLinks> {
  const key = sendKey(message.runId, message.step.stepId, message.step.occurrence);
  const tokenExpiry = new Date(message.now.getTime() + UNSUBSCRIBE_TOKEN_DAYS * 86_400_000);
  const short: Record<string, string> = {};
  for (const [link, target] of Object.entries(links)) {
    const code = shortLinkCode(message.secret, { sendKey: key, link });
    const expiresAt = shortLinkExpiry(
      message.now,
      shortLinks.days,
      link === 'unsubscribe' ? tokenExpiry : undefined,
    );
    await shortLinks.store.putShortLink({
      code,
      link,
      target,
      customerId: message.customerId,
      runId: message.runId,
      journeyId: message.step.journeyId,
      stepId: message.step.stepId,
      channel: 'sms',
      messageId: messageEntryId(key),
      locale: message.locale,
      expiresAt: expiresAt.toISOString(),
    });
    short[link] = shortLinkUrl(shortLinks.base, code);
  }
  return short as MessageLinks;
}
