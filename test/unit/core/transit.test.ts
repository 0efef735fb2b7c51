import { describe, expect, it } from 'vitest';
import { holidayCalendarFor } from '#adapters/holiday-table.ts';
import { PolicySchema } from '#core/policy.ts';
import { arrivalOf } from '#core/transit.ts';
import { testPolicy } from './test-policy.ts';

const policy = PolicySchema.parse({
  ...testPolicy,
  transit: {
    letter: {
      workingDays: { default: 4, byCountry: { NL: 1, BE: 2 } },
      cutOff: '15:00',
      timezone: 'Europe/Amsterdam',
      deliveredBy: '17:00',
    },
  },
});

const arrival = (postedAt: string, country = 'NL', region?: string) =>
  arrivalOf({
    channel: 'letter',
    postedAtMs: Date.parse(postedAt),
    country,
    ...(region ? { region } : {}),
    timezone: 'Europe/Amsterdam',
    policy,
    holidayCalendarFor,
  });

describe('arrivalOf', () => {
  it('delivers a letter posted on a Friday morning on the Monday, not the Saturday', () => {
    // Fri 4 Dec 2026 10:00 Amsterdam.
    expect(arrival('2026-12-04T09:00:00Z')).toMatchObject({
      collectedOn: '2026-12-04',
      arrivesOn: '2026-12-07',
    });
  });

  it('collects a letter posted on a Friday afternoon after the cut-off on the Monday', () => {
    const late = arrival('2026-12-04T15:30:00Z'); // 16:30 local
    expect(late).toMatchObject({ collectedOn: '2026-12-07', arrivesOn: '2026-12-08' });
    expect(late?.reason).toBe(
      'letter arrives 2026-12-08: 1 working day in NL, collected 2026-12-07 (posted after the 15:00 cut-off)',
    );
  });

  it('skips public holidays of the destination: posted on Christmas Eve it arrives after Boxing Day', () => {
    // Thu 24 Dec 2026 before the cut-off: Fri 25 and Sat 26 (Christmas), Sun 27 are no working days.
    expect(arrival('2026-12-24T09:00:00Z')).toMatchObject({ arrivesOn: '2026-12-28' });
  });

  it('counts the working days of the destination country, with the policy default for others', () => {
    expect(arrival('2026-12-01T09:00:00Z', 'BE')?.arrivesOn).toBe('2026-12-03');
    expect(arrival('2026-12-01T09:00:00Z', 'FR')?.arrivesOn).toBe('2026-12-07');
  });

  it('says when on the day of receipt it has come, in the customer zone', () => {
    expect(new Date(arrival('2026-12-04T09:00:00Z')?.arrivesAtMs ?? 0).toISOString()).toBe(
      '2026-12-07T16:00:00.000Z',
    );
  });

  it('returns null for a channel without transit: email and SMS arrive at once', () => {
    const email = arrivalOf({
      channel: 'email',
      postedAtMs: Date.parse('2026-12-04T09:00:00Z'),
      country: 'NL',
      timezone: 'Europe/Amsterdam',
      policy,
      holidayCalendarFor,
    });
    expect(email).toBeNull();
  });
});
