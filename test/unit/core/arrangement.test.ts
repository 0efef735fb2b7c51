import { describe, expect, it } from 'vitest';
import {
  type Arrangement,
  arrangementOf,
  brokenReason,
  graceEndsAt,
  holdingReason,
  instalmentIdOf,
  instalmentOfId,
  lastDayOfGrace,
  standingOf,
  sumOfAmounts,
  termsProblems,
  withInstalmentPaid,
} from '#core/arrangement.ts';
import { holdNow, lapsedArrangementHold } from '#core/hold.ts';

const invoice = { id: 'INV-1', amount: '125.50', currency: 'EUR', payUrl: 'https://pay.example.com/1' };
const today = '2026-12-01';
const terms = {
  arrangementId: 'ARR-1',
  instalments: [
    { dueDate: '2026-12-15', amount: '41.84' },
    { dueDate: '2027-01-15', amount: '41.83' },
    { dueDate: '2027-02-15', amount: '41.83' },
  ],
};

describe('the terms of an arrangement', () => {
  it('hold when the instalments are in date order and add up to the amount due exactly', () => {
    expect(termsProblems(terms, invoice, today)).toEqual([]);
  });

  it('are refused at instalments when they add up to less or more than the amount due', () => {
    const short = {
      ...terms,
      instalments: [...terms.instalments.slice(0, 2), { dueDate: '2027-02-15', amount: '41.82' }],
    };
    expect(termsProblems(short, invoice, today)).toEqual([
      {
        path: 'instalments',
        message: 'the instalments add up to 125.49 EUR, not the amount due (125.50 EUR)',
      },
    ]);
  });

  it('are refused at the instalment whose date is not after the one before it', () => {
    const unordered = {
      ...terms,
      instalments: [
        terms.instalments[1],
        terms.instalments[0],
        terms.instalments[2],
      ] as typeof terms.instalments,
    };
    expect(termsProblems(unordered, invoice, today)).toEqual([
      {
        path: 'instalments.1.dueDate',
        message: 'must be after the instalment before it (2027-01-15): instalments in date order',
      },
    ]);
  });

  it('are refused at an amount with more decimals than the invoice’s currency has', () => {
    const yen = { ...invoice, amount: '1000', currency: 'JPY' };
    const problems = termsProblems(
      {
        arrangementId: 'A',
        instalments: [
          { dueDate: '2026-12-10', amount: '500.5' },
          { dueDate: '2026-12-20', amount: '499.5' },
        ],
      },
      yen,
      today,
    );
    expect(problems.map((p) => p.path)).toEqual(['instalments.0.amount', 'instalments.1.amount']);
    expect(problems[0]?.message).toMatch(/JPY has no minor unit/);
  });

  it('are refused when the first instalment is past or the last one too far ahead', () => {
    const problems = termsProblems(
      {
        arrangementId: 'A',
        instalments: [
          { dueDate: '2026-11-30', amount: '60' },
          { dueDate: '2027-07-01', amount: '65.50' },
        ],
      },
      invoice,
      today,
    );
    expect(problems).toEqual([
      { path: 'instalments.0.dueDate', message: 'must be today (2026-12-01) or later' },
      { path: 'instalments.1.dueDate', message: 'must be at most 180 days ahead' },
    ]);
  });
});

describe('an arrangement’s standing', () => {
  const agreed: Arrangement = arrangementOf(
    { ...terms, graceDays: 3 },
    invoice,
    new Date('2026-12-01T10:00:00Z'),
  );

  it('holds until the start of the day after the first open instalment’s last day of grace', () => {
    expect(lastDayOfGrace('2026-12-15', 3)).toBe('2026-12-18');
    expect(standingOf(agreed, new Date('2026-12-18T23:59:59Z'))).toEqual({
      kind: 'holding',
      index: 0,
      breaksAt: new Date('2026-12-19T00:00:00Z'),
    });
    expect(standingOf(agreed, new Date('2026-12-19T00:00:00Z'))).toMatchObject({ kind: 'broken', index: 0 });
  });

  it('moves on to the next instalment once one is paid, and completes when all are', () => {
    const first = withInstalmentPaid(agreed, 0, new Date('2026-12-16T09:00:00Z'));
    expect(standingOf(first, new Date('2026-12-20T00:00:00Z'))).toEqual({
      kind: 'holding',
      index: 1,
      breaksAt: graceEndsAt('2027-01-15', 3),
    });
    const all = [1, 2].reduce((a, i) => withInstalmentPaid(a, i, new Date('2027-02-10T00:00:00Z')), first);
    expect(standingOf(all, new Date('2027-06-01T00:00:00Z'))).toEqual({ kind: 'completed' });
  });

  it('keeps the first payment time when an instalment is paid twice', () => {
    const once = withInstalmentPaid(agreed, 0, new Date('2026-12-16T09:00:00Z'));
    expect(withInstalmentPaid(once, 0, new Date('2026-12-17T09:00:00Z')).instalments[0]?.paidAt).toBe(
      '2026-12-16T09:00:00.000Z',
    );
  });

  it('says why the reminders wait and why they go on, without personal data', () => {
    expect(holdingReason(agreed, 1)).toBe(
      'payment arrangement ARR-1: instalment 2 of 3 (41.83 EUR) is due 2027-01-15, paid in time until 2027-01-18',
    );
    expect(brokenReason(agreed, 1)).toBe(
      'payment arrangement ARR-1 broken: instalment 2 of 3 due 2027-01-15 was not paid within 3 days of grace',
    );
  });

  it('names each instalment by the arrangement and its number', () => {
    expect(instalmentIdOf('ARR-1', 1)).toBe('ARR-1.2');
    expect(instalmentOfId('ARR-1.2')).toEqual({ arrangementId: 'ARR-1', index: 1 });
    expect(instalmentOfId('ARR-1')).toBeUndefined();
  });
});

describe('an arrangement’s hold of the reminder run', () => {
  const hold = {
    kind: 'arrangement' as const,
    until: '2026-12-19T00:00:00.000Z',
    by: 'arrangement.agreed',
    at: '2026-12-01T10:00:00.000Z',
    runId: 'run-1',
    arrangementId: 'ARR-1',
    reason:
      'payment arrangement ARR-1: instalment 1 of 3 (41.84 EUR) is due 2026-12-15, paid in time until 2026-12-18',
  };

  it('keeps the run’s steps back with the arrangement’s reason while it holds', () => {
    expect(holdNow([hold], 'run-1', new Date('2026-12-10T00:00:00Z'))?.reason).toBe(
      `paused by ${hold.reason}; until ${hold.until}`,
    );
    expect(holdNow([hold], 'run-2', new Date('2026-12-10T00:00:00Z'))).toBeUndefined();
    expect(lapsedArrangementHold([hold], 'run-1', new Date('2026-12-10T00:00:00Z'))).toBeUndefined();
  });

  it('has lapsed once its end has passed: the run goes on', () => {
    const after = new Date('2026-12-19T00:00:00Z');
    expect(holdNow([hold], 'run-1', after)).toBeUndefined();
    expect(lapsedArrangementHold([hold], 'run-1', after)).toEqual(hold);
  });
});

describe('sums of amounts', () => {
  it('are exact in the currency’s minor unit', () => {
    expect(sumOfAmounts(['0.10', '0.20'], 'EUR')).toBe('0.30');
    expect(sumOfAmounts(['0.1', '0.2', '0.005'], 'KWD')).toBe('0.305');
    expect(sumOfAmounts(['500', '500'], 'JPY')).toBe('1000');
  });
});
