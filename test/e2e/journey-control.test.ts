import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerProfile } from '#core/customer.ts';
import {
  demoAccount,
  demoAppointment,
  demoInvoice,
  seedCustomers,
  startJourney,
  startPaymentReminder,
} from '#infra/local/demo.ts';
import type { LocalExecution } from '#infra/local/journey-engine.ts';
import { type LocalStack, localStateMachineArn } from '#infra/local/runtime.ts';
import { amsterdam, customerViews, runsOf, startE2eStack } from '../fixtures/e2e.ts';

// A journey step's rare outcomes end to end: a step deferred by contact pressure another journey raised
// (Klantreis.NotYet), and a run ended early by its goal check (Klantreis.RunEnded).

// Tuesday 1 December 2026, 10:00 in Amsterdam: inside the window, so the first messages go at once.
const start = new Date('2026-12-01T09:00:00Z');
const DAY = 86_400_000;

// Email only: the policy allows three emails in seven days (service messages are deferred, not dropped).
const pressed: CustomerProfile = {
  ...amsterdam,
  id: 'ctl-pressed',
  name: { given: 'Fenna' },
  email: 'fenna@example.nl',
};
// Email only: no read check, so the run goes from the first reminder into the seven-day wait.
const payer: CustomerProfile = {
  ...amsterdam,
  id: 'ctl-payer',
  name: { given: 'Joris' },
  email: 'joris@example.nl',
};

let stack: LocalStack;
const { readTimelines, timelineOf, emailsTo } = customerViews(() => stack);
const runOf = (customer: CustomerProfile, journeyId: string) =>
  stack.engine
    .listExecutions()
    .find(
      (e) =>
        JSON.parse(e.input).customerId === customer.id &&
        e.stateMachineArn === localStateMachineArn(journeyId),
    ) as LocalExecution;
const sent = (customer: CustomerProfile, stepId: string) =>
  timelineOf(customer).filter((e) => e.kind === 'message' && e.outcome === 'sent' && e.stepId === stepId);

beforeAll(async () => {
  stack = await startE2eStack({ simulationStart: start });
  // Held in the three days before the activation reminder and the week before the firmer reminder:
  // the other journey's confirmations, and the payment, land inside them.
  const activationWait = stack.engine.pauseAt('WaitForActivationReminder', runsOf(pressed));
  const reminderWaits = stack.engine.pauseAt('WaitForReminder', runsOf(pressed));
  const sevenDayWait = stack.engine.pauseAt('WaitForSecondReminder', runsOf(payer));
  await seedCustomers(stack, [pressed, payer]);

  // The welcome goes out; while onboarding waits three days, two appointments are booked: their
  // confirmations (transactional: never held) make three emails in seven days.
  expect((await startJourney(stack, 'onboarding', pressed.id, demoAccount(pressed))).status).toBe(201);
  await activationWait.reached(runOf(pressed, 'onboarding'));
  for (const [i, inDays] of [30, 40].entries()) {
    const visit = { ...demoAppointment(pressed, start, inDays), id: `APT-ctl-${i}` };
    expect((await startJourney(stack, 'appointment', pressed.id, visit)).status).toBe(201);
  }
  // Both confirmations have gone out once the appointments wait for their reminders.
  const appointments = stack.engine
    .listExecutions()
    .filter((e) => e.stateMachineArn === localStateMachineArn('appointment'));
  await Promise.all(appointments.map((run) => reminderWaits.reached(run)));
  reminderWaits.release();
  activationWait.release();

  // The invoice is marked paid by another system (no invoice.paid event stops the run): the firmer
  // reminder's goal check finds it and ends the run.
  const invoice = demoInvoice(payer, 0, start);
  expect((await startPaymentReminder(stack, payer.id, invoice)).status).toBe(201);
  await sevenDayWait.reached(runOf(payer, 'payment-reminder'));
  await stack.repository.putSubject({
    customerId: payer.id,
    subjectId: invoice.id,
    status: 'paid',
    updatedAt: stack.clock.now().toISOString(),
  });
  sevenDayWait.release();

  await stack.engine.whenIdle();
  await readTimelines([pressed, payer]);
});

afterAll(async () => {
  await stack?.stop();
});

describe('a step whose slot contact pressure takes (Klantreis.NotYet)', () => {
  it('goes later, exactly once: one deferral, one activation reminder, after the oldest email leaves the seven days', () => {
    const run = runOf(pressed, 'onboarding');
    expect(run.status, run.cause).toBe('SUCCEEDED');
    expect(run.statesEntered.filter((s) => s === 'DeferActivationReminder')).toHaveLength(1);
    expect(run.statesEntered.filter((s) => s === 'ActivationReminder')).toHaveLength(2);
    expect(run.statesEntered).not.toContain('HandOverFailed');
    const [welcome] = sent(pressed, 'welcome');
    const reminders = sent(pressed, 'activation-reminder');
    expect(reminders).toHaveLength(1);
    // Three days after the welcome was its plan; the cap held it until the seven days of the welcome
    // (counted from its day) were over.
    const after = Date.parse(reminders[0]?.at ?? '') - Date.parse(welcome?.at ?? '');
    expect(after).toBeGreaterThan(6 * DAY);
    expect(after).toBeLessThan(8 * DAY);
    const decision = timelineOf(pressed).find(
      (e) => e.kind === 'decision' && e.stepId === 'activation-reminder',
    );
    expect(decision?.reasons?.join('\n')).toMatch(/contact pressure: .*deferred until/);
  });

  it('lets the other journey’s messages through: both confirmations went out at once', () => {
    expect(sent(pressed, 'confirmation')).toHaveLength(2);
  });
});

describe('a run whose goal is reached before its last step (Klantreis.RunEnded)', () => {
  it('ends successfully at the goal check, sending no further message and handing nobody over', async () => {
    const run = runOf(payer, 'payment-reminder');
    expect(run.status, run.cause).toBe('SUCCEEDED');
    expect(run.statesEntered.slice(-2)).toEqual(['SecondReminder', 'Done']);
    expect(sent(payer, 'first-reminder')).toHaveLength(1);
    expect(sent(payer, 'second-reminder')).toHaveLength(0);
    expect(stack.handOvers.events().filter((h) => h.customerId === payer.id)).toEqual([]);
    expect(await emailsTo(payer)).toHaveLength(1);
  });
});
