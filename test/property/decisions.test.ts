import Holidays from 'date-holidays';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { countryTables } from '#adapters/country-tables.ts';
import { loadPolicy } from '#adapters/policy-file.ts';
import { appointmentTimesOf } from '#core/appointment-times.ts';
import { NO_BEHAVIOUR } from '#core/behaviour.ts';
import { summariseBehaviour } from '#core/behaviour-summary.ts';
import { consentProblem } from '#core/consent.ts';
import type { SentMessage } from '#core/contact-pressure.ts';
import type { Channel, CustomerProfile } from '#core/customer.ts';
import { decideStep } from '#core/decision.ts';
import type { JourneyStep } from '#core/journey-step.ts';
import type { Policy, Segment } from '#core/policy.ts';
import { emailProblem, smsPhoneProblem } from '#core/reachability.ts';
import { segmentOf } from '#core/segment.ts';
import { pickSlot, resolveTimezone } from '#core/slot.ts';
import { appointmentReminderFor } from '../fixtures/journey-steps.ts';
import {
  anyValidProfileArb,
  constrainedStepArb,
  customerArb,
  engagementArb,
  instantArb,
  lateArb,
  policyPoolArb,
  sentArb,
  suppressedArb,
} from './arbitraries.ts';

/** ≥ 10,000 generated cases per property; the seed is printed by fast-check on failure. */
const RUNS = 10_000;
const HOUR = 3_600_000;

const realPolicy = loadPolicy();
const anyPolicy = policyPoolArb(realPolicy);
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

/** Public holidays straight from date-holidays, an oracle independent of the table the core ships. */
const oracleDays = new Map<string, Set<string>>();
function isPublicHoliday(country: string, region: string | undefined, isoDate: string): boolean {
  const year = Number(isoDate.slice(0, 4));
  const hd = new Holidays();
  const code = region?.toUpperCase().replace(`${country}-`, '');
  const known = code && code in (hd.getStates(country) ?? {}) ? code : undefined;
  const key = `${country}/${known ?? ''}/${year}`;
  let days = oracleDays.get(key);
  if (!days) {
    days = new Set();
    if (country in hd.getCountries() && Object.keys(realPolicy.countryTimezones).includes(country)) {
      const rules = known ? new Holidays(country, known) : new Holidays(country);
      for (const h of rules.getHolidays(year)) if (h.type === 'public') days.add(h.date.slice(0, 10));
    }
    oracleDays.set(key, days);
  }
  return days.has(isoDate);
}

/** Everything one decision needs, drawn at random: customer × policy × step × instant × history. */
const caseArb = fc.record({
  customer: customerArb,
  policy: anyPolicy,
  segmentIndex: fc.nat(),
  step: constrainedStepArb,
  now: instantArb,
  triggeredHoursBefore: fc.integer({ min: 0, max: 72 }),
  suppressed: suppressedArb,
  sent: sentArb,
  engagement: engagementArb,
});
type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function inputsOf(c: Case) {
  const segment = c.policy.segments[c.segmentIndex % c.policy.segments.length] as Segment;
  const nowMs = c.now.getTime();
  const sent: SentMessage[] = c.sent.map((s) => ({
    at: new Date(nowMs - s.hoursBefore * HOUR).toISOString(),
    channel: s.channel,
  }));
  return {
    customer: c.customer,
    segment,
    tone: segment.tone,
    step: c.step,
    policy: c.policy,
    now: c.now,
    triggeredAt: new Date(nowMs - c.triggeredHoursBefore * HOUR),
    suppressed: c.suppressed,
    sent,
    engagement: c.engagement.map((h) => nowMs - h * HOUR),
  };
}

