/**
 * A payment arrangement on the local runtime: agreed in the middle of the payment reminder's seven-day
 * wait, it holds the reminder run (its next step defers, saying why) and the instalment runs remind of
 * each instalment; paid in full, both runs end. An instalment unpaid beyond grace lets the reminder run
 * go on at the step it had reached. An arrangement agreed before any reminder run holds a run started later
 * from its first step. A schedule that does not fit the invoice is refused, naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerProfile } from '#core/customer.ts';
import {
  callApi,
  demoInvoice,
  recordEvent,
  recordInvoice,
  seedCustomers,
  startPaymentReminder,
} from '#infra/local/demo.ts';
import type { LocalExecution } from '#infra/local/journey-engine.ts';
import type { LocalStack } from '#infra/local/runtime.ts';
import { amsterdam, customerViews, runsOf, simulationStart, startE2eStack } from '../fixtures/e2e.ts';

const DAY_MS = 86_400_000;

// Email only: no supporting channel, so each step sends one email.
const payer: CustomerProfile = {
  ...amsterdam,
  id: 'arr-payer',
  name: { given: 'Fenna' },
  email: 'fenna@example.nl',
};
const misser: CustomerProfile = {
  ...amsterdam,
  id: 'arr-misser',
  name: { given: 'Joris' },
  email: 'joris@example.nl',
};
const refused: CustomerProfile = {
  ...amsterdam,
  id: 'arr-refused',
  name: { given: 'Mila' },
  email: 'mila@example.nl',
};
// Agrees before any payment reminder runs, then misses the first instalment.
const early: CustomerProfile = {
  ...amsterdam,
  id: 'arr-early',
  name: { given: 'Noor' },
  email: 'noor@example.nl',
};
const customers = [payer, misser, refused, early];
const invoiceOf = (customer: CustomerProfile) =>
  demoInvoice(customer, customers.indexOf(customer), simulationStart);

const dayFromStart = (days: number) =>
  new Date(simulationStart.getTime() + days * DAY_MS).toISOString().slice(0, 10);

/** Two instalments that add up to the invoice's amount: the first due in ten days, the second in forty. */
function scheduleOf(customer: CustomerProfile) {
  const { amount } = invoiceOf(customer);
  const cents = Math.round(Number(amount) * 100);
  const first = Math.floor(cents / 2);
  const asAmount = (c: number) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
  return [
    { dueDate: dayFromStart(10), amount: asAmount(first) },
    { dueDate: dayFromStart(40), amount: asAmount(cents - first) },
  ];
}

const agree = (
  customer: CustomerProfile,
  instalments = scheduleOf(customer),
  subjectId = invoiceOf(customer).id,
) =>
  callApi(stack, 'POST', `/customers/${customer.id}/events`, {
    type: 'arrangement.agreed',
    subjectId,
    arrangementId: `ARR-${customer.id}`,
    instalments,
    graceDays: 3,
  });

let stack: LocalStack;
const views = customerViews(() => stack);
const { entriesOf, sentSteps, timelineOf, readTimelines } = views;
const runOf = (customer: CustomerProfile, journeyId: string, nth = 0): LocalExecution =>
  stack.engine
    .listExecutions()
    .filter((e) => {
      const input = JSON.parse(e.input) as { customerId: string; journeyId: string };
      return input.customerId === customer.id && input.journeyId === journeyId;
    })
    .sort((a, b) => a.startDate.getTime() - b.startDate.getTime())[nth] as LocalExecution;
const agreedResponses = new Map<string, number>();
const badResponses: Record<string, { status: number; body: Record<string, unknown> }> = {};

