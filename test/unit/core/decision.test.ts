import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { countryTables } from '#adapters/country-tables.ts';
import type { SentMessage } from '#core/contact-pressure.ts';
import type { CustomerProfile } from '#core/customer.ts';
import { decideStep } from '#core/decision.ts';
import { type Policy, PolicySchema, type Segment } from '#core/policy.ts';
import { appointmentReminderFor, firstReminder as reminder } from '../../fixtures/journey-steps.ts';
import { segmentById, testPolicy } from './test-policy.ts';

const customer: CustomerProfile = {
  id: 'c-decide',
  locale: 'nl-NL',
  country: 'NL',
  timezone: 'Europe/Amsterdam',
  email: 'c@example.nl',
  phone: '+31612345678',
  consents: [
    { channel: 'email', purpose: 'marketing', granted: true, at: '2026-01-01T00:00:00Z', source: 'portal' },
  ],
};
const capped: Policy = PolicySchema.parse({
  ...testPolicy,
  contactPressure: { days: 7, perChannel: { email: 2, sms: 1 } },
});

const local = (iso: string, zone = 'Europe/Amsterdam') => DateTime.fromISO(iso, { zone }).toJSDate();
const localOf = (iso: string | null) => DateTime.fromISO(iso ?? 'missing', { setZone: true });

const decide = (
  patch: Partial<Parameters<typeof decideStep>[0]> & { now: Date },
  segment: Segment = segmentById('default'),
) =>
  decideStep({
    customer,
    segment,
    tone: segment.tone,
    step: reminder,
    policy: capped,
    countries: countryTables,
    ...patch,
  });

const emails = (...ats: string[]): SentMessage[] => ats.map((at) => ({ at, channel: 'email' }));

describe('decideStep: contact pressure', () => {
  it('counts only the rolling window and the chosen channel', () => {
    const decision = decide({
      now: local('2026-12-01T10:00'),
      sent: [
        ...emails('2026-11-20T10:00:00Z', '2026-11-30T10:00:00Z'),
        { at: '2026-11-30T11:00:00Z', channel: 'sms' },
      ],
    });
    expect(decision.channel).toBe('email');
    expect(decision.reasons).toContain('contact pressure: 1 of 2 email messages in 7 days');
  });

  it('defers a capped service message to the next allowed slot after the oldest message leaves the window', () => {
    // Two emails this week: the window has room again on Thu 3 December at 15:00 UTC (16:00 local).
    const decision = decide({
      now: local('2026-12-01T10:00'),
      sent: emails('2026-11-26T15:00:00Z', '2026-11-30T09:00:00Z'),
    });
    expect(decision).toMatchObject({ channel: 'email', skipped: null });
    const sendAt = localOf(decision.localSendAt);
    expect(Date.parse(decision.sendAt ?? '')).toBeGreaterThanOrEqual(Date.parse('2026-12-03T15:00:00Z'));
    expect(sendAt.toFormat('yyyy-MM-dd')).toBe('2026-12-03');
    expect(sendAt.hour).toBeLessThan(18);
    expect(decision.reasons).toContain(
      'contact pressure: 2 of 2 email messages in 7 days, service deferred until 2026-12-03T15:00:00.000Z',
    );
  });

  it('moves a deferral that lands after the window closes to the next day in the window', () => {
    const decision = decide({
      now: local('2026-12-01T10:00'),
      sent: emails('2026-11-26T17:30:00Z', '2026-11-30T09:00:00Z'), // room again at 18:30 local, after 18:00
    });
    expect(localOf(decision.localSendAt).toFormat('yyyy-MM-dd HH')).toBe('2026-12-04 09');
  });

  it('drops a capped marketing message, with the reason and code', () => {
    const decision = decide({
      now: local('2026-12-01T10:00'),
      step: { ...reminder, stepId: 'newsletter', purpose: 'marketing' },
      sent: emails('2026-11-30T09:00:00Z', '2026-11-30T10:00:00Z'),
    });
    expect(decision).toMatchObject({
      channel: null,
      fallbacks: [],
      sendAt: null,
      skipped: 'contact-pressure',
    });
    expect(decision.reasons).toContain(
      'skipped: contact pressure, 2 of 2 email messages in 7 days, marketing is dropped',
    );
  });

  it('never caps a transactional message', () => {
    const now = local('2026-12-01T23:00');
    const decision = decide({
      now,
      step: { ...reminder, stepId: 'confirmation', purpose: 'transactional' },
      sent: emails('2026-11-30T09:00:00Z', '2026-11-30T10:00:00Z', '2026-11-30T11:00:00Z'),
    });
    expect(decision).toMatchObject({ channel: 'email', sendAt: now.toISOString(), skipped: null });
    expect(decision.reasons).toContain(
      'contact pressure: 3 of 2 email messages in 7 days, transactional is never capped',
    );
  });
});