/** Asserts what a planned send time must satisfy; returns whether one was planned. */
function checkSlot(
  input: ReturnType<typeof inputsOf>,
  decision: { sendAt: string | null; localSendAt: string | null; timezone: string; skipped: string | null },
): boolean {
  const { customer, segment, step, policy } = input;
  expect(decision.timezone).toBe(resolveTimezone(customer, policy).timezone);
  if (!decision.sendAt) {
    expect(decision.skipped).not.toBeNull();
    // A valid policy always has a slot; only a deadline (or the customer's channels) can skip a step.
    expect(decision.skipped).not.toBe('no-slot');
    if (decision.skipped === 'deadline') expect(step.withinHours ?? step.notAfter).toBeDefined();
    return false;
  }
  const sendAt = Date.parse(decision.sendAt);
  expect(sendAt).toBeGreaterThanOrEqual(input.now.getTime());
  expect(Date.parse(decision.localSendAt ?? '')).toBe(sendAt);
  const local = DateTime.fromMillis(sendAt, { zone: decision.timezone });
  // The local ISO string carries the zone's real offset at that instant.
  expect(decision.localSendAt?.slice(-6)).toBe(local.toFormat('ZZ'));
  if (step.notAfter) {
    // Before the deadline: an instant, or the end of a last day in the customer's zone.
    const last =
      step.notAfter.length === 10
        ? DateTime.fromISO(step.notAfter, { zone: decision.timezone }).plus({ days: 1 }).toMillis()
        : Date.parse(step.notAfter);
    expect(sendAt, `${decision.localSendAt} before ${step.notAfter}`).toBeLessThan(last);
  }
  if (step.purpose === 'transactional') {
    expect(sendAt).toBe(input.now.getTime());
    return true;
  }
  const minute = local.hour * 60 + local.minute;
  const inWindow = segment.windows.some(
    (w) => w.days.includes(local.weekday) && minute >= minutes(w.start) && minute < minutes(w.end),
  );
  expect(inWindow, `${decision.localSendAt} in a window of ${segment.id}`).toBe(true);
  const qs = minutes(policy.quietHours.start);
  const qe = minutes(policy.quietHours.end);
  const quiet = qs === qe ? false : qs < qe ? minute >= qs && minute < qe : minute >= qs || minute < qe;
  expect(quiet, `${decision.localSendAt} in quiet hours`).toBe(false);
  const localDate = local.toISODate() ?? '';
  expect(
    isPublicHoliday(customer.country, customer.region, localDate),
    `${localDate} is a public holiday`,
  ).toBe(false);
  if (step.withinHours !== undefined) {
    expect(sendAt).toBeLessThan(input.triggeredAt.getTime() + step.withinHours * HOUR);
  }
  if (step.notBefore?.length === 10) expect(localDate >= step.notBefore).toBe(true);
  return true;
}

