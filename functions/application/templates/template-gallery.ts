/**
 * The console's template gallery: the preview's renderings as data, each SMS with its parts and its
 * price at the policy's default price of one part (carriers bill each part), each letter as the PDF
 * the partner would print (the console draws its pages).
 */

import type { GalleryEntry, TemplateGallery } from '#application/api/templates.ts';
import type { Policy } from '#core/policy.ts';
import type { TemplateCatalog } from '#core/render.ts';
import { smsEncodingOf } from '#core/sms-encoding.ts';
import { withLetterPdfs } from './letter-pdfs.ts';
import { type PreviewEntry, previewEntries } from './preview-entries.ts';

function galleryEntryOf(entry: PreviewEntry, smsPartPrice: number): GalleryEntry {
  const base = {
    templateId: entry.templateId,
    locale: entry.locale,
    variant: entry.tone,
    channel: entry.channel,
    reasons: entry.reasons ?? [],
    problems: entry.check?.problems ?? [],
    warnings: entry.check?.warnings ?? [],
    ...(entry.error !== undefined ? { error: entry.error } : {}),
  };
  const message = entry.message;
  if (!message) return base;
  if (message.channel === 'email') {
    return { ...base, subject: message.subject, html: message.html, text: message.text };
  }
  if (message.channel === 'letter') {
    return {
      ...base,
      subject: message.subject,
      text: message.text,
      ...(entry.pdf
        ? { letter: { pdf: Buffer.from(entry.pdf.bytes).toString('base64'), pages: entry.pdf.pages } }
        : {}),
    };
  }
  const sms = smsEncodingOf(message.text);
  return {
    ...base,
    text: message.text,
    sms: {
      encoding: sms.encoding,
      parts: sms.segments,
      length: sms.length,
      perPart: sms.perSegment,
      priceUsd: sms.segments * smsPartPrice,
    },
  };
}

/** Returns every rendering of the catalog with its sample data, priced by the policy. */
export async function templateGalleryOf(catalog: TemplateCatalog, policy: Policy): Promise<TemplateGallery> {
  const costs = policy.channelCosts;
  const entries = await withLetterPdfs(
    previewEntries(catalog, policy.defaults.locale),
    catalog,
    policy.letterSender,
  );
  return {
    entries: entries.map((e) => galleryEntryOf(e, costs.sms.default)),
    smsPartPriceUsd: { default: costs.sms.default, byCountry: costs.sms.byCountry },
    ...(costs.costsSource ? { costsSource: costs.costsSource } : {}),
  };
}