describe('decideStep: step constraints', () => {
  const senior = segmentById('senior'); // weekdays 10:00-16:00

  it('skips a step whose deadline passes before the next window opens', () => {
    const friday = local('2026-12-04T20:00');
    const decision = decide(
      { now: friday, triggeredAt: friday, step: { ...reminder, withinHours: 12 } },
      senior,
    );
    expect(decision).toMatchObject({ channel: null, sendAt: null, skipped: 'deadline' });
    expect(decision.reasons.join('\n')).toMatch(
      /skipped: no open slot before the deadline \(12 h after the trigger\)/,
    );
  });

  it('plans inside the deadline when a window opens before it, counting from the trigger', () => {
    const trigger = local('2026-12-04T20:00');
    const decision = decide(
      { now: local('2026-12-05T09:00'), triggeredAt: trigger, step: { ...reminder, withinHours: 72 } },
      senior,
    );
    expect(localOf(decision.localSendAt).toFormat('yyyy-MM-dd')).toBe('2026-12-07');
    expect(Date.parse(decision.sendAt ?? '')).toBeLessThan(trigger.getTime() + 72 * 3_600_000);
    expect(decision.reasons).toContain('deadline Mon 2026-12-07 20:00 local: within 72 h of the trigger');
  });

  it('skips at once when the deadline has passed already', () => {
    const decision = decide({
      now: local('2026-12-04T12:00'),
      triggeredAt: local('2026-12-01T12:00'),
      step: { ...reminder, withinHours: 24 },
    });
    expect(decision.skipped).toBe('deadline');
  });

  it('waits for notBefore: a date is the start of that day in the customer zone', () => {
    const decision = decide({
      now: local('2026-12-01T10:00'),
      step: { ...reminder, notBefore: '2026-12-03' },
    });
    const sendAt = localOf(decision.localSendAt);
    expect(sendAt.toFormat('yyyy-MM-dd')).toBe('2026-12-03');
    expect(sendAt.hour).toBe(9);
    expect(decision.reasons).toContain('not before Thu 2026-12-03 00:00 local: set by step first-reminder');
  });

  it('waits for notBefore given as an instant', () => {
    const decision = decide({
      now: local('2026-12-01T10:00'),
      step: { ...reminder, notBefore: '2026-12-01T14:30:00+01:00' },
    });
    expect(Date.parse(decision.sendAt ?? '')).toBeGreaterThanOrEqual(Date.parse('2026-12-01T14:30:00+01:00'));
    expect(localOf(decision.localSendAt).toFormat('yyyy-MM-dd')).toBe('2026-12-01');
  });
});

describe('decideStep: an appointment reminder falls before the visit', () => {
  it('reminds on the day before, in the window, for a visit next week', () => {
    const decision = decide({
      now: local('2026-12-01T10:00'),
      step: appointmentReminderFor('2026-12-08T10:30:00+01:00'),
    });
    expect(localOf(decision.localSendAt).toFormat('yyyy-MM-dd')).toBe('2026-12-07');
    expect(decision.reasons).toContain(
      'deadline Tue 2026-12-08 08:30 local: not after, set by step reminder',
    );
  });

  it('reminds the same afternoon for a visit booked in the afternoon for the next morning', () => {
    const now = local('2026-12-01T15:00');
    const decision = decide({ now, step: appointmentReminderFor('2026-12-02T10:30:00+01:00') });
    expect(decision.channel).toBe('email');
    expect(Date.parse(decision.sendAt ?? '')).toBeGreaterThanOrEqual(now.getTime());
    expect(Date.parse(decision.sendAt ?? '')).toBeLessThan(Date.parse('2026-12-02T08:30:00+01:00'));
  });

  it('skips with reason deadline when the next window opens only after the visit', () => {
    // Booked in the evening for 09:00 the next morning: the window opens at 09:00, the deadline is 07:00.
    const decision = decide({
      now: local('2026-12-01T20:00'),
      step: appointmentReminderFor('2026-12-02T09:00:00+01:00'),
    });
    expect(decision).toMatchObject({ channel: null, sendAt: null, skipped: 'deadline' });
    expect(decision.reasons.join('\n')).toMatch(
      /skipped: no open slot before the deadline \(not after Wed 2026-12-02 07:00 local, set by step reminder\)/,
    );
  });

  it('skips a Monday-morning visit whose day before has no window for the segment, instead of reminding late', () => {
    const decision = decide(
      { now: local('2026-12-02T10:00'), step: appointmentReminderFor('2026-12-07T08:30:00+01:00') },
      segmentById('senior'),
    );
    expect(decision.skipped).toBe('deadline');
  });

  it('skips at once when the visit has started, even for a transactional step', () => {
    const late = decide({
      now: local('2026-12-08T10:00'),
      step: { ...appointmentReminderFor('2026-12-08T09:00:00+01:00'), purpose: 'transactional' },
    });
    expect(late.skipped).toBe('deadline');
    expect(late.reasons.join('\n')).toMatch(/not after Tue 2026-12-08 07:00 local.*has passed/);
  });

  it('reads a notAfter date as the end of that day in the customer zone', () => {
    const decision = decide({
      now: local('2026-12-04T17:00'),
      step: { ...reminder, notAfter: '2026-12-04' },
    });
    expect(localOf(decision.localSendAt).toFormat('yyyy-MM-dd')).toBe('2026-12-04');
    const tooLate = decide({ now: local('2026-12-04T19:00'), step: { ...reminder, notAfter: '2026-12-04' } });
    expect(tooLate.skipped).toBe('deadline');
  });
});

