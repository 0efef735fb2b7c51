/**
 * Amounts of money, exactly: a decimal string in major units (`"12.50"` EUR, `"1000"` JPY) with no
 * more decimals than the currency's ISO 4217 minor unit, never a binary float. The API also takes a
 * JSON number when it holds that same exact value (`12.5`); either way the subject carries the string.
 */
import * as z from 'zod/mini';

/** The largest amount an invoice may state, in major units: a sanity bound, far above any real invoice. */
export const MAX_AMOUNT = 1_000_000_000_000;

/**
 * ISO 4217 minor units that are not 2 (the list's own "minor unit" column). CLDR, which Intl formats
 * with, differs for some (it shows HUF and IQD without decimals): formatting states the digits itself.
 */
const MINOR_UNITS: Readonly<Record<string, number>> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

/** Units of account with no minor unit in ISO 4217 ("N.A."): nobody is invoiced in them. */
const NOT_INVOICE_CURRENCIES = new Set(['XDR', 'XSU', 'XUA', 'XBA', 'XBB', 'XBC', 'XBD', 'XTS', 'XXX']);

/** The ISO 4217 codes an invoice may be in: the runtime's own list (ICU data), less units of account. */
export const CURRENCY_CODES: readonly string[] = Intl.supportedValuesOf('currency').filter(
  (code) => !NOT_INVOICE_CURRENCIES.has(code),
);
const currencies = new Set(CURRENCY_CODES);

export function isCurrencyCode(value: unknown): value is string {
  return typeof value === 'string' && currencies.has(value);
}

/** Returns the currency's ISO 4217 minor unit: how many decimals an amount in it may have. */
export function minorUnitOf(currency: string): number {
  return MINOR_UNITS[currency] ?? 2;
}

/**
 * A decimal in major units with a dot and no sign, exponent or separators: up to 13 integer digits
 * (10^12). Decimals beyond the currency's are refused beside the currency, with a message saying so.
 */
export const AMOUNT_PATTERN = /^(0|[1-9]\d{0,12})(\.\d{1,20})?$/;

/** Returns the decimal text of a number, exactly as JavaScript holds it (`12.5`, not `1.25e1`), or undefined. */
function decimalTextOf(value: number): string | undefined {
  if (!Number.isFinite(value) || value < 0) return undefined;
  const text = String(value);
  if (!/e/i.test(text)) return text;
  // Exponent form appears below 1e-6 (more decimals than any currency has) and from 1e21 (too big).
  return value < 1 ? value.toFixed(20) : undefined;
}

/** The parts of a decimal amount, without trailing zeros in its fraction. */
interface DecimalParts {
  whole: string;
  fraction: string;
}

function partsOf(text: string): DecimalParts | undefined {
  const match = AMOUNT_PATTERN.exec(text);
  if (!match) return undefined;
  return { whole: match[1] ?? '0', fraction: (match[2] ?? '').slice(1).replace(/0+$/, '') };
}

/** Returns why the decimal cannot be written exactly in the currency, or undefined when it can. */
function decimalsProblemOf(parts: DecimalParts | undefined, currency: string): string | undefined {
  if (!parts) return 'a decimal amount such as "12.50"';
  const digits = minorUnitOf(currency);
  if (parts.fraction.length <= digits) return undefined;
  return digits === 0
    ? `${currency} has no minor unit: a whole amount such as "1000"`
    : `${currency} has ${digits} decimals: the amount cannot have more`;
}

/** Returns why the amount cannot be invoiced exactly in the currency (0 < amount ≤ 10^12), or undefined. */
export function amountProblemOf(amount: string, currency: string): string | undefined {
  const parts = partsOf(amount);
  if (parts && /^0*$/.test(parts.whole + parts.fraction)) return 'must be more than 0';
  const overMax = parts?.whole.length === 13 && (parts.whole !== String(MAX_AMOUNT) || parts.fraction !== '');
  if (overMax) return `at most ${MAX_AMOUNT} (10^12)`;
  return decimalsProblemOf(parts, currency);
}

/** Returns the amount written with exactly the currency's decimals (`"12.5"` EUR → `"12.50"`); assumes it is valid. */
export function canonicalAmount(amount: string, currency: string): string {
  const parts = partsOf(amount);
  if (!parts) return amount;
  const digits = minorUnitOf(currency);
  return digits === 0 ? parts.whole : `${parts.whole}.${parts.fraction.padEnd(digits, '0')}`;
}

