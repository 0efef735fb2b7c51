import * as z from 'zod';

/** Channels Klantreis can send on. Letters and push come later; keep the union small and explicit. */
export const ChannelSchema = z.enum(['email', 'sms']);
export type Channel = z.infer<typeof ChannelSchema>;

/**
 * Why a message is sent, which decides what consent it needs (DESIGN.md):
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
  source: z.string().min(1).max(64),
});
export type Consent = z.infer<typeof ConsentSchema>;

export const PreferencesSchema = z.object({
  /** The customer's own channel choice; it beats every segment default. */
  channel: ChannelSchema.optional(),
  /** A per-purpose choice beats the overall `channel`. */
  byPurpose: z.partialRecord(PurposeSchema, ChannelSchema).optional(),
});
export type Preferences = z.infer<typeof PreferencesSchema>;

/**
 * The customer profile: a public contract (DESIGN.md, "Customer profile").
 * Journeys, the API, the simulator and users' import scripts all speak it: keep these field names.
 */
export const CustomerProfileSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only'),
  name: z
    .object({ given: z.string().max(200).optional(), family: z.string().max(200).optional() })
    .optional(),
  birthDate: isoDate.optional(),
  /** BCP 47, e.g. `nl-NL`, `en-GB`. */
  locale: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a BCP 47 tag such as nl-NL'),
  /** ISO 3166-1 alpha-2. */
  country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as NL'),
  region: z.string().max(16).optional(),
  /** IANA zone; when missing the country's main zone, then the policy default, is used. */
  timezone: z.string().min(1).max(64).optional(),
  email: z.email().optional(),
  /** E.164, e.g. +31612345678. */
  phone: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, 'an E.164 number such as +31612345678')
    .optional(),
  preferences: PreferencesSchema.optional(),
  consents: z.array(ConsentSchema).max(100).optional(),
  attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});
export type CustomerProfile = z.infer<typeof CustomerProfileSchema>;
