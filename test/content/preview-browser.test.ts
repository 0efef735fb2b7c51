import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
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
    // Every text (template × locale × variant) as an email and a letter, and as an SMS where it has one.
    expect(gallery.entries.length).toBe(2 * EMAILS + SMS_TEXTS);
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

  it('draws every letter’s PDF pages as named images, and the letters pass axe', async () => {
    // axe needs a page of its own context.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(galleryUrl(gallery));
    // pdf.js draws each letter in the page; the body says when all are done.
    await page.locator('body[data-letters-drawn]').waitFor({ state: 'attached', timeout: 120_000 });
    const letters = page.locator('section.letter');
    expect(await letters.count()).toBe(EMAILS);
    expect(Number(await page.locator('body').getAttribute('data-letters-drawn'))).toBe(EMAILS);
    for (const entry of gallery.entries.filter((e) => e.channel === 'letter')) {
      const section = page.locator(
        `section.letter[data-template="${entry.templateId}"][data-locale="${entry.locale}"][data-variant="${entry.tone}"]`,
      );
      const pages = entry.pdf?.pages ?? 0;
      expect(pages, entry.templateId).toBeGreaterThanOrEqual(1);
      expect(await section.locator('.letter-pages').getAttribute('data-drawn')).toBe(String(pages));
      const images = section.getByRole('img');
      expect(await images.count()).toBe(pages);
      const names = await images.evaluateAll((els) => els.map((el) => el.getAttribute('aria-label')));
      expect(names).toEqual(
        Array.from(
          { length: pages },
          (_, i) =>
            `Letter ${entry.templateId}, language ${entry.locale}, variant ${entry.tone}: page ${i + 1} of ${pages}`,
        ),
      );
    }
    // A drawn page has ink on it: the canvas is not blank (an A4 page, portrait).
    const first = letters.first().locator('canvas').first();
    const { inked, portrait } = await first.evaluate((canvas) => {
      const c = canvas as unknown as {
        width: number;
        height: number;
        getContext(kind: '2d'): {
          getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
        };
      };
      const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
      let dark = 0;
      for (let i = 0; i < data.length; i += 4) if ((data[i] ?? 255) < 128 && (data[i + 3] ?? 0) > 0) dark++;
      return { inked: dark, portrait: c.height / c.width };
    });
    expect(inked).toBeGreaterThan(500);
    expect(portrait).toBeCloseTo(297 / 210, 2);
    const results = await new AxeBuilder({ page })
      .include('section.letter')
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
      .analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
    await context.close();
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