beforeAll(async () => {
  stack = await startE2eStack();
  const sevenDayWait = stack.engine.pauseAt('WaitForSecondReminder', runsOf(payer, misser));
  const heldSecondReminder = stack.engine.pauseAt('WaitAgainSecondReminder', runsOf(payer));
  const beforeNudge = stack.engine.pauseAt('WaitForInstalmentNudge', runsOf(payer));
  await seedCustomers(stack, customers);
  for (const customer of customers) {
    expect((await recordInvoice(stack, customer.id, invoiceOf(customer))).status).toBe(202);
  }
  for (const customer of [payer, misser]) {
    expect((await startPaymentReminder(stack, customer.id, invoiceOf(customer))).status).toBe(201);
  }

  // Bad input first: nothing of it may be recorded.
  const wrongSum = scheduleOf(refused).map((i, index) => (index === 1 ? { ...i, amount: '1.00' } : i));
  badResponses.wrongSum = await agree(refused, wrongSum);
  badResponses.unordered = await agree(refused, [...scheduleOf(refused)].reverse());
  badResponses.unknownInvoice = await agree(refused, scheduleOf(refused), 'INV-NOPE');
  expect(
    (await recordEvent(stack, refused.id, { type: 'invoice.paid', subjectId: invoiceOf(refused).id })).status,
  ).toBe(202);
  badResponses.paidInvoice = await agree(refused);

  // Agreed before any reminder run; the reminder is started afterwards (the nightly selection, say).
  agreedResponses.set(early.id, (await agree(early)).status);
  expect((await startPaymentReminder(stack, early.id, invoiceOf(early))).status).toBe(201);

  for (const customer of [payer, misser]) {
    await sevenDayWait.reached(runOf(customer, 'payment-reminder'));
    agreedResponses.set(customer.id, (await agree(customer)).status);
    sevenDayWait.release(runOf(customer, 'payment-reminder'));
  }
  // The payer pays each instalment after its reminder, before its nudge.
  await heldSecondReminder.reached(runOf(payer, 'payment-reminder'));
  await beforeNudge.reached(runOf(payer, 'payment-arrangement', 0));
  const first = await recordEvent(stack, payer.id, {
    type: 'instalment.paid',
    subjectId: `ARR-${payer.id}.1`,
  });
  expect(first.status).toBe(202);
  await beforeNudge.reached(runOf(payer, 'payment-arrangement', 1));
  const second = await recordEvent(stack, payer.id, {
    type: 'instalment.paid',
    subjectId: `ARR-${payer.id}.2`,
  });
  expect(second.status).toBe(202);
  await stack.engine.whenIdle();
  await readTimelines(customers);
});

afterAll(async () => {
  await stack?.stop();
});

describe('an arrangement agreed during the payment reminder', () => {
  it('is accepted, and the reminder run’s next step defers with the arrangement as its reason', () => {
    expect(agreedResponses.get(payer.id)).toBe(202);
    expect(agreedResponses.get(misser.id)).toBe(202);
    for (const customer of [payer, misser]) {
      const deferred = entriesOf(customer, { kind: 'decision', stepId: 'second-reminder' }).find((e) =>
        e.summary.includes('deferred'),
      );
      expect(deferred?.summary).toContain(
        `paused by payment arrangement ARR-${customer.id}: instalment 1 of 2`,
      );
      expect(deferred?.runId).toBe(runOf(customer, 'payment-reminder').name);
    }
  });

  it('sends the instalment reminders and no further payment reminder while the instalments are paid', () => {
    expect(sentSteps(payer)).toEqual([
      'first-reminder/email',
      'instalment-reminder/email',
      'instalment-reminder/email',
    ]);
    const reminders = entriesOf(payer, { kind: 'message', stepId: 'instalment-reminder' });
    expect(reminders.map((e) => new Date(e.at).toISOString().slice(0, 10))).toEqual([
      dayFromStart(7),
      dayFromStart(37),
    ]);
  });

  it('ends the reminder run and the instalment run once the last instalment is paid: the invoice is paid', async () => {
    expect(runOf(payer, 'payment-reminder').status).toBe('ABORTED');
    expect(runOf(payer, 'payment-arrangement', 0).status).toBe('ABORTED');
    expect(runOf(payer, 'payment-arrangement', 1).status).toBe('ABORTED');
    expect((await stack.repository.getSubject(payer.id, invoiceOf(payer).id))?.status).toBe('paid');
    expect(
      timelineOf(payer).some((e) => e.summary.includes(`payment arrangement ARR-${payer.id} completed`)),
    ).toBe(true);
  });
});

