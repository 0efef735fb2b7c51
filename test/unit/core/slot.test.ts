import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { holidayCalendarFor } from '#adapters/holiday-table.ts';
import type { CustomerProfile } from '#core/customer.ts';
import type { JourneyStep } from '#core/journey-step.ts';
import { PolicySchema, type Segment } from '#core/policy.ts';
import { pickSlot } from '#core/slot.ts';
import { firstReminder as reminder } from '../../fixtures/journey-steps.ts';
import { segmentById, testPolicy } from './test-policy.ts';

const amsterdammer: CustomerProfile = {
  id: 'c-slot',
  locale: 'nl-NL',
  country: 'NL',
  timezone: 'Europe/Amsterdam',
};

/** `now` given as a local wall-clock time in the zone, e.g. local('2026-12-01T10:00'). */
const local = (iso: string, zone = 'Europe/Amsterdam') => DateTime.fromISO(iso, { zone }).toJSDate();

const slot = (
  now: Date,
  opts: { customer?: CustomerProfile; segment?: string | Segment; step?: JourneyStep } = {},
) =>
  pickSlot({
    customer: opts.customer ?? amsterdammer,
    segment: typeof opts.segment === 'object' ? opts.segment : segmentById(opts.segment ?? 'default'),
    step: opts.step ?? reminder,
    policy: testPolicy,
    holidayCalendarFor,
    now,
  });

/** Returns the local send time as "yyyy-MM-dd HH:mm" and its UTC offset. */
const localTime = (decision: { localSendAt: string | null }) => {
  const t = DateTime.fromISO(decision.localSendAt ?? 'missing', { setZone: true });
  return { day: t.toFormat('yyyy-MM-dd'), hour: t.hour, minute: t.minute, offset: t.toFormat('ZZ') };
};

