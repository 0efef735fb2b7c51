import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoInvoices, seedCustomers, startPaymentReminder } from '#infra/local/demo.ts';
import { demoCustomers } from '#infra/local/demo-customers.ts';
import { demoResults, formatDemoResults } from '#infra/local/demo-results.ts';
import { demoRows, playDemo } from '#infra/local/demo-scenario.ts';
import { type DemoRow, formatTable } from '#infra/local/demo-table.ts';
import type { LocalStack } from '#infra/local/runtime.ts';
import { SendWatch } from '#infra/local/send-watch.ts';
import { simulationStart, startE2eStack } from '../fixtures/e2e.ts';

let stack: LocalStack;
let rows: DemoRow[];
let missed: string[];
let invoices: ReturnType<typeof demoInvoices>;
const row = (customer: string, journey: string) =>
  rows.find((r) => r.customer === customer && r.journey === journey) as DemoRow;

beforeAll(async () => {
  const watch = new SendWatch();
  stack = await startE2eStack({
    wrap: { email: watch.email, sms: watch.sms },
  });
  await seedCustomers(stack, demoCustomers);
  invoices = demoInvoices(demoCustomers, simulationStart);
  const play = await playDemo(stack, {
    simulationStart,
    invoices,
    watch,
    startPaymentReminders: async () => {
      for (const c of demoCustomers) await startPaymentReminder(stack, c.id, invoices.get(c.id) as never);
    },
  });
  expect(play.notStarted).toEqual([]);
  missed = play.missed;
  rows = await demoRows(stack);
});

afterAll(async () => {
  await stack?.stop();
});

