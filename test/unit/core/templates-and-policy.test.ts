import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IANAZone } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { loadPolicy } from '#adapters/policy-file.ts';
import { defaultTemplatesDir, loadTemplateCatalog } from '#adapters/template-files.ts';
import { ChannelSchema } from '#core/customer.ts';
import { PolicySchema, ToneSchema } from '#core/policy.ts';
import { renderMessage } from '#core/render.ts';
import { quietRanges } from '#core/slot.ts';
import policyJson from '../../../templates/policy.json' with { type: 'json' };
import { sampleTemplateData } from '../../fixtures/template-data.ts';

/** GSM 03.38: the basic set costs one character, the extension set two; anything else forces UCS-2. */
const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENSION = '^{}\\[~]|€\f';
const gsm7Length = (text: string): number | null => {
  let length = 0;
  for (const char of text) {
    if (GSM7_BASIC.includes(char)) length += 1;
    else if (GSM7_EXTENSION.includes(char)) length += 2;
    else return null;
  }
  return length;
};

describe('templates/policy.json', () => {
  const policy = loadPolicy();

  it('is a valid policy', () => {
    expect(() => PolicySchema.parse(policyJson)).not.toThrow();
    expect(policy.segments.map((s) => s.id)).toEqual([
      'business',
      'senior',
      'young-digital',
      'repeat-late-payer',
      'default',
    ]);
  });

  it('names only real time zones', () => {
    for (const zone of [policy.defaults.timezone, ...Object.values(policy.countryTimezones)]) {
      expect(IANAZone.isValidZone(zone), zone).toBe(true);
    }
  });

  it('leaves every segment time outside quiet hours on some day', () => {
    const quiet = quietRanges(policy.quietHours);
    const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
    for (const segment of policy.segments) {
      const open = segment.windows.some((w) => {
        for (let m = minutes(w.start); m < minutes(w.end); m++) {
          if (!quiet.some(([s, e]) => m >= s && m < e)) return true;
        }
        return false;
      });
      expect(open, segment.id).toBe(true);
    }
  });

  it('says where its prices come from', () => {
    expect(policy.channelCosts.costsSource).toMatch(/indicative/i);
    expect(policy.channelCosts.costsSource).toMatch(/2026-11/);
  });

  it('has templates in every locale it lists, including the default', () => {
    const catalog = loadTemplateCatalog(defaultTemplatesDir());
    expect(policy.defaults.locales).toContain(policy.defaults.locale);
    for (const locales of Object.values(catalog.templates)) {
      for (const locale of policy.defaults.locales) expect(Object.keys(locales)).toContain(locale);
    }
  });
});

