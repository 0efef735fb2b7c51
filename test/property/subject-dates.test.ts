/**
 * Waits and conditions relative to a subject date, for any zone, base instant, date form and offset:
 * the wake is on the day named, in the customer's calendar, at the base's local time of day (or just
 * after a spring-forward gap); moved into the customer's window as the step's Task moves it, it is never
 * before that day and the next step, woken there, sends at once; `before`/`after` a date never both hold.
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { countryTables } from '#adapters/country-tables.ts';
import { loadPolicy } from '#adapters/policy-file.ts';
import { placeOf, spreadless } from '#application/journey-step/place.ts';
import { NO_BEHAVIOUR } from '#core/behaviour.ts';
import { decideStep } from '#core/decision.ts';
import {
  conditionProblemOf,
  journeyStepOf,
  type MessageStepConfig,
  nextWakeAt,
} from '#core/journey-step-run.ts';
import { segmentOf } from '#core/segment.ts';
import { resolveTimezone } from '#core/slot.ts';
import { type SubjectDayOffset, subjectDayOf, wakeOnSubjectDay } from '#core/subject-dates.ts';
import { customerArb } from './arbitraries.ts';

const zoneArb = fc.constantFrom(
  'Europe/Amsterdam',
  'Europe/London',
  'America/New_York',
  'America/Sao_Paulo',
  'Australia/Lord_Howe',
  'Pacific/Auckland',
  'Pacific/Chatham',
  'Asia/Kolkata',
  'UTC',
);
const instantArb = fc.date({
  min: new Date('2026-01-01T00:00:00Z'),
  max: new Date('2028-12-31T00:00:00Z'),
  noInvalidDate: true,
});
const offsetArb: fc.Arbitrary<SubjectDayOffset> = fc.oneof(
  fc.record({ daysBefore: fc.integer({ min: 0, max: 400 }), of: fc.constant('endDate') }),
  fc.record({ daysAfter: fc.integer({ min: 0, max: 400 }), of: fc.constant('endDate') }),
);
/** The subject's date as an ISO date, or as a date-time with an offset of its own. */
const dateArb = fc.oneof(
  instantArb.map((d) => d.toISOString().slice(0, 10)),
  fc
    .tuple(instantArb, fc.constantFrom('+01:00', '-05:00', '+05:30', 'Z'))
    .map(([d, offset]) => DateTime.fromJSDate(d, { zone: offset === 'Z' ? 'UTC' : `UTC${offset}` }).toISO()),
);

describe('waits relative to a subject date (property)', () => {
  it('wake on the day named, at the base’s local time of day, or just after a gap the clock skipped', () => {
    fc.assert(
      fc.property(zoneArb, instantArb, dateArb, offsetArb, (zone, base, endDate, offset) => {
        const subject = { type: 'contract', id: 'c', endDate };
        const wake = DateTime.fromJSDate(wakeOnSubjectDay(offset, base, subject, zone), { zone });
        const from = DateTime.fromJSDate(base, { zone });
        expect(wake.toISODate()).toBe(subjectDayOf(offset, subject, zone));
        const wall = (t: DateTime) => t.hour * 60 + t.minute;
        const drift = wall(wake) - wall(from);
        // Equal, or moved on by a spring-forward change (at most an hour; Lord Howe's is half of one).
        expect(drift >= 0 && drift <= 60, `${from.toISO()} → ${wake.toISO()}`).toBe(true);
        if (drift === 0) expect(wake.second).toBe(from.second);
      }),
      { numRuns: 500 },
    );
  });

  it('an ISO date is the same calendar day in every zone; a date-time’s day is the customer’s', () => {
    fc.assert(
      fc.property(zoneArb, instantArb, (zone, at) => {
        const isoDate = at.toISOString().slice(0, 10);
        expect(subjectDayOf({ daysAfter: 0, of: 'd' }, { d: isoDate }, zone)).toBe(isoDate);
        const dateTime = at.toISOString();
        expect(subjectDayOf({ daysAfter: 0, of: 'd' }, { d: dateTime }, zone)).toBe(
          DateTime.fromJSDate(at, { zone }).toISODate(),
        );
      }),
    );
  });

  it('before and after the date never both hold, and on the date itself neither does', () => {
    fc.assert(
      fc.property(zoneArb, instantArb, dateArb, (zone, now, endDate) => {
        const subject = { endDate };
        const before = conditionProblemOf({ kind: 'before', of: 'endDate' }, subject, now, zone) === null;
        const after = conditionProblemOf({ kind: 'after', of: 'endDate' }, subject, now, zone) === null;
        expect(before && after).toBe(false);
        const today = DateTime.fromJSDate(now, { zone }).toISODate();
        const day = subjectDayOf({ daysAfter: 0, of: 'endDate' }, subject, zone);
        expect(!before && !after).toBe(today === day);
      }),
      { numRuns: 500 },
    );
  });

  it('moved into the customer’s window, never before the day named, and the next step sends there at once', () => {
    const policy = loadPolicy();
    const step: MessageStepConfig = {
      stepId: 'renewal-notice',
      templateId: 'payment-reminder',
      purpose: 'service',
      channels: ['email', 'sms'],
      channelOrder: 'customer',
      onUnreachable: 'skip',
    };
    fc.assert(
      fc.property(customerArb, instantArb, dateArb, offsetArb, (customer, base, endDate, offset) => {
        const subject = { type: 'contract', id: 'c', endDate };
        const segmented = segmentOf({ customer, behaviour: NO_BEHAVIOUR, policy, now: base });
        const segment = policy.segments.find((s) => s.id === segmented.segmentId);
        if (!segment) return;
        const progress = { ...segmented, decidedAt: base.toISOString() };
        const place = placeOf({ policy }, 'renewal', step, customer, progress);
        const zone = resolveTimezone(customer, policy).timezone;
        const wake = place.align(nextWakeAt(offset, base, subject, zone));
        const day = subjectDayOf(offset, subject, zone) ?? '';
        expect((DateTime.fromJSDate(wake, { zone }).toISODate() ?? '') >= day).toBe(true);
        const next = decideStep({
          customer,
          segment,
          tone: segmented.tone,
          step: journeyStepOf('renewal', step),
          policy: spreadless(policy),
          countries: countryTables,
          now: wake,
        });
        // Unreachable, or no slot at all: the step skips, wherever it wakes.
        if (next.sendAt === null) return;
        expect(next.sendAt).toBe(wake.toISOString());
      }),
      { numRuns: 300 },
    );
  });
});
