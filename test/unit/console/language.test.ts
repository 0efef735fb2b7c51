/** The console's language: the one picked before, else the browser's, and dates and amounts in it. */
import { describe, expect, it } from 'vitest';
import { formatAmount, formatDate, formatWhen } from '../../../infra/console/web/src/i18n/format.ts';
import { initialLanguage } from '../../../infra/console/web/src/i18n/language.ts';

describe('initialLanguage', () => {
  it('keeps the language picked before on this browser', () => {
    expect(initialLanguage('en', ['nl-NL'])).toBe('en');
  });
  it("follows the browser's first language the console speaks", () => {
    expect(initialLanguage(null, ['nl-BE', 'en'])).toBe('nl');
    expect(initialLanguage(null, ['de-DE', 'en-GB', 'nl'])).toBe('en');
    expect(initialLanguage('fr', ['fr-FR', 'nl-NL'])).toBe('nl');
  });
  it('speaks English to a browser that asks for neither, Dutch when it asks for nothing', () => {
    expect(initialLanguage(null, ['de-DE'])).toBe('en');
    expect(initialLanguage(null, [])).toBe('nl');
  });
});

describe('formatting in the UI language', () => {
  it('writes amounts exactly as the API sends them, in each language’s way', () => {
    expect(formatAmount('1234.50', 'EUR', 'nl')).toBe('€\u00a01.234,50');
    expect(formatAmount('1234.50', 'EUR', 'en')).toBe('€1,234.50');
    // More digits than a double holds: never rounded on the way.
    expect(formatAmount('90071992547409.93', 'EUR', 'en')).toBe('€90,071,992,547,409.93');
  });
  it('writes a calendar date without moving it through a time zone', () => {
    expect(formatDate('2026-12-24', 'nl')).toBe('24 dec 2026');
    expect(formatDate('2026-12-24', 'en')).toBe('24 Dec 2026');
  });
  it('gives a past moment its age and a moment ahead of the clock none', () => {
    const now = Date.parse('2026-12-07T12:00:00Z');
    expect(formatWhen('2026-12-07T09:00:00Z', now, 'en')).toMatch(/\(3 hours ago\)$/);
    expect(formatWhen('2026-12-22T09:00:00Z', now, 'en')).not.toMatch(/\(/);
  });
});
