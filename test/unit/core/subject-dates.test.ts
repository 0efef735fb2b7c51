import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { holidayCalendarFor } from '#adapters/holiday-table.ts';
import { NO_BEHAVIOUR } from '#core/behaviour.ts';
import type { CustomerProfile } from '#core/customer.ts';
import { planFirstWake } from '#core/first-wake.ts';
import type { JourneySubject } from '#core/journey-step.ts';
import {
  conditionProblemOf,
  NextWakeSchema,
  nextWakeAt,
  precedingStepOutcome,
  StepConditionSchema,
} from '#core/journey-step-run.ts';
import {
  atLocalTime,
  subjectDateOf,
  subjectDatesNamed,
  subjectDayOf,
  wakeOnSubjectDay,
} from '#core/subject-dates.ts';
import { testPolicy } from './test-policy.ts';

const AMS = 'Europe/Amsterdam';
const local = (iso: string, zone = AMS) => DateTime.fromISO(iso, { zone }).toJSDate();
const localText = (at: Date, zone = AMS) => DateTime.fromJSDate(at, { zone }).toFormat('yyyy-MM-dd HH:mm');

/** A contract as a subject type's module may declare it: its dates are an ISO date and a date-time. */
const contract = {
  type: 'contract',
  id: 'CON-1',
  endDate: '2027-03-31',
  signedAt: '2026-03-31T23:30:00-04:00',
};
const invoice: JourneySubject = {
  type: 'invoice',
  id: 'INV-1',
  amount: '10.00',
  currency: 'EUR',
  dueDate: '2026-12-04',
  payUrl: 'https://pay.example.com/1',
};

describe('subject dates: read off the subject by name', () => {
  it('takes an ISO date as the calendar day written, and a date-time’s day in the customer’s zone', () => {
    expect(subjectDateOf(contract, 'endDate', AMS)).toBe('2027-03-31');
    expect(subjectDateOf(contract, 'endDate', 'Pacific/Auckland')).toBe('2027-03-31');
    // 23:30 in New York is the next morning in Amsterdam.
    expect(subjectDateOf(contract, 'signedAt', AMS)).toBe('2026-04-01');
    expect(subjectDateOf(contract, 'signedAt', 'America/New_York')).toBe('2026-03-31');
  });

  it('finds no date in a missing field, a field that holds no ISO date, or an impossible day', () => {
    expect(subjectDateOf(contract, 'startDate', AMS)).toBeUndefined();
    expect(subjectDateOf({ endDate: 'soon' }, 'endDate', AMS)).toBeUndefined();
    expect(subjectDateOf({ endDate: '2027-02-30' }, 'endDate', AMS)).toBeUndefined();
    expect(subjectDateOf({ endDate: 20270331 }, 'endDate', AMS)).toBeUndefined();
  });

  it('counts days before and after across month and year ends', () => {
    expect(subjectDayOf({ daysBefore: 30, of: 'endDate' }, contract, AMS)).toBe('2027-03-01');
    expect(subjectDayOf({ daysAfter: 1, of: 'endDate' }, contract, AMS)).toBe('2027-04-01');
    expect(subjectDayOf({ daysAfter: 0, of: 'dueDate' }, { dueDate: '2026-12-31' }, AMS)).toBe('2026-12-31');
    expect(subjectDayOf({ daysAfter: 1, of: 'dueDate' }, { dueDate: '2026-12-31' }, AMS)).toBe('2027-01-01');
  });
});

