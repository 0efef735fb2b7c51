/**
 * What an inbound SMS asks for. An opt-out keyword (Dutch or English) is honoured at once; any
 * other text is a reply a person should read. A keyword followed by more text is both: the
 * opt-out is recorded and the rest is handed to a person, since it may say why.
 */

/**
 * Opt-out words and phrases that count also at the start of a longer message, compared after
 * upper-casing, dropping punctuation and squeezing spaces.
 */
export const OPT_OUT_KEYWORDS: readonly string[] = [
  'STOP',
  'STOP ALL',
  'STOPALL',
  'UNSUBSCRIBE',
  'OPT OUT',
  'OPTOUT',
  'STOPPEN',
  'STOP ALLES',
  'AFMELDEN',
  'UITSCHRIJVEN',
  'GEEN SMS',
  'NIET MEER STUREN',
];

/**
 * Carrier opt-out words that are also ordinary sentence openers ("End of the month I pay",
 * "Opzeggen kan dat?"): they opt out only as the whole message.
 */
export const WHOLE_MESSAGE_OPT_OUT_KEYWORDS: readonly string[] = [
  'CANCEL',
  'END',
  'QUIT',
  'REMOVE',
  'OPZEGGEN',
];

export type SmsReplyKind =
  /** Only an opt-out keyword. */
  | { kind: 'opt-out'; keyword: string; escalate: false }
  /** An opt-out keyword followed by more text: opt out, and a person reads the rest. */
  | { kind: 'opt-out'; keyword: string; escalate: true }
  /** Anything else: lands in the conversation for a person. */
  | { kind: 'reply'; escalate: true };

/** Returns the text in the form keywords are compared in: `Stop-alles!` → `STOP ALLES`. */
export function normaliseReply(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, ' ')
    .trim();
}

// Longest first, so `STOP ALLES` wins over `STOP` and the rest of the text is measured correctly.
const KEYWORDS_LONGEST_FIRST = [...OPT_OUT_KEYWORDS].sort((a, b) => b.length - a.length);

/** Returns whether the reply opts out (and whether a person should also read it). */
export function classifySmsReply(text: string): SmsReplyKind {
  const normalised = normaliseReply(text);
  if (WHOLE_MESSAGE_OPT_OUT_KEYWORDS.includes(normalised)) {
    return { kind: 'opt-out', keyword: normalised, escalate: false };
  }
  for (const keyword of KEYWORDS_LONGEST_FIRST) {
    if (normalised === keyword) return { kind: 'opt-out', keyword, escalate: false };
    if (normalised.startsWith(`${keyword} `)) return { kind: 'opt-out', keyword, escalate: true };
  }
  return { kind: 'reply', escalate: true };
}
