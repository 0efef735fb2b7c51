import { describe, expect, it } from 'vitest';
import { CustomerProfileSchema } from '#core/customer.ts';

describe('customer profile', () => {
  it('accepts the DESIGN.md example', () => {
    const parsed = CustomerProfileSchema.parse({
      id: 'c-1001',
      name: { given: 'Sanne', family: 'de Vries' },
      birthDate: '1958-04-12',
      locale: 'nl-NL',
      country: 'NL',
      region: 'NH',
      timezone: 'Europe/Amsterdam',
      email: 'sanne@example.nl',
      phone: '+31612345678',
      preferences: { channel: 'email', byPurpose: { service: 'sms' } },
      consents: [
        {
          channel: 'sms',
          purpose: 'marketing',
          granted: false,
          at: '2026-01-05T10:00:00Z',
          source: 'portal',
        },
      ],
      attributes: { segmentHint: 'business' },
    });
    expect(parsed.preferences?.byPurpose?.service).toBe('sms');
  });
});
