import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import '#adapters/zod-english.ts';
import { CURRENCY_CODES, formatMoney, MAX_AMOUNT, minorUnitOf } from '#core/money.ts';
import { InvoiceSubjectSchema } from '#subjects/invoice.ts';

const invoice = (amount: unknown, currency: unknown = 'EUR') => ({
  type: 'invoice',
  id: 'INV-1',
  amount,
  currency,
  dueDate: '2026-12-01',
  payUrl: 'https://pay.example.com/INV-1',
});

/** The stored amount, or the issues' paths and messages. */
function parsed(amount: unknown, currency: unknown = 'EUR') {
  const result = InvoiceSubjectSchema.safeParse(invoice(amount, currency));
  return result.success
    ? { amount: result.data.amount }
    : { issues: result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
}

describe('invoice amounts: exact decimals in the currency’s ISO 4217 minor unit', () => {
  it('keeps an amount as the decimal it is, written with the currency’s decimals', () => {
    expect(parsed('12.50')).toEqual({ amount: '12.50' });
    expect(parsed(12.5)).toEqual({ amount: '12.50' });
    expect(parsed('12.500')).toEqual({ amount: '12.50' });
    expect(parsed('1000', 'JPY')).toEqual({ amount: '1000' });
    expect(parsed('1.234', 'KWD')).toEqual({ amount: '1.234' });
    expect(parsed('1000000000000')).toEqual({ amount: '1000000000000.00' });
  });

  it('refuses what cannot be charged exactly, at `amount`, saying why', () => {
    expect(parsed('12.505')).toEqual({ issues: ['amount: EUR has 2 decimals: the amount cannot have more'] });
    expect(parsed(0.001)).toEqual({ issues: ['amount: EUR has 2 decimals: the amount cannot have more'] });
    expect(parsed('10.5', 'JPY')).toEqual({
      issues: ['amount: JPY has no minor unit: a whole amount such as "1000"'],
    });
    expect(parsed(1e308)).toEqual({ issues: ['amount: Too big: expected number to be <=1000000000000'] });
    expect(parsed(2 ** 53 + 1)).toEqual({
      issues: ['amount: Too big: expected number to be <=1000000000000'],
    });
    expect(parsed('1000000000000.01')).toEqual({ issues: ['amount: at most 1000000000000 (10^12)'] });
    expect(parsed('0.00')).toEqual({ issues: ['amount: must be more than 0'] });
    expect(parsed('1,50')).toEqual({
      issues: ['amount: a decimal amount such as "12.50" (dot, no thousands separators)'],
    });
  });

  it('refuses a currency that is not an ISO 4217 code, and units of account nobody is invoiced in', () => {
    for (const currency of ['EURO', 'eur', 'XXX', 'XDR', 'ABC']) {
      expect(parsed('10', currency)).toEqual({ issues: ['currency: an ISO 4217 currency code such as EUR'] });
    }
  });

  it('uses ISO 4217’s minor units, not the display digits of the locale data', () => {
    expect(minorUnitOf('EUR')).toBe(2);
    expect(minorUnitOf('JPY')).toBe(0);
    expect(minorUnitOf('HUF')).toBe(2);
    expect(minorUnitOf('IQD')).toBe(3);
    expect(formatMoney('12.34', 'HUF', 'en').replace(/\s/g, ' ')).toBe('HUF 12.34');
    expect(formatMoney('1.005', 'IQD', 'en').replace(/\s/g, ' ')).toBe('IQD 1.005');
  });

  it('formats big amounts exactly, never through a float', () => {
    expect(formatMoney('999999999999.99', 'EUR', 'nl-NL').replace(/\s/g, ' ')).toBe('€ 999.999.999.999,99');
    expect(formatMoney('1000000000000.00', 'EUR', 'en')).toBe('€1,000,000,000,000.00');
    expect(formatMoney('0.01', 'EUR', 'en')).toBe('€0.01');
    expect(() => formatMoney('0.001', 'EUR', 'en')).toThrow(/EUR has 2 decimals/);
    expect(() => formatMoney(1e308, 'EUR', 'en')).toThrow(/decimal amount/);
  });

  /** Decimal text of `minor` minor units with `digits` decimals, e.g. 1250, 2 → "12.50". */
  const decimalOf = (minor: bigint, digits: number) => {
    const text = minor.toString().padStart(digits + 1, '0');
    return digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  };

  it('property: every amount within bounds round-trips to the same decimal and the same formatted money', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CURRENCY_CODES),
        fc.bigInt({ min: 1n, max: 10n ** 16n }),
        (currency, raw) => {
          const digits = minorUnitOf(currency);
          const minor = (raw % (BigInt(MAX_AMOUNT) * 10n ** BigInt(digits))) + 1n;
          const text = decimalOf(minor, digits);
          expect(parsed(text, currency)).toEqual({ amount: text });
          // The formatted figure carries every digit of the amount, in order.
          const figures = formatMoney(text, currency, 'en').replace(/[^0-9]/g, '');
          expect(figures).toBe(text.replace('.', ''));
        },
      ),
    );
  });

  it('property: any number or string either is kept with its exact value or is refused at `amount`', () => {
    const candidates = fc.oneof(
      fc.double(),
      fc.integer(),
      fc.string(),
      fc.stringMatching(/^\d{1,16}(\.\d{1,6})?$/),
      fc.constantFrom(1e308, 2 ** 53 + 1, 0.001, -0, Number.NaN, Number.POSITIVE_INFINITY),
    );
    fc.assert(
      fc.property(candidates, fc.constantFrom('EUR', 'JPY', 'KWD'), (amount, currency) => {
        const result = parsed(amount, currency);
        if (result.issues) {
          expect(result.issues.every((issue) => issue.startsWith('amount: '))).toBe(true);
          return;
        }
        const asText = typeof amount === 'number' ? String(amount) : amount;
        // Same value: equal after dropping trailing zeros of the fraction.
        const normal = (text: string) => (text.includes('.') ? text.replace(/\.?0+$/, '') : text);
        expect(normal(result.amount ?? '')).toBe(normal(asText));
      }),
    );
  });
});
