import { type Policy, PolicySchema, type Segment } from '#core/policy.ts';

/**
 * A fixed policy for the core's unit tests, shaped like templates/policy.json but independent of
 * it, so the communication team can change the real policy without breaking these tests.
 */
export const testPolicy: Policy = PolicySchema.parse({
  version: 'test',
  defaults: { timezone: 'Europe/Amsterdam', locale: 'nl', locales: ['nl', 'en'] },
  quietHours: { start: '21:00', end: '08:00' },
  countryTimezones: {
    NL: 'Europe/Amsterdam',
    BE: 'Europe/Brussels',
    DE: 'Europe/Berlin',
    GB: 'Europe/London',
    US: 'America/New_York',
  },
  channelCosts: { email: 0.0001, sms: { default: 0.08, byCountry: { NL: 0.095, US: 0.0083 } } },
  segments: [
    {
      id: 'business',
      description: 'business',
      when: { attributes: { segmentHint: 'business' } },
      channels: { transactional: ['email'], service: ['email', 'sms'], marketing: ['email'] },
      windows: [{ days: [1, 2, 3, 4, 5], start: '08:30', end: '17:30' }],
      tone: 'friendly',
    },
    {
      id: 'senior',
      description: '65 and over',
      when: { minAge: 65 },
      channels: { transactional: ['email', 'sms'], service: ['email', 'sms'], marketing: ['email'] },
      windows: [{ days: [1, 2, 3, 4, 5], start: '10:00', end: '16:00' }],
      tone: 'friendly',
    },
    {
      id: 'young-digital',
      description: 'under 35',
      when: { maxAge: 34 },
      channels: { transactional: ['sms', 'email'], service: ['sms', 'email'], marketing: ['email', 'sms'] },
      windows: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '20:00' }],
      tone: 'friendly',
    },
    {
      id: 'repeat-late-payer',
      description: 'two or more late payments',
      when: { minLatePaymentsLastYear: 2 },
      channels: { transactional: ['email', 'sms'], service: ['email', 'sms'], marketing: ['email'] },
      windows: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' }],
      tone: 'firm',
    },
    {
      id: 'default',
      description: 'everybody else',
      when: {},
      channels: { transactional: ['email', 'sms'], service: ['email', 'sms'], marketing: ['email'] },
      windows: [
        { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' },
        { days: [6], start: '10:00', end: '14:00' },
      ],
      tone: 'friendly',
    },
  ],
});

/** Returns the test policy's segment with this id. */
export function segmentById(id: string): Segment {
  const segment = testPolicy.segments.find((s) => s.id === id);
  if (!segment) throw new Error(`no segment ${id} in the test policy`);
  return segment;
}
