import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  assertCompiledFrom,
  compiledTemplatesDir,
  defaultTemplatesDir,
  loadTemplateCatalog,
  SOURCE_HASH_FILE,
  sourceHashOf,
  sourceTemplatesDir,
} from '#adapters/template-files.ts';
import { compileTemplates } from '#infra/content/compile-templates.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const layout = (files: Record<string, string>) => {
  const dir = mkdtempSync(join(tmpdir(), 'klantreis-templates-'));
  dirs.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
};

const info = JSON.stringify({
  description: 'Welcome',
  sample: {
    customer: { given: 'Sanne' },
    subject: {
      type: 'invoice',
      id: 'INV-1',
      amount: '10.00',
      currency: 'EUR',
      dueDate: '2026-12-01',
      payUrl: 'https://pay.example.com/i/INV-1',
    },
  },
});
const mjml =
  '<mjml lang="{{ locale }}"><mj-body><mj-section><mj-column><mj-text>{{ blocks.greeting }}</mj-text><mj-button href="{{ links.pay }}">Betaal</mj-button></mj-column></mj-section></mj-body></mjml>';
const source = {
  'welcome/template.json': info,
  'welcome/nl/blocks/greeting.liquid': 'Hallo {{ customer.givenName }}',
  'welcome/nl/friendly/email.subject.liquid': 'Welkom',
  'welcome/nl/friendly/email.mjml': mjml,
  'welcome/nl/friendly/email.text.liquid': '{{ blocks.greeting }}',
  'welcome/nl/friendly/sms.liquid': '{{ blocks.greeting }}',
  'welcome/nl/firm/blocks/greeting.liquid': 'Geachte {{ customer.givenName }}',
  'welcome/nl/firm/sms.liquid': '{{ blocks.greeting }}',
  'policy.json': '{}',
  'README.md': '# x',
};
const compiled = async (files: Record<string, string>) => {
  const to = join(layout({}), 'compiled');
  await compileTemplates({ from: layout(files), to });
  return to;
};

