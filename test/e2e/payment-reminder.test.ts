import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerProfile } from '#core/customer.ts';
import { demoInvoice, recordPayment, seedCustomers, startPaymentReminder } from '#infra/local/demo.ts';
import type { LocalStack } from '#infra/local/runtime.ts';
import {
  amsterdam,
  customerViews,
  runsOf,
  sentAt,
  simulationStart,
  smsLinkTargets,
  startE2eStack,
} from '../fixtures/e2e.ts';

const payer: CustomerProfile = {
  ...amsterdam,
  id: 'e2e-payer',
  name: { given: 'Pieter', family: 'Jansen' },
  email: 'pieter@example.nl',
  phone: '+31612345670',
};
const emailOnly: CustomerProfile = {
  ...amsterdam,
  id: 'e2e-email-only',
  name: { given: 'Emma', family: 'Bakker' },
  locale: 'en-GB',
  email: 'emma@example.com',
};
const prefersSms: CustomerProfile = {
  ...amsterdam,
  id: 'e2e-prefers-sms',
  name: { given: 'Sem', family: 'Visser' },
  email: 'sem@example.nl',
  phone: '+31612345671',
  preferences: { channel: 'sms' },
};
const unreachable: CustomerProfile = { ...amsterdam, id: 'e2e-unreachable', name: { given: 'Noor' } };
// Started five days before the due date (as the scheduled batch starts runs): the notice comes first.
const early: CustomerProfile = {
  ...amsterdam,
  id: 'e2e-early',
  name: { given: 'Bram' },
  locale: 'en-GB',
  email: 'bram@example.com',
};

const customers = [payer, emailOnly, prefersSms, unreachable, early];
const DAY = 86_400_000;
const earlyDueDate = new Date(simulationStart.getTime() + 5 * DAY).toISOString().slice(0, 10);
const invoiceOf = (customer: CustomerProfile) => ({
  ...demoInvoice(customer, customers.indexOf(customer), simulationStart),
  ...(customer === early ? { dueDate: earlyDueDate } : {}),
});

let stack: LocalStack;
const { readTimelines, timelineOf, emailsTo, smsTo, executionOf } = customerViews(() => stack);
/** The messages sent to the customer, newest first. */
const sentMessages = (customer: CustomerProfile) =>
  timelineOf(customer).filter((e) => e.kind === 'message' && e.outcome === 'sent');

beforeAll(async () => {
  stack = await startE2eStack();
  // The payer's first reminder waits for its 48-hour read check (its Task waits for its token): the
  // payment lands there, before either its SMS fallback or the second reminder.
  const readCheck = stack.engine.pauseAt('FirstReminder', runsOf(payer));
  await seedCustomers(stack, customers);
  for (const customer of customers) {
    const started = await startPaymentReminder(stack, customer.id, invoiceOf(customer));
    expect(started.status, JSON.stringify(started.body)).toBe(201);
  }
  await readCheck.reached(executionOf(payer));
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
});

afterAll(async () => {
  await stack?.stop();
});

