import * as z from 'zod/mini';
import { FreeFormRecordSchema } from './free-form.ts';

/**
 * Channels Klantreis can send on. A new channel is an entry here plus its reachability
 * (`reachability.ts`), its price (`channel.ts`), its transit (`transit.ts`) and its sender port.
 * `phone` is a call by the contact centre: a call task with a script, not a message the customer reads.
 */
export const ChannelSchema = z.enum(['email', 'sms', 'letter', 'phone']);
export type Channel = z.infer<typeof ChannelSchema>;

/**
 * Why a message is sent, which decides what consent it needs:
 * transactional = the customer asked for it, service = contract or legitimate interest,
 * marketing = explicit opt-in only.
 */
export const PurposeSchema = z.enum(['transactional', 'service', 'marketing']);
export type Purpose = z.infer<typeof PurposeSchema>;

const isoDate = z.iso.date();
const isoDateTime = z.iso.datetime({ offset: true });

export const ConsentSchema = z.object({
  channel: ChannelSchema,
  purpose: PurposeSchema,
  granted: z.boolean(),
  at: isoDateTime,
  source: z.string().check(z.minLength(1), z.maxLength(64)),
});
export type Consent = z.infer<typeof ConsentSchema>;

export const PreferencesSchema = z.object({
  /** The customer's own channel choice; it beats every segment default. */
  channel: z.optional(ChannelSchema),
  /** A per-purpose choice beats the overall `channel`. */
  byPurpose: z.optional(z.partialRecord(PurposeSchema, ChannelSchema)),
});
export type Preferences = z.infer<typeof PreferencesSchema>;

const addressLine = z.string().check(z.maxLength(200));

/**
 * A postal address, as printed in a window envelope's window. Every field is optional in the
 * schema so an incomplete address can be stored and named: a letter is reachable only when
 * `line1`, `postalCode`, `city` and `country` are all there (`letterAddressProblem`).
 */
export const PostalAddressSchema = z.object({
  /** Street and house number, e.g. `Dorpsstraat 12`. */
  line1: z.optional(addressLine),
  /** Apartment, building, care-of. */
  line2: z.optional(addressLine),
  postalCode: z.optional(z.string().check(z.maxLength(16))),
  city: z.optional(z.string().check(z.maxLength(100))),
  /** ISO 3166-1 alpha-2 of the address (may differ from the customer's country). */
  country: z.optional(z.string().check(z.regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as NL'))),
});
export type PostalAddress = z.infer<typeof PostalAddressSchema>;

/**
 * The customer profile: a public contract.
 * Journeys, the API, the simulator and users' import scripts all speak it: keep these field names.
 */
export const CustomerProfileSchema = z.object({
  id: z
    .string()
    .check(
      z.minLength(1),
      z.maxLength(128),
      z.regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only'),
    ),
  name: z.optional(
    z.object({
      given: z.optional(z.string().check(z.maxLength(200))),
      family: z.optional(z.string().check(z.maxLength(200))),
    }),
  ),
  birthDate: z.optional(isoDate),
  /** BCP 47, e.g. `nl-NL`, `en-GB`. */
  locale: z.string().check(z.regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a BCP 47 tag such as nl-NL')),
  /** ISO 3166-1 alpha-2. */
  country: z.string().check(z.regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as NL')),
  region: z.optional(z.string().check(z.maxLength(16))),
  /** IANA zone; when missing the country's main zone, then the policy default, is used. */
  timezone: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  email: z.optional(z.email()),
  /** E.164, e.g. +31612345678. */
  phone: z.optional(z.string().check(z.regex(/^\+[1-9]\d{6,14}$/, 'an E.164 number such as +31612345678'))),
  /** Where letters go; personal data (exported, erased, never logged). */
  address: z.optional(PostalAddressSchema),
  preferences: z.optional(PreferencesSchema),
  consents: z.optional(z.array(ConsentSchema).check(z.maxLength(100))),
  attributes: z.optional(FreeFormRecordSchema),
});
export type CustomerProfile = z.infer<typeof CustomerProfileSchema>;