describe('decisions, for any customer × policy × step × instant', () => {
  it('plan a send time inside the segment window, outside quiet hours (unless transactional), on no public holiday, in the customer zone', () => {
    let planned = 0;
    fc.assert(
      fc.property(caseArb, (c) => {
        const input = inputsOf(c);
        // The slot on its own, for every case, and as part of the whole decision (after channel and contact pressure).
        if (checkSlot(input, pickSlot({ ...input, holidayCalendarFor: countryTables.holidayCalendarFor })))
          planned++;
        const decision = decideStep({ ...input, countries: countryTables });
        if (checkSlot(input, decision)) expect(decision.channel).not.toBeNull();
        else expect(decision.channel).toBeNull();
      }),
      { numRuns: RUNS },
    );
    expect(planned).toBeGreaterThan(RUNS / 2);
  });

  it('chooses only a channel with consent for the purpose, a valid address, not suppressed, and below the contact cap', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const input = inputsOf(c);
        const { customer, step, policy } = input;
        const decision = decideStep({ ...input, countries: countryTables });
        const picked: Channel[] = [...(decision.channel ? [decision.channel] : []), ...decision.fallbacks];
        expect(new Set(picked).size).toBe(picked.length);
        for (const channel of picked) {
          expect(step.channels).toContain(channel);
          expect(input.suppressed).not.toContain(channel);
          expect(consentProblem(customer, channel, step.purpose)).toBeNull();
          const latest = (customer.consents ?? [])
            .filter((k) => k.channel === channel && k.purpose === step.purpose)
            .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
            .at(-1);
          expect(latest?.granted).not.toBe(false);
          if (step.purpose === 'marketing') expect(latest?.granted).toBe(true);
          if (channel === 'email') expect(emailProblem(customer.email)).toBeNull();
          if (channel === 'sms')
            expect(smsPhoneProblem(customer.phone, countryTables.isMobileNumber)).toBeNull();
        }
        const cap = decision.channel ? policy.contactPressure?.perChannel[decision.channel] : undefined;
        if (decision.channel && decision.sendAt && cap !== undefined && step.purpose !== 'transactional') {
          const days = policy.contactPressure?.days ?? 0;
          const at = Date.parse(decision.sendAt);
          const inWindow = input.sent.filter(
            (s) => s.channel === decision.channel && Date.parse(s.at) > at - days * 24 * HOUR,
          ).length;
          expect(inWindow, 'planned while the contact cap is full').toBeLessThan(cap);
        }
        expect(decision.reasons.length).toBeGreaterThan(0);
      }),
      { numRuns: RUNS },
    );
  });

  it('is deterministic: the same inputs give the same decision, whatever was decided in between', () => {
    fc.assert(
      fc.property(caseArb, caseArb, (a, b) => {
        const first = decideStep({ ...inputsOf(a), countries: countryTables });
        decideStep({ ...inputsOf(b), countries: countryTables }); // warms other zones, days and plans in the caches
        const again = decideStep({ ...structuredClone(inputsOf(a)), countries: countryTables });
        expect(again).toEqual(first);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('no decision throws on a profile that passes the schema', () => {
  const oddCase = fc.record({
    customer: anyValidProfileArb,
    policy: anyPolicy,
    step: constrainedStepArb,
    now: instantArb,
    late: lateArb,
    events: fc.array(
      fc.record({
        type: fc.constantFrom(
          'payment.late',
          'email.opened',
          'email.clicked',
          'sms.replied',
          'invoice.paid',
        ) as fc.Arbitrary<'payment.late' | 'email.opened' | 'email.clicked' | 'sms.replied' | 'invoice.paid'>,
        hoursBefore: fc.integer({ min: -48, max: 24 * 400 }),
      }),
      { maxLength: 6 },
    ),
  });

  it('segments, picks channel and slot for any valid profile, policy and instant', () => {
    fc.assert(
      fc.property(oddCase, ({ customer, policy, step, now, late, events }) => {
        const behaviourEvents = events.map((e) => ({
          type: e.type,
          occurredAt: new Date(now.getTime() - e.hoursBefore * HOUR).toISOString(),
        }));
        const behaviour = { ...summariseBehaviour(behaviourEvents, now), latePaymentsLastYear: late };
        const segmentation = segmentOf({ customer: customer as CustomerProfile, behaviour, policy, now });
        const segment = policy.segments.find((s) => s.id === segmentation.segmentId);
        expect(segment).toBeDefined();
        const decision = decideStep({
          customer,
          segment: segment as Segment,
          tone: segmentation.tone,
          step: step as JourneyStep,
          policy: policy as Policy,
          countries: countryTables,
          now,
          engagement: behaviour.engagementTimes ?? [],
        });
        expect(decision.reasons.length).toBeGreaterThan(0);
        expect(decision.channel === null).toBe(decision.skipped !== null);
      }),
      { numRuns: RUNS },
    );
  });

  it('segments into a segment of the policy, firm for repeat late payers', () => {
    const ids = realPolicy.segments.map((s) => s.id);
    fc.assert(
      fc.property(customerArb, lateArb, instantArb, (customer, late, now) => {
        const decision = segmentOf({
          customer,
          behaviour: { ...NO_BEHAVIOUR, latePaymentsLastYear: late },
          policy: realPolicy,
          now,
        });
        expect(ids).toContain(decision.segmentId);
        if (late >= 2) expect(decision.tone).toBe('firm');
      }),
      { numRuns: RUNS },
    );
  });
});

describe('an appointment reminder, for any customer × policy × visit × instant', () => {
  const visitArb = fc.record({
    customer: customerArb,
    policy: anyPolicy,
    segmentIndex: fc.nat(),
    now: instantArb,
    // The visit from one hour to ten days after now, on a quarter hour.
    quartersAhead: fc.integer({ min: 4, max: 4 * 240 }),
  });

  it('goes before the visit, or is skipped with reason deadline only when no slot opens before it', () => {
    let planned = 0;
    let skipped = 0;
    fc.assert(
      fc.property(visitArb, (c) => {
        const segment = c.policy.segments[c.segmentIndex % c.policy.segments.length] as Segment;
        const startsAt = DateTime.fromMillis(c.now.getTime() + c.quartersAhead * 15 * 60_000, {
          zone: 'Europe/Amsterdam',
        }).toISO() as string;
        const step = appointmentReminderFor(startsAt);
        const input = {
          customer: c.customer,
          segment,
          step,
          policy: c.policy,
          now: c.now,
          holidayCalendarFor: countryTables.holidayCalendarFor,
        };
        const slot = pickSlot(input);
        const deadline = Date.parse(appointmentTimesOf(startsAt).remindBy);
        if (slot.sendAt) {
          planned++;
          expect(Date.parse(slot.sendAt)).toBeLessThan(deadline);
          expect(Date.parse(slot.sendAt)).toBeLessThan(Date.parse(startsAt));
          return;
        }
        skipped++;
        expect(slot.skipped).toBe('deadline');
        // The same step without the deadline finds its first open slot at or after it: no slot was lost.
        const { notAfter: _, ...unbounded } = step;
        const later = pickSlot({ ...input, step: unbounded });
        if (later.sendAt) expect(Date.parse(later.sendAt)).toBeGreaterThanOrEqual(deadline);
      }),
      { numRuns: RUNS / 2 },
    );
    // Both outcomes are exercised, or the property says little.
    expect(planned).toBeGreaterThan(RUNS / 10);
    expect(skipped).toBeGreaterThan(RUNS / 100);
  });
});