describe('payment reminder, end to end on the local runtime', () => {
  it('ends every run successfully, the unreachable one included; the payer’s is stopped at payment', () => {
    const executions = stack.engine.listExecutions();
    expect(executions).toHaveLength(customers.length);
    for (const execution of executions) {
      const paid = JSON.parse(execution.input).customerId === payer.id;
      expect(execution.status, execution.cause).toBe(paid ? 'ABORTED' : 'SUCCEEDED');
    }
  });

  it('sends the payer one email and no second reminder once the invoice is paid', async () => {
    const emails = await emailsTo(payer);
    expect(emails).toHaveLength(1);
    expect(emails[0]?.text).toContain(invoiceOf(payer).payUrl);
    expect(smsTo(payer)).toHaveLength(0);
    expect(sentMessages(payer).map((e) => e.stepId)).toEqual(['first-reminder']);
    expect(timelineOf(payer).some((e) => e.kind === 'event' && e.summary.includes('invoice.paid'))).toBe(
      true,
    );
    expect(
      timelineOf(payer).filter((e) => e.kind === 'journey' && e.outcome === 'goal-reached'),
    ).toHaveLength(1);
  });

  it('reminds the email-only customer by email, in English: friendly, firmer, then a final notice', async () => {
    const emails = await emailsTo(emailOnly);
    expect(emails).toHaveLength(3);
    expect(new Set(emails.map((e) => e.subject)).size).toBe(3);
    expect(emails.at(-1)?.subject).toMatch(/final notice/i);
    expect(emails.every((e) => /invoice|payment/i.test(`${e.subject} ${e.text}`))).toBe(true);
    expect(sentMessages(emailOnly).map((e) => [e.stepId, e.channel, e.locale])).toEqual([
      ['final-notice', 'email', 'en'],
      ['second-reminder', 'email', 'en'],
      ['first-reminder', 'email', 'en'],
    ]);
  });

  it('reminds the customer who prefers SMS by SMS, with the pay link; the firmer reminder deliberately by email', async () => {
    const sms = smsTo(prefersSms);
    expect(sms).toHaveLength(2);
    expect(await smsLinkTargets(stack, sms[0]?.message)).toContain(invoiceOf(prefersSms).payUrl);
    const emails = await emailsTo(prefersSms);
    expect(emails).toHaveLength(1);
    expect(emails[0]?.text).toContain(invoiceOf(prefersSms).payUrl);
    expect(sentMessages(prefersSms).map((e) => [e.stepId, e.channel])).toEqual([
      ['final-notice', 'sms'],
      ['second-reminder', 'email'],
      ['first-reminder', 'sms'],
    ]);
    const reasonsOf = (stepId: string) =>
      timelineOf(prefersSms)
        .filter((e) => e.kind === 'decision' && e.stepId === stepId)
        .flatMap((e) => e.reasons ?? [])
        .join('\n');
    expect(reasonsOf('first-reminder')).toMatch(/sms/i);
    expect(reasonsOf('second-reminder')).toMatch(/supporting channel: not sms/);
  });

  it('keeps the customer’s own channel for the firmer reminder when the supporting one cannot reach them, saying why', () => {
    const decision = timelineOf(emailOnly).find(
      (e) => e.kind === 'decision' && e.stepId === 'second-reminder',
    );
    expect(decision?.channel).toBe('email');
    expect(decision?.reasons?.join('\n')).toMatch(
      /supporting channel sms\/letter\/phone not possible.*customer's channel instead/,
    );
  });

  it('sends a friendly notice before the due date, then the reminder the day after it', async () => {
    const sent = sentMessages(early).reverse();
    expect(sent.map((e) => e.stepId)).toEqual([
      'pre-due-notice',
      'first-reminder',
      'second-reminder',
      'final-notice',
    ]);
    const [notice, reminder] = sent.map((e) => DateTime.fromISO(e.at).setZone(early.timezone));
    expect((notice?.toISODate() ?? '9999') < earlyDueDate).toBe(true);
    expect(reminder?.toISODate()).toBe(DateTime.fromISO(earlyDueDate).plus({ days: 1 }).toISODate());
    const emails = await emailsTo(early);
    expect(emails[0]?.subject).toMatch(/due soon/i);
    expect(emails[0]?.text).toContain(invoiceOf(early).payUrl);
    expect(emails[1]?.subject).toMatch(/reminder/i);
    // Started after the due date: the notice is skipped, with the reason.
    const skipped = timelineOf(emailOnly).find(
      (e) => e.stepId === 'pre-due-notice' && e.outcome === 'skipped',
    );
    expect(skipped?.reasons?.join('\n')).toMatch(/only before dueDate/);
    expect(sentMessages(emailOnly).some((e) => e.stepId === 'pre-due-notice')).toBe(false);
  });

  it('sends every message inside the customer’s day, seven or more days apart, on simulated time', () => {
    for (const customer of [emailOnly, prefersSms]) {
      const [final, second, first] = sentMessages(customer).map((e) =>
        DateTime.fromISO(e.at).setZone(customer.timezone),
      );
      expect(first && second && final).toBeTruthy();
      for (const sent of [first, second, final]) {
        expect(sent?.hour).toBeGreaterThanOrEqual(8);
        expect(sent?.hour).toBeLessThan(21);
      }
      expect((second?.toMillis() ?? 0) - (first?.toMillis() ?? 0)).toBeGreaterThanOrEqual(7 * 86_400_000);
      expect((final?.toMillis() ?? 0) - (second?.toMillis() ?? 0)).toBeGreaterThanOrEqual(7 * 86_400_000);
      expect(first && first >= DateTime.fromJSDate(simulationStart)).toBe(true);
    }
  });

  it('ends the unreachable customer’s steps with recorded reasons, sending nothing', () => {
    const skipped = timelineOf(unreachable).filter((e) => e.outcome === 'skipped');
    expect(skipped.map((e) => e.stepId).sort()).toEqual([
      'first-reminder',
      'pre-due-notice',
      'second-reminder',
    ]);
    expect(skipped.find((e) => e.stepId === 'first-reminder')?.reasons?.join('\n')).toMatch(/email/);
    expect(sentMessages(unreachable)).toHaveLength(0);
  });
});

