import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerProfile } from '#core/customer.ts';
import { callApi, seedCustomers } from '#infra/local/demo.ts';
import type { LocalStack } from '#infra/local/runtime.ts';
import { amsterdam, appointmentOf, customerViews, startE2eStack } from '../fixtures/e2e.ts';

// Five confirmations (transactional: sent at once) in the same simulated second against an account
// that sends one email a second: four are refused by the rate limiter and must still go out, once.
const customers: CustomerProfile[] = Array.from({ length: 5 }, (_, i) => ({
  ...amsterdam,
  id: `busy-${i}`,
  name: { given: 'Emma' },
  email: `busy-${i}@example.nl`,
}));
let stack: LocalStack;
const { executionOf } = customerViews(() => stack);

beforeAll(async () => {
  stack = await startE2eStack({
    rates: { email: 1, sms: 1 },
  });
  await seedCustomers(stack, customers);
  await Promise.all(
    customers.map(async (customer) => {
      const started = await callApi(stack, 'POST', '/journeys/appointment/runs', {
        customerId: customer.id,
        subject: appointmentOf(customer),
      });
      expect(started.status, JSON.stringify(started.body)).toBe(201);
    }),
  );
  await stack.engine.whenIdle();
});

afterAll(async () => {
  await stack?.stop();
});

describe('a send the account’s rate refuses', () => {
  it('waits a little and goes out once: every customer gets exactly one confirmation, every run succeeds', async () => {
    const emails = await stack.ses.listEmails();
    for (const customer of customers) {
      const execution = executionOf(customer);
      expect(execution.status, execution.cause).toBe('SUCCEEDED');
      const timeline = await stack.repository.listTimeline(customer.id, 100);
      const sent = timeline.filter((e) => e.kind === 'message' && e.stepId === 'confirmation');
      // One confirmation in the conversation, and no email beyond the messages recorded as sent.
      const recorded = timeline.filter((e) => e.kind === 'message' && e.outcome === 'sent');
      expect(emails.filter((e) => e.to.includes(customer.email as string))).toHaveLength(recorded.length);
      expect(sent.map((e) => e.outcome)).toEqual(['sent']);
    }
    // The limiter did refuse: those runs were deferred (Klantreis.NotYet → the Catch's Wait), not retried or failed.
    const busy = customers.filter((c) => executionOf(c).statesEntered.includes('WaitAgainConfirmation'));
    expect(busy.length).toBeGreaterThanOrEqual(1);
    for (const customer of busy) expect(executionOf(customer).statesEntered).not.toContain('HandOverFailed');
  });
});
