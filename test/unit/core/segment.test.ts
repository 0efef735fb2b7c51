import { describe, expect, it } from 'vitest';
import { type BehaviourEvent, NO_BEHAVIOUR } from '#core/behaviour.ts';
import { summariseBehaviour } from '#core/behaviour-summary.ts';
import type { CustomerProfile } from '#core/customer.ts';
import { PolicySchema } from '#core/policy.ts';
import { ageOn, segmentOf } from '#core/segment.ts';
import { demoCustomer, demoCustomers } from '#infra/local/demo-customers.ts';
import { testPolicy } from './test-policy.ts';

const now = new Date('2026-12-01T09:00:00Z');
const person = (patch: Partial<CustomerProfile>): CustomerProfile => ({
  id: 'c-test',
  locale: 'nl-NL',
  country: 'NL',
  ...patch,
});
const segment = (customer: CustomerProfile, late = 0, at = now) =>
  segmentOf({
    customer,
    behaviour: { ...NO_BEHAVIOUR, latePaymentsLastYear: late },
    policy: testPolicy,
    now: at,
  });

describe('segmentOf', () => {
  it('places a 68-year-old in senior and says why', () => {
    const decision = segment(demoCustomer('c-1001'));
    expect(decision.segmentId).toBe('senior');
    expect(decision.tone).toBe('friendly');
    expect(decision.reasons).toContain('segment senior: age 68 >= 65');
  });

  it('computes the age on the decision date: the 65th birthday counts from that UTC day', () => {
    const willem = demoCustomer('c-1019'); // born 1961-12-01
    expect(segment(willem, 0, new Date('2026-11-30T23:59:59Z')).segmentId).toBe('default');
    expect(segment(willem, 0, new Date('2026-12-01T00:00:00Z')).segmentId).toBe('senior');
  });

  it('counts a 29 February birthday from 1 March in common years', () => {
    expect(ageOn('2000-02-29', new Date('2027-02-28T12:00:00Z'))).toBe(26);
    expect(ageOn('2000-02-29', new Date('2027-03-01T00:00:00Z'))).toBe(27);
  });

  it('puts 34-year-olds in young-digital and 35-year-olds in default', () => {
    expect(segment(person({ birthDate: '1992-12-01' })).segmentId).toBe('young-digital');
    expect(segment(person({ birthDate: '1991-12-01' })).segmentId).toBe('default');
  });

  it('does not match age rules without a birth date, and says so', () => {
    const decision = segment(demoCustomer('c-1012'));
    expect(decision.segmentId).toBe('default');
    expect(decision.reasons).toContain('segment senior skipped: no birth date for the age condition');
  });

  it('matches attributes by equality, before age', () => {
    const decision = segment(person({ birthDate: '1950-01-01', attributes: { segmentHint: 'business' } }));
    expect(decision.segmentId).toBe('business');
    expect(segment(person({ attributes: { segmentHint: 'consumer' } })).reasons).toContain(
      'segment business skipped: attribute segmentHint is not business',
    );
  });

  it('puts a customer with two late payments in repeat-late-payer with the firm tone', () => {
    const decision = segment(person({ birthDate: '1980-05-05' }), 2);
    expect(decision).toMatchObject({ segmentId: 'repeat-late-payer', tone: 'firm' });
  });

  it('makes the tone firm for a repeat late payer in a friendly segment, and says why', () => {
    const decision = segment(demoCustomer('c-1001'), 3);
    expect(decision.segmentId).toBe('senior');
    expect(decision.tone).toBe('firm');
    expect(decision.reasons.join('\n')).toMatch(/tone firm: repeat late payer, 3 late payments/);
  });

  it('keeps the friendly tone after a single late payment', () => {
    expect(segment(person({ birthDate: '1980-05-05' }), 1)).toMatchObject({
      segmentId: 'default',
      tone: 'friendly',
    });
  });

  it('matches languages on the locale language subtag and countries exactly', () => {
    const policy = PolicySchema.parse({
      ...testPolicy,
      segments: [
        { ...testPolicy.segments[4], id: 'flemish', when: { languages: ['nl'], countries: ['BE'] } },
        { ...testPolicy.segments[4], id: 'default', when: {} },
      ],
    });
    const decide = (customer: CustomerProfile) =>
      segmentOf({ customer, behaviour: NO_BEHAVIOUR, policy, now }).segmentId;
    expect(decide(person({ locale: 'nl-BE', country: 'BE' }))).toBe('flemish');
    expect(decide(person({ locale: 'fr-BE', country: 'BE' }))).toBe('default');
    expect(decide(person({ locale: 'nl-NL', country: 'NL' }))).toBe('default');
  });

  describe('behaviour and region rules', () => {
    const base = testPolicy.segments[4];
    const policyWith = (when: Record<string, unknown>) =>
      PolicySchema.parse({
        ...testPolicy,
        segments: [
          { ...base, id: 'ruled', when },
          { ...base, id: 'default', when: {} },
        ],
      });
    const DAY = 86_400_000;
    const decideWith = (when: Record<string, unknown>, customer: CustomerProfile, behaviour = {}) =>
      segmentOf({ customer, behaviour: { ...NO_BEHAVIOUR, ...behaviour }, policy: policyWith(when), now });

    it('matches regions with or without the country prefix, and not a customer without one', () => {
      const when = { regions: ['BY', 'DE-BE'] };
      expect(decideWith(when, person({ country: 'DE', region: 'by' })).segmentId).toBe('ruled');
      expect(decideWith(when, person({ country: 'DE', region: 'DE-BE' })).reasons).toContain(
        'segment ruled: region BE',
      );
      expect(decideWith(when, person({ country: 'DE', region: 'HH' })).segmentId).toBe('default');
      expect(decideWith(when, person({ country: 'DE' })).reasons).toContain(
        'segment ruled skipped: no region for the region condition',
      );
    });

    it('bounds late payments in the last year from both sides', () => {
      const when = { minLatePaymentsLastYear: 1, maxLatePaymentsLastYear: 1 };
      expect(decideWith(when, person({}), { latePaymentsLastYear: 1 }).segmentId).toBe('ruled');
      expect(decideWith(when, person({}), { latePaymentsLastYear: 0 }).segmentId).toBe('default');
      expect(decideWith(when, person({}), { latePaymentsLastYear: 2 }).reasons).toContain(
        'segment ruled skipped: 2 late payments in the last year > 1',
      );
    });

    it('tells recent email readers from those who never open', () => {
      const engaged = { emailEngagedWithinDays: 30 };
      const silent = { noEmailEngagementWithinDays: 90 };
      const tenDaysAgo = { lastEmailEngagementAt: now.getTime() - 10 * DAY };
      const halfYearAgo = { lastEmailEngagementAt: now.getTime() - 180 * DAY };
      expect(decideWith(engaged, person({}), tenDaysAgo).segmentId).toBe('ruled');
      expect(decideWith(engaged, person({}), halfYearAgo).reasons).toContain(
        'segment ruled skipped: no email opened or clicked in 30 days',
      );
      expect(decideWith(engaged, person({})).segmentId).toBe('default');
      expect(decideWith(silent, person({}), halfYearAgo).segmentId).toBe('ruled');
      expect(decideWith(silent, person({})).reasons).toContain(
        'segment ruled: no email opened or clicked in 90 days',
      );
      expect(decideWith(silent, person({}), tenDaysAgo).segmentId).toBe('default');
    });

    it('finds customers who never answer an SMS', () => {
      expect(decideWith({ smsNeverAnswered: true }, person({})).reasons).toContain(
        'segment ruled: no SMS reply in the last year',
      );
      expect(decideWith({ smsNeverAnswered: true }, person({}), { smsRepliesLastYear: 2 }).segmentId).toBe(
        'default',
      );
      expect(decideWith({ smsNeverAnswered: false }, person({}), { smsRepliesLastYear: 2 }).segmentId).toBe(
        'ruled',
      );
    });

    it('tells customers who follow the links in their SMS from those who never do, from their events', () => {
      const decideFrom = (when: Record<string, unknown>, events: BehaviourEvent[]) =>
        segmentOf({
          customer: person({}),
          behaviour: summariseBehaviour(events, now),
          policy: policyWith(when),
          now,
        });
      const clickedAt = (daysAgo: number): BehaviourEvent => ({
        type: 'sms.clicked',
        occurredAt: new Date(now.getTime() - daysAgo * DAY).toISOString(),
        data: { channel: 'sms', link: 'pay' },
      });
      const engaged = { smsEngagedWithinDays: 30 };
      const silent = { noSmsEngagementWithinDays: 60 };
      expect(decideFrom(engaged, [clickedAt(5)]).reasons).toContain(
        'segment ruled: SMS link clicked or SMS answered in the last 30 days',
      );
      expect(decideFrom(engaged, [clickedAt(45)]).reasons).toContain(
        'segment ruled skipped: no SMS link clicked or SMS answered in 30 days',
      );
      // Email engagement is not SMS engagement.
      const opened: BehaviourEvent = { type: 'email.opened', occurredAt: clickedAt(2).occurredAt };
      expect(decideFrom(engaged, [opened]).segmentId).toBe('default');
      expect(decideFrom(silent, [clickedAt(75)]).segmentId).toBe('ruled');
      expect(decideFrom(silent, [clickedAt(5)]).reasons).toContain(
        'segment ruled skipped: SMS link clicked or SMS answered in the last 60 days',
      );
      // An SMS reply is engagement on SMS too.
      const replied: BehaviourEvent = { type: 'sms.replied', occurredAt: clickedAt(3).occurredAt };
      expect(decideFrom(engaged, [replied]).segmentId).toBe('ruled');
    });

    it('finds customers who never answer an email, from their email replies', () => {
      const reply: BehaviourEvent = { type: 'email.replied', occurredAt: '2026-10-01T10:00:00Z' };
      const decideFrom = (when: Record<string, unknown>, events: BehaviourEvent[]) =>
        segmentOf({
          customer: person({}),
          behaviour: summariseBehaviour(events, now),
          policy: policyWith(when),
          now,
        });
      expect(decideFrom({ emailNeverAnswered: true }, []).reasons).toContain(
        'segment ruled: no email reply in the last year',
      );
      expect(decideFrom({ emailNeverAnswered: true }, [reply]).reasons).toContain(
        'segment ruled skipped: 1 email replies in the last year',
      );
      expect(decideFrom({ emailNeverAnswered: false }, [reply]).segmentId).toBe('ruled');
      // An SMS reply does not answer an email.
      const smsReply: BehaviourEvent = { type: 'sms.replied', occurredAt: reply.occurredAt };
      expect(decideFrom({ emailNeverAnswered: false }, [smsReply]).segmentId).toBe('default');
    });
  });

  it('places every demo customer in a segment of the policy', () => {
    const ids = new Set(testPolicy.segments.map((s) => s.id));
    for (const customer of demoCustomers) expect(ids).toContain(segment(customer).segmentId);
  });

  it('keeps personal data out of its reasons', () => {
    const sanne = demoCustomer('c-1001');
    const text = segment(sanne, 2).reasons.join('\n');
    for (const value of [sanne.name?.given, sanne.birthDate, sanne.email, sanne.phone]) {
      expect(text).not.toContain(value);
    }
  });
});
