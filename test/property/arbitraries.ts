import fc from 'fast-check';
import {
  type Channel,
  type Consent,
  type CustomerProfile,
  CustomerProfileSchema,
  type Purpose,
} from '#core/customer.ts';
import type { JourneyStep } from '#core/journey-step.ts';
import { type Policy, PolicySchema, ToneSchema } from '#core/policy.ts';

const channel = fc.constantFrom<Channel>('email', 'sms');
const purpose = fc.constantFrom<Purpose>('transactional', 'service', 'marketing');

const isoDate = (min: string, max: string) =>
  fc
    .date({ min: new Date(min), max: new Date(max), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));

const consent: fc.Arbitrary<Consent> = fc.record({
  channel,
  purpose,
  granted: fc.boolean(),
  at: fc
    .date({
      min: new Date('2024-01-01T00:00:00Z'),
      max: new Date('2026-11-30T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString()),
  source: fc.constantFrom('portal', 'sms-stop', 'import'),
});

/** Customers across countries, zones (also missing and invalid), ages, addresses and consents. */
export const customerArb: fc.Arbitrary<CustomerProfile> = fc.record(
  {
    id: fc.stringMatching(/^c-[a-z0-9]{1,12}$/),
    birthDate: isoDate('1920-01-01', '2012-12-31'),
    locale: fc.constantFrom('nl-NL', 'nl-BE', 'en-GB', 'en-US', 'de-DE', 'fr-FR', 'nl'),
    country: fc.constantFrom('NL', 'BE', 'DE', 'GB', 'US', 'FR', 'ES', 'JP', 'ZZ'),
    region: fc.constantFrom('NH', 'BY', 'CA', 'BE', 'XX'),
    timezone: fc.constantFrom(
      'Europe/Amsterdam',
      'Europe/London',
      'America/New_York',
      'America/Los_Angeles',
      'Asia/Tokyo',
      'Australia/Sydney',
      'Pacific/Chatham',
      'Mars/Olympus',
    ),
    email: fc.constantFrom('a@example.nl', 'b.c@example.com', 'not-an-address', 'x@'),
    phone: fc.constantFrom(
      '+31612345678',
      '+12015550123',
      '+447911123456',
      '+31201234567',
      '+999',
      '+4915112345678',
    ),
    preferences: fc.record(
      {
        channel,
        byPurpose: fc.record(
          { transactional: channel, service: channel, marketing: channel },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: [] },
    ),
    consents: fc.array(consent, { maxLength: 6 }),
    attributes: fc.record({ segmentHint: fc.constantFrom('business', 'consumer') }),
  },
  { requiredKeys: ['id', 'locale', 'country'] },
);

export const stepArb: fc.Arbitrary<JourneyStep> = fc.record({
  journeyId: fc.constant('payment-reminder'),
  stepId: fc.constantFrom('first-reminder', 'second-reminder'),
  templateId: fc.constant('payment-reminder'),
  purpose,
  channels: fc.uniqueArray(channel, { minLength: 1, maxLength: 2 }),
});

/** Instants over two years, so every season, DST change and holiday comes by. */
export const instantArb = fc.date({
  min: new Date('2026-01-01T00:00:00Z'),
  max: new Date('2027-12-31T23:59:59Z'),
  noInvalidDate: true,
});

export const suppressedArb = fc.subarray<Channel>(['email', 'sms']);
export const lateArb = fc.integer({ min: 0, max: 5 });

const clock = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);

const windowArb = fc
  .record({
    days: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
    start: clock,
    end: clock,
  })
  .filter((w) => w.start < w.end);

const channelOrderArb = fc.oneof(
  fc.uniqueArray(channel, { minLength: 1, maxLength: 2 }),
  fc.constant([['email', 'sms']]),
  fc.constant(['sms', ['email', 'sms']]),
);

const segmentArb = (id: string, when: fc.Arbitrary<Record<string, unknown>>) =>
  fc.record({
    id: fc.constant(id),
    description: fc.constant(id),
    when,
    channels: fc.record({
      transactional: channelOrderArb,
      service: channelOrderArb,
      marketing: channelOrderArb,
    }),
    windows: fc.array(windowArb, { minLength: 1, maxLength: 3 }),
    tone: fc.constantFrom(...ToneSchema.options),
    locale: fc.option(
      fc.record({ use: fc.constantFrom('en', 'nl', 'de'), fallback: fc.constantFrom('en', 'nl') }),
      {
        nil: undefined,
      },
    ),
  });

const conditionsArb = fc.record(
  {
    minAge: fc.integer({ min: 0, max: 90 }),
    maxAge: fc.integer({ min: 0, max: 90 }),
    countries: fc.subarray(['NL', 'BE', 'DE', 'US', 'JP']),
    regions: fc.subarray(['NH', 'BY', 'DE-BE', 'CA']),
    languages: fc.subarray(['nl', 'en', 'de']),
    attributes: fc.constant({ segmentHint: 'business' }),
    minLatePaymentsLastYear: fc.integer({ min: 0, max: 3 }),
    maxLatePaymentsLastYear: fc.integer({ min: 0, max: 3 }),
    emailEngagedWithinDays: fc.integer({ min: 1, max: 365 }),
    noEmailEngagementWithinDays: fc.integer({ min: 1, max: 365 }),
    smsEngagedWithinDays: fc.integer({ min: 1, max: 365 }),
    noSmsEngagementWithinDays: fc.integer({ min: 1, max: 365 }),
    smsNeverAnswered: fc.boolean(),
    emailNeverAnswered: fc.boolean(),
  },
  { requiredKeys: [] },
);

/** Communication policies: random windows, quiet hours, zones, segment rules, caps and send-time settings. */
export const randomPolicyArb: fc.Arbitrary<Policy> = fc
  .record({
    quietHours: fc.record({ start: clock, end: clock }),
    countryTimezones: fc.record(
      {
        NL: fc.constant('Europe/Amsterdam'),
        US: fc.constantFrom('America/Chicago', 'Not/AZone'),
        JP: fc.constant('Asia/Tokyo'),
      },
      { requiredKeys: [] },
    ),
    defaultZone: fc.constantFrom('Europe/Amsterdam', 'Pacific/Auckland', 'Invalid/Zone'),
    contactPressure: fc.option(
      fc.record({
        days: fc.integer({ min: 1, max: 14 }),
        perChannel: fc.record(
          { email: fc.integer({ min: 1, max: 3 }), sms: fc.integer({ min: 1, max: 3 }) },
          { requiredKeys: [] },
        ),
      }),
      { nil: undefined },
    ),
    sendTime: fc.record({
      optimise: fc.boolean(),
      minEngagements: fc.integer({ min: 1, max: 4 }),
      spreadMinutes: fc.integer({ min: 0, max: 120 }),
    }),
    ruled: fc.array(conditionsArb, { maxLength: 3 }),
    segments: fc.tuple(
      segmentArb('a', fc.constant({})),
      segmentArb('b', fc.constant({})),
      segmentArb('c', fc.constant({})),
      segmentArb('last', fc.constant({})),
    ),
  })
  .map((p) => {
    const ruled = p.ruled.map((when, i) => ({ ...(p.segments[i] ?? p.segments[0]), id: `rule-${i}`, when }));
    return PolicySchema.safeParse({
      version: 'property',
      defaults: { timezone: p.defaultZone, locale: 'nl', locales: ['nl', 'en'] },
      quietHours: p.quietHours,
      countryTimezones: p.countryTimezones,
      channelCosts: { email: 0.0001, sms: { default: 0.08, byCountry: { NL: 0.095, US: 0.0083 } } },
      ...(p.contactPressure ? { contactPressure: p.contactPressure } : {}),
      sendTime: p.sendTime,
      segments: [...ruled, p.segments[3]],
    });
  })
  .filter((r) => r.success)
  .map((r) => r.data as Policy);

/**
 * A pool of 400 random policies, drawn once with a fixed seed, plus the real one. Validating a
 * policy with zod takes ~0.2 ms, so drawing a fresh one for each of 10,000 cases per property
 * would spend most of the test on zod; 400 policies × customers × steps × instants still makes
 * every case different.
 */
export function policyPoolArb(realPolicy: Policy): fc.Arbitrary<Policy> {
  const pool = fc.sample(randomPolicyArb, { numRuns: 400, seed: 20261201 });
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(realPolicy) },
    { weight: 3, arbitrary: fc.constantFrom(...pool) },
  );
}

/** Steps with any purpose and the optional constraints (not before, within hours of the trigger). */
export const constrainedStepArb: fc.Arbitrary<JourneyStep> = fc
  .record({
    step: stepArb,
    tone: fc.option(fc.constantFrom(...ToneSchema.options), { nil: undefined }),
    notBefore: fc.option(
      fc.constantFrom('2026-03-29', '2026-10-25', '2026-12-24', '2027-06-01', '2026-06-15T12:00:00+02:00'),
      { nil: undefined },
    ),
    withinHours: fc.option(fc.integer({ min: 1, max: 200 }), { nil: undefined }),
    // A visit's reminder deadline (an instant) or a last day, around the instants the cases draw.
    // Mostly absent: a deadline drawn apart from the instant has mostly passed, and skips the step.
    notAfter: fc.oneof(
      { weight: 9, arbitrary: fc.constant(undefined) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          '2026-03-30',
          '2026-10-26T07:00:00Z',
          '2026-12-24',
          '2027-06-02T06:30:00+02:00',
        ),
      },
    ),
  })
  .map(({ step, tone, notBefore, withinHours, notAfter }) => ({
    ...step,
    ...(tone ? { tone } : {}),
    ...(notBefore !== undefined ? { notBefore } : {}),
    ...(withinHours !== undefined ? { withinHours } : {}),
    ...(notAfter !== undefined ? { notAfter } : {}),
  }));

