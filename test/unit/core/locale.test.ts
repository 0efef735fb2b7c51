import { describe, expect, it } from 'vitest';
import { pickLocale } from '#core/locale.ts';

describe('pickLocale', () => {
  const available = ['nl', 'en', 'de-CH'];

  it('takes an exact match, ignoring case', () => {
    expect(pickLocale('EN', available, 'nl').locale).toBe('en');
  });

  it('falls back from a regional locale to its language: nl-BE -> nl', () => {
    expect(pickLocale('nl-BE', available, 'en')).toEqual({
      locale: 'nl',
      reasons: ['locale nl: language of nl-BE'],
    });
  });

  it('uses another region of the same language before the default: de-DE -> de-CH', () => {
    expect(pickLocale('de-DE', available, 'nl').locale).toBe('de-CH');
  });

  it('falls back to the default for a language without texts: fr-FR -> default', () => {
    expect(pickLocale('fr-FR', available, 'nl')).toEqual({
      locale: 'nl',
      reasons: ['locale nl: default, no fr-FR or fr available'],
    });
  });
});