describe('npm start demo: the demo customers’ runs of the journeys, one row per run', () => {
  it('has a payment reminder for every demo customer, and onboarding and appointment runs for some', () => {
    const count = (journey: string) => rows.filter((r) => r.journey === journey).length;
    expect(count('payment-reminder')).toBe(demoCustomers.length);
    expect(count('onboarding')).toBe(4);
    expect(count('appointment')).toBe(4);
    expect(missed).toEqual([]);
    expect(rows.filter((r) => r.ended.startsWith('failed') || r.ended === 'running')).toEqual([]);
  });

  it('fills segment and channels for runs stopped by a payment, which got one reminder', () => {
    for (const customer of ['c-1002', 'c-1005']) {
      const paid = row(customer, 'payment-reminder');
      expect(paid.ended).toBe('goal reached (invoice.paid)');
      expect(paid.segment).not.toBe('—');
      expect(paid.channels).not.toBe('—');
      expect(paid.messages).toMatch(/^1: /);
    }
    expect(row('c-1002', 'payment-reminder')).toMatchObject({ segment: 'young-digital', channels: 'sms' });
    expect(row('c-1005', 'payment-reminder')).toMatchObject({ segment: 'business', channels: 'email' });
  });

  it('ends the onboarding of the customer who activates after the welcome, and hands over one who never does', () => {
    expect(row('c-1003', 'onboarding')).toMatchObject({
      ended: 'goal reached (portal.activated)',
      messages: expect.stringMatching(/^1: /),
    });
    // Welcome, reminder and tip without an activation: a person follows up (no reaction).
    expect(row('c-1007', 'onboarding')).toMatchObject({
      ended: 'handed over (no-reaction)',
      messages: expect.stringMatching(/^3: /),
    });
    // SMS only (email opted out): the email-only tip is skipped.
    expect(row('c-1015', 'onboarding').channels).toBe('sms');
    expect(row('c-1015', 'onboarding').messages).toMatch(/skipped/);
    expect(row('c-1014', 'onboarding')).toMatchObject({ channels: '—', ended: 'handed over (unreachable)' });
  });

  it('reaches the senior with a landline and a postal address by letter and the firmer reminder by a call: the outbox has the PDFs, the call list the call, the conversation both', async () => {
    const reminder = row('c-1014', 'payment-reminder');
    expect(reminder).toMatchObject({ segment: 'senior', channels: 'letter, phone' });
    expect(reminder.messages).toMatch(/^3: first-reminder, second-reminder, final-notice/);
    const calls = stack.calls.tasks().filter((t) => t.customerId === 'c-1014');
    expect(calls.map((t) => t.stepId)).toEqual(['second-reminder']);
    const letters = stack.letterOutbox.letters().filter((l) => l.customerId === 'c-1014');
    expect(letters.map((l) => l.stepId)).toEqual(['first-reminder', 'final-notice']);
    const { text } = await extractText(await getDocumentProxy(letters[0]?.pdf ?? new Uint8Array()), {
      mergePages: true,
    });
    const invoice = invoices.get('c-1014');
    expect(text).toContain('Lindenlaan 7');
    expect(text).toContain('3581 KB');
    expect(text).toContain(invoice?.id ?? 'missing');
    const timeline = await stack.repository.listTimeline('c-1014', 100);
    const sentLetters = timeline.filter((e) => e.channel === 'letter' && e.outcome === 'sent');
    expect(sentLetters.map((e) => e.stepId).sort()).toEqual(['final-notice', 'first-reminder']);
  });

  it('sends the fourteen-day notice by email to the Dutch consumer who agreed to notices by email, and by letter to the one who did not', async () => {
    const noticeOf = async (customerId: string) =>
      (await stack.repository.listTimeline(customerId, 100)).find(
        (e) => e.kind === 'message' && e.outcome === 'sent' && e.stepId === 'final-notice',
      );
    expect(await noticeOf('c-1004')).toMatchObject({
      channel: 'email',
      templateId: 'payment-collection-notice',
    });
    expect(await noticeOf('c-1014')).toMatchObject({
      channel: 'letter',
      templateId: 'payment-collection-notice',
    });
  });

  it('cancels one appointment after its confirmation and completes the rescheduled one', () => {
    expect(row('c-1012', 'appointment')).toMatchObject({
      ended: 'cancelled (appointment.cancelled)',
      messages: expect.stringMatching(/^1: /),
    });
    expect(row('c-1006', 'appointment')).toMatchObject({
      ended: 'completed (rescheduled)',
      messages: expect.stringMatching(/^3: /),
    });
    expect(row('c-1004', 'appointment').ended).toBe('completed');
  });

  it('hands over the customer who replied STOP once no channel is left, and prints a readable table', () => {
    expect(row('c-1013', 'payment-reminder').ended).toBe('handed over (unreachable)');
    // Invoices not yet due get the friendly notice before the due date first; overdue ones skip it.
    expect(row('c-1009', 'payment-reminder').messages).toMatch(/^\d: pre-due-notice, first-reminder\b/);
    expect(row('c-1001', 'payment-reminder').messages).toMatch(/pre-due-notice skipped/);
    const table = formatTable(rows).split('\n');
    expect(table[0]).toMatch(/^customer\s+journey\s+segment\s+channels\s+messages sent/);
    expect(table).toHaveLength(rows.length + 2);
  });

  it('prints the payment reminder’s results read through the API: a goal for every run that reached one', async () => {
    const report = await demoResults(stack, 'payment-reminder', simulationStart);
    const goals = rows.filter((r) => r.journey === 'payment-reminder' && r.ended.startsWith('goal reached'));
    expect(goals.length).toBeGreaterThan(0);
    expect(report.totals.counts.goalReached).toBe(goals.length);
    const table = formatDemoResults(report);
    expect(table).toMatch(/^Results of payment-reminder \(2026-12-01 to 2027-03-01; fixed-horizon verdicts/);
    for (const experiment of report.experiments) {
      expect(table).toContain(`Experiment ${experiment.experimentId}`);
      for (const arm of experiment.arms)
        expect(table).toMatch(new RegExp(`^${arm.arm}\\s+${arm.planned}\\s+${arm.goalReached}\\s`, 'm'));
    }
  });
});