describe('compileTemplates', () => {
  it('compiles email.mjml to responsive HTML with the Liquid kept for send time, and copies the rest', async () => {
    const to = await compiled(source);
    const html = readFileSync(join(to, 'welcome/nl/friendly/email.html.liquid'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('<html lang="{{ locale }}"');
    expect(html).toContain('href="{{ links.pay }}"');
    expect(html).toContain('@media only screen'); // MJML's responsive layout
    const catalog = loadTemplateCatalog(to);
    expect(catalog.templates.welcome?.nl?.friendly?.blocks).toEqual({
      greeting: 'Hallo {{ customer.givenName }}',
    });
    // A variant's own block beats the locale's.
    expect(catalog.templates.welcome?.nl?.firm?.blocks?.greeting).toBe('Geachte {{ customer.givenName }}');
    expect(catalog.info?.welcome?.smsMaxSegments).toBe(3);
  });

  it('names the MJML file that is invalid, and leaves the previous output alone', async () => {
    const to = await compiled(source);
    const broken = { ...source, 'welcome/nl/friendly/email.mjml': mjml.replace('<mj-text>', '<mj-txt>') };
    await expect(compileTemplates({ from: layout(broken), to })).rejects.toThrow(
      /templates: welcome\/nl\/friendly\/email\.mjml: invalid MJML: .*mj-txt/,
    );
    expect(readFileSync(join(to, 'welcome/nl/friendly/email.html.liquid'), 'utf8')).toContain('mj-column');
  });

  it('names the file with a Liquid syntax error', async () => {
    const broken = { ...source, 'welcome/nl/friendly/sms.liquid': 'Hoi {% if x %}' };
    await expect(compiled(broken)).rejects.toThrow(/templates: welcome\/nl\/friendly\/sms\.liquid: /);
  });

  it('refuses Liquid the Lambda cannot render, naming the file, the line and what is supported', async () => {
    const looped = {
      ...source,
      'welcome/nl/friendly/sms.liquid': 'Hoi\n{% for line in lines %}{{ line }}{% endfor %}',
    };
    await expect(compiled(looped)).rejects.toThrow(
      /templates: welcome\/nl\/friendly\/sms\.liquid: tag "for" is not supported in Klantreis templates, line 2; supported: if, /,
    );
  });

  it('skips the work when the output is from the same sources', async () => {
    const from = layout(source);
    const to = join(layout({}), 'compiled');
    expect(await compileTemplates({ from, to })).toMatchObject({ upToDate: false, emails: 1 });
    expect(await compileTemplates({ from, to })).toMatchObject({ upToDate: true });
    writeFileSync(join(from, 'welcome/nl/friendly/sms.liquid'), 'Hoi');
    expect(await compileTemplates({ from, to })).toMatchObject({ upToDate: false });
  });
});

describe('loadTemplateCatalog', () => {
  it('refuses uncompiled MJML', () => {
    expect(() => loadTemplateCatalog(layout(source))).toThrow(
      /welcome\/nl\/friendly\/email\.mjml: not compiled: .*npm run templates/,
    );
  });

  const plain = {
    'welcome/template.json': info,
    'welcome/nl/friendly/email.subject.liquid': 'Welkom',
    'welcome/nl/friendly/email.html.liquid': '<p>Welkom</p>',
    'welcome/nl/friendly/email.text.liquid': 'Welkom',
  };

  it('names an unknown file', () => {
    const dir = layout({ ...plain, 'welcome/nl/friendly/email.htm.liquid': 'x' });
    expect(() => loadTemplateCatalog(dir)).toThrow(/welcome\/nl\/friendly\/email\.htm\.liquid: unknown file/);
  });

  it('names the missing part of an email', () => {
    const { 'welcome/nl/friendly/email.text.liquid': _text, ...incomplete } = plain;
    expect(() => loadTemplateCatalog(layout(incomplete))).toThrow(
      /welcome\/nl\/friendly\/email\.text\.liquid: missing/,
    );
  });

  it('needs a text variant in every locale, and leaves which ones to the tone rule', () => {
    const dir = layout({ ...plain, 'welcome/en/blocks/greeting.liquid': 'Hi' });
    expect(() => loadTemplateCatalog(dir)).toThrow(/welcome\/en: no text variant folders/);
    const firmOnly = layout({ 'welcome/template.json': info, 'welcome/en/firm/sms.liquid': 'Hi' });
    expect(loadTemplateCatalog(firmOnly).templates.welcome?.en?.firm?.sms?.text).toBe('Hi');
  });

  it('loads a named text variant beside the tones (an experiment arm picks it)', () => {
    const dir = layout({ ...plain, 'welcome/nl/direct/sms.liquid': 'Direct' });
    expect(loadTemplateCatalog(dir).templates.welcome?.nl?.direct?.sms?.text).toBe('Direct');
  });

  it('loads a short SMS text beside the normal one, and refuses one without it or with a syntax error', () => {
    const withSms = { ...plain, 'welcome/nl/friendly/sms.liquid': 'Welkom, lang' };
    const dir = layout({ ...withSms, 'welcome/nl/friendly/sms.short.liquid': 'Kort' });
    expect(loadTemplateCatalog(dir).templates.welcome?.nl?.friendly?.sms).toEqual({
      text: 'Welkom, lang',
      short: 'Kort',
    });
    const alone = layout({ 'welcome/template.json': info, 'welcome/en/firm/sms.short.liquid': 'Hi' });
    expect(() => loadTemplateCatalog(alone)).toThrow(
      /welcome\/en\/firm\/sms.short.liquid: a short SMS text needs its normal text beside it \(sms.liquid\)/,
    );
    const broken = layout({ ...withSms, 'welcome/nl/friendly/sms.short.liquid': 'Kort {% if x %}' });
    expect(() => loadTemplateCatalog(broken)).toThrow(/welcome\/nl\/friendly\/sms.short.liquid: /);
  });

  it("loads a letter's own text beside the email, and refuses one without the email or with a syntax error", () => {
    const dir = layout({ ...plain, 'welcome/nl/friendly/letter.liquid': 'Welkom op papier' });
    expect(loadTemplateCatalog(dir).templates.welcome?.nl?.friendly?.letter).toEqual({
      text: 'Welkom op papier',
    });
    const alone = layout({ 'welcome/template.json': info, 'welcome/en/firm/letter.liquid': 'Hi' });
    expect(() => loadTemplateCatalog(alone)).toThrow(
      /welcome\/en\/firm\/letter.liquid: a letter text needs the email beside it: its subject is the letter's/,
    );
    const broken = layout({ ...plain, 'welcome/nl/friendly/letter.liquid': 'Welkom {% if x %}' });
    expect(() => loadTemplateCatalog(broken)).toThrow(/welcome\/nl\/friendly\/letter.liquid: /);
  });

  it('names a variant folder whose name is not a kebab-case variant', () => {
    const dir = layout({ ...plain, 'welcome/nl/Stern_1/sms.liquid': 'x' });
    expect(() => loadTemplateCatalog(dir)).toThrow(/welcome\/nl\/Stern_1: expected a text variant folder/);
  });

  it('names a badly named block', () => {
    const dir = layout({ ...plain, 'welcome/nl/blocks/Greeting.txt': 'x' });
    expect(() => loadTemplateCatalog(dir)).toThrow(
      /welcome\/nl\/blocks\/Greeting\.txt: a block is a kebab-case/,
    );
  });

  it('needs a template.json with a description and valid sample data', () => {
    const { 'welcome/template.json': _info, ...withoutInfo } = plain;
    expect(() => loadTemplateCatalog(layout(withoutInfo))).toThrow(/welcome\/template\.json: missing/);
    const badSample = { ...plain, 'welcome/template.json': info.replace('https://pay', 'http://pay') };
    expect(() => loadTemplateCatalog(layout(badSample))).toThrow(
      /welcome\/template\.json: sample\.subject\.payUrl/,
    );
  });

  it('finds the compiled templates from TEMPLATES_DIR, then LAMBDA_TASK_ROOT, then the checkout', () => {
    const saved = { t: process.env.TEMPLATES_DIR, l: process.env.LAMBDA_TASK_ROOT };
    try {
      delete process.env.TEMPLATES_DIR;
      delete process.env.LAMBDA_TASK_ROOT;
      expect(defaultTemplatesDir()).toBe(join(import.meta.dirname, '../../.local/templates'));
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

  it('refuses compiled templates that are missing or older than their sources', async () => {
    const from = layout(source);
    const to = join(layout({}), 'compiled');
    expect(() => assertCompiledFrom(to, from)).toThrow(
      /holds no compiled templates: run `npm run templates`/,
    );
    await compileTemplates({ from, to });
    expect(() => assertCompiledFrom(to, from)).not.toThrow();
    writeFileSync(join(from, 'welcome/nl/friendly/sms.liquid'), 'Hoi');
    expect(() => assertCompiledFrom(to, from)).toThrow(/older than templates\/: run `npm run templates`/);
  });

  it('knows the checkout’s compiled templates are from the current sources (the global setup compiled them)', () => {
    expect(readFileSync(join(compiledTemplatesDir(), SOURCE_HASH_FILE), 'utf8').trim()).toBe(
      sourceHashOf(sourceTemplatesDir()),
    );
  });
});
