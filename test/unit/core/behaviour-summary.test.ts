import { describe, expect, it } from 'vitest';
import type { BehaviourEvent } from '#core/behaviour.ts';
import { summariseBehaviour } from '#core/behaviour-summary.ts';

const now = new Date('2026-12-01T12:00:00Z');
const event = (type: BehaviourEvent['type'], occurredAt: string, subjectId?: string): BehaviourEvent => ({
  type,
  occurredAt,
  ...(subjectId ? { subjectId } : {}),
});

describe('summariseBehaviour', () => {
  it('counts late payments of the last twelve months only', () => {
    const summary = summariseBehaviour(
      [
        event('payment.late', '2025-11-30T12:00:00Z', 'INV-1'), // more than a year ago
        event('payment.late', '2026-01-15T12:00:00Z', 'INV-2'),
        event('payment.late', '2026-11-20T12:00:00Z', 'INV-3'),
        event('invoice.paid', '2026-11-21T12:00:00Z', 'INV-3'),
      ],
      now,
    );
    expect(summary.latePaymentsLastYear).toBe(2);
  });

  it('counts one invoice reported late twice once', () => {
    const summary = summariseBehaviour(
      [
        event('payment.late', '2026-10-01T12:00:00Z', 'INV-9'),
        event('payment.late', '2026-10-08T12:00:00Z', 'INV-9'),
      ],
      now,
    );
    expect(summary.latePaymentsLastYear).toBe(1);
  });

  it('ignores events after the decision time', () => {
    const summary = summariseBehaviour([event('payment.late', '2026-12-02T00:00:00Z', 'INV-4')], now);
    expect(summary.latePaymentsLastYear).toBe(0);
  });

  it('counts email opens and clicks of the last 90 days', () => {
    const summary = summariseBehaviour(
      [
        event('email.opened', '2026-08-01T12:00:00Z'), // 122 days ago
        event('email.opened', '2026-11-01T12:00:00Z'),
        event('email.opened', '2026-11-02T12:00:00Z'),
        event('email.clicked', '2026-11-02T12:05:00Z'),
      ],
      now,
    );
    expect(summary).toMatchObject({
      latePaymentsLastYear: 0,
      emailOpensLast90Days: 2,
      emailClicksLast90Days: 1,
    });
    // Only the last 90 days feed send-time optimisation; the latest engagement of the year is kept for segment rules.
    expect(summary.engagementTimes).toEqual([
      Date.parse('2026-11-01T12:00:00Z'),
      Date.parse('2026-11-02T12:00:00Z'),
      Date.parse('2026-11-02T12:05:00Z'),
    ]);
    expect(summary.lastEmailEngagementAt).toBe(Date.parse('2026-11-02T12:05:00Z'));
  });

  it('counts SMS replies of the last year and remembers an email engagement older than 90 days', () => {
    const summary = summariseBehaviour(
      [
        event('sms.replied', '2025-11-01T12:00:00Z'), // more than a year ago
        event('sms.replied', '2026-03-01T12:00:00Z'),
        event('email.clicked', '2026-05-01T12:00:00Z'),
      ],
      now,
    );
    expect(summary).toMatchObject({
      smsRepliesLastYear: 1,
      lastEmailEngagementAt: Date.parse('2026-05-01T12:00:00Z'),
      emailClicksLast90Days: 0,
      engagementTimes: [],
    });
  });

  it('counts SMS link clicks of the last 90 days, apart from email engagement', () => {
    const summary = summariseBehaviour(
      [
        event('sms.clicked', '2026-08-01T12:00:00Z'), // 122 days ago
        event('sms.clicked', '2026-11-01T12:00:00Z'),
        event('sms.clicked', '2026-11-20T12:00:00Z'),
        // The unsubscribe link followed: no engagement.
        { ...event('sms.clicked', '2026-11-25T12:00:00Z'), data: { channel: 'sms', link: 'unsubscribe' } },
      ],
      now,
    );
    expect(summary).toMatchObject({
      smsClicksLast90Days: 2,
      emailClicksLast90Days: 0,
      lastSmsEngagementAt: Date.parse('2026-11-20T12:00:00Z'),
    });
    expect(summary.lastEmailEngagementAt).toBeNull();
    // Send-time optimisation reads the hours of SMS clicks as it does those of email opens and clicks.
    expect(summary.engagementTimes).toEqual([
      Date.parse('2026-11-01T12:00:00Z'),
      Date.parse('2026-11-20T12:00:00Z'),
    ]);
  });

  it('counts email replies of the last year apart from SMS replies, and an SMS reply as SMS engagement', () => {
    const summary = summariseBehaviour(
      [
        event('email.replied', '2025-11-01T12:00:00Z'), // more than a year ago
        event('email.replied', '2026-06-01T12:00:00Z'),
        event('email.replied', '2026-11-01T12:00:00Z'),
        event('sms.replied', '2026-04-01T12:00:00Z'),
      ],
      now,
    );
    expect(summary).toMatchObject({
      emailRepliesLastYear: 2,
      smsRepliesLastYear: 1,
      lastSmsEngagementAt: Date.parse('2026-04-01T12:00:00Z'),
      engagementTimes: [],
    });
  });
});
