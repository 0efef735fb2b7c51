import { describe, expect, it } from 'vitest';
import { holidayCalendarFor } from '#adapters/holiday-table.ts';
import {
  visitConstraintsOf,
  visitSlotAt,
  visitStartAsLastTold,
  visitStepOf,
  visitStillAhead,
} from '#core/appointment-visit.ts';
import type { CustomerProfile } from '#core/customer.ts';
import type { MessageStepConfig } from '#core/journey-step-run.ts';
import type { AppointmentSubject } from '#subjects/appointment.ts';
import { segmentById, testPolicy } from './test-policy.ts';

const customer: CustomerProfile = {
  id: 'c-visit',
  locale: 'nl-NL',
  country: 'NL',
  timezone: 'Europe/Amsterdam',
  email: 'c@example.nl',
};
const context = (now: string) => ({
  customer,
  segment: segmentById('default'),
  policy: testPolicy,
  now: new Date(now),
  holidayCalendarFor,
});
const appointment: AppointmentSubject = {
  type: 'appointment',
  id: 'APT-1',
  startsAt: '2026-12-08T10:30:00+01:00',
  locationName: 'Keuringsstation Utrecht',
  manageUrl: 'https://portal.example.com/appointments/APT-1',
};
const confirmation: MessageStepConfig = {
  stepId: 'confirmation',
  templateId: 'appointment-confirmation',
  purpose: 'transactional',
  channels: ['email', 'sms'],
  channelOrder: 'customer',
  onUnreachable: 'hand-over',
  next: { visit: 'reminder' },
};

describe('appointment steps work on the visit as last told', () => {
  it('takes the start from the subject item when the appointment moved', () => {
    const moved = visitStartAsLastTold(appointment, {
      customerId: 'c-visit',
      subjectId: 'APT-1',
      status: 'open',
      updatedAt: '2026-12-02T10:00:00Z',
      startsAt: '2026-12-15T14:00:00+01:00',
    });
    expect(moved).toBe('2026-12-15T14:00:00+01:00');
    expect(visitStartAsLastTold(appointment, undefined)).toBe(appointment.startsAt);
    expect(visitStartAsLastTold({ type: 'account', id: 'ACC-1' }, undefined)).toBeUndefined();
  });

  it('reminds from the day before until two hours before the start, one reminder per start', () => {
    expect(visitConstraintsOf('reminder', appointment.startsAt)).toEqual({
      notBefore: '2026-12-07',
      notAfter: '2026-12-08T07:30:00Z',
      occurrence: appointment.startsAt,
    });
    expect(visitConstraintsOf('follow-up', appointment.startsAt)).toEqual({
      notBefore: '2026-12-08T13:30:00Z',
    });
  });

  it('wakes the reminder step at its slot on the day before, inside the window', () => {
    const step = visitStepOf(confirmation, appointment.startsAt, context('2026-12-01T07:00:00Z'));
    const at = 'at' in (step.next ?? {}) ? (step.next as { at: string }).at : '';
    const local = new Date(at).toLocaleString('sv-SE', { timeZone: 'Europe/Amsterdam' });
    expect(local.slice(0, 10)).toBe('2026-12-07');
    expect(Number(local.slice(11, 13))).toBeGreaterThanOrEqual(9);
    expect(Number(local.slice(11, 13))).toBeLessThan(18);
  });

  it('wakes the next step now when no reminder slot is left before the visit', () => {
    const now = '2026-12-01T07:00:00Z';
    expect(visitSlotAt('reminder', '2026-12-01T09:30:00+01:00', context(now))).toBeNull();
    const step = visitStepOf(confirmation, '2026-12-01T09:30:00+01:00', context(now));
    expect(step.next).toEqual({ at: now.replace('Z', '.000Z') });
  });

  it('tells a visit still ahead from one that is over', () => {
    expect(visitStillAhead(appointment.startsAt, new Date('2026-12-08T12:00:00Z'))).toBe(true);
    expect(visitStillAhead(appointment.startsAt, new Date('2026-12-08T14:00:00Z'))).toBe(false);
  });
});
