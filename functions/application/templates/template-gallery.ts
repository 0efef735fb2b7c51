/**
 * The console's template gallery: the preview's renderings as data, each SMS with its parts and its
 * price at the policy's default price of one part (carriers bill each part).
 */

import type { GalleryEntry, TemplateGallery } from '#application/api/templates.ts';
import type { Policy } from '#core/policy.ts';
import type { TemplateCatalog } from '#core/render.ts';
import { smsEncodingOf } from '#core/sms-encoding.ts';
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
export function templateGalleryOf(catalog: TemplateCatalog, policy: Policy): TemplateGallery {
  const costs = policy.channelCosts;
  return {
    entries: previewEntries(catalog, policy.defaults.locale).map((e) => galleryEntryOf(e, costs.sms.default)),
    smsPartPriceUsd: { default: costs.sms.default, byCountry: costs.sms.byCountry },
    ...(costs.costsSource ? { costsSource: costs.costsSource } : {}),
  };
}
