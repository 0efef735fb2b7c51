// The `mobile` metadata (~95 kB minified, between `min` and `max`) makes `isValid()` mean
// "a valid mobile number" (MOBILE or FIXED_LINE_OR_MOBILE), which is exactly what SMS needs.
// It ships as a file beside the bundle, read once at init, instead of as 95 KB of JavaScript.
import { type MetadataJson, parsePhoneNumberFromString } from 'libphonenumber-js/core';
import * as z from 'zod/mini';
import { readDataFile } from '#shared/data-file.ts';

const PHONE_METADATA = readDataFile('phone-metadata.mobile.json') as MetadataJson;

// The very pattern `z.email()` checks the profile with, tested directly: a zod parse per decision
// costs more than the test itself on the hot path.
const EMAIL_ADDRESS = z.regexes.email;

/** Returns why an email address cannot be used, or null when it is a syntactically valid address. */
export function emailProblem(email: string | undefined): string | null {
  if (!email) return 'no address';
  return EMAIL_ADDRESS.test(email) ? null : 'address is not valid';
}

/** Returns why a phone number cannot receive SMS, or null when it is a valid mobile number. */
export function smsPhoneProblem(phone: string | undefined): string | null {
  if (!phone) return 'no phone number';
  const parsed = parsePhoneNumberFromString(phone, PHONE_METADATA);
  return parsed?.isValid() ? null : 'phone number is not a valid mobile number';
}
