import { type Context, Liquid, type Template } from 'liquidjs';
import { DateTime } from 'luxon';
import type { Channel } from './customer.ts';
import { languageOf, pickLocale } from './locale.ts';
import type { Tone } from './policy.ts';
import type { Reason } from './reasons.ts';

export interface EmailTemplate {
  subject: string;
  html: string;
  text: string;
}
export interface SmsTemplate {
  text: string;
}
/** The Liquid sources of one template in one locale and tone, per channel. */
export interface ToneTemplates {
  email?: EmailTemplate;
  sms?: SmsTemplate;
}
/** Message content as Liquid sources: templateId -> locale -> tone -> channel. */
export interface TemplateCatalog {
  templates: Record<string, Record<string, Partial<Record<Tone, ToneTemplates>>>>;
}

export type RenderedMessage =
  | { channel: 'email'; locale: string; subject: string; html: string; text: string }
  | { channel: 'sms'; locale: string; text: string };

/** The parts of a template, named like their files (`email.html` is `email.html.liquid`). */
export type TemplatePart = 'email.subject' | 'email.html' | 'email.text' | 'sms';

const FALLBACK_TONE: Tone = 'friendly';

// Intl puts no-break and narrow no-break spaces in amounts and dates ("€ 12,50"); they are not
// GSM-7, so one of them would turn an SMS into UCS-2 and cut its length from 160 to 70.
const toPlainSpaces = (text: string) => text.replace(/[\u00A0\u202F]/g, ' ');

/** What liquidjs binds `this` to in a filter (its `FilterImpl`, which the package does not export). */
interface FilterThis {
  context: Context;
}

/** The locale amounts and dates are written in: the render's, unless the template passes one. */
function formatLocaleOf(filter: FilterThis, explicit: unknown): string {
  if (typeof explicit === 'string' && explicit) return explicit;
  const locale = (filter.context.globals as { locale?: unknown }).locale;
  return typeof locale === 'string' ? locale : 'en';
}

function money(this: FilterThis, amount: unknown, currency: unknown, locale?: unknown): string {
  const value = typeof amount === 'string' ? Number(amount) : amount;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error('money: amount is not a number');
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) {
    throw new Error('money: currency must be an ISO 4217 code such as EUR');
  }
  const format = new Intl.NumberFormat(formatLocaleOf(this, locale), { style: 'currency', currency });
  return toPlainSpaces(format.format(value));
}

function longDate(this: FilterThis, iso: unknown, locale?: unknown): string {
  const parsed = typeof iso === 'string' ? DateTime.fromISO(iso, { zone: 'utc', setZone: true }) : null;
  if (!parsed?.isValid) throw new Error('date: value is not an ISO date such as 2026-12-01');
  return toPlainSpaces(parsed.setLocale(formatLocaleOf(this, locale)).toLocaleString(DateTime.DATE_FULL));
}

function makeEngine(html: boolean): Liquid {
  const engine = new Liquid({
    strictVariables: true,
    strictFilters: true,
    // `{% if customer.givenName %}` may test an absent or empty name; output of one still fails.
    lenientIf: true,
    jsTruthy: true,
    ownPropertyOnly: true,
    // No file system: templates come from the catalog, includes are not supported yet.
    templates: {},
    ...(html ? { outputEscape: 'escape' as const } : {}),
  });
  engine.registerFilter('money', money);
  engine.registerFilter('date', longDate);
  return engine;
}

interface Compiled {
  text: Liquid;
  html: Liquid;
  parsed: Map<string, Template[]>;
}

const compiledCatalogs = new WeakMap<TemplateCatalog, Compiled>();

function compiledFor(catalog: TemplateCatalog): Compiled {
  let compiled = compiledCatalogs.get(catalog);
  if (!compiled) {
    compiled = { text: makeEngine(false), html: makeEngine(true), parsed: new Map() };
    compiledCatalogs.set(catalog, compiled);
  }
  return compiled;
}