describe('waits relative to a subject date', () => {
  it('wakes on the named day at the local time of day of the step’s message', () => {
    const base = local('2026-12-01T09:18');
    const wake = nextWakeAt({ daysAfter: 1, of: 'dueDate' }, base, invoice, AMS);
    expect(localText(wake)).toBe('2026-12-05 09:18');
    const before = wakeOnSubjectDay({ daysBefore: 30, of: 'endDate' }, base, contract, AMS);
    expect(localText(before)).toBe('2027-03-01 09:18');
  });

  it('keeps the local time of day across a daylight-saving change (09:18 in winter is 09:18 in summer)', () => {
    const base = local('2026-12-01T09:18');
    const wake = wakeOnSubjectDay({ daysBefore: 0, of: 'endDate' }, base, contract, AMS);
    expect(localText(wake)).toBe('2027-03-31 09:18');
    expect(wake.toISOString()).toBe('2027-03-31T07:18:00.000Z');
  });

  it('takes a time the spring-forward change skips as the same time after the change, and a repeated one at its first pass', () => {
    // Amsterdam skips 02:00–03:00 on 28 March 2027 and repeats 02:00–03:00 on 31 October 2027.
    expect(localText(atLocalTime('2027-03-28', (2 * 60 + 30) * 60_000, AMS))).toBe('2027-03-28 03:30');
    expect(atLocalTime('2027-10-31', (2 * 60 + 30) * 60_000, AMS).toISOString()).toBe(
      '2027-10-31T00:30:00.000Z',
    );
  });

  it('counts the day in the customer’s own zone', () => {
    const base = local('2026-12-01T09:00', 'Asia/Tokyo');
    const wake = nextWakeAt({ daysAfter: 1, of: 'dueDate' }, base, invoice, 'Asia/Tokyo');
    expect(localText(wake, 'Asia/Tokyo')).toBe('2026-12-05 09:00');
  });

  it('stays at the base when the subject has no such date', () => {
    const base = local('2026-12-01T09:18');
    expect(nextWakeAt({ daysAfter: 3, of: 'endDate' }, base, invoice, AMS)).toEqual(base);
  });

  it('reads the form in the journey file and refuses the invoice-only one', () => {
    expect(NextWakeSchema.safeParse({ daysBefore: 30, of: 'endDate' }).success).toBe(true);
    expect(NextWakeSchema.safeParse({ daysAfter: 3, of: 'dueDate' }).success).toBe(true);
    expect(NextWakeSchema.safeParse({ afterDueDays: 1 }).success).toBe(false);
    expect(NextWakeSchema.safeParse({ daysAfter: 1 }).success).toBe(false);
    expect(NextWakeSchema.safeParse({ daysAfter: -1, of: 'dueDate' }).success).toBe(false);
    expect(NextWakeSchema.safeParse({ daysAfter: 1, daysBefore: 1, of: 'dueDate' }).success).toBe(false);
    expect(StepConditionSchema.safeParse({ kind: 'before-due' }).success).toBe(false);
    expect(StepConditionSchema.safeParse({ kind: 'before', of: 'dueDate' }).success).toBe(true);
  });
});

describe('conditions before and after a subject date', () => {
  const before = { kind: 'before', of: 'endDate' } as const;
  const after = { kind: 'after', of: 'endDate' } as const;

  it('before: met until the customer’s calendar day reaches the date', () => {
    expect(conditionProblemOf(before, contract, local('2027-03-30T23:59'), AMS)).toBeNull();
    expect(conditionProblemOf(before, contract, local('2027-03-31T00:00'), AMS)).toBe(
      'only before endDate 2027-03-31: that day has come',
    );
  });

  it('after: met from the day after the date', () => {
    expect(conditionProblemOf(after, contract, local('2027-03-31T23:59'), AMS)).toBe(
      'only after endDate 2027-03-31: that day has not passed',
    );
    expect(conditionProblemOf(after, contract, local('2027-04-01T00:00'), AMS)).toBeNull();
  });

  it('judges by the customer’s calendar: already the date in Auckland while still the day before in Amsterdam', () => {
    const now = new Date('2027-03-30T12:00:00Z');
    expect(conditionProblemOf(before, contract, now, AMS)).toBeNull();
    expect(conditionProblemOf(before, contract, now, 'Pacific/Auckland')).not.toBeNull();
  });

  it('is not met for a subject without the date, saying so', () => {
    expect(conditionProblemOf(before, invoice, local('2026-12-01T09:00'), AMS)).toBe(
      'only before endDate: the subject has no endDate',
    );
  });

  it('precededBy: the preceding step first while it is met or the day `until` names has not come', () => {
    const preceding = {
      stepId: 'pre-due-notice',
      templateId: 'payment-pre-due-notice',
      onlyIf: { kind: 'before', of: 'dueDate' },
      until: { daysAfter: 1, of: 'dueDate' },
    } as const;
    expect(precedingStepOutcome(preceding, invoice, local('2026-12-03T10:00'), AMS)).toEqual({ first: true });
    // On the due date itself the notice skips itself, and wakes the reminder the day after.
    expect(precedingStepOutcome(preceding, invoice, local('2026-12-04T10:00'), AMS)).toEqual({ first: true });
    expect(precedingStepOutcome(preceding, invoice, local('2026-12-05T10:00'), AMS)).toEqual({
      first: false,
      skipped: 'only before dueDate 2026-12-04: that day has come',
    });
  });
});

