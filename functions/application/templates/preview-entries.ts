/**
 * Every template × locale × variant × channel rendered with its sample data and checked, failures
 * included: what the preview gallery writes to files and the console's template page shows. No file
 * access, so the console's API bundles it beside the compiled templates.
 */
import { checkMessage, type MessageCheck } from '#core/content-check.ts';
import { ChannelSchema } from '#core/customer.ts';
import { type TextVariant, ToneSchema } from '#core/policy.ts';
import { type RenderedMessage, smsLimitOf, type TemplateCatalog } from '#core/render.ts';
import { renderSample } from './samples.ts';

export interface PreviewEntry {
  templateId: string;
  locale: string;
  tone: TextVariant;
  channel: 'email' | 'sms' | 'letter';
  /** Set when the rendering failed: the error, naming the part. */
  error?: string;
  message?: RenderedMessage;
  reasons?: string[];
  check?: MessageCheck;
  /** The email's HTML file or the letter's PDF, relative to the gallery folder. */
  file?: string;
  /** A letter laid out as posted (`letter-pdfs.ts`): its PDF and number of pages. */
  pdf?: { bytes: Uint8Array; pages: number };
}

/** Returns every rendering of the catalog with its sample data, failures included (never throws for one). */
export function previewEntries(catalog: TemplateCatalog, defaultLocale: string): PreviewEntry[] {
  const entries: PreviewEntry[] = [];
  for (const [templateId, locales] of Object.entries(catalog.templates)) {
    for (const [locale, tones] of Object.entries(locales)) {
      // The tones first, then the named variants experiments pick.
      const named = Object.keys(tones).filter((v) => !(ToneSchema.options as readonly string[]).includes(v));
      for (const tone of [...ToneSchema.options, ...named.sort()]) {
        for (const channel of ChannelSchema.options) {
          // A call's script is read out, not shown; every text with an email has a letter (its subject).
          if (channel === 'phone') continue;
          if (!tones[tone]?.[channel === 'letter' ? 'email' : channel]) continue;
          const entry: PreviewEntry = { templateId, locale, tone, channel };
          try {
            const { message, reasons } = renderSample(
              catalog,
              { templateId, locale, tone, channel },
              defaultLocale,
            );
            entry.message = message;
            entry.reasons = reasons;
            entry.check = checkMessage(message, { smsMaxSegments: smsLimitOf(catalog, templateId, tone) });
          } catch (error) {
            entry.error = (error as Error).message;
          }
          entries.push(entry);
        }
      }
    }
  }
  return entries;
}
