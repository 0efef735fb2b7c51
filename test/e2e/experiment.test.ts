/**
 * The payment reminder's experiment on the local runtime: a holdout customer gets nothing at the first
 * reminder (the conversation records the skip and the arm) and the journey goes on to the firmer reminder
 * a week later; a customer in the direct arm gets the direct text; the run carries its arm to the end.
 * Who is in which arm comes from the assignment function, never from a list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerProfile } from '#core/customer.ts';
import { demoInvoice, seedCustomers, startPaymentReminder } from '#infra/local/demo.ts';
import type { LocalStack } from '#infra/local/runtime.ts';
import { amsterdam, customerViews, simulationStart, startE2eStack } from '../fixtures/e2e.ts';
import { firstReminderArm } from '../fixtures/experiments.ts';

/** The first of `e2e-arm-0`, `e2e-arm-1`, … that the experiment puts in the arm. */
function customerIn(arm: string, index: number): CustomerProfile {
  for (let i = 0; i < 1_000; i++) {
    const id = `e2e-arm-${i}`;
    if (firstReminderArm(id).id === arm) {
      return {
        ...amsterdam,
        id,
        name: { given: 'Lotte' },
        email: `${id}@example.nl`,
        phone: `+3161234${String(5600 + index)}`,
      };
    }
  }
  throw new Error(`no customer in arm ${arm}`);
}
const held = customerIn('holdout', 0);
const direct = customerIn('direct', 1);
const control = customerIn('control', 2);
const customers = [held, direct, control];
const DAY = 86_400_000;

let stack: LocalStack;
const { readTimelines, entriesOf, sentSteps, emailsTo, smsTo, executionOf } = customerViews(() => stack);

beforeAll(async () => {
  stack = await startE2eStack();
  await seedCustomers(stack, customers);
  for (const [i, customer] of customers.entries()) {
    const started = await startPaymentReminder(stack, customer.id, demoInvoice(customer, i, simulationStart));
    expect(started.status, JSON.stringify(started.body)).toBe(201);
  }
  await stack.engine.whenIdle();
  await readTimelines(customers);
});

afterAll(async () => {
  await stack?.stop();
});

describe('the first reminder experiment, end to end on the local runtime', () => {
  it('sends a holdout customer no first reminder, on no channel, and records the skip with its arm', async () => {
    expect(sentSteps(held)).not.toContain('first-reminder/email');
    expect(sentSteps(held).filter((s) => s.startsWith('first-reminder'))).toEqual([]);
    const [decision, ...again] = entriesOf(held, { kind: 'decision', stepId: 'first-reminder' });
    expect(again).toEqual([]);
    expect(decision).toMatchObject({
      outcome: 'skipped',
      summary: 'payment-reminder/first-reminder: skipped, holdout',
      experimentId: 'first-reminder-text',
      arm: 'holdout',
    });
    expect(decision?.reasons).toContain('experiment first-reminder-text: arm holdout (weight 10)');
    // What the outboxes hold is the later steps' messages only: the first reminder never left.
    const later = entriesOf(held, { kind: 'message', outcome: 'sent' });
    expect(later.length).toBeGreaterThan(0);
    expect(later.every((e) => !e.stepId?.startsWith('first-reminder'))).toBe(true);
    expect((await emailsTo(held)).length).toBe(later.filter((e) => e.channel === 'email').length);
    expect(smsTo(held).length).toBe(later.filter((e) => e.channel === 'sms').length);
    expect((await emailsTo(held)).some((e) => /^(Herinnering:|Betaal vandaag)/.test(e.subject))).toBe(false);
  });

  it('goes on for the holdout customer as after a send: the firmer reminder a week after the held-back slot', () => {
    const [decision] = entriesOf(held, { kind: 'decision', stepId: 'first-reminder' });
    const [second] = entriesOf(held, { kind: 'message', stepId: 'second-reminder', outcome: 'sent' });
    expect(second).toBeDefined();
    expect(Date.parse(second?.at ?? '') - Date.parse(decision?.at ?? '')).toBeGreaterThanOrEqual(
      7 * DAY - 60_000,
    );
    expect(Date.parse(second?.at ?? '') - Date.parse(decision?.at ?? '')).toBeLessThan(9 * DAY);
  });

  it('writes to the direct arm in the direct text, and to control in the usual friendly one, each recorded with its arm', async () => {
    const [directMessage] = entriesOf(direct, { kind: 'message', stepId: 'first-reminder', outcome: 'sent' });
    expect(directMessage).toMatchObject({
      tone: 'direct',
      experimentId: 'first-reminder-text',
      arm: 'direct',
    });
    const [controlMessage] = entriesOf(control, {
      kind: 'message',
      stepId: 'first-reminder',
      outcome: 'sent',
    });
    expect(controlMessage).toMatchObject({
      tone: 'friendly',
      experimentId: 'first-reminder-text',
      arm: 'control',
    });
    const [directEmail] = await emailsTo(direct);
    const [controlEmail] = await emailsTo(control);
    expect(directEmail?.subject).toMatch(/^Betaal vandaag/);
    expect(directEmail?.text).toContain('Betaal binnen 7 dagen.');
    expect(controlEmail?.subject).toMatch(/^Herinnering/);
  });

  it("carries each run's arm to its end and onto its run item, so later steps and the goal are attributed to it", async () => {
    for (const customer of customers) {
      const [run] = await stack.repository.listRuns(customer.id);
      expect(run?.experiment).toEqual({ id: 'first-reminder-text', arm: firstReminderArm(customer.id).id });
      const output = JSON.parse(executionOf(customer).output ?? '{}');
      expect(output.journey?.progress?.experiment).toEqual({
        id: 'first-reminder-text',
        arm: firstReminderArm(customer.id).id,
      });
    }
  });
});
