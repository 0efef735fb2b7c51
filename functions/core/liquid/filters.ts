/**
 * Liquid's standard filters that make sense for a message: text, numbers and `default`. Each one
 * behaves as liquidjs's filter of the same name (liquidjs 10, MIT; the oracle test in
 * test/content/liquid-engine.test.ts renders both and compares). Array, date and JSON filters are
 * left out: template data holds no lists, and dates go through Klantreis's own `date`/`datetime`.
 */
import { stringify, toNumber, toValue } from './values.ts';

/** A filter: the value, then the arguments; `this.context.globals` holds the render's locale and zone. */
export type LiquidFilter = (
  this: { context: { globals: unknown } },
  value: unknown,
  ...args: unknown[]
) => unknown;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&#34;',
  "'": '&#39;',
};
const UNESCAPES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&#34;': '"',
  '&#39;': "'",
};

/** HTML-escapes the text, as every output of the HTML part is. */
export const escapeHtml = (value: unknown): string =>
  stringify(value).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

function codePointEnd(text: string, from: number, count: number): number {
  let index = from;
  for (let i = 0; i < count && index < text.length; i++)
    index += (text.codePointAt(index) ?? 0) > 0xffff ? 2 : 1;
  return index;
}

function codePointLength(text: string): number {
  let length = 0;
  for (let index = 0; index < text.length; index = codePointEnd(text, index, 1)) length++;
  return length;
}

function trimStartOf(text: string, chars: Set<string>): number {
  let start = 0;
  for (const char of text) {
    if (!chars.has(char)) break;
    start += char.length;
  }
  return start;
}

function trimEndOf(text: string, chars: Set<string>, start = 0): number {
  let end = text.length;
  while (end > start) {
    const size = end - start >= 2 && (text.codePointAt(end - 2) ?? 0) > 0xffff ? 2 : 1;
    if (!chars.has(text.slice(end - size, end))) break;
    end -= size;
  }
  return end;
}

function twoArguments(name: string, count: number): void {
  if (count !== 2) throw new Error(`${name} expects 1 argument`);
}

/** liquidjs's `round`: shifts the decimal point in the text of the number, so 1.005 rounds to 1.01. */
function shiftDecimal(n: number, exponent: number): number {
  const [mantissa, power = '0'] = String(n).split('e');
  return Number(`${mantissa}e${Number(power) + exponent}`);
}

const numeric =
  (operation: (...values: number[]) => number): LiquidFilter =>
  (...values: unknown[]) =>
    operation(...values.map(toNumber));

export const STANDARD_FILTERS: Readonly<Record<string, LiquidFilter>> = {
  default(value, fallback, ...named) {
    // liquidjs reads more arguments as named ones (`allow_false: true`), which we do not support.
    if (named.length > 0) throw new Error('default takes 1 argument');
    const plain = toValue(value);
    if (Array.isArray(plain) || typeof plain === 'string') return plain.length ? plain : fallback;
    return plain ? plain : fallback;
  },
  upcase: (value) => stringify(value).toUpperCase(),
  downcase: (value) => stringify(value).toLowerCase(),
  capitalize(value) {
    const text = stringify(value);
    return text.charAt(0).toUpperCase() + text.slice(1).toLowerCase();
  },
  strip(value, chars) {
    const text = stringify(value);
    if (!chars) return text.trim();
    const set = new Set(stringify(chars));
    const start = trimStartOf(text, set);
    return text.slice(start, trimEndOf(text, set, start));
  },
  lstrip(value, chars) {
    const text = stringify(value);
    return chars ? text.slice(trimStartOf(text, new Set(stringify(chars)))) : text.trimStart();
  },
  rstrip(value, chars) {
    const text = stringify(value);
    return chars ? text.slice(0, trimEndOf(text, new Set(stringify(chars)))) : text.trimEnd();
  },
  strip_newlines: (value) => stringify(value).replace(/\r?\n/gm, ''),
  newline_to_br: (value) => stringify(value).replace(/\r?\n/gm, '<br />\n'),
  escape: escapeHtml,
  escape_once: (value) =>
    escapeHtml(stringify(value).replace(/&(amp|lt|gt|#34|#39);/g, (m) => UNESCAPES[m] ?? m)),
  url_encode: (value) => encodeURIComponent(stringify(value)).replace(/%20/g, '+'),
  append(value, ...args) {
    twoArguments('append', args.length + 1);
    return stringify(value) + stringify(args[0]);
  },
  prepend(value, ...args) {
    twoArguments('prepend', args.length + 1);
    return stringify(args[0]) + stringify(value);
  },
  replace: (value, pattern, replacement) =>
    stringify(value).split(stringify(pattern)).join(stringify(replacement)),
  replace_first(value, pattern, replacement) {
    const text = stringify(replacement);
    return stringify(value).replace(stringify(pattern), () => text);
  },
  remove: (value, pattern) => stringify(value).split(stringify(pattern)).join(''),
  remove_first: (value, pattern) => stringify(value).replace(stringify(pattern), ''),
  truncate(value, length = 50, ellipsis = '...') {
    const text = stringify(value);
    const end = stringify(ellipsis);
    const l = length as number;
    if (text.length <= l || codePointEnd(text, 0, l) >= text.length) return value;
    return text.slice(0, codePointEnd(text, 0, Math.max(l - codePointLength(end), 0))) + end;
  },
  truncatewords(value, count = 15, ellipsis = '...') {
    const words = stringify(value).trimStart().split(/\s+/);
    let n = count as number;
    if (n <= 0) n = 1;
    let text = words.slice(0, n).join(' ');
    if (words.length >= n) text += stringify(ellipsis);
    return text;
  },
  size: (value) => (value as { length?: number } | null)?.length || 0,
  plus: numeric((a, b) => (a as number) + (b as number)),
  minus: numeric((a, b) => (a as number) - (b as number)),
  times: numeric((a, b) => (a as number) * (b as number)),
  // liquidjs reads a second argument as "integer arithmetic": a true (non-zero) one floors the result.
  divided_by: numeric((a, b, integer) =>
    integer ? Math.floor((a as number) / (b as number)) : (a as number) / (b as number),
  ),
  modulo: numeric((a, b) => (((a as number) % (b as number)) + (b as number)) % (b as number)),
  abs: numeric(Math.abs),
  ceil: numeric(Math.ceil),
  floor: numeric(Math.floor),
  at_least: numeric(Math.max),
  at_most: numeric(Math.min),
  round(value, places = 0) {
    const v = toNumber(value);
    const p = toNumber(places);
    const scaled = shiftDecimal(Math.abs(v), p);
    if (!(scaled <= Number.MAX_SAFE_INTEGER)) return v;
    const rounded = shiftDecimal(Math.round(scaled), -p);
    return v < 0 ? -rounded : rounded;
  },
};
