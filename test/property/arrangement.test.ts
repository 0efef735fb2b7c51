/**
 * The arrangement's invariants for any schedule: a split of the amount due into instalments is
 * accepted exactly when its parts add up to it, and an arrangement holds until its first open
 * instalment's grace has passed, never longer, never shorter.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arrangementOf, graceEndsAt, standingOf, sumOfAmounts, termsProblems } from '#core/arrangement.ts';

const DAY_MS = 86_400_000;
const today = '2026-12-01';
const dayAfter = (days: number) =>
  new Date(Date.parse(`${today}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
const cents = (units: number) => `${Math.floor(units / 100)}.${String(units % 100).padStart(2, '0')}`;

/** A schedule: strictly increasing days within the window, each with a positive amount in cents. */
const scheduleArb = fc
  .uniqueArray(fc.integer({ min: 0, max: 180 }), { minLength: 1, maxLength: 12 })
  .chain((days) =>
    fc.tuple(
      fc.constant([...days].sort((a, b) => a - b)),
      fc.array(fc.integer({ min: 1, max: 500_000 }), { minLength: days.length, maxLength: days.length }),
    ),
  )
  .map(([days, amounts]) =>
    days.map((day, i) => ({ dueDate: dayAfter(day), amount: cents(amounts[i] as number) })),
  );

describe('the sum rule', () => {
  it('accepts a schedule whose amounts add up to the amount due, and refuses it at instalments for any other amount', () => {
    fc.assert(
      fc.property(
        scheduleArb,
        fc.integer({ min: -1000, max: 1000 }).filter((d) => d !== 0),
        (instalments, off) => {
          const total = sumOfAmounts(
            instalments.map((i) => i.amount),
            'EUR',
          );
          const terms = { arrangementId: 'A', instalments };
          expect(termsProblems(terms, { amount: total, currency: 'EUR' }, today)).toEqual([]);
          const totalCents = Math.round(Number(total) * 100) + off;
          fc.pre(totalCents > 0);
          const problems = termsProblems(terms, { amount: cents(totalCents), currency: 'EUR' }, today);
          expect(problems.map((p) => p.path)).toEqual(['instalments']);
        },
      ),
    );
  });
});

describe('missed beyond grace', () => {
  it('an arrangement breaks exactly when its first open instalment’s grace has passed', () => {
    fc.assert(
      fc.property(
        scheduleArb,
        fc.integer({ min: 1, max: 14 }),
        fc.nat({ max: 12 }),
        fc.integer({ min: -3 * DAY_MS, max: 3 * DAY_MS }),
        (instalments, graceDays, paidCount, offset) => {
          const total = sumOfAmounts(
            instalments.map((i) => i.amount),
            'EUR',
          );
          const agreed = arrangementOf(
            { arrangementId: 'A', instalments, graceDays },
            { id: 'INV', currency: 'EUR' },
            new Date(`${today}T00:00:00Z`),
          );
          const paid = {
            ...agreed,
            instalments: agreed.instalments.map((i, index) =>
              index < paidCount ? { ...i, paidAt: '2026-12-01T00:00:00.000Z' } : i,
            ),
          };
          const open = paid.instalments.findIndex((i) => i.paidAt === undefined);
          expect(total).toMatch(/^\d+\.\d\d$/);
          const openInstalment = paid.instalments[open];
          if (!openInstalment) {
            expect(standingOf(paid, new Date('2030-01-01T00:00:00Z'))).toEqual({ kind: 'completed' });
            return;
          }
          const breaksAt = graceEndsAt(openInstalment.dueDate, graceDays);
          const now = new Date(breaksAt.getTime() + offset);
          expect(standingOf(paid, now)).toEqual({
            kind: offset >= 0 ? 'broken' : 'holding',
            index: open,
            breaksAt,
          });
          // The grace is whole days after the due date: never before the day after it.
          expect(breaksAt.getTime() - Date.parse(`${openInstalment.dueDate}T00:00:00Z`)).toBe(
            (graceDays + 1) * DAY_MS,
          );
        },
      ),
    );
  });
});
