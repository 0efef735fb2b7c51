import * as z from 'zod/mini';
import { ChannelSchema, PurposeSchema } from './customer.ts';
import { LetterSenderSchema } from './letter.ts';

const clockTime = z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:mm, 24-hour'));

/** ISO weekday numbers: 1 = Monday … 7 = Sunday (luxon's `weekday`). */
const weekday = z.number().check(z.int(), z.gte(1), z.lte(7));

/** A weekly window in the customer's local time, e.g. weekdays 09:00–17:00. */
export const TimeWindowSchema = z
  .strictObject({ days: z.array(weekday).check(z.minLength(1)), start: clockTime, end: clockTime })
  .check(
    z.refine((w) => w.start < w.end, { message: 'start must be before end (windows do not cross midnight)' }),
  );
export type TimeWindow = z.infer<typeof TimeWindowSchema>;

/** The contact centre that makes the phone channel's calls (`call-planning.ts`). */
export const ContactCentreSchema = z.strictObject({
  /** The centre's own time zone: its opening hours are read in it. */
  timezone: z.string().check(z.minLength(1)),
  /** When agents call, per weekday (1 = Monday): a call is planned inside one of these. */
  openingHours: z.array(TimeWindowSchema).check(z.minLength(1)),
  /** Calls the centre takes per hour; a call beyond it goes into the next hour with room. */
  callsPerHour: z.number().check(z.int(), z.gte(1)),
});
export type ContactCentre = z.infer<typeof ContactCentreSchema>;

const countryCode = z.string().check(z.regex(/^[A-Z]{2}$/));
/** Behaviour is read from a year of events: a look-back may not be longer. */
const lookbackDays = z.number().check(z.int(), z.gte(1), z.lte(365));

/**
 * Conditions of a segment rule; every given condition must hold. Behaviour conditions are derived
 * from the customer's events as of the decision date (see `summariseBehaviour`).
 */
export const SegmentConditionsSchema = z.strictObject({
  /** Age in whole years on the decision date, from `birthDate`; a customer without one matches no age rule. */
  minAge: z.optional(z.number().check(z.int(), z.gte(0))),
  maxAge: z.optional(z.number().check(z.int(), z.gte(0))),
  countries: z.optional(z.array(countryCode)),
  /** Subdivisions (`NH`, `BY`, or with the country: `DE-BY`), matched against the customer's `region`. */
  regions: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(16)))),
  /** Language subtags, e.g. `nl`, matched against the customer's locale. */
  languages: z.optional(z.array(z.string().check(z.regex(/^[a-z]{2,3}$/)))),
  attributes: z.optional(z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))),
  /** Late payments (`payment.late` events, one per invoice) in the 12 months before the decision. */
  minLatePaymentsLastYear: z.optional(z.number().check(z.int(), z.gte(0))),
  maxLatePaymentsLastYear: z.optional(z.number().check(z.int(), z.gte(0))),
  /** Opened or clicked an email in the last N days. */
  emailEngagedWithinDays: z.optional(lookbackDays),
  /** Neither opened nor clicked an email in the last N days. */
  noEmailEngagementWithinDays: z.optional(lookbackDays),
  /** Followed a short link in an SMS or answered an SMS in the last N days. */
  smsEngagedWithinDays: z.optional(lookbackDays),
  /** Neither followed a short link in an SMS nor answered one in the last N days. */
  noSmsEngagementWithinDays: z.optional(lookbackDays),
  /** `true`: no `sms.replied` event in the last 12 months; `false`: at least one. */
  smsNeverAnswered: z.optional(z.boolean()),
  /** `true`: no `email.replied` event in the last 12 months; `false`: at least one. */
  emailNeverAnswered: z.optional(z.boolean()),
});
export type SegmentConditions = z.infer<typeof SegmentConditionsSchema>;

export const ToneSchema = z.enum(['friendly', 'firm']);
export type Tone = z.infer<typeof ToneSchema>;

