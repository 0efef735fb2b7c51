import { describe, expect, it } from 'vitest';
import { loadPolicy } from '#adapters/policy-file.ts';
import { planCall, withStageContactCentre } from '#core/call-planning.ts';
import type { ContactCentre } from '#core/policy.ts';

const centre: ContactCentre = {
  timezone: 'Europe/Amsterdam',
  openingHours: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }],
  callsPerHour: 2,
};
const none = () => 0;

describe('planning a call', () => {
  it('calls at the slot when the contact centre is open and has room', () => {
    const planned = planCall({ earliestMs: Date.parse('2026-12-07T10:20:00Z'), centre, booked: none });
    expect(new Date(planned?.callAtMs ?? 0).toISOString()).toBe('2026-12-07T10:20:00.000Z');
    expect(planned?.reasons).toEqual([
      'call planned 2026-12-07 11:20 Europe/Amsterdam: contact centre open, 2 calls an hour',
    ]);
  });

  it('moves a Friday evening call to Monday at opening time', () => {
    const planned = planCall({ earliestMs: Date.parse('2026-12-04T17:30:00Z'), centre, booked: none });
    expect(new Date(planned?.callAtMs ?? 0).toISOString()).toBe('2026-12-07T08:00:00.000Z');
  });

  it('puts a call beyond the hour’s capacity into the next hour with room', () => {
    const booked = (hour: string) => (hour === '2026-12-07T10:00:00.000Z' ? 2 : 0);
    const planned = planCall({ earliestMs: Date.parse('2026-12-07T10:20:00Z'), centre, booked });
    expect(new Date(planned?.callAtMs ?? 0).toISOString()).toBe('2026-12-07T11:00:00.000Z');
    expect(planned?.reasons[0]).toBe(
      'contact centre full for 1 open hour (2 calls an hour): next hour with room',
    );
  });

  it('answers null when no open hour has room within two weeks', () => {
    expect(planCall({ earliestMs: Date.parse('2026-12-07T10:20:00Z'), centre, booked: () => 2 })).toBeNull();
  });
});

describe('a stage’s contact centre over the policy’s', () => {
  const policy = loadPolicy();

  it('takes the stage’s fields and keeps the policy’s others', () => {
    const merged = withStageContactCentre(policy, JSON.stringify({ callsPerHour: 5 }));
    expect(merged.contactCentre).toEqual({ ...policy.contactCentre, callsPerHour: 5 });
    expect(withStageContactCentre(policy, undefined)).toBe(policy);
  });

  it('refuses a stage’s settings that make no contact centre with the policy’s, naming the field', () => {
    const { contactCentre: _none, ...withoutCentre } = policy;
    expect(() => withStageContactCentre(withoutCentre, JSON.stringify({ callsPerHour: 5 }))).toThrow(
      /timezone/,
    );
  });
});
