/**
 * Runs started at night (03:00 in Amsterdam, Tuesday 1 December 2026), through the API and by the
 * scheduled batch: the starter plans the first wake in the customer's window, so the first message
 * goes at the window's opening (plus the customer's spread) and the first step's Task runs once —
 * no visit at night that finds the window closed and waits again.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerProfile } from '#core/customer.ts';
import { callApi, demoAccount, demoInvoice, recordInvoice, seedCustomers } from '#infra/local/demo.ts';
import type { LocalExecution } from '#infra/local/journey-engine.ts';
import type { LocalStack } from '#infra/local/runtime.ts';
import { amsterdam, customerViews, dueDateSelectedAt, startE2eStack } from '../fixtures/e2e.ts';

const night = new Date('2026-12-01T02:00:00Z');

/** Default segment: weekdays from 09:00. */
const newcomer: CustomerProfile = { ...amsterdam, id: 'fw-newcomer', email: 'newcomer@example.nl' };
/** Senior segment: weekdays from 10:00. */
const senior: CustomerProfile = {
  ...amsterdam,
  id: 'fw-senior',
  birthDate: '1950-03-01',
  email: 'senior@example.nl',
};
const batchCustomers: CustomerProfile[] = [0, 1, 2].map((i) => ({
  ...amsterdam,
  id: `fw-batch-${i}`,
  email: `batch-${i}@example.nl`,
}));

let stack: LocalStack;

const { executionOf } = customerViews(() => stack);
const visits = (execution: LocalExecution, state: string) =>
  execution.statesEntered.filter((s) => s === state).length;
/** The simulated time the step's message went out, as local time in Amsterdam. */
async function sentAt(customer: CustomerProfile, stepId: string): Promise<string> {
  const timeline = await stack.repository.listTimeline(customer.id, 100);
  const sent = timeline.find((e) => e.kind === 'message' && e.stepId === stepId && e.outcome === 'sent');
  if (!sent) throw new Error(`no ${stepId} message for ${customer.id}`);
  return DateTime.fromISO(sent.at, { zone: 'Europe/Amsterdam' }).toFormat('yyyy-MM-dd HH:mm');
}

beforeAll(async () => {
  stack = await startE2eStack({ simulationStart: night });
  await seedCustomers(stack, [newcomer, senior, ...batchCustomers]);
  const onboarding = await callApi(stack, 'POST', '/journeys/onboarding/runs', {
    customerId: newcomer.id,
    subject: demoAccount(newcomer),
  });
  expect(onboarding.status).toBe(201);
  // Due in five days: the friendly notice before the due date is the first message.
  const reminder = await callApi(stack, 'POST', '/journeys/payment-reminder/runs', {
    customerId: senior.id,
    subject: demoInvoice(senior, 0, night, 5),
  });
  expect(reminder.status).toBe(201);

  const dueDate = dueDateSelectedAt(stack, night);
  for (const [i, customer] of batchCustomers.entries()) {
    const recorded = await recordInvoice(stack, customer.id, {
      ...demoInvoice(customer, i + 1, night),
      dueDate,
    });
    expect(recorded.status).toBe(202);
  }
  const batch = await stack.fireSchedule('payment-reminder');
  expect(batch.status, batch.cause).toBe('SUCCEEDED');
  await stack.engine.whenIdle();
});

afterAll(async () => {
  await stack?.stop();
});

describe('a run started at night', () => {
  it('API start, onboarding: the welcome goes at 09:00–10:00 (the window’s opening plus the spread), its Task runs once', async () => {
    const at = await sentAt(newcomer, 'welcome');
    expect(at >= '2026-12-01 09:00' && at < '2026-12-01 10:00', at).toBe(true);
    const execution = executionOf(newcomer);
    expect(execution.statesEntered[0]).toBe('WaitForWelcome');
    expect(visits(execution, 'Welcome')).toBe(1);
  });

  it('API start, payment reminder for a senior (window from 10:00): the notice goes at 10:00–11:00, its Task runs once', async () => {
    const at = await sentAt(senior, 'pre-due-notice');
    expect(at >= '2026-12-01 10:00' && at < '2026-12-01 11:00', at).toBe(true);
    expect(visits(executionOf(senior), 'PreDueNotice')).toBe(1);
  });

  it('scheduled batch fired at 03:00: every run’s notice goes at 09:00–10:00, spread, each first Task run once', async () => {
    const times = await Promise.all(batchCustomers.map((c) => sentAt(c, 'pre-due-notice')));
    for (const at of times) expect(at >= '2026-12-01 09:00' && at < '2026-12-01 10:00', at).toBe(true);
    for (const customer of batchCustomers) expect(visits(executionOf(customer), 'PreDueNotice')).toBe(1);
    for (const customer of batchCustomers) {
      // The first reminder is the first Task; before the due date it hands over to the notice.
      expect(executionOf(customer).statesEntered.slice(0, 3)).toEqual([
        'WaitForFirstStep',
        'FirstReminder',
        'PreDueNotice',
      ]);
    }
  });
});