/** Sends of the week before the instant (hours before it), for contact pressure. */
export const sentArb = fc.array(fc.record({ hoursBefore: fc.integer({ min: 0, max: 24 * 10 }), channel }), {
  maxLength: 5,
});

/** Email engagement (hours before the instant), for send-time optimisation. */
export const engagementArb = fc.array(fc.integer({ min: 1, max: 24 * 90 }), { maxLength: 8 });

/** Profiles that pass the schema with any values it allows, including odd ones. */
export const anyValidProfileArb: fc.Arbitrary<CustomerProfile> = fc
  .record(
    {
      id: fc.stringMatching(/^[A-Za-z0-9._:-]{1,40}$/),
      birthDate: isoDate('1900-01-01', '2026-12-31'),
      locale: fc.stringMatching(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$/),
      country: fc.stringMatching(/^[A-Z]{2}$/),
      region: fc.string({ maxLength: 16 }),
      timezone: fc.oneof(
        fc.string({ minLength: 1, maxLength: 64 }),
        fc.constantFrom('Europe/Amsterdam', 'Etc/GMT+12', 'Pacific/Kiritimati'),
      ),
      email: fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,15}@[a-z0-9][a-z0-9-]{0,10}\.[a-z]{2,6}$/),
      phone: fc.stringMatching(/^\+[1-9]\d{6,14}$/),
      preferences: fc.record(
        { channel, byPurpose: fc.record({ service: channel, marketing: channel }, { requiredKeys: [] }) },
        { requiredKeys: [] },
      ),
      consents: fc.array(consent, { maxLength: 4 }),
      attributes: fc.dictionary(
        fc.string({ maxLength: 8 }),
        fc.oneof(fc.string(), fc.integer(), fc.boolean()),
        { maxKeys: 3 },
      ),
    },
    { requiredKeys: ['id', 'locale', 'country'] },
  )
  .filter((c) => CustomerProfileSchema.safeParse(c).success);
