import type { Channel } from './customer.ts';
import { type IsoInstant, parseIso } from './iso-time.ts';
import { compileLiquid, type LiquidFilter, type LiquidTemplate } from './liquid/compile.ts';
import { isValidZone, offsetAt } from './local-time.ts';
import { languageOf, pickLocale } from './locale.ts';
import { formatMoney } from './money.ts';
import type { SmsOptOutForm, TextVariant, Tone } from './policy.ts';
import type { Reason } from './reasons.ts';
import { type SmsEncoding, smsEncodingOf } from './sms-encoding.ts';
import { optOutText } from './sms-opt-out.ts';
import {
  keptCharactersReason,
  type SmsLetters,
  smartEncodeSms,
  smartEncodingReason,
} from './sms-smart-encoding.ts';
import { smsLimitFor, type TemplateInfo } from './template-info.ts';

export interface EmailTemplate {
  subject: string;
  html: string;
  text: string;
}
export interface SmsTemplate {
  text: string;
  /**
   * The short form of the same message (`sms.short.liquid`): what the send step renders instead when
   * the customer's data (a long name, a large amount) takes `text` over the template's part limit.
   */
  short?: string;
}

/** The script a contact-centre agent reads on a call (`call.liquid`), from the same blocks. */
export interface CallTemplate {
  text: string;
}

/**
 * A letter's own body (`letter.liquid`), from the same blocks, under the email's subject: written for paper
 * (no links to click, the pay details printed below it). Without one a letter is the email's text.
 */
export interface LetterTemplate {
  text: string;
}

/** Which of a template's SMS texts to render: its own (`sms.liquid`) or its short form (`sms.short.liquid`). */
export type SmsForm = 'normal' | 'short';
/**
 * The template a channel is written from: a letter is the email's subject and its own text
 * (`letter.liquid`) or else the email's plain text (the same blocks), so every template that has an email
 * has a letter; a call is its own script (`call.liquid`).
 */
export function templateChannelOf(channel: Channel): 'email' | 'sms' | 'call' {
  const sources: Record<Channel, 'email' | 'sms' | 'call'> = {
    email: 'email',
    sms: 'sms',
    letter: 'email',
    phone: 'call',
  };
  return sources[channel];
}

/** The Liquid sources of one template in one locale and tone, per channel. */
export interface ToneTemplates {
  email?: EmailTemplate;
  sms?: SmsTemplate;
  call?: CallTemplate;
  letter?: LetterTemplate;
  /**
   * Shared blocks (greeting, amount-due, next-step, footer): name -> Liquid source, rendered once per
   * message as plain text and handed to every part as `blocks.<name>`, so the email and the SMS tell
   * the same story in the same words. Includes the locale's shared blocks unless the tone overrides them.
   */
  blocks?: Record<string, string>;
}
/** Message content as Liquid sources: templateId -> locale -> text variant (a tone or a named variant) -> channel. */
export interface TemplateCatalog {
  templates: Record<string, Record<string, Partial<Record<TextVariant, ToneTemplates>>>>;
  /** Each template's `template.json`; a template without one uses the defaults. */
  info?: Record<string, TemplateInfo>;
}

export type RenderedMessage =
  | { channel: 'email'; locale: string; subject: string; html: string; text: string }
  /** A letter: the email's subject and the letter's text (else the email's), from the same blocks; laid out as a PDF when posted. */
  | { channel: 'letter'; locale: string; subject: string; text: string }
  /** A call's script: what the contact centre's agent says and asks, from the same blocks. */
  | { channel: 'phone'; locale: string; text: string }
  | {
      channel: 'sms';
      locale: string;
      text: string;
      encoding: SmsEncoding;
      segments: number;
      /** Which text was rendered (`renderMessage` always says; other producers of messages may not). */
      form?: SmsForm;
    };

/** The parts of a template, named like their files (`email.html` is `email.html.liquid`), and its blocks. */
export type TemplatePart =
  | 'email.subject'
  | 'email.html'
  | 'email.text'
  | 'sms'
  | 'sms.short'
  | 'call'
  | 'letter'
  | `blocks/${string}`;

/**
 * Returns the most SMS parts a template's text variant may take: the variant's own limit in
 * `template.json`, else the template's single limit, else the default.
 */
