/**
 * Renders a template with its sample data (`template.json`) exactly as the render step would:
 * the same variables (`templateDataFor`), a real signed unsubscribe link. Used by the content
 * validation, the preview and the benchmark.
 */
import type { Channel, Purpose } from '#core/customer.ts';
import type { TextVariant } from '#core/policy.ts';
import { type RenderedMessage, renderMessage, type TemplateCatalog } from '#core/render.ts';
import { type TemplateData, templateDataFor } from '#core/template-data.ts';
import { LOCAL_UNSUBSCRIBE_KEY, unsubscribeLinkFor } from '#core/unsubscribe-token.ts';
import { subjects } from '#subjects/registry.ts';

/**
 * Links as long as they are on AWS: an API Gateway address for the unsubscribe link, so SMS
 * lengths in validation and preview are the real ones.
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
}

/** Returns the template data for a case: the template's sample customer and subject, sample links. */
export function sampleDataFor(catalog: TemplateCatalog, c: SampleCase): TemplateData {
  const info = catalog.info?.[c.templateId];
  if (!info) throw new Error(`template ${c.templateId} has no template.json with sample data`);
  return templateDataFor({
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
  });
}
