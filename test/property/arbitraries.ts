import fc from 'fast-check';
import type { Channel, Consent, CustomerProfile, Purpose } from '#core/customer.ts';
import type { JourneyStep } from '#core/journey-step.ts';

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