export function smsLimitOf(catalog: TemplateCatalog, templateId: string, variant?: TextVariant): number {
  return smsLimitFor(catalog.info?.[templateId], variant);
}

const FALLBACK_TONE: Tone = 'friendly';

// Intl puts no-break and narrow no-break spaces in amounts and dates ("€ 12,50"); they are not
// GSM-7, so one of them would turn an SMS into UCS-2 and cut its length from 160 to 70.
const toPlainSpaces = (text: string) => text.replace(/[\u00A0\u202F]/g, ' ');

/** What a filter gets as `this`: the render's globals (locale, time zone), where liquidjs puts them. */
interface FilterThis {
  context: { globals: unknown };
}

/** The locale amounts and dates are written in: the render's, unless the template passes one. */
function formatLocaleOf(filter: FilterThis, explicit: unknown): string {
  if (typeof explicit === 'string' && explicit) return explicit;
  const locale = (filter.context.globals as { locale?: unknown }).locale;
  return typeof locale === 'string' ? locale : 'en';
}

function money(this: FilterThis, amount: unknown, currency: unknown, locale?: unknown): string {
  return toPlainSpaces(formatMoney(amount, currency, formatLocaleOf(this, locale)));
}

/**
 * Returns the wall-clock time to show for the ISO value, as ms to format in UTC: a calendar date
 * (`2026-12-01`) stays that date; a moment (`2026-12-01T23:30:00Z`) is shown in the customer's time
 * zone, where it may be the next day (without a zone: at the offset it was written with).
 */
function wallTimeIn(filter: FilterThis, iso: unknown, name: string): number {
  const parsed: IsoInstant | null = typeof iso === 'string' ? parseIso(iso) : null;
  if (!parsed) throw new Error(`${name}: value is not an ISO date such as 2026-12-01`);
  if (parsed.dateOnly) return parsed.utcMs;
  const zone = (filter.context.globals as { timezone?: unknown }).timezone;
  if (typeof zone !== 'string') return parsed.utcMs + parsed.offsetMs;
  if (!isValidZone(zone)) throw new Error(`${name}: unknown time zone`);
  return parsed.utcMs + offsetAt(zone, parsed.utcMs);
}

function longDate(this: FilterThis, iso: unknown, locale?: unknown): string {
  return formattedDate(this, 'date', iso, locale);
}

function dateTime(this: FilterThis, iso: unknown, locale?: unknown): string {
  return formattedDate(this, 'datetime', iso, locale);
}