describe('an instalment missed beyond grace', () => {
  it('nudges the customer the day after the due date, then the instalment run ends', () => {
    expect(sentSteps(misser).slice(1, 3)).toEqual(['instalment-reminder/email', 'instalment-nudge/email']);
    expect(runOf(misser, 'payment-arrangement').status).toBe('SUCCEEDED');
    // No instalment was paid: the second instalment's run never started.
    expect(runOf(misser, 'payment-arrangement', 1)).toBeUndefined();
  });

  it('resumes the payment reminder at the step it had reached, after the grace, saying why', () => {
    expect(sentSteps(misser)).toEqual([
      'first-reminder/email',
      'instalment-reminder/email',
      'instalment-nudge/email',
      'second-reminder/email',
      'final-notice/email',
    ]);
    const graceEnds = Date.parse(`${dayFromStart(14)}T00:00:00Z`);
    const second = entriesOf(misser, { kind: 'message', stepId: 'second-reminder' })[0];
    expect(Date.parse(second?.at as string)).toBeGreaterThanOrEqual(graceEnds);
    const resumed = entriesOf(misser, { kind: 'decision', stepId: 'second-reminder' }).find((e) =>
      e.summary.includes('resumes where it stopped'),
    );
    expect(resumed?.summary).toContain(`payment arrangement ARR-${misser.id} broken`);
    expect(resumed?.reasons?.[0]).toContain(`instalment 1 of 2`);
  });
});

describe('an arrangement agreed before any reminder run', () => {
  it('holds a payment reminder started later from its first step: it sends nothing while the arrangement holds', () => {
    expect(agreedResponses.get(early.id)).toBe(202);
    const reminderRun = runOf(early, 'payment-reminder').name;
    const deferred = entriesOf(early, { kind: 'decision', stepId: 'first-reminder' }).find((e) =>
      e.summary.includes('deferred'),
    );
    expect(deferred?.runId).toBe(reminderRun);
    expect(deferred?.summary).toContain(`paused by payment arrangement ARR-${early.id}: instalment 1 of 2`);
    // Nothing but the instalment's messages until the first instalment's grace ended unpaid.
    const graceEnds = Date.parse(`${dayFromStart(14)}T00:00:00Z`);
    const beforeGraceEnds = entriesOf(early, { kind: 'message', outcome: 'sent' }).filter(
      (e) => Date.parse(e.at) < graceEnds,
    );
    expect(beforeGraceEnds.map((e) => `${e.stepId}/${e.channel}`)).toEqual([
      'instalment-reminder/email',
      'instalment-nudge/email',
    ]);
  });

  it('goes on from its first reminder when the instalment is missed beyond grace, saying why', () => {
    expect(sentSteps(early).slice(0, 3)).toEqual([
      'instalment-reminder/email',
      'instalment-nudge/email',
      'first-reminder/email',
    ]);
    const resumed = entriesOf(early, { kind: 'decision', stepId: 'first-reminder' }).find((e) =>
      e.summary.includes('resumes where it stopped'),
    );
    expect(resumed?.summary).toContain(`payment arrangement ARR-${early.id} broken`);
    const first = entriesOf(early, { kind: 'message', stepId: 'first-reminder' })[0];
    expect(Date.parse(first?.at as string)).toBeGreaterThanOrEqual(
      Date.parse(`${dayFromStart(14)}T00:00:00Z`),
    );
  });
});

describe('an arrangement that does not fit the invoice', () => {
  it('is refused with the field named when the instalments do not add up to the amount due', () => {
    expect(badResponses.wrongSum?.status).toBe(422);
    expect(badResponses.wrongSum?.body.issues).toEqual([
      {
        path: 'instalments',
        message: expect.stringMatching(/^the instalments add up to .* not the amount due/),
      },
    ]);
  });

  it('is refused naming the instalment out of date order', () => {
    expect(badResponses.unordered?.status).toBe(422);
    expect(badResponses.unordered?.body.issues).toEqual([
      { path: 'instalments.1.dueDate', message: expect.stringContaining('date order') },
    ]);
  });

  it('is refused for an unknown invoice (404) and a paid one (409), naming it', () => {
    expect(badResponses.unknownInvoice?.status).toBe(404);
    expect(badResponses.unknownInvoice?.body.error).toContain('INV-NOPE');
    expect(badResponses.paidInvoice?.status).toBe(409);
    expect(badResponses.paidInvoice?.body.error).toContain(invoiceOf(refused).id);
  });

  it('records nothing of a refused arrangement', () => {
    expect(timelineOf(refused).filter((e) => e.summary.includes('arrangement'))).toEqual([]);
    expect(runOf(refused, 'payment-arrangement')).toBeUndefined();
  });
});
