/**
 * The preview gallery's index page shows each SMS with its parts and its price, priced per part: a
 * two-part text costs twice a one-part one. (The browser test opens the written gallery.)
 */
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '#adapters/policy-file.ts';
import { defaultTemplatesDir, loadTemplateCatalog } from '#adapters/template-files.ts';
import { previewEntries } from '#application/templates/preview-entries.ts';
import { indexPage } from '#infra/content/preview-gallery.ts';

const catalog = loadTemplateCatalog(defaultTemplatesDir());
const policy = loadPolicy();
const entries = previewEntries(catalog, policy.defaults.locale);

/** The parts, price and line of every SMS section of the page. */
function smsLinesOf(page: string) {
  return [
    ...page.matchAll(
      /<p class="segments" data-segments="(\d+)" data-price-usd="([\d.]+)"[^>]*>([^<]*)<\/p>/g,
    ),
  ].map(([, parts, price, line]) => ({ parts: Number(parts), price: Number(price), line }));
}

describe('the preview gallery', () => {
  it('shows every SMS with its parts and its price per part', () => {
    const page = indexPage(entries, new Date('2026-12-01T09:00:00Z'), 0.095);
    const lines = smsLinesOf(page);
    expect(lines).toHaveLength(entries.filter((e) => e.channel === 'sms').length);
    for (const { parts, price, line } of lines) {
      expect(price).toBeCloseTo(parts * 0.095, 10);
      expect(line).toMatch(new RegExp(`^${parts} parts? · ${price} USD · `));
    }
  });

  it('prices a text that takes two parts at twice one part', () => {
    const sms = entries.find((e) => e.channel === 'sms' && e.message?.channel === 'sms');
    if (sms?.message?.channel !== 'sms') throw new Error('no SMS in the gallery');
    const long = { ...sms, message: { ...sms.message, text: 'x'.repeat(200) } };
    const [line] = smsLinesOf(indexPage([long], new Date('2026-12-01T09:00:00Z'), 0.095));
    expect(line).toMatchObject({ parts: 2, price: 0.19 });
    expect(line?.line).toMatch(/^2 parts · 0\.19 USD · GSM-7 · 200 of 306 septets$/);
  });
});
