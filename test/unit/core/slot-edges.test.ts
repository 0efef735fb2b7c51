/**
 * The slot picker at its exact edges, one row per instant: a window's first and last millisecond,
 * the quiet hours' start and end, a deadline equal to the earliest instant, and equal timestamps
 * (a deferral or a planned slot at exactly `now`). No spread, so every expected instant is exact.
 */
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { holidayCalendarFor } from '#adapters/holiday-table.ts';
import type { CustomerProfile } from '#core/customer.ts';
import type { JourneyStep } from '#core/journey-step.ts';
import type { Policy, Segment } from '#core/policy.ts';
import { pickSlot } from '#core/slot.ts';
import { firstReminder } from '../../fixtures/journey-steps.ts';
import { segmentById, testPolicy } from './test-policy.ts';

const customer: CustomerProfile = {
  id: 'c-edge',
  locale: 'nl-NL',
  country: 'NL',
  timezone: 'Europe/Amsterdam',
};
/** The test policy without the spread: a slot starts exactly where its open range does. */
const policy: Policy = { ...testPolicy, sendTime: { ...testPolicy.sendTime, spreadMinutes: 0 } };
/** Mon–Fri 09:00–18:00, Sat 10:00–14:00 (quiet hours 21:00–08:00 lie outside it). */
const office = segmentById('default');
/** Every day 07:00–22:00: its first and last hour lie in the quiet hours (21:00–08:00). */
const longDay: Segment = {
  ...office,
  id: 'long-day',
  windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '07:00', end: '22:00' }],
};

/** An Amsterdam wall-clock time (Tuesday 1 December 2026 unless the text says otherwise), to the millisecond. */
const local = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Amsterdam' }).toJSDate();
/** The local send time a decision gives, `yyyy-MM-dd HH:mm:ss.SSS`, or its skip. */
const sentAt = (decision: ReturnType<typeof pickSlot>) =>
  decision.sendAt === null
    ? `skipped: ${decision.skipped}`
    : DateTime.fromISO(decision.sendAt).setZone('Europe/Amsterdam').toFormat('yyyy-MM-dd HH:mm:ss.SSS');

const slot = (
  now: Date,
  options: {
    segment?: Segment;
    step?: JourneyStep;
    planned?: Date;
    earliest?: Date;
    triggeredAt?: Date;
  } = {},
) =>
  pickSlot({
    customer,
    segment: options.segment ?? office,
    step: options.step ?? firstReminder,
    policy,
    holidayCalendarFor,
    now,
    ...(options.planned ? { planned: options.planned } : {}),
    ...(options.triggeredAt ? { triggeredAt: options.triggeredAt } : {}),
    ...(options.earliest
      ? { earliest: { at: options.earliest.getTime(), reason: 'deferred by contact pressure' } }
      : {}),
  });

describe('pickSlot at a window’s edges', () => {
  it.each([
    [
      'the window’s first millisecond',
      '2026-12-01T09:00:00.000',
      '2026-12-01 09:00:00.000',
      /^now is inside window/,
    ],
    [
      'a millisecond before it opens',
      '2026-12-01T08:59:59.999',
      '2026-12-01 09:00:00.000',
      /: outside window$/,
    ],
    ['its last millisecond', '2026-12-01T17:59:59.999', '2026-12-01 17:59:59.999', /^now is inside window/],
    [
      'the instant it closes (the end is not in it)',
      '2026-12-01T18:00:00.000',
      '2026-12-02 09:00:00.000',
      /: outside window$/,
    ],
    [
      'Friday’s close: the Saturday window',
      '2026-12-04T18:00:00.000',
      '2026-12-05 10:00:00.000',
      /: outside window$/,
    ],
    [
      'Saturday’s close: over Sunday to Monday',
      '2026-12-05T14:00:00.000',
      '2026-12-07 09:00:00.000',
      /: outside window$/,
    ],
  ])('%s', (_name, now, expected, reason) => {
    const decision = slot(local(now));
    expect(sentAt(decision)).toBe(expected);
    expect(decision.reasons.join('\n')).toMatch(new RegExp(reason.source, 'm'));
  });
});