/**
 * The text a message is written in: a tone, or a named text variant (a folder beside `friendly` and
 * `firm` in `templates/<templateId>/<locale>/`) that an experiment's arm picks.
 */
export const TextVariantSchema = z.string().check(z.regex(/^[a-z][a-z0-9-]*$/));
export type TextVariant = z.infer<typeof TextVariantSchema>;

/**
 * One place in a segment's channel order: a channel, or a group of channels the segment ranks
 * equally, in which the cheaper one (for the customer's country) goes first.
 */
export const ChannelRankSchema = z.union([ChannelSchema, z.array(ChannelSchema).check(z.minLength(2))]);
export type ChannelRank = z.infer<typeof ChannelRankSchema>;

export const SegmentSchema = z.strictObject({
  id: z.string().check(z.regex(/^[a-z][a-z0-9-]*$/)),
  description: z.string(),
  when: SegmentConditionsSchema,
  /** Default channel order per purpose; the customer's preference beats it. */
  channels: z.record(PurposeSchema, z.array(ChannelRankSchema).check(z.minLength(1))),
  windows: z.array(TimeWindowSchema).check(z.minLength(1)),
  /** The text variant of the segment's messages. */
  tone: ToneSchema,
  /**
   * Locale rules: `use` writes to the whole segment in one locale (e.g. `en` for expats);
   * `fallback` replaces the policy default when the customer's language has no texts.
   */
  locale: z.optional(
    z.strictObject({
      use: z.optional(z.string().check(z.minLength(2))),
      fallback: z.optional(z.string().check(z.minLength(2))),
    }),
  ),
});
export type Segment = z.infer<typeof SegmentSchema>;

export const ContactPressureSchema = z.strictObject({
  /** Length of the rolling window, in days. */
  days: z.number().check(z.int(), z.gte(1), z.lte(90)),
  /**
   * At most this many messages per channel per customer within the window; a channel not listed has
   * no cap. At least 1: a channel nobody may use is left out of the segments' orders instead.
   */
  perChannel: z.partialRecord(ChannelSchema, z.number().check(z.int(), z.gte(1))),
});
export type ContactPressure = z.infer<typeof ContactPressureSchema>;

export const SendTimeSchema = z.strictObject({
  /** Send in the customer's most engaged local hour (email opens and clicks, SMS link clicks) when the window allows. */
  optimise: z._default(z.boolean(), true),
  /** Engagements needed before their hours are trusted over the spread. */
  minEngagements: z._default(z.number().check(z.int(), z.gte(1)), 3),
  /** A batch is spread over at most this many minutes from the start of a slot. */
  spreadMinutes: z._default(z.number().check(z.int(), z.gte(0), z.lte(240)), 60),
});
export type SendTime = z.infer<typeof SendTimeSchema>;

/** Minutes since midnight of `HH:mm`. */
export function minutesOf(clock: string): number {
  return Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
}

/** Returns the minutes of a window that fall outside the quiet hours (0: the window is always quiet). */
function minutesOutsideQuiet(window: TimeWindow, quiet: { start: string; end: string }): number {
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  const qs = minutesOf(quiet.start);
  const qe = minutesOf(quiet.end);
  const overlap = (a: number, b: number) => Math.max(0, Math.min(end, b) - Math.max(start, a));
  // Quiet hours that cross midnight are two ranges of the day.
  const quietMinutes = qs === qe ? 0 : qs < qe ? overlap(qs, qe) : overlap(0, qe) + overlap(qs, 24 * 60);
  return end - start - quietMinutes;
}

/**
 * A country's consumer credit rule (`docs/credit-management.md`): before collection costs may be
 * charged to a consumer, the final notice states them (from the statutory scale) and the last day of a
 * term counted from the day after receipt; the hand-over waits until that term has run out.
 */
