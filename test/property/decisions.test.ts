import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '#adapters/policy-file.ts';
import { NO_BEHAVIOUR } from '#core/behaviour.ts';
import { pickChannel } from '#core/channel.ts';
import { consentProblem } from '#core/consent.ts';
import { holidayCalendarFor } from '#core/holidays.ts';
import { emailProblem, smsPhoneProblem } from '#core/reachability.ts';
import { segmentOf } from '#core/segment.ts';
import { pickSlot, quietRanges, resolveTimezone } from '#core/slot.ts';
import { customerArb, instantArb, lateArb, stepArb, suppressedArb } from './arbitraries.ts';

const policy = loadPolicy();
const segmentArb = fc.constantFrom(...policy.segments);
const quiet = quietRanges(policy.quietHours);
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

describe('pickSlot, for any customer and instant', () => {
  it('sends at or after now, inside a window, outside quiet hours and on no public holiday', () => {
    fc.assert(
      fc.property(customerArb, segmentArb, stepArb, instantArb, (customer, segment, step, now) => {
        const decision = pickSlot({ customer, segment, step, policy, now });
        const sendAt = Date.parse(decision.sendAt ?? '');
        expect(sendAt).toBeGreaterThanOrEqual(now.getTime());
        expect(decision.timezone).toBe(resolveTimezone(customer, policy).timezone);
        expect(Date.parse(decision.localSendAt ?? '')).toBe(sendAt);
        if (step.purpose === 'transactional') {
          expect(sendAt).toBe(now.getTime());
          return;
        }
        const local = DateTime.fromMillis(sendAt, { zone: decision.timezone });
        const minute = local.hour * 60 + local.minute;
        const inWindow = segment.windows.some(
          (w) => w.days.includes(local.weekday) && minute >= minutes(w.start) && minute < minutes(w.end),
        );
        expect(inWindow, `${decision.localSendAt} in a window of ${segment.id}`).toBe(true);
        expect(
          quiet.some(([s, e]) => minute >= s && minute < e),
          `${decision.localSendAt} in quiet hours`,
        ).toBe(false);
        const calendar = holidayCalendarFor(customer.country, customer.region);
        expect(calendar?.publicHolidayOn(local.toISODate() ?? '') ?? null).toBeNull();
      }),
      { numRuns: 500 },
    );
  });
});

describe('pickChannel, for any customer', () => {
  it('never picks a channel the customer opted out of, or one without a usable address or that is suppressed', () => {
    fc.assert(
      fc.property(customerArb, segmentArb, stepArb, suppressedArb, (customer, segment, step, suppressed) => {
        const decision = pickChannel({ customer, segment, step, policy, suppressed });
        const picked = [...(decision.channel ? [decision.channel] : []), ...decision.fallbacks];
        expect(decision.channel === null).toBe(decision.fallbacks.length === 0 && decision.costUsd === null);
        for (const channel of picked) {
          expect(step.channels).toContain(channel);
          expect(suppressed).not.toContain(channel);
          expect(consentProblem(customer, channel, step.purpose)).toBeNull();
          const latest = (customer.consents ?? [])
            .filter((c) => c.channel === channel && c.purpose === step.purpose)
            .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
            .at(-1);
          expect(latest?.granted).not.toBe(false);
          if (step.purpose === 'marketing') expect(latest?.granted).toBe(true);
          if (channel === 'email') expect(emailProblem(customer.email)).toBeNull();
          if (channel === 'sms') expect(smsPhoneProblem(customer.phone)).toBeNull();
        }
        expect(new Set(picked).size).toBe(picked.length);
        expect(decision.reasons.length).toBeGreaterThan(0);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('segmentOf, for any customer and instant', () => {
  it('returns a segment of the policy', () => {
    const ids = policy.segments.map((s) => s.id);
    fc.assert(
      fc.property(customerArb, lateArb, instantArb, (customer, late, now) => {
        const decision = segmentOf({
          customer,
          behaviour: { ...NO_BEHAVIOUR, latePaymentsLastYear: late },
          policy,
          now,
        });
        expect(ids).toContain(decision.segmentId);
        if (late >= 2) expect(decision.tone).toBe('firm');
      }),
      { numRuns: 1000 },
    );
  });
});