describe('pickSlot', () => {
  it('sends a transactional step immediately, even at night', () => {
    const now = local('2026-12-01T03:12');
    const decision = slot(now, { step: { ...reminder, purpose: 'transactional' } });
    expect(decision.sendAt).toBe(now.toISOString());
    expect(decision.localSendAt).toBe('2026-12-01T03:12:00.000+01:00');
    expect(decision.reasons).toContain(
      'transactional: send immediately, windows and quiet hours do not apply',
    );
  });

  it('sends inside the window when now is inside it, spread by at most an hour', () => {
    const now = local('2026-12-01T10:00'); // Tuesday
    const decision = slot(now);
    const sendAt = Date.parse(decision.sendAt ?? '');
    expect(sendAt).toBeGreaterThanOrEqual(now.getTime());
    expect(sendAt - now.getTime()).toBeLessThan(60 * 60_000);
    expect(decision.reasons).toContain('now is inside window Mon,Tue,Wed,Thu,Fri 09:00-18:00 local');
    expect(decision.sendAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(decision.localSendAt).toMatch(/\+01:00$/);
  });

  it('moves a send out of quiet hours to the next morning window', () => {
    const decision = slot(local('2026-12-01T22:30'));
    expect(localTime(decision)).toMatchObject({ day: '2026-12-02', hour: 9 });
    expect(decision.reasons.join('\n')).toMatch(/slot moved to Wed 2026-12-02 09:00 local: quiet hours/);
  });

  it('moves a send outside the window to the next window and says why', () => {
    const decision = slot(local('2026-12-01T18:30'));
    expect(localTime(decision)).toMatchObject({ day: '2026-12-02', hour: 9 });
    expect(decision.reasons.join('\n')).toMatch(/slot moved to Wed 2026-12-02 09:00 local: outside window/);
  });

  it('skips the weekend for a weekdays-only segment', () => {
    const decision = slot(local('2026-12-05T12:00'), { segment: 'senior' }); // Saturday
    expect(localTime(decision)).toMatchObject({ day: '2026-12-07', hour: 10 });
  });

  it('uses the Saturday window of the default segment, and skips Sunday', () => {
    expect(localTime(slot(local('2026-12-05T08:30')))).toMatchObject({ day: '2026-12-05', hour: 10 });
    expect(localTime(slot(local('2026-12-06T11:00')))).toMatchObject({ day: '2026-12-07', hour: 9 });
  });

  it("skips a Dutch public holiday: King's Day, 27 April 2026", () => {
    const decision = slot(local('2026-04-27T09:30'));
    expect(localTime(decision)).toMatchObject({ day: '2026-04-28', hour: 9 });
    expect(decision.reasons).toContain("skipped 2026-04-27: public holiday in NL (King's Day)");
    expect(decision.reasons.join('\n')).toMatch(/: public holiday$/m);
  });

  it('skips holidays of the customer country only: 27 April is a working day in Germany', () => {
    const german = { ...amsterdammer, country: 'DE', timezone: 'Europe/Berlin' };
    expect(localTime(slot(local('2026-04-27T09:30', 'Europe/Berlin'), { customer: german })).day).toBe(
      '2026-04-27',
    );
  });

  it('skips Christmas and Boxing Day, then the Sunday', () => {
    const decision = slot(local('2026-12-24T18:30'));
    expect(localTime(decision)).toMatchObject({ day: '2026-12-28', hour: 9 });
    expect(decision.reasons).toContain('skipped 2026-12-25: public holiday in NL (Christmas Day)');
    expect(decision.reasons).toContain('skipped 2026-12-26: public holiday in NL (Boxing Day)');
  });

  it('uses the customer region for regional holidays (Epiphany in Bavaria, not in Berlin)', () => {
    const bavarian = { ...amsterdammer, country: 'DE', region: 'BY', timezone: 'Europe/Berlin' };
    const berliner = { ...bavarian, region: 'BE' };
    const now = local('2027-01-06T10:00', 'Europe/Berlin'); // Wednesday
    expect(localTime(slot(now, { customer: bavarian })).day).toBe('2027-01-07');
    expect(localTime(slot(now, { customer: berliner })).day).toBe('2027-01-06');
  });

  it('still picks a slot in a country without a holiday calendar, and says so', () => {
    const decision = slot(local('2026-12-01T10:00'), { customer: { ...amsterdammer, country: 'ZZ' } });
    expect(decision.reasons).toContain('holidays: no calendar for ZZ');
  });

  describe('timezone', () => {
    it("uses the customer's own zone", () => {
      const decision = slot(local('2026-12-01T10:00'), {
        customer: { ...amsterdammer, timezone: 'America/New_York' },
      });
      expect(decision.timezone).toBe('America/New_York');
      expect(decision.reasons[0]).toBe('timezone America/New_York: from customer');
      expect(localTime(decision)).toMatchObject({ day: '2026-12-01', hour: 9, offset: '-05:00' });
    });

    it("falls back to the country's main zone without one", () => {
      const decision = slot(local('2026-12-01T10:00'), {
        customer: { id: 'b', locale: 'nl-BE', country: 'BE' },
      });
      expect(decision.timezone).toBe('Europe/Brussels');
      expect(decision.reasons[0]).toBe('timezone Europe/Brussels: main zone of BE');
    });

    it('falls back to the country when the customer zone is not a real zone', () => {
      const decision = slot(local('2026-12-01T10:00'), {
        customer: { ...amsterdammer, timezone: 'Mars/Olympus' },
      });
      expect(decision.reasons[0]).toBe(
        'timezone Europe/Amsterdam: customer timezone is not a valid IANA zone, main zone of NL',
      );
    });

    it('falls back to the policy default for a country it does not know', () => {
      const decision = slot(local('2026-12-01T10:00'), {
        customer: { id: 'f', locale: 'fr-FR', country: 'FR' },
      });
      expect(decision.timezone).toBe('Europe/Amsterdam');
      expect(decision.reasons[0]).toBe('timezone Europe/Amsterdam: policy default, none for FR');
    });
  });

  describe('daylight saving time', () => {
    const sundayMorning: Segment = {
      ...segmentById('default'),
      id: 'sunday',
      windows: [{ days: [7], start: '09:00', end: '12:00' }],
    };

    it('gives a real 09:xx local time on the spring-forward Sunday (2026-03-29, Amsterdam)', () => {
      const decision = slot(local('2026-03-28T22:00'), { segment: sundayMorning });
      expect(localTime(decision)).toMatchObject({ day: '2026-03-29', hour: 9, offset: '+02:00' });
      expect(decision.sendAt?.slice(0, 13)).toBe('2026-03-29T07');
    });

    it('gives a real 09:xx local time on the fall-back Sunday (2026-10-25, Amsterdam)', () => {
      const decision = slot(local('2026-10-24T22:00'), { segment: sundayMorning });
      expect(localTime(decision)).toMatchObject({ day: '2026-10-25', hour: 9, offset: '+01:00' });
      expect(decision.sendAt?.slice(0, 13)).toBe('2026-10-25T08');
    });

    it('keeps windows in local time across the change on weekdays', () => {
      const before = localTime(slot(local('2026-03-27T19:00'))); // Friday evening, CET
      const after = localTime(slot(local('2026-03-30T07:00'))); // Monday morning, CEST
      expect(before).toMatchObject({ day: '2026-03-28', hour: 10, offset: '+01:00' });
      expect(after).toMatchObject({ day: '2026-03-30', hour: 9, offset: '+02:00' });
    });
  });

  describe('spread', () => {
    it('is deterministic per customer and differs between customers', () => {
      const now = local('2026-12-01T07:00');
      const first = slot(now, { customer: { ...amsterdammer, id: 'c-a' } });
      expect(slot(now, { customer: { ...amsterdammer, id: 'c-a' } }).sendAt).toBe(first.sendAt);
      const minutes = new Set(
        Array.from(
          { length: 40 },
          (_, i) => localTime(slot(now, { customer: { ...amsterdammer, id: `c-${i}` } })).minute,
        ),
      );
      expect(minutes.size).toBeGreaterThan(10);
      expect(first.reasons.join('\n')).toMatch(/spread \+\d+ min( \d+ s)? by customer id/);
    });

    it('stays inside a window that is about to close', () => {
      const now = local('2026-12-01T17:58');
      for (let i = 0; i < 30; i++) {
        const decision = slot(now, { customer: { ...amsterdammer, id: `c-${i}` } });
        expect(Date.parse(decision.sendAt ?? '')).toBeLessThan(local('2026-12-01T18:00').getTime());
        expect(Date.parse(decision.sendAt ?? '')).toBeGreaterThanOrEqual(now.getTime());
      }
    });
  });

  it('rejects a policy whose windows lie inside quiet hours (no message could ever be planned)', () => {
    const result = PolicySchema.safeParse({
      ...testPolicy,
      segments: [
        {
          ...segmentById('default'),
          windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '22:00', end: '23:00' }],
        },
      ],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({
      path: ['segments', 0, 'windows'],
      message: 'every window lies in the quiet hours',
    });
  });
});
