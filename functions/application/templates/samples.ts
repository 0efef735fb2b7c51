/**
 * Renders a template with its sample data (`template.json`) exactly as the render step would:
 * the same variables (`templateDataFor`), a real signed unsubscribe link. Used by the content
 * validation, the preview and the benchmark.
 */
import type { Channel, Purpose } from '#core/customer.ts';
import type { SmsOptOutForm, TextVariant } from '#core/policy.ts';
import { type RenderedMessage, renderMessage, type SmsForm, type TemplateCatalog } from '#core/render.ts';
import { placeholderShortLinks } from '#core/short-link.ts';
import { type TemplateData, templateDataFor } from '#core/template-data.ts';
import type { TemplateInfo } from '#core/template-info.ts';
import { LOCAL_UNSUBSCRIBE_KEY, unsubscribeLinkFor } from '#core/unsubscribe-token.ts';
import { subjects } from '#subjects/registry.ts';

/**
 * Links as long as they are on AWS: an API Gateway address for the unsubscribe link. An email carries
 * them; an SMS carries short links of the real length instead (`sampleDataFor`).
 */
export const SAMPLE_LINKS = {
  portal: 'https://portal.example.com',
  unsubscribeBase: 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/unsubscribe',
} as const;
export const SAMPLE_CUSTOMER_ID = 'c-100042';
/** A fixed moment, so sample tokens and the gallery are the same on every run. */
export const SAMPLE_NOW = new Date('2026-12-01T09:00:00Z');

export interface SampleCase {
  templateId: string;
  channel: Channel;
  locale: string;
  tone: TextVariant;
  purpose?: Purpose;
  /** Which SMS text: the normal one (default) or the short one. */
  smsForm?: SmsForm;
  /** How the SMS offers the opt-out: the link (default) or reply STOP. */
  smsOptOut?: SmsOptOutForm;
}

/**
 * Returns the template data for a case: the template's sample customer and subject, sample links.
 * An SMS carries short links (`placeholderShortLinks`): its parts are counted as the send step sends them.
 */
export function sampleDataFor(catalog: TemplateCatalog, c: SampleCase): TemplateData {
  const info = catalog.info?.[c.templateId];
  if (!info) throw new Error(`template ${c.templateId} has no template.json with sample data`);
  const data = templateDataFor({
    customer: { name: info.sample.customer },
    subject: subjects.templateSubjectOf(info.sample.subject),
    links: {
      portal: SAMPLE_LINKS.portal,
      unsubscribe: unsubscribeLinkFor({
        baseUrl: SAMPLE_LINKS.unsubscribeBase,
        key: LOCAL_UNSUBSCRIBE_KEY,
        customerId: SAMPLE_CUSTOMER_ID,
        channel: c.channel,
        purpose: c.purpose ?? 'service',
        now: SAMPLE_NOW,
      }),
    },
  });
  const withNotice = info.sample.collection ? { ...data, collection: info.sample.collection } : data;
  if (c.channel !== 'sms') return withNotice;
  return { ...withNotice, links: placeholderShortLinks(data.links) as TemplateData['links'] };
}

/** Returns the case rendered with its sample data (throws like the render step would). */
export function renderSample(
  catalog: TemplateCatalog,
  c: SampleCase,
  defaultLocale: string,
): { message: RenderedMessage; reasons: string[] } {
  return renderMessage({
    catalog,
    templateId: c.templateId,
    channel: c.channel,
    locale: c.locale,
    tone: c.tone,
    data: sampleDataFor(catalog, c) as unknown as Record<string, unknown>,
    defaultLocale,
    timezone: 'Europe/Amsterdam',
    ...(c.smsForm ? { smsForm: c.smsForm } : {}),
    ...(c.smsOptOut ? { smsOptOut: c.smsOptOut } : {}),
  });
}

/**
 * The longest realistic values a text must still fit its part limits with: a 40-character family name
 * with a particle, an amount in five figures, an id of 19 characters, a date in the month with the
 * longest name and a long appointment location.
 */
export const LONG_VALUES = {
  customer: { given: 'Anne-Marie Wilhelmina', family: 'van der Heijden-Vandenbroucke Oosterhout' },
  idNumber: '2026-0012345678',
  wholeAmount: '12345',
  fraction: '67',
  dueDate: '2026-09-30',
  startsAt: '2026-09-30T14:45:00+02:00',
  locationName: 'Keuringsstation Nieuwegein-Zuid, Ravenswade 54',
} as const;

/**
 * Returns the template's sample with the long values in the fields it has (any subject type: only
 * fields the sample carries change), keeping its currency's decimals: what validation renders every
 * SMS with, besides the template's own sample and its subject type's.
 */
export function longSampleOf(sample: TemplateInfo['sample']): TemplateInfo['sample'] {
  const subject: Record<string, unknown> = { ...sample.subject };
  subject.id = `${sample.subject.id.split('-')[0]}-${LONG_VALUES.idNumber}`;
  if (typeof subject.amount === 'string') {
    const decimals = subject.amount.split('.')[1]?.length ?? 0;
    const fraction = LONG_VALUES.fraction.padEnd(decimals, '0').slice(0, decimals);
    subject.amount = decimals > 0 ? `${LONG_VALUES.wholeAmount}.${fraction}` : LONG_VALUES.wholeAmount;
  }
  if ('dueDate' in subject) subject.dueDate = LONG_VALUES.dueDate;
  if ('startsAt' in subject) subject.startsAt = LONG_VALUES.startsAt;
  if ('locationName' in subject) subject.locationName = LONG_VALUES.locationName;
  return {
    customer: LONG_VALUES.customer,
    subject: subject as TemplateInfo['sample']['subject'],
    ...(sample.collection ? { collection: sample.collection } : {}),
  };
}

/** Where a sample letter goes: an address as long as most, in the sender's country. */
export const SAMPLE_ADDRESS = {
  line1: 'Oudegracht 231 bis',
  postalCode: '3511 NK',
  city: 'Utrecht',
  country: 'NL',
} as const;
