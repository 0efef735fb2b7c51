/**
 * The results the payment reminder's code paths keep, on the local runtime: for a handful of demo
 * customers, the aggregate counts equal what the outboxes and the conversations show, each run has
 * exactly one outcome (the goal attributed to the last message before it), and provider events
 * delivered again change no count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '#adapters/policy-file.ts';
import { channelCost } from '#core/channel.ts';
import type { CustomerProfile } from '#core/customer.ts';
import type { TimelineEntry } from '#core/ports.ts';
import { RESULT_COUNTERS, type ResultCounter, type ResultRow } from '#core/results.ts';
import { smsEncodingOf } from '#core/sms-encoding.ts';
import {
  callApi,
  demoInvoice,
  recordPayment,
  replyBySms,
  seedCustomers,
  startPaymentReminder,
} from '#infra/local/demo.ts';
import { demoCustomers } from '#infra/local/demo-customers.ts';
import type { LocalStack } from '#infra/local/runtime.ts';
import { amsterdam, customerViews, runsOf, sentAt, simulationStart, startE2eStack } from '../fixtures/e2e.ts';

const JOURNEY = 'payment-reminder';
/** An adult in Amsterdam with both channels: the first reminder is an email with its 48-hour read check. */
const payer: CustomerProfile = {
  ...amsterdam,
  id: 'results-payer',
  name: { given: 'Pieter', family: 'Jansen' },
  email: 'pieter@example.nl',
  phone: '+31612345670',
};
const customers: CustomerProfile[] = [payer, ...demoCustomers.slice(0, 7)];
const opener = customers.find((c) => c.email && c !== payer) as CustomerProfile;
const invoiceOf = (customer: CustomerProfile) =>
  demoInvoice(customer, customers.indexOf(customer), simulationStart);

let stack: LocalStack;
let rows: ResultRow[];
const { readTimelines, timelineOf, emailsTo, smsTo, executionOf } = customerViews(() => stack);
const readRows = () => stack.results.readResults(JOURNEY, '2026-11-01', '2027-03-31');
const total = (counter: ResultCounter, which: readonly ResultRow[] = rows) =>
  which.reduce((sum, row) => sum + row.counts[counter], 0);
const entries = (filter: (entry: TimelineEntry) => boolean) =>
  customers.flatMap((customer) => timelineOf(customer).filter(filter));
/** A supporting channel's message (`<step>-fallback`) counts under its own step, with its own decision. */
const stepOf = (entry: TimelineEntry) => entry.stepId ?? '';

