import { describe, expect, it } from 'vitest';
import { countryTables } from '#adapters/country-tables.ts';
import { isMobileNumber } from '#adapters/mobile-number-table.ts';
import { channelCost, pickChannel } from '#core/channel.ts';
import { type CustomerProfile, CustomerProfileSchema } from '#core/customer.ts';
import { decideStep } from '#core/decision.ts';
import type { JourneyStep } from '#core/journey-step.ts';
import { addressOf } from '#core/journey-step-run.ts';
import { PolicySchema } from '#core/policy.ts';
import { letterAddressProblem } from '#core/reachability.ts';
import { firstReminder } from '../../fixtures/journey-steps.ts';
import { segmentById, testPolicy } from './test-policy.ts';

const policy = PolicySchema.parse({
  ...testPolicy,
  channelCosts: { ...testPolicy.channelCosts, letter: { default: 2.6, byCountry: { NL: 1.75 } } },
  transit: { letter: { workingDays: { default: 4, byCountry: { NL: 2 } }, cutOff: '15:00' } },
  segments: [
    {
      id: 'senior',
      description: 'letter first',
      when: {},
      channels: { transactional: ['letter', 'email'], service: ['letter', 'email'], marketing: ['email'] },
      windows: [{ days: [1, 2, 3, 4, 5], start: '10:00', end: '16:00' }],
      tone: 'friendly',
    },
  ],
});
const senior = policy.segments[0] ?? segmentById('default');
const address = { line1: 'Dorpsstraat 12', postalCode: '3511 AB', city: 'Utrecht', country: 'NL' };
const customer: CustomerProfile = {
  id: 'c-letter',
  locale: 'nl-NL',
  country: 'NL',
  email: 'oma@example.nl',
  address,
};
const step: JourneyStep = { ...firstReminder, channels: ['letter', 'email'] };

const pick = (who: CustomerProfile, on: JourneyStep = step) =>
  pickChannel({ customer: who, segment: senior, step: on, policy, isMobileNumber });

describe('the letter channel', () => {
  it('is a channel of the profile, its address personal data the API accepts', () => {
    expect(CustomerProfileSchema.safeParse({ ...customer, preferences: { channel: 'letter' } }).success).toBe(
      true,
    );
  });

  it('reaches a customer with a complete postal address, at its own price per country', () => {
    const decision = pick(customer);
    expect(decision).toMatchObject({ channel: 'letter', fallbacks: ['email'], costUsd: 1.75 });
    expect(decision.reasons).toContain('cost letter: 1.75 USD');
    expect(channelCost('letter', 'BE', policy)).toBe(2.6);
    expect(addressOf(customer, 'letter')).toBe('Dorpsstraat 12, 3511 AB Utrecht, NL');
  });

  it('is unreachable with an address missing a field, naming the field: never a letter with a hole', () => {
    const { postalCode: _, ...withoutPostalCode } = address;
    const decision = pick({ ...customer, address: withoutPostalCode });
    expect(decision.channel).toBe('email');
    expect(decision.reasons).toContain('letter dropped: address has no postalCode');
    expect(pick({ ...customer, address: undefined as never }).reasons).toContain(
      'letter dropped: no postal address',
    );
    expect(letterAddressProblem({ line1: ' ', country: 'NL' })).toBe(
      'address has no line1, postalCode, city',
    );
    expect(addressOf({ ...customer, address: withoutPostalCode }, 'letter')).toBeUndefined();
  });

  it('needs consent like any channel: an opt-out of letters drops it', () => {
    const optedOut = {
      ...customer,
      consents: [
        {
          channel: 'letter' as const,
          purpose: 'service' as const,
          granted: false,
          at: '2026-01-01T00:00:00Z',
          source: 'portal',
        },
      ],
    };
    expect(pick(optedOut).reasons).toContain('letter dropped: opted out of letter for service');
  });

  it('plans the post in the window and says when the letter arrives', () => {
    const decision = decideStep({
      customer,
      segment: senior,
      tone: 'friendly',
      step,
      policy,
      countries: countryTables,
      now: new Date('2026-12-04T09:00:00Z'), // Fri 10:00 Amsterdam
    });
    expect(decision.channel).toBe('letter');
    expect(decision.arrival?.on).toBe('2026-12-08');
    expect(decision.reasons).toContain('letter arrives 2026-12-08: 2 working days in NL');
  });

  it('falls back to the next channel when the letter would arrive after the step deadline', () => {
    const decision = decideStep({
      customer,
      segment: senior,
      tone: 'friendly',
      step: { ...step, notAfter: '2026-12-07' },
      policy,
      countries: countryTables,
      now: new Date('2026-12-04T09:00:00Z'),
    });
    expect(decision.channel).toBe('email');
    expect(decision.arrival).toBeUndefined();
    expect(decision.reasons).toContain('letter dropped: arrives after the deadline');
  });
});
