import { describe, expect, it } from 'vitest';
import { segmentCustomerNow } from '#application/segment-now.ts';
import { type Policy, PolicySchema } from '#core/policy.ts';
import { InMemoryRepository } from '../../fixtures/in-memory-repository.ts';
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
  const customer = { id: 'c-1', locale: 'nl-NL', country: 'NL', birthDate: '1980-01-01' };
  const segment = () => segmentCustomerNow({ customers: repository, policy }, customer, new Date(NOW));
  return { repository, segment };
}

describe('segmentCustomerNow', () => {
  it('segments on behaviour derived from the recorded events', async () => {
    const { repository, segment } = setup();
    await repository.recordEvent('c-1', { type: 'email.opened', occurredAt: '2026-11-20T10:00:00Z' });
    const result = await segment();
    expect(result.segmentId).toBe('email-readers');
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
