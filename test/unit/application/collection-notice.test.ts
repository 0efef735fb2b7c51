import { describe, expect, it } from 'vitest';
import { holidayCalendarFor } from '#adapters/holiday-table.ts';
import { loadPolicy } from '#adapters/policy-file.ts';
import {
  collectionNoticeStep,
  sentNoticeOf,
  waitingForTerm,
} from '#application/journey-step/collection-notice.ts';
import type { CustomerProfile } from '#core/customer.ts';
import { MessageStepConfigSchema } from '#core/journey-step-run.ts';

const policy = loadPolicy();
const zone = 'Europe/Amsterdam';
const finalNotice = MessageStepConfigSchema.parse({
  stepId: 'final-notice',
  templateId: 'payment-final-notice',
  purpose: 'service',
  channels: ['email', 'sms'],
  tone: 'firm',
  next: { afterHours: 168 },
  collectionNotice: { templateId: 'payment-collection-notice' },
});
const invoice = {
  type: 'invoice',
  id: 'INV-1',
  amount: '3000.00',
  currency: 'EUR',
  dueDate: '2026-11-20',
  payUrl: 'https://pay.example.com/INV-1',
};
const consumer: CustomerProfile = {
  id: 'c-1',
  locale: 'nl-NL',
  country: 'NL',
  timezone: zone,
  email: 'lotte@example.nl',
  attributes: { electronicNoticesAgreedAt: '2025-06-01' },
  address: { line1: 'Dorpsstraat 12', postalCode: '1234 AB', city: 'Utrecht', country: 'NL' },
};
const stepFor = (customer: CustomerProfile, subject: object = invoice) =>
  collectionNoticeStep(policy, finalNotice, customer, { ...invoice, ...subject }, holidayCalendarFor);

describe('the final notice as the fourteen-day notice', () => {
  it('is the notice’s template by email for a Dutch consumer who agreed, else by letter, handed over when unreachable', () => {
    const { step, notice, reasons } = stepFor(consumer);
    expect(step).toMatchObject({
      templateId: 'payment-collection-notice',
      channels: ['email', 'letter'],
      onUnreachable: 'hand-over',
    });
    expect(notice?.amount).toBe('3000.00');
    expect(reasons).toEqual(['NL consumer: fourteen-day notice (nl-bik), by email or letter']);
  });

  it('goes by letter to a consumer who did not agree to electronic communication', () => {
    const { step, reasons } = stepFor({ ...consumer, attributes: {} });
    expect(step).toMatchObject({ templateId: 'payment-collection-notice', channels: ['letter'] });
    expect(reasons).toEqual(['NL consumer: fourteen-day notice (nl-bik), by letter']);
  });

  it('stays the final notice for a business, another country, another currency or without an allowed channel', () => {
    const business = stepFor({
      ...consumer,
      attributes: { ...consumer.attributes, segmentHint: 'business' },
    });
    expect(business.step).toBe(finalNotice);
    expect(business.reasons[0]).toMatch(/^business customer: no NL consumer notice/);
    expect(stepFor({ ...consumer, country: 'BE' }).notice).toBeNull();
    expect(stepFor(consumer, { currency: 'USD' }).notice).toBeNull();
    // Not agreed to electronic communication, and an address missing its postal code: no lawful channel.
    const { address: _address, ...withoutAddress } = consumer;
    const noChannel = stepFor({
      ...withoutAddress,
      attributes: {},
      address: { line1: 'Dorpsstraat 12', city: 'Utrecht', country: 'NL' } as CustomerProfile['address'],
    });
    expect(noChannel.step.templateId).toBe('payment-final-notice');
    expect(noChannel.reasons[0]).toMatch(/not possible.*no costs may be charged/);
    expect(stepFor({ ...withoutAddress, attributes: {} }).step.templateId).toBe('payment-final-notice');
  });

  it('counts an email as received the day it is sent, and waits for the term before the next step', () => {
    const { step, notice } = stepFor(consumer);
    if (!notice) throw new Error('expected a notice');
    // Tuesday 15 December 2026, 10:00 in Amsterdam.
    const sentAt = new Date('2026-12-15T09:00:00Z');
    const sent = sentNoticeOf(notice, 'email', sentAt, zone);
    expect(sent.data).toMatchObject({ costs: '425.00', receivedOn: '2026-12-15', lastDay: '2026-12-29' });
    expect(sent.termEndsAt.toISOString()).toBe('2026-12-29T23:00:00.000Z');
    expect(waitingForTerm(step, sent, sentAt, invoice, zone).next).toEqual({
      at: '2026-12-29T23:00:00.000Z',
    });
  });

  it('counts a letter as received when its transit delivers it: posted Friday after the cut-off, received Wednesday', () => {
    const { notice } = stepFor(consumer);
    if (!notice) throw new Error('expected a notice');
    // Friday 11 December 2026, 16:00 in Amsterdam: collected Monday, two working days in NL.
    const sent = sentNoticeOf(notice, 'letter', new Date('2026-12-11T15:00:00Z'), zone);
    expect(sent.data).toMatchObject({
      receivedOn: '2026-12-16',
      firstDay: '2026-12-17',
      lastDay: '2026-12-30',
    });
    expect(sent.reasons[0]).toBe(
      'fourteen-day notice by letter: received 2026-12-16, last day to pay 2026-12-30; next step not before 2026-12-31',
    );
  });

  it('keeps a later next step as the step has it', () => {
    const { notice } = stepFor(consumer);
    if (!notice) throw new Error('expected a notice');
    const sentAt = new Date('2026-12-15T09:00:00Z');
    const sent = sentNoticeOf(notice, 'email', sentAt, zone);
    const later = { ...finalNotice, next: { afterHours: 24 * 30 } };
    expect(waitingForTerm(later, sent, sentAt, invoice, zone)).toBe(later);
  });
});
