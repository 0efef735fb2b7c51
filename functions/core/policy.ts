import * as z from 'zod';
import { ChannelSchema, PurposeSchema } from './customer.ts';

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:mm, 24-hour');

/** ISO weekday numbers: 1 = Monday … 7 = Sunday (luxon's `weekday`). */
const weekday = z.number().int().min(1).max(7);

/** A weekly window in the customer's local time, e.g. weekdays 09:00–17:00. */
export const TimeWindowSchema = z
  .object({ days: z.array(weekday).min(1), start: clockTime, end: clockTime })
  .refine((w) => w.start < w.end, { message: 'start must be before end (windows do not cross midnight)' });
export type TimeWindow = z.infer<typeof TimeWindowSchema>;

/** Conditions of a segment rule; every given condition must hold. */
export const SegmentConditionsSchema = z.object({
  minAge: z.number().int().min(0).optional(),
  maxAge: z.number().int().min(0).optional(),
  countries: z.array(z.string().regex(/^[A-Z]{2}$/)).optional(),
  /** Language subtags, e.g. `nl`, matched against the customer's locale. */
  languages: z.array(z.string().regex(/^[a-z]{2,3}$/)).optional(),
  attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  minLatePaymentsLastYear: z.number().int().min(0).optional(),
});
export type SegmentConditions = z.infer<typeof SegmentConditionsSchema>;

export const ToneSchema = z.enum(['friendly', 'firm']);
export type Tone = z.infer<typeof ToneSchema>;

export const SegmentSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  description: z.string(),
  when: SegmentConditionsSchema,
  /** Default channel order per purpose; the customer's preference beats it. */
  channels: z.record(PurposeSchema, z.array(ChannelSchema).min(1)),
  windows: z.array(TimeWindowSchema).min(1),
  tone: ToneSchema,
});
export type Segment = z.infer<typeof SegmentSchema>;

export const PolicySchema = z
  .object({
    version: z.string(),
    defaults: z.object({
      timezone: z.string(),
      locale: z.string(),
      /** Locales that have templates; a customer's locale falls back to its language, then to `locale`. */
      locales: z.array(z.string()).min(1),
    }),
    /** Local night hours nobody but a transactional message may break. */
    quietHours: z.object({ start: clockTime, end: clockTime }),
    /** Main time zone per country, used when a customer has none. */
    countryTimezones: z.record(z.string().regex(/^[A-Z]{2}$/), z.string()),
    /** Price of one message in USD; SMS per destination country, with a default. */
    channelCosts: z.object({
      email: z.number().nonnegative(),
      sms: z.object({ default: z.number().nonnegative(), byCountry: z.record(z.string(), z.number()) }),
      /** Where the prices come from and when they were checked: they are indicative, not invoices. */
      costsSource: z.string().optional(),
    }),
    /** Ordered: the first matching segment wins; the last one must match everybody. */
    segments: z.array(SegmentSchema).min(1),
  })
  .superRefine((policy, ctx) => {
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
  });
export type Policy = z.infer<typeof PolicySchema>;
