/**
 * The fourteen-day notice for any sending moment and channel: a letter is received after the day it is
 * posted, an email the day it is sent; the term starts the day after receipt and ends at least fourteen
 * days later; and the next step (the hand-over) never wakes before the day after the last day to pay.
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { holidayCalendarFor } from '#adapters/holiday-table.ts';
import { loadPolicy } from '#adapters/policy-file.ts';
import {
  collectionNoticeStep,
  sentNoticeOf,
  waitingForTerm,
} from '#application/journey-step/collection-notice.ts';
import type { CustomerProfile } from '#core/customer.ts';
import { MessageStepConfigSchema, nextWakeAt } from '#core/journey-step-run.ts';

const policy = loadPolicy();
const zone = 'Europe/Amsterdam';
const step = MessageStepConfigSchema.parse({
  stepId: 'final-notice',
  templateId: 'payment-final-notice',
  purpose: 'service',
  channels: ['email', 'sms'],
  next: { afterHours: 168 },
  collectionNotice: { templateId: 'payment-collection-notice' },
});
const invoice = { type: 'invoice', id: 'INV-1', amount: '125.50', currency: 'EUR', dueDate: '2026-01-01' };
const customer: CustomerProfile = {
  id: 'c-1',
  locale: 'nl-NL',
  country: 'NL',
  timezone: zone,
  email: 'lotte@example.nl',
  attributes: { electronicNoticesAgreedAt: '2025-06-01' },
  address: { line1: 'Dorpsstraat 12', postalCode: '1234 AB', city: 'Utrecht', country: 'NL' },
};
const { notice } = collectionNoticeStep(policy, step, customer, invoice, holidayCalendarFor);
const sentAtArb = fc.date({
  min: new Date('2026-01-01T00:00:00Z'),
  max: new Date('2030-12-31T00:00:00Z'),
  noInvalidDate: true,
});

describe('the fourteen-day notice (property)', () => {
  it('is received on or after the day it is sent, gives at least fourteen days from the next, and holds the next step until after them', () => {
    if (!notice) throw new Error('expected a notice');
    fc.assert(
      fc.property(sentAtArb, fc.constantFrom('email' as const, 'letter' as const), (sentAt, channel) => {
        const sent = sentNoticeOf(notice, channel, sentAt, zone);
        const sentOn = DateTime.fromJSDate(sentAt, { zone }).toISODate() as string;
        if (channel === 'email') expect(sent.data.receivedOn).toBe(sentOn);
        else expect(sent.data.receivedOn > sentOn).toBe(true);
        const received = DateTime.fromISO(sent.data.receivedOn, { zone });
        expect(sent.data.firstDay).toBe(received.plus({ days: 1 }).toISODate());
        expect(sent.data.lastDay >= (received.plus({ days: 14 }).toISODate() as string)).toBe(true);
        const dayAfter = DateTime.fromISO(sent.data.lastDay, { zone }).plus({ days: 1 }).toMillis();
        expect(sent.termEndsAt.getTime()).toBe(dayAfter);
        const waiting = waitingForTerm(step, sent, sentAt, invoice, zone);
        expect(
          nextWakeAt(waiting.next ?? { afterHours: 0 }, sentAt, invoice, zone).getTime(),
        ).toBeGreaterThanOrEqual(dayAfter);
      }),
    );
  });
});
