/**
 * The term for any day of receipt and length: it starts the day after receipt, its last day is never a
 * day a Dutch statutory term may not end on, it is at least the days asked, and it runs on only past
 * such days (every day it skipped is one).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoDateOfDay } from '#core/local-time.ts';
import { isoDatePlus, paymentTermOf } from '#core/payment-term.ts';
import { dayOfIsoDate, dutchNonTermDay } from '#core/statutory-term-days.ts';

const receivedArb = fc
  .integer({ min: dayOfIsoDate('2020-01-01'), max: dayOfIsoDate('2040-12-31') })
  .map(isoDateOfDay);

describe('the fourteen-day term (property)', () => {
  it('starts the day after receipt and ends on the first possible day from the last day counted', () => {
    fc.assert(
      fc.property(receivedArb, fc.integer({ min: 14, max: 60 }), (receivedOn, termDays) => {
        const nonTermDay = (day: number) => dutchNonTermDay(day);
        const term = paymentTermOf({ receivedOn, termDays, nonTermDay });
        expect(term.firstDay).toBe(isoDatePlus(receivedOn, 1));
        const counted = dayOfIsoDate(receivedOn) + termDays;
        const last = dayOfIsoDate(term.lastDay);
        expect(last).toBeGreaterThanOrEqual(counted);
        expect(nonTermDay(last)).toBeNull();
        for (let day = counted; day < last; day++) expect(nonTermDay(day)).not.toBeNull();
        expect(term.reasons.length > 0).toBe(last > counted);
      }),
    );
  });
});
