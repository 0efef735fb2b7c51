import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countryTables } from '#adapters/country-tables.ts';
import type { Channel, CustomerProfile } from '#core/customer.ts';
import { decideStep } from '#core/decision.ts';
import { smsLengthOutcome } from '#core/sms-limit.ts';
import { firstReminder as reminder } from '../../fixtures/journey-steps.ts';
import { segmentById, testPolicy } from './test-policy.ts';

describe('smsLengthOutcome: an SMS never goes out over its template’s limit', () => {
  it('sends the text as it is within the limit, with no reason to add', () => {
    expect(smsLengthOutcome({ parts: 2, limit: 2, shortParts: 1 }, 'email')).toEqual({
      kind: 'send',
      form: 'normal',
      parts: 2,
      reason: null,
    });
  });

  it('sends the short text when the full one is over the limit and the short one fits', () => {
    expect(smsLengthOutcome({ parts: 4, limit: 2, shortParts: 2 }, 'email')).toEqual({
      kind: 'send',
      form: 'short',
      parts: 2,
      reason: 'sms: 4 parts over the limit of 2: short text used',
    });
  });

  it('takes the supporting channel when the short text is over the limit too', () => {
    expect(smsLengthOutcome({ parts: 4, limit: 2, shortParts: 3 }, 'email')).toEqual({
      kind: 'supporting',
      channel: 'email',
      reason: 'sms: 4 parts over the limit of 2 (short text 3 parts too): email instead',
    });
  });

  it('takes the supporting channel when the template has no short text', () => {
    expect(smsLengthOutcome({ parts: 3, limit: 2, shortParts: null }, 'email')).toMatchObject({
      kind: 'supporting',
      reason: 'sms: 3 parts over the limit of 2 (no short text): email instead',
    });
  });

  it('skips the step (sms-too-long) without a supporting channel', () => {
    expect(smsLengthOutcome({ parts: 5, limit: 2, shortParts: 3 }, null)).toEqual({
      kind: 'skip',
      skipped: 'sms-too-long',
      reason: 'sms: 5 parts over the limit of 2 (short text 3 parts too): not sent',
    });
    // SMS is not its own supporting channel.
    expect(smsLengthOutcome({ parts: 5, limit: 2, shortParts: null }, 'sms').kind).toBe('skip');
  });

  it('never answers an SMS over the limit, and always the short text when only it fits', () => {
    const parts = fc.integer({ min: 1, max: 12 });
    fc.assert(
      fc.property(
        parts,
        fc.integer({ min: 1, max: 10 }),
        fc.option(parts),
        fc.constantFrom<Channel | null>('email', 'sms', null),
        (full, limit, shortParts, supporting) => {
          const outcome = smsLengthOutcome({ parts: full, limit, shortParts }, supporting);
          if (outcome.kind === 'send') expect(outcome.parts).toBeLessThanOrEqual(limit);
          if (full <= limit) expect(outcome).toMatchObject({ kind: 'send', form: 'normal' });
          else if (shortParts !== null && shortParts <= limit)
            expect(outcome).toMatchObject({ form: 'short' });
          else expect(outcome.kind).toBe(supporting === 'email' ? 'supporting' : 'skip');
        },
      ),
    );
  });
});

describe('decideStep with the SMS counted', () => {
  const smsFirst = segmentById('young-digital');
  const customer: CustomerProfile = {
    id: 'c-long',
    locale: 'nl-NL',
    country: 'NL',
    timezone: 'Europe/Amsterdam',
    email: 'long@example.nl',
    phone: '+31612345678',
  };
  const decide = (sms: { parts: number; limit: number; shortParts: number | null }, who = customer) =>
    decideStep({
      customer: who,
      segment: smsFirst,
      tone: smsFirst.tone,
      step: reminder,
      policy: testPolicy,
      countries: countryTables,
      now: new Date('2026-12-01T09:00:00Z'),
      sms,
    });

  it('prices the SMS by its parts and renders it as it is within the limit', () => {
    const decision = decide({ parts: 2, limit: 3, shortParts: 1 });
    expect(decision).toMatchObject({ channel: 'sms', smsForm: 'normal', costUsd: 0.19 });
    expect(decision.reasons).toContain('cost sms: 2 parts, 0.19 USD');
  });

  it('uses the short text over the limit and prices its parts', () => {
    const decision = decide({ parts: 4, limit: 2, shortParts: 1 });
    expect(decision).toMatchObject({ channel: 'sms', smsForm: 'short', costUsd: 0.095 });
    expect(decision.reasons).toContain('sms: 4 parts over the limit of 2: short text used');
  });

  it('sends the email instead when even the short text is over the limit', () => {
    const decision = decide({ parts: 4, limit: 2, shortParts: 3 });
    expect(decision).toMatchObject({ channel: 'email', fallbacks: [], costUsd: 0.0001 });
    expect(decision.smsForm).toBeUndefined();
    expect(decision.reasons).toContain(
      'sms: 4 parts over the limit of 2 (short text 3 parts too): email instead',
    );
  });

  it('skips the step as sms-too-long for a customer SMS alone reaches', () => {
    const { email: _, ...smsOnly } = customer;
    const decision = decide({ parts: 4, limit: 2, shortParts: null }, smsOnly);
    expect(decision).toMatchObject({ channel: null, skipped: 'sms-too-long', sendAt: null });
    expect(decision.reasons).toContain('sms: 4 parts over the limit of 2 (no short text): not sent');
  });
});
