import { describe, expect, it } from 'vitest';
import { loadPolicy } from '#adapters/policy-file.ts';
import { decideAndRecordStep } from '#application/decide-step.ts';
import type { CustomerProfile } from '#core/customer.ts';
import { JourneyStepSchema } from '#core/journey-step.ts';
import { InMemoryRepository } from '../../fixtures/in-memory-repository.ts';
import { firstReminder as step } from '../../fixtures/journey-steps.ts';

// Tuesday 1 December 2026, 23:00 in Amsterdam: quiet hours.
const NOW = new Date('2026-12-01T22:00:00Z');

function setup(customer: CustomerProfile) {
  const repository = new InMemoryRepository();
  repository.customers.set(customer.id, customer);
  const deps = {
    customers: repository,
    suppressions: repository,
    sends: repository,
    timeline: repository,
    policy: loadPolicy(),
  };
  const plan = (overrides: { step?: Record<string, unknown>; triggeredAt?: string } = {}) =>
    decideAndRecordStep(deps, {
      runId: 'run-1',
      customer,
      segment: { segmentId: 'default', tone: 'friendly', reasons: ['segment default: catch-all'] },
      step: JourneyStepSchema.parse(overrides.step ?? step),
      now: NOW,
      ...(overrides.triggeredAt ? { triggeredAt: new Date(overrides.triggeredAt) } : {}),
    });
  return { repository, plan };
}

const customer: CustomerProfile = {
  id: 'c-1',
  locale: 'nl-NL',
  country: 'NL',
  timezone: 'Europe/Amsterdam',
  email: 'c1@example.nl',
  phone: '+31612345678',
};

describe('decideAndRecordStep', () => {
  it('plans a slot outside the quiet night and records the whole why in the timeline', async () => {
    const { plan, repository } = setup(customer);
    const result = await plan();
    expect(result.channel).toBe('email');
    expect(new Date(result.sendAt ?? 0).getTime()).toBeGreaterThan(
      new Date('2026-12-02T07:00:00Z').getTime() - 1,
    );
    expect(repository.timeline[0]?.reasons).toEqual(expect.arrayContaining(['segment default: catch-all']));
    expect(repository.timeline[0]).toMatchObject({
      kind: 'decision',
      stepId: 'first-reminder',
      channel: 'email',
    });
  });

  it('moves to SMS when the email address is on the suppression list', async () => {
    const { plan, repository } = setup(customer);
    await repository.suppress('email', 'c1@example.nl');
    const result = await plan();
    expect(result.channel).toBe('sms');
    expect(result.reasons.join('\n')).toMatch(/email.*suppress/i);
  });

  it('ends the step with reasons, not an error, when nobody can be reached', async () => {
    const { plan, repository } = setup({ id: 'c-2', locale: 'nl-NL', country: 'NL' });
    const result = await plan();
    expect(result).toMatchObject({ channel: null, sendAt: null });
    expect(repository.timeline[0]).toMatchObject({ outcome: 'skipped' });
    expect(repository.timeline[0]?.reasons?.join('\n')).toMatch(/email/);
  });

  it('uses the tone the journey step sets over the segment’s', async () => {
    const { plan } = setup(customer);
    expect((await plan({ step: { ...step, tone: 'firm' } })).tone).toBe('firm');
  });

  it('defers the step while the customer already had the policy maximum of emails this week', async () => {
    const { plan, repository } = setup(customer);
    // The real policy allows 3 emails per 7 days; three went out this week, the oldest on 26 November 09:00 UTC.
    for (const at of ['2026-11-26T09:00:00Z', '2026-11-28T09:00:00Z', '2026-11-30T09:00:00Z']) {
      await repository.appendTimeline({
        customerId: customer.id,
        at,
        kind: 'message',
        summary: 'other-journey/step: email sent',
        channel: 'email',
        outcome: 'sent',
      });
    }
    const result = await plan();
    expect(result.channel).toBe('email');
    // Room again on 3 December 09:00 UTC (10:00 local), inside the default window.
    expect(Date.parse(result.sendAt ?? '')).toBeGreaterThanOrEqual(Date.parse('2026-12-03T09:00:00Z'));
    expect(result.localSendAt?.slice(0, 10)).toBe('2026-12-03');
    expect(result.reasons.join('\n')).toMatch(
      /contact pressure: 3 of 3 email messages in 7 days, service deferred/,
    );
  });

  it('skips a step that must go within hours of the trigger when no slot opens in time', async () => {
    const { plan, repository } = setup(customer);
    const result = await plan({
      step: { ...step, withinHours: 4 },
      triggeredAt: '2026-12-01T21:00:00Z', // 22:00 local: four hours end in the quiet night
    });
    expect(result).toMatchObject({ channel: null, sendAt: null, skipped: 'deadline' });
    expect(repository.timeline[0]).toMatchObject({
      outcome: 'skipped',
      summary: 'payment-reminder/first-reminder: skipped, deadline',
    });
  });

  it('sends in the hour the customer reads email most, from their recorded events', async () => {
    const { plan, repository } = setup(customer);
    for (const day of ['2026-11-10', '2026-11-17', '2026-11-24']) {
      await repository.recordEvent(customer.id, { type: 'email.opened', occurredAt: `${day}T14:20:00Z` });
    }
    const result = await plan();
    expect(result.localSendAt?.slice(0, 13)).toBe('2026-12-02T15'); // 14:20 UTC is 15:20 in Amsterdam
    expect(result.reasons.join('\n')).toMatch(/send-time optimisation: 15:00 local/);
  });
});