describe('hand-over to a person', () => {
  const handOversOf = (customer: CustomerProfile) =>
    stack.handOvers.events().filter((h) => h.customerId === customer.id);

  it('hands the unreachable customer over, with a link to the conversation, and records it', () => {
    const [handOver] = handOversOf(unreachable);
    expect(handOver).toMatchObject({ reason: 'unreachable', journeyId: 'payment-reminder' });
    expect(handOver?.subjectId).toBe(invoiceOf(unreachable).id);
    expect(handOver?.conversationUrl).toBe(`${stack.apiUrl}/customers/${unreachable.id}/conversation`);
    const recorded = timelineOf(unreachable).filter((e) => e.outcome === 'escalated');
    expect(recorded).toEqual([expect.objectContaining({ kind: 'journey', runId: handOver?.runId })]);
  });

  it('hands a customer over when the firmer reminder gets no reaction, the payer never', () => {
    for (const customer of [emailOnly, prefersSms, early]) {
      expect(handOversOf(customer).map((h) => h.reason)).toEqual(['no-reaction']);
    }
    expect(handOversOf(payer)).toEqual([]);
  });

  it('links a conversation the contact centre can read over the API', async () => {
    const [handOver] = handOversOf(emailOnly);
    const response = await fetch(handOver?.conversationUrl as string, {
      headers: { authorization: `Bearer ${stack.apiToken}` },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { items: Array<{ kind: string; outcome?: string }> };
    expect(body.items[0]).toMatchObject({ kind: 'journey', outcome: 'escalated' });
  });
});

describe('starting a journey over HTTP', () => {
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${stack.apiUrl}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${stack.apiToken}`,
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('answers a malformed body with 400 naming the failing fields', async () => {
    const response = await post('/journeys/payment-reminder/runs', {
      customerId: payer.id,
      subject: { ...invoiceOf(payer), amount: 'twelve', payUrl: 'http://insecure.example.com' },
    });
    expect(response.status).toBe(400);
    const paths = (response.body.issues as Array<{ path: string }>).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['subject.amount', 'subject.payUrl']));
  });

  it('answers invalid JSON with 400', async () => {
    expect((await post('/journeys/payment-reminder/runs', '{"customerId":')).status).toBe(400);
  });

  it('answers an unknown journey with 404', async () => {
    const response = await post('/journeys/no-such-journey/runs', {
      customerId: payer.id,
      subject: invoiceOf(payer),
    });
    expect(response.status).toBe(404);
  });

  it('answers an unknown customer with 404', async () => {
    const response = await post('/journeys/payment-reminder/runs', {
      customerId: 'nobody',
      subject: invoiceOf(payer),
    });
    expect(response.status).toBe(404);
  });

  it('starts one run for the same idempotency key, and returns that run on a repeat', async () => {
    const request = { customerId: emailOnly.id, subject: { ...invoiceOf(emailOnly), id: 'INV-REPEAT' } };
    const first = await post('/journeys/payment-reminder/runs', request, {
      'Idempotency-Key': 'repeat-key-1',
    });
    const second = await post('/journeys/payment-reminder/runs', request, {
      'Idempotency-Key': 'repeat-key-1',
    });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body.runId).toBe(first.body.runId);
    expect(stack.engine.listExecutions().filter((e) => e.name === 'repeat-key-1')).toHaveLength(1);
    await stack.engine.whenIdle();
  });
});