describe('the first wake on a subject day', () => {
  const customer: CustomerProfile = {
    id: 'c-renewal',
    locale: 'nl-NL',
    country: 'NL',
    timezone: AMS,
    birthDate: '1980-06-15',
  };
  const plan = (now: Date, offset = { daysBefore: 30, of: 'endDate' }) =>
    planFirstWake({
      customer,
      behaviour: NO_BEHAVIOUR,
      policy: testPolicy,
      now,
      holidayCalendarFor,
      day: { offset, subject: contract },
    });

  it('waits for the day: in the customer’s window that day, with the spread, saying why', () => {
    const wake = plan(local('2026-12-01T11:00'));
    const at = localText(wake.wakeAt);
    // 1 March 2027 is a Monday: the window opens at 09:00.
    expect(at >= '2027-03-01 09:00' && at < '2027-03-01 10:00', at).toBe(true);
    expect(wake.reasons).toContain('first message on 2027-03-01: 30 days before endDate');
  });

  it('a day that falls on a Sunday: the next open slot after it', () => {
    // 30 days before 2027-03-31 + 2 = 2027-02-28 is a Sunday.
    const at = localText(plan(local('2026-12-01T11:00'), { daysBefore: 31, of: 'endDate' }).wakeAt);
    expect(at >= '2027-03-01 09:00' && at < '2027-03-01 10:00', at).toBe(true);
  });

  it('a day already passed: the same wake as a start without one', () => {
    const now = local('2027-03-15T11:00');
    const without = planFirstWake({
      customer,
      behaviour: NO_BEHAVIOUR,
      policy: testPolicy,
      now,
      holidayCalendarFor,
    });
    expect(plan(now).wakeAt).toEqual(without.wakeAt);
  });

  it('a subject without the date: the same wake as a start without one', () => {
    const now = local('2026-12-01T11:00');
    const without = planFirstWake({
      customer,
      behaviour: NO_BEHAVIOUR,
      policy: testPolicy,
      now,
      holidayCalendarFor,
    });
    expect(plan(now, { daysBefore: 30, of: 'renewalDate' }).wakeAt).toEqual(without.wakeAt);
  });
});

describe('the subject dates a journey names', () => {
  it('finds every `of` of a wait, a condition, a preceding step and the first wake, with its path', () => {
    const definition = {
      subject: 'invoice',
      firstWake: { daysBefore: 2, of: 'dueDate' },
      steps: [
        {
          config: {
            stepId: 'notice',
            onlyIf: { kind: 'before', of: 'dueDate' },
            next: { daysAfter: 1, of: 'dueDat' },
          },
        },
        {
          config: {
            stepId: 'reminder',
            next: { afterHours: 168 },
            precededBy: {
              stepId: 'notice',
              onlyIf: { kind: 'before', of: 'dueDate' },
              until: { daysAfter: 1, of: 'dueDate' },
            },
          },
        },
      ],
    };
    expect(subjectDatesNamed(definition)).toEqual([
      { path: 'firstWake.of', of: 'dueDate' },
      { path: 'steps[0].config.onlyIf.of', of: 'dueDate' },
      { path: 'steps[0].config.next.of', of: 'dueDat' },
      { path: 'steps[1].config.precededBy.onlyIf.of', of: 'dueDate' },
      { path: 'steps[1].config.precededBy.until.of', of: 'dueDate' },
    ]);
  });

  it('takes an `of` elsewhere (a template field, a comment) for no date', () => {
    expect(subjectDatesNamed({ comment: { of: 'x' }, data: { of: 'dueDate', amount: 1 } })).toEqual([]);
  });
});
