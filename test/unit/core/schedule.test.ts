import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dueWindowOf, runDayOf, ScheduleSchema, scheduledRunName } from '#core/schedule.ts';

describe('runDayOf', () => {
  it('is the calendar day in the schedule’s zone, not in UTC', () => {
    // 23:30 UTC on 30 November is already 1 December in Amsterdam.
    expect(runDayOf(new Date('2026-11-30T23:30:00Z'), 'Europe/Amsterdam')).toBe('2026-12-01');
    expect(runDayOf(new Date('2026-11-30T23:30:00Z'), 'America/New_York')).toBe('2026-11-30');
  });
});

describe('dueWindowOf', () => {
  it('selects invoices daysOverdue days past due, lookbackDays further back, across a month end', () => {
    expect(dueWindowOf('2026-12-01', { kind: 'invoices-due', daysOverdue: 1, lookbackDays: 3 })).toEqual({
      from: '2026-11-27',
      to: '2026-11-30',
    });
    expect(dueWindowOf('2026-12-01', { kind: 'invoices-due', daysOverdue: -2, lookbackDays: 0 })).toEqual({
      from: '2026-12-03',
      to: '2026-12-03',
    });
  });
});

describe('scheduledRunName', () => {
  it('is a valid execution name, the same for the same customer, invoice and day', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 128 }),
        fc.string({ minLength: 1, maxLength: 128 }),
        (c, s) => {
          const name = scheduledRunName(c, s, '2026-12-01');
          expect(name).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
          expect(name.endsWith('-20261201')).toBe(true);
          expect(scheduledRunName(c, s, '2026-12-01')).toBe(name);
        },
      ),
    );
  });

  it('differs per day and keeps apart ids that read alike', () => {
    expect(scheduledRunName('c-1', 'INV-1', '2026-12-01')).not.toBe(
      scheduledRunName('c-1', 'INV-1', '2026-12-02'),
    );
    expect(scheduledRunName('c.1', 'x', '2026-12-01')).not.toBe(scheduledRunName('c-1', 'x', '2026-12-01'));
    expect(scheduledRunName('a-b', 'c', '2026-12-01')).not.toBe(scheduledRunName('a', 'b-c', '2026-12-01'));
    expect(scheduledRunName('c-1001', 'INV-2026-1001', '2026-12-01')).toMatch(
      /^c-1001-INV-2026-1001-[0-9a-f]{16}-20261201$/,
    );
  });
});

describe('ScheduleSchema', () => {
  const valid = {
    id: 'payment-reminder',
    journeyId: 'payment-reminder',
    cron: 'cron(0 7 ? * MON-FRI *)',
    timezone: 'Europe/Amsterdam',
    select: { kind: 'invoices-due', daysOverdue: 1 },
  };

  it('fills batching defaults', () => {
    expect(ScheduleSchema.parse(valid)).toMatchObject({ batchSize: 50, maxConcurrency: 5, enabled: true });
  });

  it('refuses an unknown time zone and a rate expression, naming the fields', () => {
    const result = ScheduleSchema.safeParse({ ...valid, timezone: 'Europe/Amsterdamn', cron: 'rate(1 day)' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['cron', 'timezone']);
  });
});
