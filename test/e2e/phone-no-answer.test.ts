/**
 * A call nobody answered, on the local runtime: the payment reminder's firmer reminder calls a senior
 * with a landline (the senior segment names phone after the letter the first reminder was); the
 * contact centre answers `no-answer` while the step waits for the call's outcome, and the step sends
 * its message on its supporting channel (a letter) with the reason in the conversation. A senior with
 * only a landline and no address has no supporting channel: the call goes again, once, at the contact
 * centre's next free slot.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerProfile } from '#core/customer.ts';
import { callApi, demoInvoice, seedCustomers, startPaymentReminder } from '#infra/local/demo.ts';
import { demoCustomers } from '#infra/local/demo-customers.ts';
import type { LocalStack } from '#infra/local/runtime.ts';
import { customerViews, runsOf, simulationStart, startE2eStack } from '../fixtures/e2e.ts';

const henk = demoCustomers.find((c) => c.id === 'c-1014') as CustomerProfile;
/** Henk's neighbour: a landline too, but no postal address (and no email): only a call reaches her. */
const { address: _address, ...withoutAddress } = henk;
const riet: CustomerProfile = { ...withoutAddress, id: 'c-9014', name: { given: 'Riet' } };
const customers = [henk, riet];

// biome-ignore lint/suspicious/noExplicitAny: the test reads the API's JSON answers field by field.
type Json = any;
let stack: LocalStack;
const views = customerViews(() => stack);
const { executionOf, entriesOf, sentSteps } = views;
const answered: Record<string, { status: number; body: Json }> = {};
const callsWhenAnswered: Record<string, string[]> = {};

beforeAll(async () => {
  stack = await startE2eStack();
  // The firmer reminder's step waits for its call's outcome in its deferral's Wait.
  const waitingForCall = stack.engine.pauseAt('WaitAgainSecondReminder', runsOf(...customers));
  await seedCustomers(stack, customers);
  for (const [index, customer] of customers.entries()) {
    const started = await startPaymentReminder(
      stack,
      customer.id,
      demoInvoice(customer, index, simulationStart),
    );
    expect(started.status).toBe(201);
  }
  for (const customer of customers) {
    await waitingForCall.reached(executionOf(customer));
    callsWhenAnswered[customer.id] = stack.calls
      .tasks()
      .filter((t) => t.customerId === customer.id)
      .map((t) => t.callTaskId);
    answered[customer.id] = await callApi(
      stack,
      'POST',
      `/runs/${executionOf(customer).name}/call-completed`,
      {
        type: 'call.completed',
        customerId: customer.id,
        outcome: 'no-answer',
      },
    );
  }
  waitingForCall.release();
  await stack.engine.whenIdle();
  await views.readTimelines(customers);
});

afterAll(async () => {
  await stack?.stop();
});

describe('a call nobody answered', () => {
  it('was the firmer reminder’s call task, waiting for its outcome', () => {
    for (const customer of customers) {
      const run = executionOf(customer).name;
      expect(callsWhenAnswered[customer.id]).toEqual([`${run}.second-reminder.call`]);
      expect(answered[customer.id]?.status).toBe(200);
    }
  });

  it('sends the reminder on its supporting channel, a letter, with the reason in the conversation', () => {
    expect(sentSteps(henk)).toEqual([
      'first-reminder/letter',
      'second-reminder/phone',
      'second-reminder-fallback/letter',
      'final-notice/letter',
    ]);
    const [decision] = entriesOf(henk, { kind: 'decision', stepId: 'second-reminder-fallback' });
    expect(decision?.reasons).toContain('phone: no answer: the supporting channel');
    expect(stack.calls.tasks().filter((t) => t.customerId === henk.id)).toHaveLength(1);
  });

  it('calls once more at the contact centre’s next free slot when nothing else reaches the customer', () => {
    const run = executionOf(riet).name;
    const calls = stack.calls.tasks().filter((t) => t.customerId === riet.id);
    expect(calls.map((t) => t.callTaskId)).toEqual([
      `${run}.second-reminder.call`,
      `${run}.second-reminder-retry.call`,
    ]);
    expect(Date.parse(calls[1]?.callAt as string)).toBeGreaterThan(Date.parse(calls[0]?.callAt as string));
    const [decision] = entriesOf(riet, { kind: 'decision', stepId: 'second-reminder-retry' });
    expect(decision?.reasons?.[0]).toBe('phone: no answer, no supporting channel: called again once');
    expect(sentSteps(riet)).toContain('second-reminder-retry/phone');
  });
});