beforeAll(async () => {
  stack = await startE2eStack({ emailOpeners: [opener.email as string] });
  // The payer pays a day after the first reminder, while its run waits for the read check.
  const readCheck = stack.engine.pauseAt('FirstReminder', runsOf(payer));
  await seedCustomers(stack, customers);
  for (const customer of customers) {
    const started = await startPaymentReminder(stack, customer.id, invoiceOf(customer));
    expect(started.status, JSON.stringify(started.body)).toBe(201);
  }
  await readCheck.reached(executionOf(payer));
  const paidAt = new Date((await sentAt(stack, payer, 'first-reminder')).getTime() + 86_400_000);
  expect((await recordPayment(stack, payer.id, invoiceOf(payer).id, paidAt)).status).toBe(202);
  readCheck.release();
  await stack.engine.whenIdle();
  await stack.feedback.flush();
  await readTimelines(customers);
  rows = await readRows();
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('results of the payment reminder', () => {
  it('counts every message the outboxes hold, by step and channel as the conversations show', async () => {
    const emails = (await Promise.all(customers.map((c) => (c.email ? emailsTo(c) : [])))).flat();
    const sms = customers.flatMap((c) => (c.phone ? smsTo(c) : []));
    expect(total('sent')).toBeGreaterThan(0);
    expect(total('sent')).toBe(emails.length + sms.length);
    const byStep = (list: Array<{ step: string; channel: string }>) => {
      const counts: Record<string, number> = {};
      for (const { step, channel } of list)
        counts[`${step}/${channel}`] = (counts[`${step}/${channel}`] ?? 0) + 1;
      return counts;
    };
    const sentEntries = entries((e) => e.kind === 'message' && e.outcome === 'sent');
    expect(
      byStep(
        rows.flatMap((r) =>
          Array.from({ length: r.counts.sent }, () => ({ step: r.stepId, channel: r.channel })),
        ),
      ),
    ).toEqual(byStep(sentEntries.map((e) => ({ step: stepOf(e), channel: e.channel ?? 'none' }))));
  });

  it('counts each decision once per run and step, skips by reason, and prices each message as the policy does', () => {
    const decisions = entries((e) => e.kind === 'decision');
    const conditionNotMet = decisions.filter((e) => e.summary.endsWith('condition not met'));
    const decided = new Set(
      decisions.filter((e) => !conditionNotMet.includes(e)).map((e) => `${e.runId}#${stepOf(e)}`),
    );
    expect(total('planned')).toBe(decided.size);
    // No step sends more than it planned: a follow-up after an unread email is planned as its own step.
    for (const step of new Set(rows.map((r) => r.stepId))) {
      const ofStep = rows.filter((r) => r.stepId === step);
      expect(total('sent', ofStep), step).toBeLessThanOrEqual(total('planned', ofStep));
    }
    expect(rows.reduce((sum, row) => sum + (row.skippedBy['condition-not-met'] ?? 0), 0)).toBe(
      conditionNotMet.length,
    );
    const policy = loadPolicy();
    // An email at its price; an SMS by the parts the outbox received (carriers bill each part).
    const priced = customers.flatMap((customer) => [
      ...timelineOf(customer)
        .filter((e) => e.kind === 'message' && e.outcome === 'sent' && e.channel !== 'sms')
        .map((e) => Math.round(channelCost(e.channel ?? 'email', customer.country, policy) * 1_000_000)),
      ...(customer.phone ? smsTo(customer) : []).map((m) =>
        Math.round(
          channelCost('sms', customer.country, policy, smsEncodingOf(m.message).segments) * 1_000_000,
        ),
      ),
    ]);
    expect(rows.reduce((sum, row) => sum + row.costMicroUsd.delivery, 0)).toBe(
      priced.reduce((a, b) => a + b, 0),
    );
    for (const row of rows.filter((r) => r.counts.sent > 0))
      expect(row.costMicroUsd.orchestration).toBeGreaterThan(0);
  });

  it('counts deliveries and opens as the provider reported them', () => {
    expect(total('delivered')).toBe(
      entries((e) => e.kind === 'delivery' && e.outcome === 'delivered').length,
    );
    expect(total('opened')).toBe(
      entries((e) => e.kind === 'delivery' && (e.outcome === 'opened' || e.outcome === 'clicked')).length,
    );
    expect(total('opened')).toBeGreaterThan(0);
  });

  it('gives each run one outcome, the goal attributed to the last message before the payment', async () => {
    const runs = stack.engine
      .listExecutions()
      .filter((e) => customers.some((c) => JSON.parse(e.input).customerId === c.id));
    const outcomes = total('goalReached') + total('handedOver') + total('completedWithoutGoal');
    expect(outcomes).toBe(runs.length);
    expect(total('goalReached')).toBe(1);
    const goalRow = rows.find((r) => r.counts.goalReached === 1) as ResultRow;
    expect(goalRow).toMatchObject({ stepId: 'first-reminder', channel: 'email' });
    expect(goalRow.goalDays).toEqual({ '1': 1 });
    const run = await callApi(stack, 'GET', `/runs/${executionOf(payer).name}`);
    expect(run.status).toBe(200);
    expect(run.body.outcome).toMatchObject({
      kind: 'goal-reached',
      goalEvent: 'invoice.paid',
      daysToGoal: 1,
      lastMessage: { stepId: 'first-reminder', channel: 'email' },
    });
  });

  it('changes no count when the provider events are delivered again', async () => {
    await stack.feedback.redeliverAll();
    await stack.feedback.flush();
    expect(stack.feedback.failures).toEqual([]);
    expect(await readRows()).toEqual(rows);
  });

  it('counts a reply to the last SMS once', async () => {
    const texted = customers.find((c) => c.phone && smsTo(c).length > 0) as CustomerProfile;
    await replyBySms(stack, texted.phone as string, 'Ik betaal volgende week');
    const after = await readRows();
    expect(total('replied', after)).toBe(1);
    await stack.feedback.redeliverAll();
    expect(total('replied', await readRows())).toBe(1);
    for (const counter of RESULT_COUNTERS)
      if (counter !== 'replied') expect(total(counter, after)).toBe(total(counter));
  });
});
