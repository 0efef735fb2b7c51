/**
 * How Liquid values print, test and compare, as liquidjs does with Klantreis's options
 * (`jsTruthy`: JavaScript truthiness; `nil`, `empty` and `blank` compare by their own rules).
 */
import { BLANK, EMPTY, NIL, type SpecialLiteral } from './syntax.ts';

export const isSpecial = (value: unknown): value is SpecialLiteral =>
  value === NIL || value === EMPTY || value === BLANK;

/** The plain value of a special literal (liquidjs `toValue`): nil is null, empty and blank are ''. */
export function toValue(value: unknown): unknown {
  if (!isSpecial(value)) return value;
  return value === NIL ? null : '';
}

/** Returns the text a value prints as: nothing for null, arrays joined, the rest as `String` does. */
export function stringify(value: unknown): string {
  const plain = toValue(value);
  if (typeof plain === 'string') return plain;
  if (plain === null || plain === undefined) return '';
  if (Array.isArray(plain)) return plain.map(stringify).join('');
  return String(plain);
}

/** liquidjs `toNumber`: `+value`, or 0 when that is not a number. */
export const toNumber = (value: unknown): number => +(toValue(value) as number) || 0;

export const isTruthy = (value: unknown): boolean => !!toValue(value);

function specialEquals(special: SpecialLiteral, other: unknown): boolean {
  if (special === NIL) return toValue(other) === null || toValue(other) === undefined;
  if (special === BLANK) {
    if (other === false) return true;
    const plain = toValue(other);
    if (plain === null || plain === undefined) return true;
    if (typeof other === 'string') return /^\s*$/.test(other);
  }
  // empty (and blank for the rest): an empty string, array or object; never another empty.
  if (other === EMPTY || other === BLANK) return false;
  const plain = toValue(other);
  if (typeof plain === 'string' || Array.isArray(plain)) return plain.length === 0;
  if (typeof plain === 'object' && plain !== null) return Object.keys(plain).length === 0;
  return false;
}

/** `==`: specials by their rules, arrays element by element, the rest strictly. */
export function equals(left: unknown, right: unknown): boolean {
  if (isSpecial(left)) return specialEquals(left, right);
  if (isSpecial(right)) return specialEquals(right, left);
  if (Array.isArray(left)) {
    return (
      Array.isArray(right) && left.length === right.length && left.every((item, i) => equals(item, right[i]))
    );
  }
  return left === right;
}

/** `<`, `>`, `<=`, `>=`: never true with a special literal; otherwise JavaScript's comparison. */
export function compare(operator: '<' | '>' | '<=' | '>=', left: unknown, right: unknown): boolean {
  if (isSpecial(left) || isSpecial(right)) return false;
  const l = left as number;
  const r = right as number;
  switch (operator) {
    case '<':
      return l < r;
    case '>':
      return l > r;
    case '<=':
      return l <= r;
    case '>=':
      return l >= r;
  }
}

/** `contains`: an array holding an equal item, or a string holding the text. */
export function contains(left: unknown, right: unknown): boolean {
  const haystack = toValue(left);
  if (Array.isArray(haystack)) return haystack.some((item) => equals(item, right));
  if (typeof (haystack as { indexOf?: unknown } | null)?.indexOf === 'function') {
    return (haystack as string).indexOf(toValue(right) as string) > -1;
  }
  return false;
}
