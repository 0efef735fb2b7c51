import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTemplatesDir, loadTemplateCatalog } from '#adapters/template-files.ts';
import { galleryUrl, type PreviewGallery, writePreviewGallery } from '#infra/content/preview-gallery.ts';
import { subjects } from '#subjects/registry.ts';

/** Debian's chromium (installed by .ci/run); Playwright's own download cannot be reached here. */
const executablePath = spawnSync('which', ['chromium'], { encoding: 'utf8' }).stdout.trim();
if (!executablePath) {
  console.warn(
    'preview browser test skipped: no `chromium` on PATH (apt-get install -y chromium, as .ci/run does)',
  );
}
const catalog = loadTemplateCatalog(defaultTemplatesDir());
/** Every text the templates hold: template × locale × variant (the tones and any named text variant). */
const VARIANTS = Object.values(catalog.templates).flatMap((locales) =>
  Object.values(locales).flatMap((variants) => Object.values(variants)),
);
const EMAILS = VARIANTS.filter((variant) => variant?.email).length;
/** An email-only template (the fourteen-day notice) has no SMS. */
const SMS_TEXTS = VARIANTS.filter((variant) => variant?.sms).length;
/** Each template's own link from its sample subject (pay, activate, manage, survey), which its email must carry. */
const SUBJECT_LINKS: Record<string, string | undefined> = Object.fromEntries(
  Object.entries(catalog.info ?? {}).map(([id, info]) => {
    const links = subjects.linksOf(info.sample.subject);
    // The follow-up asks for the survey; every other template carries its subject's first link.
    return [id, id === 'appointment-follow-up' ? links.survey : Object.values(links)[0]];
  }),
);

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

describe.skipIf(!executablePath)('npm run preview, opened in a real browser (chromium)', () => {
  let browser: Browser;
  let gallery: PreviewGallery;
  const dir = mkdtempSync(join(tmpdir(), 'klantreis-preview-'));

  beforeAll(async () => {
    gallery = await writePreviewGallery({ dir, now: new Date('2026-12-01T09:00:00Z') });
    browser = await chromium.launch({ executablePath, args: FLAGS });
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads the index with every rendering and no failure', async () => {
    const page = await browser.newPage();
    await page.goto(galleryUrl(gallery));
    expect(await page.title()).toBe('Klantreis template preview');
    expect(await page.locator('section').count()).toBe(gallery.entries.length);
    // Every text (template × locale × variant) as an email, and as an SMS where it has one.
    expect(gallery.entries.length).toBe(EMAILS + SMS_TEXTS);
    expect(SMS_TEXTS).toBeLessThan(EMAILS);
    expect(await page.locator('section.failed, .render-error, .problem').count()).toBe(0);
    const segments = await page
      .locator('section.sms .segments')
      .evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-segments'))));
    expect(segments).toHaveLength(SMS_TEXTS);
    for (const n of segments) expect(n).toBeGreaterThanOrEqual(1);
    // Each SMS priced per part.
    const prices = await page
      .locator('section.sms .segments')
      .evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-price-usd'))));
    expect(prices).toEqual(segments.map((n) => Number((n * gallery.smsPartPriceUsd).toPrecision(6))));
    await page.close();
  });

  it('renders every email: content, links and language in its frame, no Liquid left, fits a phone', async () => {
    const page = await browser.newPage({ viewport: { width: 420, height: 900 } });
    await page.goto(galleryUrl(gallery));
    const sections = page.locator('section.email');
    const count = await sections.count();
    expect(count).toBe(EMAILS);
    for (let i = 0; i < count; i++) {
      const section = sections.nth(i);
      const locale = (await section.getAttribute('data-locale')) ?? '';
      const frame = await (await section.locator('iframe').elementHandle())?.contentFrame();
      if (!frame) throw new Error(`no frame in section ${i}`);
      await frame.waitForLoadState('load');
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text, as a reader sees it.
      const text = await frame.locator('body').innerText();
      expect(text.trim().length, locale).toBeGreaterThan(200);
      const templateId = (await section.getAttribute('data-template')) ?? '';
      expect(text).not.toMatch(/{{|{%|Liquid|undefined/);
      expect(await frame.locator('html').getAttribute('lang')).toBe(locale);
      const hrefs = await frame.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      expect(hrefs.length).toBeGreaterThanOrEqual(4);
      for (const href of hrefs) expect(href).toMatch(/^https:\/\//);
      // The subject's own link: pay the invoice, activate the portal, manage the appointment, answer the survey.
      expect(hrefs, templateId).toContain(SUBJECT_LINKS[templateId]);
      // MJML's responsive layout: nothing wider than the phone-sized frame.
      const overflow = await frame.locator('html').evaluate((html) => html.scrollWidth - html.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    }
    await page.close();
  });
});
