/**
 * The results report read through the local HTTP API after a small payment-reminder run: its counts
 * match what the outboxes and the conversation show, and `npx klantreis results` prints the same
 * report as JSON and CSV from that API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerProfile } from '#core/customer.ts';
import { type ResultsReport, ResultsReportSchema } from '#core/results-report-schema.ts';
import { runResults } from '#infra/cli/results.ts';
import {
  callApi,
  demoInvoice,
  recordPayment,
  seedCustomers,
  startPaymentReminder,
} from '#infra/local/demo.ts';
import type { LocalStack } from '#infra/local/runtime.ts';
import { amsterdam, customerViews, runsOf, sentAt, simulationStart, startE2eStack } from '../fixtures/e2e.ts';

const payer: CustomerProfile = {
  ...amsterdam,
  id: 'e2e-results-payer',
  name: { given: 'Pieter' },
  email: 'pieter.results@example.nl',
  // A supporting channel: the first reminder's email waits for its read check, where the payment lands.
  phone: '+31612345678',
};
const emailOnly: CustomerProfile = {
  ...amsterdam,
  id: 'e2e-results-email',
  name: { given: 'Emma' },
  locale: 'en-GB',
  email: 'emma.results@example.com',
};
const smsOnly: CustomerProfile = {
  ...amsterdam,
  id: 'e2e-results-sms',
  name: { given: 'Sem' },
  phone: '+31612345679',
  preferences: { channel: 'sms' },
};
const customers = [payer, emailOnly, smsOnly];
const invoiceOf = (customer: CustomerProfile) =>
  demoInvoice(customer, customers.indexOf(customer), simulationStart);

const FROM = simulationStart.toISOString().slice(0, 10);
const TO = new Date(simulationStart.getTime() + 90 * 86_400_000).toISOString().slice(0, 10);

let stack: LocalStack;
let report: ResultsReport;
const { readTimelines, sent } = customerViews(() => stack);

beforeAll(async () => {
  stack = await startE2eStack();
  const readCheck = stack.engine.pauseAt('FirstReminder', runsOf(payer));
  await seedCustomers(stack, customers);
  for (const customer of customers) {
    const started = await startPaymentReminder(stack, customer.id, invoiceOf(customer));
    expect(started.status, JSON.stringify(started.body)).toBe(201);
  }
  await readCheck.reached(
    stack.engine.listExecutions().find((e) => JSON.parse(e.input).customerId === payer.id) as never,
  );
  const firstReminderAt = await sentAt(stack, payer, 'first-reminder');
  const paid = await recordPayment(
    stack,
    payer.id,
    invoiceOf(payer).id,
    new Date(firstReminderAt.getTime() + 86_400_000),
  );
  expect(paid.status).toBe(202);
  readCheck.release();
  await stack.engine.whenIdle();
  await readTimelines(customers);
  const answer = await callApi(
    stack,
    'GET',
    `/journeys/payment-reminder/results?from=${FROM}&to=${TO}&by=step,channel`,
  );
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  report = ResultsReportSchema.parse(answer.body);
});

afterAll(async () => {
  await stack?.stop();
});

describe('results report through the local API', () => {
  it('counts every message the outboxes hold, per step and channel, as the conversation shows them', async () => {
    const messages = customers.flatMap((c) => sent(c));
    const fromConversation = new Map<string, number>();
    for (const m of messages) {
      const key = `${m.stepId}/${m.channel}`;
      fromConversation.set(key, (fromConversation.get(key) ?? 0) + 1);
    }
    const fromReport = new Map(
      report.groups
        .filter((g) => g.counts.sent > 0)
        .map((g) => [`${g.key.step}/${g.key.channel}`, g.counts.sent]),
    );
    expect(fromReport).toEqual(fromConversation);
    const emails = (await stack.ses.listEmails()).length;
    const sms = stack.sms.messages().length;
    expect(report.totals.counts.sent).toBe(emails + sms);
  });

  it('counts the one payment as the goal, attributed to the payer’s first reminder', () => {
    expect(report.totals.counts.goalReached).toBe(1);
    const attributed = report.groups.find((g) => g.counts.goalReached > 0);
    expect(attributed?.key).toEqual({ step: 'first-reminder', channel: 'email' });
    expect(attributed?.medianDaysToGoal).not.toBeNull();
  });

  it('prices what went out', () => {
    expect(report.totals.costUsd.delivery).toBeGreaterThan(0);
    expect(report.totals.costPerGoalUsd).toBe(report.totals.costUsd.total);
  });

  it('refuses a window the other way round, naming from', async () => {
    const answer = await callApi(stack, 'GET', `/journeys/payment-reminder/results?from=${TO}&to=${FROM}`);
    expect(answer.status).toBe(400);
    expect(answer.body.issues).toEqual([expect.objectContaining({ path: 'from' })]);
  });

  it('is printed by npx klantreis results from the local API, as JSON and as CSV', async () => {
    const out: string[] = [];
    const cli = (extra: string[]) =>
      runResults(
        [
          '--journey',
          'payment-reminder',
          '--from',
          FROM,
          '--to',
          TO,
          '--by',
          'step,channel',
          '--api',
          stack.apiUrl,
          '--token',
          stack.apiToken,
          ...extra,
        ],
        { out: (t) => out.push(t), err: (t) => out.push(`error: ${t}`) },
        { env: {} },
      );
    expect(await cli(['--json'])).toBe(0);
    expect(JSON.parse(out.pop() ?? '')).toEqual(report);
    expect(await cli(['--csv'])).toBe(0);
    const lines = (out.pop() ?? '').split('\n');
    expect(lines[0]?.startsWith('step,channel,planned,skipped,sent,')).toBe(true);
    expect(lines).toHaveLength(report.groups.length + 1);
  });
});