/**
 * An amount as the API takes it: a decimal string, or a JSON number with the same exact value. The
 * currency's decimals are checked beside the currency (`exactAmountChecks`); the output is the string.
 */
export const AmountSchema = z.codec(
  z.union([
    z
      .string()
      .check(
        z.regex(AMOUNT_PATTERN, 'a decimal amount such as "12.50" (dot, no thousands separators)'),
        z.describe('Decimal string in major units, e.g. "12.50" EUR or "1000" JPY; 0 < amount ≤ 10^12'),
      ),
    z
      .number()
      .check(z.positive(), z.lte(MAX_AMOUNT), z.describe('The same amount as a JSON number, e.g. 12.5')),
  ]),
  z.string().check(z.describe('Decimal string with exactly the currency’s ISO 4217 decimals, e.g. "12.50"')),
  {
    decode: (value) => (typeof value === 'string' ? value : (decimalTextOf(value) ?? 'NaN')),
    encode: (value) => value,
  },
);

/** An ISO 4217 code the runtime knows; the document lists them. */
export const CurrencySchema = z.enum(CURRENCY_CODES as [string, ...string[]], {
  error: 'an ISO 4217 currency code such as EUR',
});

/**
 * The checks an object with `amount` and `currency` needs: the amount fits the currency's decimals
 * and bounds (a 400 at `amount`), then it is written with exactly those decimals.
 */
export function exactAmountChecks<T extends { amount: string; currency: string }>() {
  return [
    z.superRefine<T>((value, context) => {
      // An amount or currency that failed its own check has its issue already.
      if (typeof value.amount !== 'string' || !AMOUNT_PATTERN.test(value.amount)) return;
      if (!isCurrencyCode(value.currency)) return;
      const problem = amountProblemOf(value.amount, value.currency);
      if (problem)
        context.addIssue({ code: 'custom', path: ['amount'], message: problem, input: value.amount });
    }),
    z.overwrite<T>((value) =>
      typeof value.amount === 'string' &&
      isCurrencyCode(value.currency) &&
      amountProblemOf(value.amount, value.currency) === undefined
        ? { ...value, amount: canonicalAmount(value.amount, value.currency) }
        : value,
    ),
  ] as const;
}

// Building an Intl.NumberFormat costs ~25 µs, more than the rest of a render: keep one per locale
// and currency (a handful in practice; bounded in case data brings many).
const currencyFormats = new Map<string, Intl.NumberFormat>();
function currencyFormat(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let format = currencyFormats.get(key);
  if (!format) {
    if (currencyFormats.size >= 256) currencyFormats.clear();
    const digits = minorUnitOf(currency);
    format = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    currencyFormats.set(key, format);
  }
  return format;
}

/**
 * Returns the amount written for the locale (`€ 12,50`), from its exact decimal text: Intl formats a
 * numeric string as a decimal, so no amount passes through a float. Throws when the amount is not
 * one the currency can hold exactly, rather than rounding a message's money.
 */
export function formatMoney(amount: unknown, currency: unknown, locale: string): string {
  if (!isCurrencyCode(currency)) throw new Error('money: currency must be an ISO 4217 code such as EUR');
  const text = typeof amount === 'number' ? decimalTextOf(amount) : amount;
  if (typeof text !== 'string') throw new Error('money: amount is not a decimal amount such as "12.50"');
  const problem = decimalsProblemOf(partsOf(text), currency);
  if (problem) throw new Error(`money: ${problem}`);
  return currencyFormat(locale, currency).format(text as Intl.StringNumericLiteral);
}

/**
 * Returns an amount in minor units (`"12.50"`, 2 → 1250n), exactly; throws when it is not a decimal
 * amount or has more decimals than `digits`.
 */
export function minorUnitsOf(amount: string, digits: number): bigint {
  const parts = partsOf(amount);
  if (!parts || parts.fraction.length > digits)
    throw new Error(`money: not an amount with ${digits} decimals`);
  return BigInt(parts.whole + parts.fraction.padEnd(digits, '0'));
}

/** Returns minor units as a decimal amount with `digits` decimals (1250n, 2 → `"12.50"`); never negative. */
export function amountOfMinorUnits(units: bigint, digits: number): string {
  if (units < 0n) throw new Error('money: a negative amount');
  const text = units.toString().padStart(digits + 1, '0');
  return digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}