/** Returns the parsed part, parsing it on first use only; a syntax error names the part. */
function parsedPart(
  catalog: TemplateCatalog,
  key: { templateId: string; locale: string; tone: Tone },
  part: TemplatePart,
  source: string,
): { engine: Liquid; templates: Template[]; name: string } {
  const compiled = compiledFor(catalog);
  const name = `${key.templateId}/${key.locale}/${key.tone}/${part}`;
  const engine = part === 'email.html' ? compiled.html : compiled.text;
  let templates = compiled.parsed.get(name);
  if (!templates) {
    try {
      templates = engine.parse(source, name);
    } catch (error) {
      throw new Error(`template ${name}: ${(error as Error).message}`, { cause: error });
    }
    compiled.parsed.set(name, templates);
  }
  return { engine, templates, name };
}

/** Returns every part of a tone's templates with its Liquid source. */
function partsOf(tone: ToneTemplates): [TemplatePart, string][] {
  const parts: [TemplatePart, string][] = [];
  if (tone.email) {
    parts.push(
      ['email.subject', tone.email.subject],
      ['email.html', tone.email.html],
      ['email.text', tone.email.text],
    );
  }
  if (tone.sms) parts.push(['sms', tone.sms.text]);
  return parts;
}

/** Parses every template of the catalog now (a cold start fails fast); throws naming the broken part. */
export function checkCatalog(catalog: TemplateCatalog): void {
  for (const [templateId, locales] of Object.entries(catalog.templates)) {
    for (const [locale, tones] of Object.entries(locales)) {
      for (const [tone, channels] of Object.entries(tones) as [Tone, ToneTemplates | undefined][]) {
        if (!channels) continue;
        for (const [part, source] of partsOf(channels))
          parsedPart(catalog, { templateId, locale, tone }, part, source);
      }
    }
  }
}

/**
 * Returns the message rendered for the channel in the best available locale (`nl-BE` -> `nl` ->
 * default) and tone (falls back to friendly), with reasons. HTML output is escaped, text and SMS are
 * not; an undefined variable or filter fails. A missing template or channel throws: that is a
 * deployment bug, not a customer outcome.
 */
export function renderMessage(input: {
  catalog: TemplateCatalog;
  templateId: string;
  channel: Channel;
  locale: string;
  tone: Tone;
  data: Record<string, unknown>;
  defaultLocale: string;
}): { message: RenderedMessage; reasons: Reason[] } {
  const { catalog, templateId, channel, tone, data } = input;
  const where = `channel ${channel}, locale ${input.locale}, tone ${tone}`;
  const locales = catalog.templates[templateId];
  if (!locales) throw new Error(`template ${templateId} does not exist (${where})`);

  const picked = pickLocale(input.locale, Object.keys(locales), input.defaultLocale);
  const reasons = [...picked.reasons];
  const locale = picked.locale;
  const tones = locales[locale];
  if (!tones) throw new Error(`template ${templateId} has no locale ${locale} (${where})`);

  let usedTone = tone;
  let channels = tones[tone];
  if (!channels && tone !== FALLBACK_TONE) {
    usedTone = FALLBACK_TONE;
    channels = tones[FALLBACK_TONE];
    reasons.push(`tone ${FALLBACK_TONE}: template has no ${tone} text for ${locale}`);
  } else {
    reasons.push(`tone ${tone}`);
  }
  const content = channels?.[channel];
  if (!content)
    throw new Error(`template ${templateId} has no ${channel} for locale ${locale}, tone ${usedTone}`);

  // Amounts and dates follow the customer's own region when the text is in their language (en-GB: 1 December).
  const formatLocale = languageOf(input.locale) === languageOf(locale) ? input.locale : locale;
  const key = { templateId, locale, tone: usedTone };
  const render = (part: TemplatePart, source: string): string => {
    const { engine, templates, name } = parsedPart(catalog, key, part, source);
    try {
      return engine.renderSync(templates, data, { globals: { locale: formatLocale } }) as string;
    } catch (error) {
      throw new Error(`template ${name}: ${(error as Error).message}`, { cause: error });
    }
  };

  if (channel === 'email' && 'subject' in content) {
    const message: RenderedMessage = {
      channel: 'email',
      locale,
      subject: render('email.subject', content.subject).replace(/\s+/g, ' ').trim(),
      html: render('email.html', content.html).trim(),
      text: render('email.text', content.text).trim(),
    };
    reasons.push(`rendered ${templateId} email in ${locale}`);
    return { message, reasons };
  }
  const message: RenderedMessage = { channel: 'sms', locale, text: render('sms', content.text).trim() };
  reasons.push(`rendered ${templateId} sms in ${locale}`);
  return { message, reasons };
}
