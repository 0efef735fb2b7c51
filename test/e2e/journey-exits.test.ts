import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerProfile } from '#core/customer.ts';
import type { TimelineEntry } from '#core/ports.ts';
import {
  callApi,
  demoInvoice,
  recordPayment,
  seedCustomers,
  startPaymentReminder,
} from '#infra/local/demo.ts';
import type { LocalStack } from '#infra/local/runtime.ts';
import { amsterdam, customerViews, runsOf, simulationStart, startE2eStack } from '../fixtures/e2e.ts';

// Email only: no supporting channel, so the run goes from the first reminder straight into the seven-day wait.
const payer: CustomerProfile = {
  ...amsterdam,
  id: 'exit-payer',
  name: { given: 'Lotte' },
  email: 'lotte@example.nl',
};
const nonPayer: CustomerProfile = {
  ...amsterdam,
  id: 'exit-non-payer',
  name: { given: 'Daan' },
  email: 'daan@example.nl',
};
const customers = [payer, nonPayer];
const invoiceOf = (customer: CustomerProfile) =>
  demoInvoice(customer, customers.indexOf(customer), simulationStart);

let stack: LocalStack;
let endedRuns: unknown;
const { executionOf } = customerViews(() => stack);

beforeAll(async () => {
  stack = await startE2eStack();
  // Held in the seven-day wait, never released: the payment must end the run by itself.
  const sevenDayWait = stack.engine.pauseAt('WaitForSecondReminder', runsOf(payer));
  await seedCustomers(stack, customers);
  for (const customer of customers) {
    expect((await startPaymentReminder(stack, customer.id, invoiceOf(customer))).status).toBe(201);
  }
  await sevenDayWait.reached(executionOf(payer));
  const paid = await recordPayment(stack, payer.id, invoiceOf(payer).id);
  expect(paid.status).toBe(202);
  endedRuns = paid.body.endedRuns;
  // Rejects while the payer's run is still held in the wait.
  await stack.engine.whenIdle();
});

afterAll(async () => {
  await stack?.stop();
});

describe('invoice.paid in the middle of the seven-day wait', () => {
  it('stops the run at once, not at the end of the wait nor at the next step’s goal check', () => {
    const execution = executionOf(payer);
    expect(execution.status).toBe('ABORTED');
    expect(execution.cause).toMatch(/^goal reached: invoice\.paid/);
    expect(endedRuns).toBe(1);
    expect(execution.statesEntered).not.toContain('SecondReminder');
  });

  it('sends the payer no further reminder on any channel', async () => {
    const emails = (await stack.ses.listEmails()).filter((e) => e.to.includes(payer.email as string));
    expect(emails).toHaveLength(1);
    expect(stack.sms.messages()).toHaveLength(0);
  });

  it('shows the payment and the exit in the customer’s conversation', async () => {
    const response = await callApi(stack, 'GET', `/customers/${payer.id}/conversation`);
    expect(response.status).toBe(200);
    const items = response.body.items as Array<Omit<TimelineEntry, 'customerId'>>;
    const exit = items.find((e) => e.kind === 'journey' && e.outcome === 'goal-reached');
    expect(exit).toMatchObject({ journeyId: 'payment-reminder', runId: executionOf(payer).name });
    expect(exit?.summary).toContain('invoice.paid');
    expect(items.some((e) => e.kind === 'event' && e.summary.includes('invoice.paid'))).toBe(true);
    const sent = items.filter((e) => e.kind === 'message' && e.outcome === 'sent').map((e) => e.stepId);
    expect(sent).toEqual(['first-reminder']);
  });

  it('reports the run as goal reached', async () => {
    const response = await callApi(stack, 'GET', `/runs/${executionOf(payer).name}`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'goal-reached', execution: { status: 'ABORTED' } });
  });

  it('lets the customer who did not pay get the firmer reminder and the final notice', async () => {
    expect(executionOf(nonPayer).status).toBe('SUCCEEDED');
    const emails = (await stack.ses.listEmails()).filter((e) => e.to.includes(nonPayer.email as string));
    expect(emails).toHaveLength(3);
  });
});
