import { describe, expect, it } from 'vitest';
import { reserveCallSlot } from '#application/journey-step/call-slot.ts';
import { callTaskOf } from '#core/call-task.ts';
import type { ContactCentre } from '#core/policy.ts';
import type { CallCapacity } from '#core/ports.ts';
import { CallList } from '#infra/local/call-list.ts';

const centre: ContactCentre = {
  timezone: 'Europe/Amsterdam',
  openingHours: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }],
  callsPerHour: 2,
};

/** The table's counters in memory: the hour is full once `callsPerHour` calls took it; one call per key. */
function memoryCapacity(): CallCapacity & { counts: Map<string, number> } {
  const counts = new Map<string, number>();
  const calls = new Map<string, string>();
  return {
    counts,
    async tryReserve(hour, callsPerHour, { key, callAt }) {
      const before = calls.get(key);
      if (before) return before;
      const taken = counts.get(hour) ?? 0;
      if (taken >= callsPerHour) return null;
      counts.set(hour, taken + 1);
      calls.set(key, callAt);
      return callAt;
    },
  };
}

describe('reserving a call slot', () => {
  it('plans five calls of one moment two an hour, from the contact centre’s opening', async () => {
    const capacity = memoryCapacity();
    const now = new Date('2026-12-07T06:30:00Z'); // Mon 07:30 Amsterdam, before opening
    const slots = [];
    for (let i = 0; i < 5; i++) {
      slots.push((await reserveCallSlot(capacity, centre, now, `run-${i}#final-notice`))?.callAt);
    }
    expect(slots).toEqual([
      '2026-12-07T08:00:00.000Z',
      '2026-12-07T08:00:00.000Z',
      '2026-12-07T09:00:00.000Z',
      '2026-12-07T09:00:00.000Z',
      '2026-12-07T10:00:00.000Z',
    ]);
  });

  it('keeps a retried step’s call: the same time, its hour counted once', async () => {
    const capacity = memoryCapacity();
    const now = new Date('2026-12-07T06:30:00Z');
    const first = await reserveCallSlot(capacity, centre, now, 'run-1#final-notice');
    const retried = await reserveCallSlot(
      capacity,
      centre,
      new Date('2026-12-07T08:20:00Z'),
      'run-1#final-notice',
    );
    expect(retried).toEqual({
      callAt: first?.callAt,
      reasons: [`call planned before: ${first?.callAt}`],
    });
    expect(capacity.counts.get('2026-12-07T08:00:00.000Z')).toBe(1);
  });

  it('puts a call task on the call list once per run and step, with its script', async () => {
    const list = new CallList(() => new Date('2026-12-07T06:30:00Z'));
    const call = {
      to: '+31201234567',
      script: 'Goedemiddag, ik bel over factuur F-1.',
      locale: 'nl',
      callAt: '2026-12-07T08:00:00.000Z',
      tags: {},
      customerId: 'c-1',
      runId: 'run-1',
      journeyId: 'payment-reminder',
      stepId: 'final-notice',
      templateId: 'payment-reminder',
    };
    await list.scheduleCall(call);
    await list.scheduleCall(call);
    expect(list.tasks()).toEqual([callTaskOf(call, new Date('2026-12-07T06:30:00Z'))]);
    expect(list.tasks()[0]).toMatchObject({ callTaskId: 'run-1.final-notice.call', customerId: 'c-1' });
  });
});