describe('templates', () => {
  const catalog = loadTemplateCatalog(defaultTemplatesDir());
  const cases = Object.entries(catalog.templates).flatMap(([templateId, locales]) =>
    Object.keys(locales).flatMap((locale) =>
      ToneSchema.options.flatMap((tone) =>
        ChannelSchema.options.map((channel) => ({ templateId, locale, tone, channel })),
      ),
    ),
  );

  it('has payment-reminder in nl and en, friendly and firm, for email and sms', () => {
    const reminder = catalog.templates['payment-reminder'];
    for (const locale of ['nl', 'en']) {
      for (const tone of ToneSchema.options) {
        expect(reminder?.[locale]?.[tone]?.email, `${locale}/${tone}`).toBeDefined();
        expect(reminder?.[locale]?.[tone]?.sms, `${locale}/${tone}`).toBeDefined();
      }
    }
  });

  it.each(cases)('renders $templateId $locale $tone $channel with the amount, due date and pay link', (c) => {
    const { message } = renderMessage({ catalog, ...c, data: sampleTemplateData, defaultLocale: 'nl' });
    expect(message.locale).toBe(c.locale);
    const amount = c.locale === 'nl' ? '€ 125,50' : '€125.50';
    const body = message.channel === 'email' ? message.text : message.text;
    expect(body).toContain(sampleTemplateData.invoice.payUrl);
    expect(body).toContain(amount);
    expect(body).not.toMatch(/{{|{%/);
    if (message.channel === 'email') {
      expect(message.subject).toContain('INV-2026-0042');
      expect(message.subject).not.toMatch(/\n/);
      expect(body).toContain(c.locale === 'nl' ? '1 december 2026' : 'December 1, 2026');
      expect(body).toMatch(c.locale === 'nl' ? /Wat gebeurt er/ : /What happens next/);
      expect(message.html).toMatch(/^<!doctype html>/);
      expect(message.html).toContain(`href="${sampleTemplateData.invoice.payUrl}"`);
      expect(message.html).toContain(`href="${sampleTemplateData.links.portal}"`);
    } else {
      const length = gsm7Length(message.text);
      expect(length, 'SMS must be GSM-7').not.toBeNull();
      expect(length).toBeLessThanOrEqual(160);
    }
    if (c.tone === 'firm') expect(body).toMatch(c.locale === 'nl' ? /incassobureau/ : /collection agency/);
  });

  it('renders the HTML part of every email with a name that holds markup escaped', () => {
    const data = { ...sampleTemplateData, customer: { givenName: '<b>Jan</b>', familyName: '<i>J</i>' } };
    for (const c of cases.filter((x) => x.channel === 'email')) {
      const { message } = renderMessage({ catalog, ...c, data, defaultLocale: 'nl' });
      if (message.channel !== 'email') throw new Error('expected an email');
      expect(message.html).toContain('&lt;b&gt;Jan&lt;/b&gt;');
      expect(message.html).not.toContain('<b>Jan</b>');
    }
  });
});

describe('loadTemplateCatalog', () => {
  const dirs: string[] = [];
  const layout = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'klantreis-templates-'));
    dirs.push(dir);
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    return dir;
  };
  const friendlyEmail = {
    'welcome/nl/friendly/email.subject.liquid': 'Welkom',
    'welcome/nl/friendly/email.html.liquid': '<p>Welkom</p>',
    'welcome/nl/friendly/email.text.liquid': 'Welkom',
  };
  afterEach(() => {
    dirs.length = 0;
  });

  it('reads the layout into a catalog and ignores top-level files', () => {
    const dir = layout({ ...friendlyEmail, 'policy.json': '{}', 'README.md': '# x' });
    expect(loadTemplateCatalog(dir).templates.welcome?.nl?.friendly?.email?.subject).toBe('Welkom');
  });

  it('names an unknown file', () => {
    const dir = layout({ ...friendlyEmail, 'welcome/nl/friendly/email.htm.liquid': 'x' });
    expect(() => loadTemplateCatalog(dir)).toThrow(/welcome\/nl\/friendly\/email\.htm\.liquid: unknown file/);
  });

  it('names the missing part of an email', () => {
    const { 'welcome/nl/friendly/email.text.liquid': _text, ...incomplete } = friendlyEmail;
    expect(() => loadTemplateCatalog(layout(incomplete))).toThrow(
      /welcome\/nl\/friendly\/email\.text\.liquid: missing/,
    );
  });

  it('needs a friendly tone in every locale', () => {
    const dir = layout({ 'welcome/en/firm/sms.liquid': 'Hi' });
    expect(() => loadTemplateCatalog(dir)).toThrow(/welcome\/en\/friendly: missing/);
  });

  it('names a tone folder that is not a tone', () => {
    const dir = layout({ ...friendlyEmail, 'welcome/nl/stern/sms.liquid': 'x' });
    expect(() => loadTemplateCatalog(dir)).toThrow(/welcome\/nl\/stern: expected a tone folder/);
  });

  it('names the file with a Liquid syntax error', () => {
    const dir = layout({ ...friendlyEmail, 'welcome/nl/friendly/sms.liquid': 'Hoi {% if x %}' });
    expect(() => loadTemplateCatalog(dir)).toThrow(/templates: welcome\/nl\/friendly\/sms\.liquid: /);
  });

  it('finds the templates folder from TEMPLATES_DIR, then LAMBDA_TASK_ROOT, then the repository', () => {
    const saved = { t: process.env.TEMPLATES_DIR, l: process.env.LAMBDA_TASK_ROOT };
    try {
      delete process.env.TEMPLATES_DIR;
      delete process.env.LAMBDA_TASK_ROOT;
      expect(defaultTemplatesDir()).toBe(join(import.meta.dirname, '../../../templates'));
      process.env.LAMBDA_TASK_ROOT = '/var/task';
      expect(defaultTemplatesDir()).toBe('/var/task/templates');
      process.env.TEMPLATES_DIR = '/srv/templates';
      expect(defaultTemplatesDir()).toBe('/srv/templates');
    } finally {
      if (saved.t === undefined) delete process.env.TEMPLATES_DIR;
      else process.env.TEMPLATES_DIR = saved.t;
      if (saved.l === undefined) delete process.env.LAMBDA_TASK_ROOT;
      else process.env.LAMBDA_TASK_ROOT = saved.l;
    }
  });
});
