import { describe, expect, it } from 'vitest';
import { isMobileNumber } from '#adapters/mobile-number-table.ts';
import { pickChannel } from '#core/channel.ts';
import type { Channel, CustomerProfile } from '#core/customer.ts';
import type { JourneyStep } from '#core/journey-step.ts';
import type { Segment } from '#core/policy.ts';
import { demoCustomer } from '#infra/local/demo-customers.ts';
import { firstReminder as reminder } from '../../fixtures/journey-steps.ts';
import { segmentById, testPolicy } from './test-policy.ts';

const newsletter: JourneyStep = { ...reminder, stepId: 'newsletter', purpose: 'marketing' };

const reachable: CustomerProfile = {
  id: 'c-test',
  locale: 'nl-NL',
  country: 'NL',
  email: 'test@example.nl',
  phone: '+31612345678',
};

const pick = (
  customer: CustomerProfile,
  opts: { segment?: string; step?: JourneyStep; suppressed?: Channel[] } = {},
) =>
  pickChannel({
    customer,
    segment: segmentById(opts.segment ?? 'default'),
    step: opts.step ?? reminder,
    policy: testPolicy,
    isMobileNumber,
    ...(opts.suppressed ? { suppressed: opts.suppressed } : {}),
  });

describe('pickChannel', () => {
  it('follows the segment order: default sends email with SMS as fallback', () => {
    const decision = pick(reachable);
    expect(decision).toMatchObject({ channel: 'email', fallbacks: ['sms'], costUsd: 0.0001 });
    expect(decision.reasons).toContain('email: segment default order for service (#1)');
  });

  it('follows the segment order: young-digital sends SMS first', () => {
    expect(pick(reachable, { segment: 'young-digital' })).toMatchObject({
      channel: 'sms',
      fallbacks: ['email'],
    });
  });

  it('lets a stated preference beat the segment default', () => {
    const decision = pick({ ...reachable, preferences: { channel: 'sms' } }, { segment: 'senior' });
    expect(decision.channel).toBe('sms');
    expect(decision.reasons).toContain('sms: preferred by customer');
  });

  it('lets the preference for the purpose beat the overall preference', () => {
    const decision = pick(demoCustomer('c-1001'), { segment: 'senior' }); // email overall, sms for service
    expect(decision.channel).toBe('sms');
    expect(decision.fallbacks).toEqual(['email']);
    expect(decision.reasons).toContain('sms: preferred by customer for service');
  });

  it('ignores a preference for another purpose', () => {
    const customer = { ...reachable, preferences: { byPurpose: { marketing: 'sms' as const } } };
    expect(pick(customer).channel).toBe('email');
  });

  it('always honours an opt-out, even of the preferred channel', () => {
    const decision = pick(demoCustomer('c-1003'), { segment: 'young-digital' });
    expect(decision).toMatchObject({ channel: 'email', fallbacks: [] });
    expect(decision.reasons).toContain('sms dropped: opted out of sms for service');

    const optedOutPreferred = pick(demoCustomer('c-1015'), { segment: 'senior' });
    expect(optedOutPreferred.channel).toBe('sms');
    expect(optedOutPreferred.reasons).toContain('email dropped: opted out of email for service');
  });

  it('uses the latest consent record of a channel and purpose', () => {
    expect(pick(demoCustomer('c-1016'), { segment: 'young-digital' }).channel).toBe('sms');
    const optedOutAgain = {
      ...demoCustomer('c-1016'),
      consents: [
        ...(demoCustomer('c-1016').consents ?? []),
        {
          channel: 'sms' as const,
          purpose: 'service' as const,
          granted: false,
          at: '2026-09-01T00:00:00Z',
          source: 'sms-stop',
        },
      ],
    };
    expect(pick(optedOutAgain, { segment: 'young-digital' }).channel).toBe('email');
  });

  it('drops marketing without an explicit opt-in and allows it with one', () => {
    const without = pick(reachable, { step: newsletter });
    expect(without).toMatchObject({ channel: null, fallbacks: [], costUsd: null });
    expect(without.reasons).toContain('email dropped: no opt-in for email marketing');
    expect(without.reasons).toContain('sms dropped: no opt-in for sms marketing');

    expect(pick(demoCustomer('c-1017'), { step: newsletter })).toMatchObject({
      channel: 'email',
      fallbacks: [],
    });
  });

  it('needs no consent record for service messages', () => {
    expect(pick({ ...reachable, consents: [] }).channel).toBe('email');
  });

  it('drops SMS without a phone, or with a number that is not mobile', () => {
    const noPhone = pick(demoCustomer('c-1004'), { segment: 'young-digital' });
    expect(noPhone).toMatchObject({ channel: 'email', fallbacks: [] });
    expect(noPhone.reasons).toContain('sms dropped: no phone number');

    const landline = pick({ ...reachable, phone: '+31201234567' }, { segment: 'young-digital' });
    expect(landline.channel).toBe('email');
    expect(landline.reasons).toContain('sms dropped: phone number is not a valid mobile number');
  });

  it('drops email without an address, or with an invalid one', () => {
    const onlyPhone = pick(demoCustomer('c-1013'));
    expect(onlyPhone).toMatchObject({ channel: 'sms', fallbacks: [] });
    expect(onlyPhone.reasons).toContain('email dropped: no address');

    const invalid = pick({ ...reachable, email: 'not-an-address' });
    expect(invalid.reasons).toContain('email dropped: address is not valid');
  });

  it('drops a suppressed channel', () => {
    const decision = pick(reachable, { suppressed: ['email'] });
    expect(decision).toMatchObject({ channel: 'sms', fallbacks: [] });
    expect(decision.reasons).toContain('email dropped: address suppressed');
  });

  it('drops a preferred channel the step does not allow', () => {
    const emailOnly: JourneyStep = { ...reminder, channels: ['email'] };
    const decision = pick({ ...reachable, preferences: { channel: 'sms' } }, { step: emailOnly });
    expect(decision).toMatchObject({ channel: 'email', fallbacks: [] });
    expect(decision.reasons).toContain('sms dropped: not allowed by step first-reminder');
  });

  it('returns no channel, with every reason, when nobody can be reached', () => {
    const decision = pick(demoCustomer('c-1014'));
    expect(decision).toEqual({
      channel: null,
      fallbacks: [],
      costUsd: null,
      reasons: [
        'email dropped: no address',
        'sms dropped: phone number is not a valid mobile number',
        'no reachable channel for service',
      ],
    });
  });

  it('never throws for an odd customer', () => {
    const odd: CustomerProfile = { id: 'x', locale: 'xx', country: 'ZZ', phone: '+999', email: '@' };
    expect(pick(odd).channel).toBeNull();
  });

  it('prices SMS by destination country, with the default for others', () => {
    const sms = (country: string, phone: string) =>
      pick({ ...reachable, country, phone }, { segment: 'young-digital' }).costUsd;
    expect(sms('NL', '+31612345678')).toBe(0.095);
    expect(sms('US', '+12015550123')).toBe(0.0083);
    expect(sms('GB', '+447911123456')).toBe(0.08);
  });

  it('puts the cheaper channel first where the segment ranks channels equally', () => {
    const tied: Segment = {
      ...segmentById('default'),
      channels: { ...segmentById('default').channels, service: [['sms', 'email']] },
    };
    const american = { ...reachable, country: 'US', phone: '+12015550123' };
    const decision = pickChannel({
      customer: american,
      segment: tied,
      step: reminder,
      policy: testPolicy,
      isMobileNumber,
    });
    expect(decision).toMatchObject({ channel: 'email', fallbacks: ['sms'], costUsd: 0.0001 });
    expect(decision.reasons).toContain('email: segment default order for service (#1, tied: cheapest first)');
    expect(decision.reasons).toContain(
      'sms kept as fallback #1: segment default order for service (#1, tied: cheapest first)',
    );
    // With email priced above SMS, the tie goes the other way.
    const pricey = { ...testPolicy, channelCosts: { ...testPolicy.channelCosts, email: 0.05 } };
    expect(
      pickChannel({ customer: american, segment: tied, step: reminder, policy: pricey, isMobileNumber })
        .channel,
    ).toBe('sms');
  });

  it('prices an SMS by its parts: the tie-break compares what this customer’s text costs, and the reasons say so', () => {
    const tied: Segment = {
      ...segmentById('default'),
      channels: { ...segmentById('default').channels, service: [['sms', 'email']] },
    };
    const american = { ...reachable, country: 'US', phone: '+12015550123' };
    // Email at 0.01 USD: one SMS part (0.0083) is cheaper, two parts (0.0166) are not.
    const policy = { ...testPolicy, channelCosts: { ...testPolicy.channelCosts, email: 0.01 } };
    const decide = (smsParts?: number) =>
      pickChannel({
        customer: american,
        segment: tied,
        step: reminder,
        policy,
        isMobileNumber,
        ...(smsParts ? { smsParts } : {}),
      });
    expect(decide().channel).toBe('sms');
    expect(decide(1)).toMatchObject({ channel: 'sms', costUsd: 0.0083 });
    expect(decide(1).reasons).toContain('cost sms: 1 part, 0.0083 USD');
    expect(decide(2)).toMatchObject({ channel: 'email', fallbacks: ['sms'], costUsd: 0.01 });
    const dutch = pickChannel({
      customer: reachable,
      segment: segmentById('young-digital'),
      step: reminder,
      policy,
      isMobileNumber,
      smsParts: 2,
    });
    expect(dutch).toMatchObject({ channel: 'sms', costUsd: 0.19 });
    expect(dutch.reasons).toContain('cost sms: 2 parts, 0.19 USD');
  });

  it('falls back to the step order (primary, then supporting) for channels nobody else ranked', () => {
    const emailOnly: Segment = {
      ...segmentById('default'),
      channels: { ...segmentById('default').channels, service: ['email'] },
    };
    const decision = pickChannel({
      customer: reachable,
      segment: emailOnly,
      step: reminder,
      policy: testPolicy,
      isMobileNumber,
    });
    expect(decision).toMatchObject({ channel: 'email', fallbacks: ['sms'] });
    expect(decision.reasons).toContain('sms kept as fallback #1: supporting channel of step first-reminder');
  });

  it('keeps addresses out of its reasons', () => {
    const customer = demoCustomer('c-1001');
    const text = pick(customer, { suppressed: ['sms'] }).reasons.join('\n');
    expect(text).not.toContain(customer.email);
    expect(text).not.toContain(customer.phone);
  });
});
