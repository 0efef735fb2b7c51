/**
 * A contact centre's call outcomes (`call.completed`) on the local runtime: a promise to pay moves
 * the next payment reminder to after the promised day plus grace, a dispute holds the reminders and
 * hands the customer over to a person, and an outcome for an unknown or ended run names it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerProfile } from '#core/customer.ts';
import { callApi, demoInvoice, seedCustomers, startPaymentReminder } from '#infra/local/demo.ts';
import { demoCustomers } from '#infra/local/demo-customers.ts';
import type { LocalStack } from '#infra/local/runtime.ts';
import { customerViews, runsOf, sentAt, simulationStart, startE2eStack } from '../fixtures/e2e.ts';

const [sanne, daan, third] = demoCustomers as [CustomerProfile, CustomerProfile, CustomerProfile];
const customers = [sanne, daan, third];
const PROMISED = '2026-12-14';
/** The start of the second day after the promised day: the reminder's first moment again. */
const WAITS_UNTIL = '2026-12-16T00:00:00.000Z';

// biome-ignore lint/suspicious/noExplicitAny: the test reads the API's JSON answers field by field.
type Json = any;
let stack: LocalStack;
const { executionOf } = customerViews(() => stack);
const seen: Record<string, { status: number; body: Json }> = {};
const completed = (runId: string, body: Record<string, unknown>) =>
  callApi(stack, 'POST', `/runs/${runId}/call-completed`, { type: 'call.completed', ...body });

beforeAll(async () => {
  stack = await startE2eStack();
  const sevenDayWait = stack.engine.pauseAt('WaitForSecondReminder', runsOf(sanne, daan, third));
  await seedCustomers(stack, customers);
  for (const [index, customer] of customers.entries()) {
    const started = await startPaymentReminder(
      stack,
      customer.id,
      demoInvoice(customer, index, simulationStart),
    );
    expect(started.status).toBe(201);
  }
  for (const customer of customers) await sevenDayWait.reached(executionOf(customer));

  seen.promise = await completed(executionOf(sanne).name, {
    customerId: sanne.id,
    outcome: 'promise-to-pay',
    promisedDate: PROMISED,
  });
  seen.dispute = await completed(executionOf(daan).name, { customerId: daan.id, outcome: 'dispute' });
  seen.unknown = await completed('no-such-run', { customerId: sanne.id, outcome: 'reached' });
  seen.stopped = await callApi(stack, 'POST', `/runs/${executionOf(third).name}/stop`, { reason: 'test' });
  seen.ended = await completed(executionOf(third).name, { customerId: third.id, outcome: 'no-answer' });
  seen.noDate = await completed(executionOf(sanne).name, { customerId: sanne.id, outcome: 'promise-to-pay' });

  seen.callList = await callApi(stack, 'GET', '/local/calls');
  const page = await fetch(`${stack.apiUrl}/local/calls?page`, {
    headers: { authorization: `Bearer ${stack.apiToken}` },
  });
  seen.callPage = { status: page.status, body: await page.text() };

  sevenDayWait.release();
  await stack.engine.whenIdle();
});

afterAll(async () => {
  await stack?.stop();
});

describe('call outcomes from the contact centre', () => {
  it('a promise to pay moves the next reminder to after the promised day plus grace', async () => {
    expect(seen.promise).toMatchObject({
      status: 200,
      body: { heldRuns: [executionOf(sanne).name], heldUntil: WAITS_UNTIL, handOverId: null },
    });
    expect((await sentAt(stack, sanne, 'second-reminder')).getTime()).toBeGreaterThanOrEqual(
      Date.parse(WAITS_UNTIL),
    );
  });

  it('a dispute holds the reminders and hands the customer over to a person', () => {
    expect(seen.dispute).toMatchObject({ status: 200, body: { heldRuns: [executionOf(daan).name] } });
    const handOver = stack.handOvers.events().find((h) => h.customerId === daan.id && h.reason === 'dispute');
    expect(handOver).toMatchObject({ runId: executionOf(daan).name, journeyId: 'payment-reminder' });
    expect(seen.dispute?.body.handOverId).toBe(handOver?.handOverId);
  });

  it('names an unknown run (404) and an ended one (409), and a promise without its date (400)', () => {
    expect(seen.unknown).toMatchObject({
      status: 404,
      body: { error: 'run not found: no-such-run (not a run of this customer)' },
    });
    expect(seen.stopped?.status).toBe(200);
    expect(seen.ended).toMatchObject({
      status: 409,
      body: { error: `run ${executionOf(third).name} has ended already (aborted)` },
    });
    expect(seen.noDate).toMatchObject({ status: 400, body: { issues: [{ path: 'promisedDate' }] } });
  });

  it('lists the local call list as JSON and as a page (none here: the payment reminder emails and texts)', () => {
    expect(seen.callList).toEqual({ status: 200, body: { calls: [] } });
    expect(seen.callPage?.status).toBe(200);
    expect(seen.callPage?.body).toContain('<h1>Call list</h1>');
  });
});
