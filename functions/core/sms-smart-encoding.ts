/**
 * Smart encoding: before an SMS is counted and sent, characters that have a GSM-7 equivalent are
 * written as it, so a typographic apostrophe in a text or in customer data (`’s-Hertogenbosch`)
 * never turns the whole message into UCS-2 (70 instead of 160 characters a part). Letters outside
 * GSM-7 (ë, ç, ł) are a policy choice per country: keep them (UCS-2) or transliterate them (ë → e).
 * What was replaced is reported by code point or class, never as text: it may come from a name.
 */
import { ucs2CharactersOf } from './sms-encoding.ts';

/** What happens to a letter outside GSM-7: kept (the SMS goes UCS-2) or written without its accent. */
export type SmsLetters = 'keep' | 'transliterate';

/**
 * Punctuation, spaces and symbols with a GSM-7 equivalent. The set follows the table Twilio documents
 * for its Smart Encoding ("What is Smart Encoding?", Twilio support, checked 2026-12), plus the
 * spaces Unicode has (Zs). Full-width forms (U+FF01–U+FF5E) and other compatibility characters
 * (™, ², ﬁ) are handled by their NFKC form when that is GSM-7.
 */
const SMART_MAP: Record<string, string> = {
  ...each('«»“”„‟″＂', '"'),
  ...each('′´`ʹʻʼˈ', "'"),
  ...each('•‣◦∙·−⁃', '-'),
  ...each('⁄∕', '/'),
  '‚': ',',
  '\t': ' ',
  '\u2028': '\n',
  '\u2029': '\n',
  '\u0085': '\n',
};

function each(chars: string, to: string): Record<string, string> {
  return Object.fromEntries([...chars].map((c) => [c, to]));
}

/** Dashes (‐ ‑ ‒ – — ―) and the remaining quotation marks (‘ ’ ‛ ‹ ›), by their Unicode class. */
const DASH = /\p{Pd}/u;
const QUOTE = /\p{Pi}|\p{Pf}/u;

/** Characters that mean nothing on a phone and are dropped: soft hyphen, zero-width and direction marks, controls. */
const INVISIBLE =
  /[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]|\p{Cc}|\p{Variation_Selector}/u;
const EMOJI = /\p{Extended_Pictographic}|\p{Emoji_Modifier}|\p{Regional_Indicator}/u;
const isGsm = (text: string) => ucs2CharactersOf(text).length === 0;

/** Letters whose decomposition does not give a GSM-7 letter, written the way they are without a keyboard. */
const LETTERS: Record<string, string> = {
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  œ: 'oe',
  Œ: 'OE',
  þ: 'th',
  Þ: 'Th',
  ı: 'i',
};

/** A letter written in GSM-7 without its accent (ë → e, ç → c, ł → l), or undefined when there is none. */
function transliterated(char: string): string | undefined {
  if (LETTERS[char]) return LETTERS[char];
  const bare = char.normalize('NFKD').replace(/\p{M}/gu, '');
  return bare && isGsm(bare) ? bare : undefined;
}

type Kind = 'punctuation' | 'transliterated' | 'invisible' | 'emoji' | 'kept';

export interface SmartEncoded {
  text: string;
  /** Per kind of change, the code points it touched, each once (U+2019), sorted: no order of a name's letters. */
  replaced: Partial<Record<Exclude<Kind, 'kept'>, string[]>>;
  /** Characters that stay outside GSM-7 (letters kept by policy, scripts without a GSM-7 form). */
  kept: string[];
}

export function codePointOf(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Returns what a character becomes in an SMS and what kind of change that is. */
function mapCharacter(char: string, letters: SmsLetters): [string, Kind] {
  const mapped = SMART_MAP[char];
  if (mapped !== undefined) return [mapped, 'punctuation'];
  if (/\p{Zs}/u.test(char)) return [' ', 'punctuation'];
  if (DASH.test(char)) return ['-', 'punctuation'];
  if (QUOTE.test(char)) return ["'", 'punctuation'];
  if (INVISIBLE.test(char)) return ['', 'invisible'];
  if (/\p{L}/u.test(char)) {
    const bare = letters === 'transliterate' ? transliterated(char) : undefined;
    return bare === undefined ? [char, 'kept'] : [bare, 'transliterated'];
  }
  const compatible = char.normalize('NFKC');
  if (compatible !== char && isGsm(compatible)) return [compatible, 'punctuation'];
  // An emoji never has a GSM-7 form: kept when letters are, else left out (the words carry the message).
  if (EMOJI.test(char)) return letters === 'keep' ? [char, 'kept'] : ['', 'emoji'];
  return [char, 'kept'];
}

/**
 * Returns the text as it is sent by SMS: GSM-7 equivalents for punctuation and spaces, invisible and
 * control characters dropped, letters outside GSM-7 kept or transliterated as `letters` says.
 * GSM-7 text is returned unchanged. Spaces left doubled by a dropped character are collapsed.
 */
export function smartEncodeSms(text: string, letters: SmsLetters): SmartEncoded {
  const replaced: SmartEncoded['replaced'] = {};
  const kept = new Set<string>();
  if (isGsm(text)) return { text, replaced, kept: [] };
  let out = '';
  let dropped = false;
  for (const char of text) {
    if (isGsm(char)) {
      out += char;
      continue;
    }
    const [to, kind] = mapCharacter(char, letters);
    out += to;
    if (kind === 'kept') {
      kept.add(char);
      continue;
    }
    if (to === '') dropped = true;
    const list = replaced[kind] ?? [];
    const code = codePointOf(char);
    if (!list.includes(code)) list.push(code);
    replaced[kind] = list;
  }
  for (const list of Object.values(replaced)) list.sort();
  if (dropped) out = out.replace(/ {2,}/g, ' ').replace(/ +([.,!?;:])/g, '$1');
  return { text: out, replaced, kept: [...kept] };
}

/** Returns a reason naming what smart encoding changed, by code point, or undefined when nothing changed. */
export function smartEncodingReason(result: SmartEncoded): string | undefined {
  const parts = Object.entries(result.replaced).map(([kind, codes]) => `${kind} (${codes.join(' ')})`);
  return parts.length > 0 ? `sms smart encoding: ${parts.join('; ')}` : undefined;
}

/** Returns a reason for the characters an SMS keeps outside GSM-7, by count only: their code points could spell a name. */
export function keptCharactersReason(kept: readonly string[]): string | undefined {
  return kept.length > 0 ? `sms keeps ${kept.length} character(s) outside GSM-7: UCS-2` : undefined;
}
