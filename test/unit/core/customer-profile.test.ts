import { describe, expect, it } from 'vitest';
import { CustomerProfileSchema } from '#core/customer.ts';

describe('customer profile (public contract)', () => {
  it('accepts a complete profile with its public field names', () => {
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

  it('names the failing fields of a malformed profile', () => {
    const result = CustomerProfileSchema.safeParse({
      id: 'c 1',
      locale: 'Dutch',
      country: 'nl',
      phone: '0612345678',
      consents: [{ channel: 'fax', purpose: 'service', granted: true, at: 'yesterday', source: 'x' }],
    });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((i) => i.path.join('.')).sort();
    expect(paths).toEqual(['consents.0.at', 'consents.0.channel', 'country', 'id', 'locale', 'phone']);
  });
});
