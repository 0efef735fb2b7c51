import { describe, expect, it } from 'vitest';
import { type Policy, PolicySchema } from '#core/policy.ts';
import { makeHandler } from '#handlers/segment-customer.ts';
import { InMemoryRepository } from '../../fixtures/in-memory-repository.ts';
import { fixedClock, lambdaContext } from '../../fixtures/lambda.ts';
import { testPolicy } from '../core/test-policy.ts';

const NOW = '2026-12-01T09:00:00.000Z';

/** The test policy with a segment for customers who read email but never answer an SMS. */
const policy: Policy = PolicySchema.parse({
  ...testPolicy,
  segments: [
    {
      ...testPolicy.segments[4],
      id: 'email-readers',
      when: { emailEngagedWithinDays: 30, smsNeverAnswered: true },
    },
    ...testPolicy.segments,
  ],
});

function setup() {
  const repository = new InMemoryRepository();
  repository.customers.set('c-1', { id: 'c-1', locale: 'nl-NL', country: 'NL', birthDate: '1980-01-01' });
  const handler = makeHandler({ customers: repository, policy, clock: fixedClock(NOW) });
  const segment = () =>
    handler({ runId: 'run-1', customerId: 'c-1', journeyId: 'payment-reminder' }, lambdaContext);
  return { repository, segment };
}

describe('segment-customer', () => {
  it('segments on behaviour derived from the recorded events, and says when (the trigger time of later steps)', async () => {
    const { repository, segment } = setup();
    await repository.recordEvent('c-1', { type: 'email.opened', occurredAt: '2026-11-20T10:00:00Z' });
    const result = await segment();
    expect(result).toMatchObject({ segmentId: 'email-readers', decidedAt: NOW });
    expect(result.reasons).toContain(
      'segment email-readers: email opened or clicked in the last 30 days, no SMS reply in the last year',
    );
  });

  it('moves the customer on once they answer an SMS', async () => {
    const { repository, segment } = setup();
    await repository.recordEvent('c-1', { type: 'email.opened', occurredAt: '2026-11-20T10:00:00Z' });
    await repository.recordEvent('c-1', { type: 'sms.replied', occurredAt: '2026-11-25T10:00:00Z' });
    expect((await segment()).segmentId).toBe('default');
  });
});
