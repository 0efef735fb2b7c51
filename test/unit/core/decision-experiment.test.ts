/**
 * An experiment's arm in the step's decision: it changes only what it names (text variant, channel
 * order, send time) or holds the message back once everything else is decided as for a send; consent,
 * quiet hours and caps apply to every arm as without an experiment.
 */
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { countryTables } from '#adapters/country-tables.ts';
import type { CustomerProfile } from '#core/customer.ts';
import { decideStep } from '#core/decision.ts';
import type { ArmAssignment, ExperimentArm } from '#core/experiment.ts';
import { type Policy, PolicySchema } from '#core/policy.ts';
import { firstReminder as reminder } from '../../fixtures/journey-steps.ts';
import { segmentById, testPolicy } from './test-policy.ts';

const customer: CustomerProfile = {
  id: 'c-arm',
  locale: 'nl-NL',
  country: 'NL',
  timezone: 'Europe/Amsterdam',
  email: 'c@example.nl',
  phone: '+31612345678',
  consents: [],
};
const policy: Policy = PolicySchema.parse({
  ...testPolicy,
  sendTime: { optimise: false, minEngagements: 3, spreadMinutes: 0 },
});
const local = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Amsterdam' }).toJSDate();
const armed = (arm: Omit<ExperimentArm, 'weight'>): ArmAssignment => ({
  experimentId: 'first-reminder-text',
  arm: { weight: 50, ...arm },
});
const segment = segmentById('default');
const decide = (arm: ArmAssignment | undefined, patch: Partial<Parameters<typeof decideStep>[0]> = {}) =>
  decideStep({
    customer,
    segment,
    tone: 'friendly',
    step: reminder,
    policy,
    countries: countryTables,
    now: local('2026-12-01T10:00'),
    ...(arm ? { arm } : {}),
    ...patch,
  });

describe('decideStep with an experiment arm', () => {
  it('a control arm decides exactly as without the experiment, and says which arm', () => {
    const without = decide(undefined);
    const control = decide(armed({ id: 'control' }));
    expect({ ...control, reasons: [] }).toEqual({
      ...without,
      reasons: [],
      experiment: { id: 'first-reminder-text', arm: 'control' },
    });
    expect(control.reasons[0]).toBe('experiment first-reminder-text: arm control (weight 50)');
  });

  it('a text variant arm changes the variant only', () => {
    const without = decide(undefined);
    const direct = decide(armed({ id: 'direct', variant: 'direct' }));
    expect(direct).toMatchObject({ variant: 'direct', channel: without.channel, sendAt: without.sendAt });
    expect(direct.reasons).toContain('text variant direct: set by experiment first-reminder-text arm direct');
  });

  it('a channel order arm puts SMS first, unless the customer cannot be reached on it', () => {
    const sms = decide(armed({ id: 'sms-first', channelOrder: ['sms', 'email'] }));
    expect(sms).toMatchObject({ channel: 'sms', fallbacks: ['email'] });
    const optedOut = decide(armed({ id: 'sms-first', channelOrder: ['sms', 'email'] }), {
      customer: {
        ...customer,
        consents: [
          {
            channel: 'sms',
            purpose: 'service',
            granted: false,
            at: '2026-01-01T00:00:00Z',
            source: 'portal',
          },
        ],
      },
    });
    expect(optedOut).toMatchObject({ channel: 'email', fallbacks: [] });
  });

  it('a send-time arm sends that many hours after the step woke, inside the window (quiet hours apply)', () => {
    const woke = local('2026-12-01T10:00');
    const later = decide(armed({ id: 'afternoon', sendAt: { delayHours: 5 } }), { wokenAt: woke });
    expect(later.localSendAt?.slice(0, 16)).toBe('2026-12-01T15:00');
    // Woken again at that slot (a deferral), the slot stands: the delay counts from the first wake.
    const again = decide(armed({ id: 'afternoon', sendAt: { delayHours: 5 } }), {
      wokenAt: woke,
      now: new Date(later.sendAt ?? ''),
      planned: new Date(later.sendAt ?? ''),
    });
    expect(again.sendAt).toBe(later.sendAt);
    // Twelve hours after 10:00 is 22:00, in the quiet hours: the next morning's window instead.
    const night = decide(armed({ id: 'night', sendAt: { delayHours: 12 } }), { wokenAt: woke });
    expect(night.localSendAt?.slice(0, 13)).toBe('2026-12-02T09');
  });

  it('a holdout decides as for a send, then holds the message back with its slot', () => {
    const without = decide(undefined);
    const holdout = decide(armed({ id: 'holdout', holdout: true }));
    expect(holdout).toMatchObject({
      channel: null,
      skipped: 'holdout',
      sendAt: without.sendAt,
      experiment: { id: 'first-reminder-text', arm: 'holdout' },
    });
    expect(holdout.reasons).toContain('holdout: arm holdout sends nothing');
  });

  it('a holdout customer nobody can reach is skipped for that, not as a holdout', () => {
    const holdout = decide(armed({ id: 'holdout', holdout: true }), {
      customer: { ...customer, email: undefined, phone: undefined },
    });
    expect(holdout.skipped).toBe('no-reachable-channel');
  });
});