describe('decideStep: send-time optimisation', () => {
  const opensAt = (...localTimes: string[]) => localTimes.map((t) => local(t).getTime());

  it('sends in the local hour the customer engages most, inside the window', () => {
    const decision = decide({
      now: local('2026-12-01T07:00'),
      engagement: opensAt('2026-11-10T14:05', '2026-11-12T14:40', '2026-11-20T09:10', '2026-11-25T14:20'),
    });
    const sendAt = localOf(decision.localSendAt);
    expect(sendAt.toFormat('yyyy-MM-dd HH')).toBe('2026-12-01 14');
    expect(decision.reasons).toContain(
      'send-time optimisation: 14:00 local has the most engagement (3 of 4)',
    );
  });

  it('uses the engaged hours in the customer zone, not the server zone', () => {
    const newYorker = { ...customer, timezone: 'America/New_York', country: 'US' };
    const engagement = opensAt('2026-11-10T11:05', '2026-11-12T11:40', '2026-11-20T11:10').map((t) => t); // 11:xx Amsterdam = 05:xx New York
    const decision = decideStep({
      customer: newYorker,
      segment: segmentById('default'),
      tone: 'friendly',
      step: reminder,
      policy: capped,
      countries: countryTables,
      now: local('2026-12-01T09:00', 'America/New_York'),
      engagement,
    });
    // 05:00 is in the quiet hours in New York: no engaged hour is open, so the spread decides.
    expect(decision.reasons).toContain(
      'send-time optimisation: no engaged hour open that day, spread instead',
    );
    expect(localOf(decision.localSendAt).hour).toBeLessThan(10);
  });

  it('spreads by customer id while the history is shorter than the policy asks', () => {
    const decision = decide({ now: local('2026-12-01T07:00'), engagement: opensAt('2026-11-10T14:05') });
    expect(localOf(decision.localSendAt).hour).toBe(9);
    expect(decision.reasons.join('\n')).not.toMatch(/send-time optimisation/);
  });
});

describe('decideStep: content choices', () => {
  it('uses the step tone over the segment tone, and the segment locale rules', () => {
    const expats: Segment = { ...segmentById('default'), id: 'expats', locale: { use: 'en' } };
    const decision = decide({ now: local('2026-12-01T10:00'), step: { ...reminder, tone: 'firm' } }, expats);
    expect(decision).toMatchObject({ template: 'payment-reminder', variant: 'firm', locale: 'en' });
    expect(decision.reasons).toContain('locale en: segment expats writes in en');
    expect(decision.reasons).toContain('tone firm: set by the journey step');
  });

  it('falls back to the segment fallback locale when the customer language has no texts', () => {
    const fallbackEn: Segment = { ...segmentById('default'), locale: { fallback: 'en' } };
    const decision = decide(
      { now: local('2026-12-01T10:00'), customer: { ...customer, locale: 'de-DE' } },
      fallbackEn,
    );
    expect(decision.locale).toBe('en');
  });

  it('reports an unreachable customer as skipped, still naming the time zone it would use', () => {
    const decision = decide({
      now: local('2026-12-01T10:00'),
      customer: { id: 'c-x', locale: 'nl-NL', country: 'BE' },
    });
    expect(decision).toMatchObject({
      channel: null,
      skipped: 'no-reachable-channel',
      timezone: 'Europe/Brussels',
    });
    expect(decision.reasons).toContain('no reachable channel for service');
  });
});

describe('decideStep: a planned slot is kept', () => {
  it('sends at the slot a journey waited for, instead of spreading again from then', () => {
    const first = decide({ now: local('2026-12-01T10:00') });
    const slot = new Date(first.sendAt ?? '');
    expect(slot.getTime()).toBeGreaterThan(local('2026-12-01T10:00').getTime());
    // Woken at that slot, without the plan the decision spreads again: a wait that never ends in a send.
    expect(Date.parse(decide({ now: slot }).sendAt ?? '')).toBeGreaterThan(slot.getTime());
    const kept = decide({ now: slot, planned: slot });
    expect(kept.sendAt).toBe(slot.toISOString());
    expect(kept.reasons.join('\n')).toMatch(/planned slot kept/);
  });

  it('drops a planned slot that is no longer open: the next window instead', () => {
    const evening = local('2026-12-01T19:00');
    const decision = decide({ now: evening, planned: local('2026-12-01T17:30') });
    expect(localOf(decision.localSendAt).toFormat('yyyy-MM-dd')).toBe('2026-12-02');
  });
});