export const CollectionRuleSchema = z.strictObject({
  /** `nl-bik`: Besluit vergoeding voor buitengerechtelijke incassokosten, art. 2 (euro invoices). */
  statutoryScale: z.literal('nl-bik'),
  /** Add VAT on the costs (art. 2 lid 3): only when the creditor cannot deduct the VAT of its collection. */
  vatOnCosts: z.boolean(),
  /** The VAT percentage added when `vatOnCosts` (art. 9 lid 1 Wet op de omzetbelasting 1968: 21). */
  vatRatePercent: z._default(z.number().check(z.int(), z.gte(0), z.lte(100)), 21),
  /** Days to pay from the day after receipt: at least the law's 14 (art. 6:96 lid 6 BW). */
  termDays: z.number().check(z.int(), z.gte(14), z.lte(60)),
  /** `nl-atw`: a term ending on a weekend or a holiday of the Algemene termijnenwet runs on to the next day. */
  termCalendar: z.literal('nl-atw'),
  /** Days the government equated with a holiday by decree (Atw art. 3 lid 3), ISO dates. */
  equatedDays: z._default(z.array(z.iso.date()), []),
  /**
   * A customer is a business (and skips the rule) when every attribute listed matches the profile's;
   * everybody else is a consumer, so a customer the data does not mark gets the protective notice.
   */
  businessIf: z.strictObject({
    attributes: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
      .check(z.refine((attributes) => Object.keys(attributes).length > 0, 'at least one attribute')),
  }),
});
export type CollectionRule = z.infer<typeof CollectionRuleSchema>;

/** A price in USD per destination country, with a default for the others. */
const PriceByCountrySchema = z.strictObject({
  default: z.number().check(z.nonnegative()),
  byCountry: z._default(z.record(countryCode, z.number().check(z.nonnegative())), {}),
});

/**
 * How long a channel's message takes to arrive: a letter is posted, collected on a working day and
 * delivered some working days later (Monday to Friday, not on the destination's public holidays).
 */
export const TransitSchema = z.strictObject({
  /** Working days from collection to delivery, per destination country, with a default. */
  workingDays: z.strictObject({
    default: z.number().check(z.int(), z.gte(0), z.lte(30)),
    byCountry: z._default(z.record(countryCode, z.number().check(z.int(), z.gte(0), z.lte(30))), {}),
  }),
  /** Posted after this time (the posting site's clock) it is collected the next working day. */
  cutOff: clockTime,
  /** The posting site's IANA time zone; the policy's default zone when missing. */
  timezone: z.optional(z.string().check(z.minLength(1))),
  /** When on the delivery day it has come, in the customer's local time: deadlines compare with it. */
  deliveredBy: z._default(clockTime, '17:00'),
});
export type Transit = z.infer<typeof TransitSchema>;

const SmsLettersSchema = z.enum(['keep', 'transliterate']);
/** How an SMS offers the opt-out: the unsubscribe link, or "reply STOP" (only where the sender is two-way). */
export const SmsOptOutFormSchema = z.enum(['link', 'reply-stop']);
export type SmsOptOutForm = z.infer<typeof SmsOptOutFormSchema>;

