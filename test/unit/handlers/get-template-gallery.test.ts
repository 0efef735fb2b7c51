import { extractText } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '#adapters/policy-file.ts';
import { defaultTemplatesDir, loadTemplateCatalog } from '#adapters/template-files.ts';
import { TemplateGallerySchema } from '#application/api/templates.ts';
import { makeHandler } from '#handlers/get-template-gallery.ts';
import { httpEvent, lambdaContext, viewer } from '../../fixtures/lambda.ts';

const handler = makeHandler({ catalog: loadTemplateCatalog(defaultTemplatesDir()), policy: loadPolicy() });
const get = (caller?: Parameters<typeof httpEvent>[0]['caller']) =>
  handler(httpEvent({ pathParameters: {}, ...(caller ? { caller } : {}) }), lambdaContext);

describe('get-template-gallery', () => {
  it('renders every template, locale, variant and channel, each SMS with its parts priced per part', async () => {
    const response = await get(viewer);
    expect(response.statusCode).toBe(200);
    const gallery = TemplateGallerySchema.parse(JSON.parse(String(response.body)));
    const policy = loadPolicy();
    expect(gallery.smsPartPriceUsd.default).toBe(policy.channelCosts.sms.default);
    const keys = gallery.entries.map((e) => `${e.templateId}/${e.locale}/${e.variant}/${e.channel}`);
    expect(keys).toContain('payment-reminder/nl/friendly/email');
    expect(keys).toContain('payment-reminder/nl/friendly/sms');
    expect(keys).toContain('payment-reminder/en/direct/email');
    expect(new Set(keys).size).toBe(keys.length);
    for (const entry of gallery.entries.filter((e) => e.channel === 'sms' && !e.error)) {
      expect(entry.sms?.parts).toBeGreaterThan(0);
      expect(entry.sms?.priceUsd).toBeCloseTo((entry.sms?.parts ?? 0) * policy.channelCosts.sms.default, 10);
    }
    const email = gallery.entries.find((e) => e.channel === 'email' && !e.error);
    expect(email?.subject).toBeTruthy();
    expect(email?.html).toContain('<');
  });

  it('gives every text with an email its letter, as the PDF the partner prints, with its subject and pay details', async () => {
    const gallery = TemplateGallerySchema.parse(JSON.parse(String((await get(viewer)).body)));
    const emails = gallery.entries
      .filter((e) => e.channel === 'email')
      .map((e) => `${e.templateId}/${e.locale}/${e.variant}`);
    const letters = gallery.entries.filter((e) => e.channel === 'letter');
    expect(letters.map((e) => `${e.templateId}/${e.locale}/${e.variant}`)).toEqual(emails);
    for (const letter of letters) {
      expect(letter.error, letter.templateId).toBeUndefined();
      expect(letter.letter?.pages).toBeGreaterThanOrEqual(1);
    }
    const reminder = letters.find((e) => e.templateId === 'payment-reminder' && e.locale === 'nl');
    const pdf = Buffer.from(reminder?.letter?.pdf ?? '', 'base64');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const { totalPages, text } = await extractText(new Uint8Array(pdf), { mergePages: true });
    expect(totalPages).toBe(reminder?.letter?.pages);
    expect(text).toContain(reminder?.subject);
    expect(text).toContain('Betaalgegevens');
    expect(text).toContain(loadPolicy().letterSender?.iban);
  });

  it('refuses a caller without a console role, in plain words', async () => {
    const response = await get('anonymous');
    expect(response.statusCode).toBe(403);
    expect(JSON.parse(String(response.body)).error).toBe(
      'forbidden: this needs the viewer role; you are not signed in',
    );
  });
});