/** Full dates (`1 december 2026`), with `HH:mm` for date-times: the formats luxon's DATE_FULL gave. */
const DATE_FORMATS = {
  date: { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' },
  datetime: {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'UTC',
  },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** Returns the (cached) Intl formatter of a locale and format; wall times are formatted as UTC. */
function dateFormatOf(locale: string, name: keyof typeof DATE_FORMATS): Intl.DateTimeFormat {
  const key = `${name}|${locale}`;
  let format = dateFormats.get(key);
  if (!format) {
    if (dateFormats.size >= 256) dateFormats.clear();
    format = new Intl.DateTimeFormat(locale, DATE_FORMATS[name]);
    dateFormats.set(key, format);
  }
  return format;
}

// A message shows a few dates (the due date, twice): remember recent ones (bounded: dates differ
// per invoice), so a render formats each date once.
const formattedDates = new Map<string, string>();

function formattedDate(
  filter: FilterThis,
  name: keyof typeof DATE_FORMATS,
  iso: unknown,
  locale: unknown,
): string {
  const formatLocale = formatLocaleOf(filter, locale);
  const zone = (filter.context.globals as { timezone?: unknown }).timezone;
  const key = `${name}|${String(iso)}|${formatLocale}|${String(zone)}`;
  const known = formattedDates.get(key);
  if (known !== undefined) return known;
  const text = toPlainSpaces(dateFormatOf(formatLocale, name).format(wallTimeIn(filter, iso, name)));
  if (formattedDates.size >= 4096) formattedDates.clear();
  formattedDates.set(key, text);
  return text;
}

/** Klantreis's own filters, beside Liquid's standard ones: `money`, `date`, `datetime`. */
export const KLANTREIS_FILTERS: Readonly<Record<string, LiquidFilter>> = {
  money,
  date: longDate,
  datetime: dateTime,
} as unknown as Record<string, LiquidFilter>;

interface ParsedPart {
  /** `payment-reminder/nl/firm/email.html`, for errors. */
  name: string;
  template: LiquidTemplate;
}

/** Per catalog, per variant (its object in the catalog), per part: looked up on every render, so no string keys. */
const parsedParts = new WeakMap<TemplateCatalog, WeakMap<ToneTemplates, Map<TemplatePart, ParsedPart>>>();

/** Returns the parsed part, parsing it on first use only; a syntax error names the part. */
function parsedPart(
  catalog: TemplateCatalog,
  key: { templateId: string; locale: string; tone: TextVariant },
  variant: ToneTemplates,
  part: TemplatePart,
  source: string,
): ParsedPart {
  let variants = parsedParts.get(catalog);
  if (!variants) {
    variants = new WeakMap();
    parsedParts.set(catalog, variants);
  }
  let parts = variants.get(variant);
  if (!parts) {
    parts = new Map();
    variants.set(variant, parts);
  }
  let parsed = parts.get(part);
  if (!parsed) {
    const name = `${key.templateId}/${key.locale}/${key.tone}/${part}`;
    try {
      parsed = {
        name,
        template: compileLiquid(source, { escape: part === 'email.html', filters: KLANTREIS_FILTERS }),
      };
    } catch (error) {
      throw new Error(`template ${name}: ${(error as Error).message}`, { cause: error });
    }
    parts.set(part, parsed);
  }
  return parsed;
}

/** What a render uses of a variant: the email, one of the SMS texts, the call script or the letter (its own text). */
type RenderedText = 'email' | 'sms' | 'sms.short' | 'call' | 'letter';

const usedBlocks = new WeakMap<ToneTemplates, Partial<Record<RenderedText, string[]>>>();

/**
 * Returns the blocks the channel's parts use (an SMS needs two or three, not the greeting): named
 * as `blocks.<name>` or `blocks['<name>']`. Any other use of `blocks` (a loop, a variable index)
 * gets them all. Blocks nobody names are not rendered, which is the only cost they could have.
 */
function blocksUsedBy(variant: ToneTemplates, text: RenderedText): string[] {
  let byText = usedBlocks.get(variant);
  if (!byText) {
    byText = {};
    usedBlocks.set(variant, byText);
  }
  const known = byText[text];
  if (known) return known;
  const all = Object.keys(variant.blocks ?? {});
  const sources =
    text === 'email'
      ? variant.email
        ? [variant.email.subject, variant.email.html, variant.email.text]
        : []
      : text === 'call'
        ? [variant.call?.text ?? '']
        : text === 'letter'
          ? [variant.email?.subject ?? '', variant.letter?.text ?? '']
          : [(text === 'sms.short' ? variant.sms?.short : variant.sms?.text) ?? ''];
  const named = new Set<string>();
  let other = false;
  for (const source of sources) {
    const uses = source.match(/\bblocks\b(?:\.[A-Za-z_][\w-]*|\[\s*(?:'[^']*'|"[^"]*")\s*\])?/g) ?? [];
    for (const use of uses) {
      const name = /^blocks(?:\.([\w-]+)|\[\s*['"]([^'"]*)['"]\s*\])$/.exec(use);
      if (name) named.add(name[1] ?? name[2] ?? '');
      else other = true;
    }
  }
  const used = other ? all : all.filter((block) => named.has(block));
  byText[text] = used;
  return used;
}

/** Returns every part of a tone's templates with its Liquid source, blocks first. */
function partsOf(tone: ToneTemplates): [TemplatePart, string][] {
  const parts: [TemplatePart, string][] = Object.entries(tone.blocks ?? {}).map(
    ([block, source]): [TemplatePart, string] => [`blocks/${block}`, source],
  );
  if (tone.email) {
    parts.push(
      ['email.subject', tone.email.subject],
      ['email.html', tone.email.html],
      ['email.text', tone.email.text],
    );
  }
  if (tone.sms) parts.push(['sms', tone.sms.text]);
  if (tone.sms?.short !== undefined) parts.push(['sms.short', tone.sms.short]);
  if (tone.call) parts.push(['call', tone.call.text]);
  if (tone.letter) parts.push(['letter', tone.letter.text]);
  return parts;
}

/** Parses every template of the catalog now (a cold start fails fast); throws naming the broken part. */
export function checkCatalog(catalog: TemplateCatalog): void {
  for (const [templateId, locales] of Object.entries(catalog.templates)) {
    for (const [locale, tones] of Object.entries(locales)) {
      for (const [tone, channels] of Object.entries(tones)) {
        if (!channels) continue;
        for (const [part, source] of partsOf(channels))
          parsedPart(catalog, { templateId, locale, tone }, channels, part, source);
      }
    }
  }
}

/**
 * Returns the message rendered for the channel in the best available locale (`nl-BE` -> `nl` ->
 * default) and tone (falls back to friendly), with reasons. Blocks are rendered first, once, and
 * handed to every part as `blocks.<name>`. HTML output is escaped, text and SMS are not; an
 * undefined variable or filter fails. A missing template or channel throws: that is a deployment
 * bug, not a customer outcome. An SMS above the template's segment limit is still returned (the
 * customer must get the reminder); the reasons say so, and validation keeps shipped texts within it.
 * `smsForm: 'short'` renders the template's short SMS text instead (the caller's fallback for an SMS
 * over its limit); a variant without one gets its normal text, and the reasons and `form` say so.
 */
export function renderMessage(input: {
  catalog: TemplateCatalog;
  templateId: string;
  channel: Channel;
  locale: string;
  /** The text variant: a tone, or a named variant an experiment's arm picks. */
  tone: TextVariant;
  data: Record<string, unknown>;
  defaultLocale: string;
  /** The customer's IANA time zone: moments (not calendar dates) are shown in it. */
  timezone?: string;
  /** What an SMS does with letters outside GSM-7 (the policy's choice for the customer's country); default keep. */
  smsLetters?: SmsLetters;
  /** Which SMS text: the template's own (default) or its short form. */
  smsForm?: SmsForm;
  /** How the SMS offers the opt-out (`{{ optOut }}`): the unsubscribe link (default) or reply STOP. */
  smsOptOut?: SmsOptOutForm;
}): { message: RenderedMessage; reasons: Reason[] } {
  const { catalog, templateId, channel, tone } = input;
  const where = `channel ${channel}, locale ${input.locale}, tone ${tone}`;
  const locales = catalog.templates[templateId];
  if (!locales) throw new Error(`template ${templateId} does not exist (${where})`);

  const picked = pickLocale(input.locale, Object.keys(locales), input.defaultLocale);
  const reasons = [...picked.reasons];
  const locale = picked.locale;
  const tones = locales[locale];
  if (!tones) throw new Error(`template ${templateId} has no locale ${locale} (${where})`);

  let usedTone: TextVariant = tone;
  let channels = tones[tone];
  if (!channels && tone !== FALLBACK_TONE) {
    usedTone = FALLBACK_TONE;
    channels = tones[FALLBACK_TONE];
    reasons.push(`tone ${FALLBACK_TONE}: template has no ${tone} text for ${locale}`);
  } else {
    reasons.push(`tone ${tone}`);
  }
  const content = channels?.[templateChannelOf(channel)];
  if (!channels || !content)
    throw new Error(`template ${templateId} has no ${channel} for locale ${locale}, tone ${usedTone}`);

  // Amounts and dates follow the customer's own region when the text is in their language (en-GB: 1 December).
  const formatLocale = languageOf(input.locale) === languageOf(locale) ? input.locale : locale;
  const globals = { locale: formatLocale, ...(input.timezone ? { timezone: input.timezone } : {}) };
  // An SMS's opt-out line, in the text's language, as the policy chose it.
  const unsubscribe = (input.data.links as { unsubscribe?: unknown } | undefined)?.unsubscribe;
  const optOutForm = input.smsOptOut ?? 'link';
  const data =
    channel === 'sms' && (typeof unsubscribe === 'string' || optOutForm === 'reply-stop')
      ? { ...input.data, optOut: optOutText(optOutForm, languageOf(locale), String(unsubscribe)) }
      : input.data;
  const key = { templateId, locale, tone: usedTone };
  const variant = channels;
  const render = (part: TemplatePart, source: string, scope: Record<string, unknown>): string => {
    const { template, name } = parsedPart(catalog, key, variant, part, source);
    try {
      return template(scope, globals);
    } catch (error) {
      throw new Error(`template ${name}: ${(error as Error).message}`, { cause: error });
    }
  };

  // The short SMS text when asked and written; a variant without one sends its normal text.
  const short = channel === 'sms' && input.smsForm === 'short';
  const form: SmsForm = short && channels.sms?.short !== undefined ? 'short' : 'normal';
  if (short && form === 'normal') reasons.push('no short sms text');
  const smsPart = form === 'short' ? 'sms.short' : 'sms';
  const blocks: Record<string, string> = {};
  const ownLetter = channel === 'letter' ? channels.letter : undefined;
  const usedText: RenderedText =
    channel === 'sms' ? smsPart : channel === 'phone' ? 'call' : ownLetter ? 'letter' : 'email';
  for (const block of blocksUsedBy(channels, usedText)) {
    blocks[block] = render(`blocks/${block}`, channels.blocks?.[block] ?? '', data).trim();
  }
  const scope = { ...data, blocks };

  if (channel === 'phone') {
    const message: RenderedMessage = {
      channel: 'phone',
      locale,
      text: render('call', content.text, scope).trim(),
    };
    reasons.push(`rendered ${templateId} call script in ${locale}`);
    return { message, reasons };
  }
  if (channel === 'letter' && 'subject' in content) {
    const message: RenderedMessage = {
      channel: 'letter',
      locale,
      subject: render('email.subject', content.subject, scope).replace(/\s+/g, ' ').trim(),
      // The letter's own text, else the email's plain text without its footer (below the `--` line):
      // links to change preferences or unsubscribe from email mean nothing on paper.
      text: ownLetter
        ? render('letter', ownLetter.text, scope).trim()
        : (render('email.text', content.text, scope)
            .split(/\n--[ \t]*\n/)[0]
            ?.trim() as string),
    };
    reasons.push(`rendered ${templateId} letter in ${locale}${ownLetter ? ' from its letter text' : ''}`);
    return { message, reasons };
  }
  if (channel === 'email' && 'subject' in content) {
    const subject = render('email.subject', content.subject, scope).replace(/\s+/g, ' ').trim();
    const message: RenderedMessage = {
      channel: 'email',
      locale,
      subject,
      html: render('email.html', content.html, { ...scope, subject }).trim(),
      text: render('email.text', content.text, scope).trim(),
    };
    reasons.push(`rendered ${templateId} email in ${locale}`);
    return { message, reasons };
  }
  const source = (form === 'short' ? channels.sms?.short : channels.sms?.text) ?? '';
  // Composed characters (é, not e + ◌́): a decomposed accent is not GSM-7 and would force UCS-2.
  const rendered = render(smsPart, source, scope).trim().normalize('NFC');
  const limit = smsLimitOf(catalog, templateId, usedTone);
  const { text, encoding, segments } = smsTextOf(rendered, input.smsLetters ?? 'keep', limit, reasons);
  const message: RenderedMessage = { channel: 'sms', locale, text, encoding, segments, form };
  reasons.push(
    `rendered ${templateId} ${form === 'short' ? 'short ' : ''}sms in ${locale}: ${segments} ${encoding} part(s)`,
  );
  if (segments > limit) reasons.push(`sms longer than the template's limit of ${limit} parts`);
  return { message, reasons };
}

/**
 * Returns the SMS as sent: smart-encoded (punctuation as GSM-7, letters as the policy says), with
 * its encoding and parts. Kept letters that would take the SMS above the template's part limit are
 * transliterated after all: an emoji or a foreign letter in a name must not make a reminder too long.
 */
function smsTextOf(rendered: string, letters: SmsLetters, limit: number, reasons: Reason[]) {
  let smart = smartEncodeSms(rendered, letters);
  let sms = smsEncodingOf(smart.text.trim());
  if (letters === 'keep' && sms.segments > limit) {
    const bare = smartEncodeSms(rendered, 'transliterate');
    const bareSms = smsEncodingOf(bare.text.trim());
    if (bareSms.segments < sms.segments) {
      reasons.push(`sms letters transliterated: ${sms.segments} parts kept, limit ${limit}`);
      smart = bare;
      sms = bareSms;
    }
  }
  const why = smartEncodingReason(smart);
  if (why) reasons.push(why);
  const kept = keptCharactersReason(smart.kept);
  if (kept) reasons.push(kept);
  return { text: smart.text.trim(), encoding: sms.encoding, segments: sms.segments };
}