/** Every object of the policy is strict: a misspelt key is refused with its name, never ignored. */
export const PolicySchema = z
  .strictObject({
    version: z.string(),
    defaults: z.strictObject({
      timezone: z.string(),
      locale: z.string(),
      /** Locales that have templates; a customer's locale falls back to its language, then to `locale`. */
      locales: z.array(z.string()).check(z.minLength(1)),
    }),
    /** Local night hours nobody but a transactional message may break. */
    quietHours: z.strictObject({ start: clockTime, end: clockTime }),
    /** Main time zone per country, used when a customer has none. */
    countryTimezones: z.record(countryCode, z.string()),
    /**
     * Price in USD of one email, of one SMS part (carriers bill each part) per destination country,
     * of one letter (printed, enveloped, posted: one unit) and of one call per destination country.
     */
    channelCosts: z.strictObject({
      email: z.number().check(z.nonnegative()),
      sms: z.strictObject({
        default: z.number().check(z.nonnegative()),
        byCountry: z.record(z.string(), z.number()),
      }),
      /** Without a letter price letters cost nothing in the tie-break and the results: set one before using them. */
      letter: z.optional(PriceByCountrySchema),
      /** One call by the contact centre (agent time and the line); without a price calls cost nothing here. */
      phone: z.optional(PriceByCountrySchema),
      /** Where the prices come from and when they were checked: they are indicative, not invoices. */
      costsSource: z.optional(z.string()),
    }),
    /**
     * Letters outside GSM-7 in an SMS (ë, ç, ł) per destination country: `keep` sends them (UCS-2,
     * more parts), `transliterate` writes them without their accent (ë -> e). Punctuation with a
     * GSM-7 equivalent is always written as it. Without this setting letters are kept.
     */
    smsLetters: z.optional(
      z.strictObject({
        default: SmsLettersSchema,
        byCountry: z._default(z.record(countryCode, SmsLettersSchema), {}),
      }),
    ),
    /**
     * How an SMS to each destination country offers the opt-out: `link` (the signed unsubscribe link)
     * or `reply-stop` ("Stop? Antwoord STOP"), which needs a two-way sender number (the stage's
     * `sms.twoWay`); without one the link is used. Without this setting every SMS carries the link.
     */
    smsOptOut: z.optional(
      z.strictObject({
        default: SmsOptOutFormSchema,
        byCountry: z._default(z.record(countryCode, SmsOptOutFormSchema), {}),
      }),
    ),
    /** Who makes the phone channel's calls, when, and how many an hour; without it a call goes at its slot. */
    contactCentre: z.optional(ContactCentreSchema),
    /** The organisation's sender details a letter is printed with (return address, contact, account to pay to). */
    letterSender: z.optional(LetterSenderSchema),
    /** How long a channel's message takes to arrive (letters); a channel not listed arrives at once. */
    transit: z.optional(z.partialRecord(ChannelSchema, TransitSchema)),
    /** A per-customer cap across all journeys; transactional messages are never capped. */
    contactPressure: z.optional(ContactPressureSchema),
    sendTime: z._default(SendTimeSchema, { optimise: true, minEngagements: 3, spreadMinutes: 60 }),
    /** Consumer credit rules per country (ISO 3166-1 alpha-2); a country not listed has none. */
    collection: z.optional(z.record(countryCode, CollectionRuleSchema)),
    /** Ordered: the first matching segment wins; the last one must match everybody. */
    segments: z.array(SegmentSchema).check(z.minLength(1)),
  })
  .check(
    z.superRefine((policy, ctx) => {
      const last = policy.segments.at(-1);
      if (last && Object.keys(last.when).length > 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['segments'],
          message: 'the last segment must have no conditions',
        });
      }
      const ids = policy.segments.map((s) => s.id);
      if (new Set(ids).size !== ids.length) {
        ctx.addIssue({ code: 'custom', path: ['segments'], message: 'segment ids must be unique' });
      }
      policy.segments.forEach((segment, i) => {
        // A segment whose windows all lie in quiet hours could never be sent a non-transactional message.
        if (!segment.windows.some((w) => minutesOutsideQuiet(w, policy.quietHours) > 0)) {
          ctx.addIssue({
            code: 'custom',
            path: ['segments', i, 'windows'],
            message: 'every window lies in the quiet hours',
          });
        }
      });
    }),
  );
export type Policy = z.infer<typeof PolicySchema>;
/** A policy as written in the file, before defaults are filled in. */
export type PolicyInput = z.input<typeof PolicySchema>;

/** Returns what an SMS to `country` does with letters outside GSM-7: the country's choice, else the default. */
export function smsLettersFor(policy: Policy, country: string): 'keep' | 'transliterate' {
  return policy.smsLetters?.byCountry[country] ?? policy.smsLetters?.default ?? 'keep';
}
