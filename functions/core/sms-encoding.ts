/**
 * How a text travels as SMS: GSM 03.38 (7-bit, "GSM-7") when every character is in its basic or
 * extension table, else UCS-2 (UTF-16). The encoding decides the length of a part (160 / 70
 * single, 153 / 67 per part of a concatenated message), and the number of parts is what a
 * carrier bills. National language shift tables (Turkish, Portuguese, …) are not used: SNS does
 * not let us choose them.
 */

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsEncodingReport {
  encoding: SmsEncoding;
  /** Septets (GSM-7, an extension character counts two) or UTF-16 code units (UCS-2). */
  length: number;
  /** Parts the message is sent in (0 for an empty text). */
  segments: number;
  /** Room in one part of this message: 160 or 153 (GSM-7), 70 or 67 (UCS-2). */
  perSegment: number;
  /** The distinct characters that are not GSM-7 and so force UCS-2, in order of appearance. */
  ucs2Characters: string[];
}

// The GSM 03.38 basic character set (ESC, 0x1B, left out: it introduces extension characters).
const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
// The extension table: each is sent as ESC + character, two septets.
const GSM7_EXTENSION = new Set('^{}\\[~]|€\f');

const SINGLE = { 'GSM-7': 160, 'UCS-2': 70 } as const;
const MULTI = { 'GSM-7': 153, 'UCS-2': 67 } as const;

/** Returns the characters of `text` that are not GSM-7, each once, in order of appearance. */
export function ucs2CharactersOf(text: string): string[] {
  const found = new Set<string>();
  for (const char of text) {
    if (!GSM7_BASIC.has(char) && !GSM7_EXTENSION.has(char)) found.add(char);
  }
  return [...found];
}

/** Returns the cost in units of each character, in order: septets for GSM-7, UTF-16 code units for UCS-2. */
function unitsOf(text: string, encoding: SmsEncoding): number[] {
  const units: number[] = [];
  for (const char of text) {
    if (encoding === 'UCS-2') units.push(char.length);
    else units.push(GSM7_EXTENSION.has(char) ? 2 : 1);
  }
  return units;
}

/**
 * Returns the encoding, length and number of parts of an SMS. In a concatenated message an
 * extension character (ESC + char) or a surrogate pair (an emoji) is never split over two parts,
 * so a part may hold one unit less than its room.
 */
export function smsEncodingOf(text: string): SmsEncodingReport {
  const ucs2Characters = ucs2CharactersOf(text);
  const encoding: SmsEncoding = ucs2Characters.length > 0 ? 'UCS-2' : 'GSM-7';
  const units = unitsOf(text, encoding);
  const length = units.reduce((sum, n) => sum + n, 0);
  if (length <= SINGLE[encoding]) {
    return { encoding, length, segments: length === 0 ? 0 : 1, perSegment: SINGLE[encoding], ucs2Characters };
  }
  const room = MULTI[encoding];
  let segments = 1;
  let used = 0;
  for (const n of units) {
    if (used + n > room) {
      segments++;
      used = 0;
    }
    used += n;
  }
  return { encoding, length, segments, perSegment: room, ucs2Characters };
}

/** Returns a character for a report: printable ones as they are, others as their code point (U+2019). */
export function describeCharacter(char: string): string {
  const code = (char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
  return /\p{L}|\p{N}|\p{P}|\p{S}/u.test(char) ? `"${char}" (U+${code})` : `U+${code}`;
}
