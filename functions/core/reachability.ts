// libphonenumber-js's `mobile` metadata (~95 kB, between `min` and `max`) makes a valid number mean
// "a valid mobile number" (MOBILE or FIXED_LINE_OR_MOBILE), which is exactly what SMS needs.
// It ships as a file beside the bundle instead of as 95 KB of JavaScript, read once per container by
// `functions/adapters/mobile-number-table.ts`; the check reads it directly (mobile-number.ts), without
// the library's 38 KB of code, and is handed in as `isMobileNumber`.
import * as z from 'zod/mini';

// The very pattern `z.email()` checks the profile with, tested directly: a zod parse per decision
// costs more than the test itself on the hot path. Read off the schema: `z.regexes.email` would put
// all of zod's patterns (6.4 KB minified) into every bundle that decides a channel.
const EMAIL_SCHEMA = z.email();
const EMAIL_ADDRESS = EMAIL_SCHEMA._zod.def.pattern;

/** Returns why an email address cannot be used, or null when it is a syntactically valid address. */
export function emailProblem(email: string | undefined): string | null {
  if (!email) return 'no address';
  const valid = EMAIL_ADDRESS ? EMAIL_ADDRESS.test(email) : EMAIL_SCHEMA.safeParse(email).success;
  return valid ? null : 'address is not valid';
}

/**
 * Returns why a phone number cannot receive SMS, or null when it is a valid mobile number. The
 * profile stores E.164 (`CustomerProfileSchema`); anything else is not a number SMS can go to.
 */
export function smsPhoneProblem(
  phone: string | undefined,
  isMobileNumber: (phone: string) => boolean,
): string | null {
  if (!phone) return 'no phone number';
  return isMobileNumber(phone) ? null : 'phone number is not a valid mobile number';
}