describe('pickSlot at the quiet hours’ edges (21:00–08:00)', () => {
  it.each([
    ['the instant they end', '2026-12-01T08:00:00.000', '2026-12-01 08:00:00.000', /^now is inside window/],
    [
      'their last millisecond in the morning',
      '2026-12-01T07:59:59.999',
      '2026-12-01 08:00:00.000',
      /: quiet hours$/,
    ],
    [
      'the last millisecond before they start',
      '2026-12-01T20:59:59.999',
      '2026-12-01 20:59:59.999',
      /^now is inside window/,
    ],
    ['the instant they start', '2026-12-01T21:00:00.000', '2026-12-02 08:00:00.000', /: quiet hours$/],
    ['midnight', '2026-12-02T00:00:00.000', '2026-12-02 08:00:00.000', /: quiet hours$/],
  ])('%s', (_name, now, expected, reason) => {
    const decision = slot(local(now), { segment: longDay });
    expect(sentAt(decision)).toBe(expected);
    expect(decision.reasons.join('\n')).toMatch(new RegExp(reason.source, 'm'));
  });
});

describe('pickSlot with equal timestamps and exact deadlines', () => {
  const tuesdayTen = local('2026-12-01T10:00:00.000');

  it('sends now when a deferral ends exactly now, without naming it', () => {
    const decision = slot(tuesdayTen, { earliest: tuesdayTen });
    expect(sentAt(decision)).toBe('2026-12-01 10:00:00.000');
    expect(decision.reasons).not.toContain('deferred by contact pressure');
  });

  it('keeps a planned slot that is exactly now (a wake at its slot)', () => {
    const decision = slot(tuesdayTen, { planned: tuesdayTen });
    expect(sentAt(decision)).toBe('2026-12-01 10:00:00.000');
    expect(decision.reasons.at(-1)).toMatch(/^planned slot kept/);
  });

  it('does not keep a planned slot at the window’s closing instant', () => {
    const closing = local('2026-12-01T18:00:00.000');
    const decision = slot(closing, { planned: closing });
    expect(sentAt(decision)).toBe('2026-12-02 09:00:00.000');
  });

  it.each([
    // withinHours: the deadline is the trigger plus that many hours, exclusive.
    ['a deadline exactly now', { withinHours: 1 }, local('2026-12-01T09:00:00.000'), 'skipped: deadline'],
    [
      'a deadline a millisecond after now',
      { withinHours: 1 },
      local('2026-12-01T09:00:00.001'),
      '2026-12-01 10:00:00.000',
    ],
  ] as const)('%s', (_name, step, triggeredAt, expected) => {
    expect(sentAt(slot(tuesdayTen, { step: { ...firstReminder, ...step }, triggeredAt }))).toBe(expected);
  });

  it.each([
    ['not after the instant the window opens', '2026-12-02T09:00:00.000', 'skipped: deadline'],
    ['not after a millisecond later', '2026-12-02T09:00:00.001', '2026-12-02 09:00:00.000'],
  ])('%s (asked after the close)', (_name, notAfter, expected) => {
    const step = { ...firstReminder, notAfter: local(notAfter).toISOString() };
    expect(sentAt(slot(local('2026-12-01T18:00:00.000'), { step }))).toBe(expected);
  });

  it.each([
    ['exactly now', 0, 'skipped: deadline'],
    ['a millisecond after now', 1, '2026-12-01 10:00:00.000'],
  ])('sends a transactional step whose notAfter is %s: %s', (_name, afterMs, expected) => {
    const step: JourneyStep = {
      ...firstReminder,
      purpose: 'transactional',
      notAfter: new Date(tuesdayTen.getTime() + afterMs).toISOString(),
    };
    expect(sentAt(slot(tuesdayTen, { step }))).toBe(expected);
  });

  it('opens at the first instant of notBefore’s local day', () => {
    const step = { ...firstReminder, notBefore: '2026-12-03' };
    expect(sentAt(slot(tuesdayTen, { step }))).toBe('2026-12-03 09:00:00.000');
  });
});
