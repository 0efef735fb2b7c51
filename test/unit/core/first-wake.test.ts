import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { holidayCalendarFor } from '#adapters/holiday-table.ts';
import { type BehaviourSummary, NO_BEHAVIOUR } from '#core/behaviour.ts';
import type { CustomerProfile } from '#core/customer.ts';
import { planFirstWake } from '#core/first-wake.ts';
import { testPolicy } from './test-policy.ts';

/** Aged 46 on the test dates, no business hint: the default segment (weekdays 09–18, Saturday 10–14). */
const adult: CustomerProfile = {
  id: 'c-wake',
  locale: 'nl-NL',
  country: 'NL',
  timezone: 'Europe/Amsterdam',
  birthDate: '1980-06-15',
};
const senior: CustomerProfile = { ...adult, id: 'c-senior', birthDate: '1950-03-01' };

const local = (iso: string, zone = 'Europe/Amsterdam') => DateTime.fromISO(iso, { zone }).toJSDate();

/** Returns the planned wake as local "yyyy-MM-dd HH:mm" in the zone. */
function wakeOf(
  now: Date,
  customer: CustomerProfile = adult,
  behaviour: BehaviourSummary = NO_BEHAVIOUR,
  zone = 'Europe/Amsterdam',
) {
  const plan = planFirstWake({ customer, behaviour, policy: testPolicy, now, holidayCalendarFor });
  return {
    plan,
    at: plan.wakeAt,
    local: DateTime.fromJSDate(plan.wakeAt, { zone }).toFormat('yyyy-MM-dd HH:mm'),
    offsetMs: plan.wakeAt.getTime() - now.getTime(),
  };
}

describe('planFirstWake: the run’s first wake is the first step’s slot', () => {
  it('inside the window: now plus the customer’s spread within the policy’s hour, the same for the same customer', () => {
    const now = local('2026-12-01T11:00');
    const { offsetMs, plan } = wakeOf(now);
    expect(offsetMs).toBeGreaterThanOrEqual(0);
    expect(offsetMs).toBeLessThan(60 * 60_000);
    expect(plan.segmentId).toBe('default');
    expect(wakeOf(now).at).toEqual(plan.wakeAt);
    // A batch started in one second reaches the provider over the hour, not at once.
    const wakes = new Set(
      Array.from({ length: 100 }, (_, i) => wakeOf(now, { ...adult, id: `c-${i}` }).at.toISOString()),
    );
    expect(wakes.size).toBeGreaterThan(90);
  });

  it('started at night: at the window’s opening that morning, spread within its first hour', () => {
    const { local: at } = wakeOf(local('2026-12-01T03:00'));
    expect(at >= '2026-12-01 09:00' && at < '2026-12-01 10:00', at).toBe(true);
  });

  it('started at 08:00 for a customer whose window opens at 10:00 (senior): at 10:00 plus the spread', () => {
    const { local: at, plan } = wakeOf(local('2026-12-01T08:00'), senior);
    expect(plan.segmentId).toBe('senior');
    expect(at >= '2026-12-01 10:00' && at < '2026-12-01 11:00', at).toBe(true);
  });

  it('started shortly before the window closes: the spread stays inside what is left of it', () => {
    const { local: at, offsetMs } = wakeOf(local('2026-12-01T17:50'));
    expect(offsetMs).toBeLessThan(10 * 60_000);
    expect(at >= '2026-12-01 17:50' && at < '2026-12-01 18:00', at).toBe(true);
  });

  it('started on a Friday evening: Saturday morning for the default segment, Monday for a repeat late payer (behaviour decides the segment)', () => {
    const friday = local('2026-12-04T20:00');
    expect(wakeOf(friday).local.slice(0, 13)).toBe('2026-12-05 10');
    const late = wakeOf(friday, adult, { ...NO_BEHAVIOUR, latePaymentsLastYear: 2 });
    expect(late.plan.segmentId).toBe('repeat-late-payer');
    expect(late.local.slice(0, 13)).toBe('2026-12-07 09');
  });

  it('never on a public holiday: Christmas Eve evening waits for Monday 28 December (25 and 26 are holidays, then Sunday)', () => {
    const { local: at, plan } = wakeOf(local('2026-12-24T19:00'));
    expect(at.slice(0, 13)).toBe('2026-12-28 09');
    expect(plan.reasons.some((r) => r.includes('public holiday'))).toBe(true);
  });

  it('in the customer’s own time zone: a New Yorker started at 07:00 there wakes at 09:00 there', () => {
    const newYorker = { ...adult, id: 'c-ny', country: 'US', timezone: 'America/New_York' };
    const { local: at } = wakeOf(
      local('2026-12-01T07:00', 'America/New_York'),
      newYorker,
      NO_BEHAVIOUR,
      'America/New_York',
    );
    expect(at.slice(0, 13)).toBe('2026-12-01 09');
  });

  it('with enough email engagement: in the customer’s most engaged hour of the first open day', () => {
    const opensAt14 = [1, 2, 3].map((d) => local(`2026-11-2${d}T14:20`).getTime());
    const engaged = { ...NO_BEHAVIOUR, emailOpensLast90Days: 3, engagementTimes: opensAt14 };
    const { local: at } = wakeOf(local('2026-12-01T03:00'), adult, engaged);
    expect(at.slice(0, 13)).toBe('2026-12-01 14');
  });
});
