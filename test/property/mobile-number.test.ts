/**
 * The send path's SMS check (`mobile-number.ts`, reading libphonenumber-js's `mobile` metadata
 * directly) answers what the library answers: libphonenumber-js stays the oracle here. Every
 * country's example mobile number, the same number with a digit changed, one more or one fewer,
 * and with a national prefix written after the calling code, and random E.164 numbers under every
 * calling code.
 */
import fc from 'fast-check';
import { type MetadataJson, parsePhoneNumberFromString } from 'libphonenumber-js/core';
import examples from 'libphonenumber-js/examples.mobile.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import { readDataFile } from '#adapters/data-file.ts';
import { mobileNumberChecker, type PhoneMetadata } from '#core/mobile-number.ts';
import { smsPhoneProblem } from '#core/reachability.ts';

const metadata = readDataFile('phone-metadata.mobile.json') as PhoneMetadata;
const isMobile = mobileNumberChecker(metadata);
const library = (phone: string) =>
  parsePhoneNumberFromString(phone, metadata as unknown as MetadataJson)?.isValid() ?? false;

const callingCodes = [
  ...Object.keys(metadata.country_calling_codes),
  ...Object.keys(metadata.nonGeographic ?? {}),
];
const callingCodeOf = (country: string) => metadata.countries[country]?.[0] ?? '';

/** Returns the numbers that disagree, with both answers. */
function disagreements(phones: Iterable<string>): string[] {
  const out: string[] = [];
  for (const phone of phones) {
    const ours = isMobile(phone);
    if (ours !== library(phone)) out.push(`${phone}: ours ${ours}, libphonenumber ${!ours}`);
  }
  return out;
}

describe('the SMS check without libphonenumber-js code', () => {
  it("accepts every country's example mobile number, as libphonenumber does", () => {
    const phones = Object.entries(examples as Record<string, string>).map(
      ([country, national]) => `+${callingCodeOf(country)}${national}`,
    );
    expect(phones.length).toBeGreaterThan(200);
    expect(phones.filter((phone) => !isMobile(phone))).toEqual([]);
    expect(disagreements(phones)).toEqual([]);
  });

  it('agrees on the examples changed: a digit off, one digit more or fewer, a national prefix written in', () => {
    const variants = new Set<string>();
    for (const [country, national] of Object.entries(examples as Record<string, string>)) {
      const code = callingCodeOf(country);
      const plan = metadata.countries[country];
      for (let i = 0; i < national.length; i += 1) {
        for (const digit of '0159') {
          variants.add(`+${code}${national.slice(0, i)}${digit}${national.slice(i + 1)}`);
        }
      }
      variants.add(`+${code}${national}0`);
      variants.add(`+${code}${national.slice(0, -1)}`);
      variants.add(`+${code}${national.slice(1)}`);
      const prefix = plan?.[5];
      if (prefix) variants.add(`+${code}${prefix}${national}`);
    }
    expect(variants.size).toBeGreaterThan(5000);
    expect(disagreements(variants)).toEqual([]);
  });

  it('agrees on random E.164 numbers under every calling code', () => {
    const e164 = fc
      .tuple(fc.constantFrom(...callingCodes), fc.stringMatching(/^\d{4,13}$/))
      .map(([code, rest]) => `+${code}${rest}`.slice(0, 16));
    fc.assert(
      fc.property(e164, (phone) => isMobile(phone) === library(phone)),
      { numRuns: 20_000 },
    );
  });

  it('says no to what is not E.164, and to numbers under no calling code', () => {
    for (const phone of ['0612345678', '+31 6 12345678', '+0612345678', '+', '', '+999123456']) {
      expect(isMobile(phone), phone).toBe(false);
    }
  });

  it('tells SMS a Dutch mobile from a Dutch landline, as the decisions see it', () => {
    expect(smsPhoneProblem('+31612345678', isMobile)).toBeNull();
    expect(smsPhoneProblem('+31201234567', isMobile)).toBe('phone number is not a valid mobile number');
    expect(smsPhoneProblem(undefined, isMobile)).toBe('no phone number');
  });

  it('refuses metadata of another layout version rather than misread it', () => {
    expect(() => mobileNumberChecker({ ...metadata, version: 5 })).toThrow(/layout version 5/);
  });
});
