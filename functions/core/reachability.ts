// libphonenumber-js's `mobile` metadata (~95 kB, between `min` and `max`) makes a valid number mean
// "a valid mobile number" (MOBILE or FIXED_LINE_OR_MOBILE), which is exactly what SMS needs.
// It ships as a file beside the bundle instead of as 95 KB of JavaScript, read once per container by
// `functions/adapters/mobile-number-table.ts`; the check reads it directly (mobile-number.ts), without
// the library's 38 KB of code, and is handed in as `isMobileNumber`.
import * as z from 'zod/mini';
import type { Channel, CustomerProfile, PostalAddress } from './customer.ts';

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

/**
 * Returns why the customer cannot be called, or null when the profile has a phone number. A landline
 * can be called (only SMS needs a mobile number); the profile keeps numbers in E.164 only.
 */
export function callPhoneProblem(phone: string | undefined): string | null {
  return phone ? null : 'no phone number';
}

/** The fields a letter cannot go without, in the order a window envelope prints them. */
export const REQUIRED_ADDRESS_FIELDS = ['line1', 'postalCode', 'city', 'country'] as const;

/** A postal address with every field a letter needs. */
export type CompletePostalAddress = PostalAddress & {
  [K in (typeof REQUIRED_ADDRESS_FIELDS)[number]]: string;
};

/** Returns the address when it has every field a letter needs, else undefined. */
export function completeAddress(address: PostalAddress | undefined): CompletePostalAddress | undefined {
  if (!address) return undefined;
  for (const field of REQUIRED_ADDRESS_FIELDS) if (!address[field]?.trim()) return undefined;
  return address as CompletePostalAddress;
}

/**
 * Returns why a letter cannot be posted to this address, naming the first missing field
 * (`address has no postalCode`), or null when it is complete: never a letter with a hole in its window.
 */
export function letterAddressProblem(address: PostalAddress | undefined): string | null {
  if (!address) return 'no postal address';
  const missing = REQUIRED_ADDRESS_FIELDS.filter((field) => !address[field]?.trim());
  return missing.length === 0 ? null : `address has no ${missing.join(', ')}`;
}

/** Returns a complete address as one line (suppression key and conversation), e.g. `Dorpsstraat 12, 1234 AB Utrecht, NL`. */
export function postalAddressLine(address: CompletePostalAddress): string {
  return [address.line1, address.line2, `${address.postalCode} ${address.city}`, address.country]
    .map((part) => part?.trim())
    .filter((part) => part)
    .join(', ');
}

/** Returns why a channel cannot reach this customer (no or no valid address), or null when it can. */
export function reachProblem(
  channel: Channel,
  customer: Pick<CustomerProfile, 'email' | 'phone' | 'address'>,
  isMobileNumber: (phone: string) => boolean,
): string | null {
  const problems: Record<Channel, () => string | null> = {
    email: () => emailProblem(customer.email),
    sms: () => smsPhoneProblem(customer.phone, isMobileNumber),
    letter: () => letterAddressProblem(customer.address),
    phone: () => callPhoneProblem(customer.phone),
  };
  return problems[channel]();
}

/** Returns the address a channel reaches on the profile (a complete postal address as one line), if any. */
export function channelAddressOf(
  customer: Pick<CustomerProfile, 'email' | 'phone' | 'address'>,
  channel: Channel,
): string | undefined {
  const addresses: Record<Channel, () => string | undefined> = {
    email: () => customer.email,
    sms: () => customer.phone,
    letter: () => {
      const address = completeAddress(customer.address);
      return address ? postalAddressLine(address) : undefined;
    },
    phone: () => customer.phone,
  };
  return addresses[channel]();
}
