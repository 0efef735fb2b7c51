/**
 * Delivery you can trust, end to end on the local runtime: the same ASL, handlers and feedback
 * handlers as on AWS; provider faults come from the local providers (`faults`), crashes from
 * wrapping the send claims.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerProfile } from '#core/customer.ts';
import type { IdempotencyRepository, SmsSender, TimelineEntry } from '#core/ports.ts';
import { CustomerExportSchema } from '#handlers/export-customer.ts';
import { ConversationResponseSchema } from '#handlers/get-conversation.ts';
import { callApi, demoInvoice, replyBySms, seedCustomers, startPaymentReminder } from '#infra/local/demo.ts';
import { SES_SIMULATOR } from '#infra/local/feedback-loop.ts';
import type { LocalExecution } from '#infra/local/journey-engine.ts';
import type { LocalStack } from '#infra/local/runtime.ts';
import { amsterdam, customerViews, simulationStart, startE2eStack } from '../fixtures/e2e.ts';
import { firstReminderArm } from '../fixtures/experiments.ts';

const crash: CustomerProfile = { ...amsterdam, id: 'e2e-crash', email: 'crash@example.nl' };
const bounce: CustomerProfile = {
  ...amsterdam,
  id: 'e2e-bounce',
  email: SES_SIMULATOR.bounce,
  phone: '+31611100001',
};
const complaint: CustomerProfile = {
  ...amsterdam,
  id: 'e2e-complaint',
  email: SES_SIMULATOR.complaint,
  phone: '+31611100002',
};
const stop: CustomerProfile = {
  ...amsterdam,
  id: 'e2e-stop',
  email: 'stop@example.nl',
  phone: '+31611100003',
  preferences: { channel: 'sms' },
};
const rejected: CustomerProfile = {
  ...amsterdam,
  id: 'e2e-rejected',
  email: 'rejected@example.nl',
  phone: '+31611100004',
};
const throttled: CustomerProfile = { ...amsterdam, id: 'e2e-throttled', email: 'throttled@example.nl' };
const unread: CustomerProfile = {
  ...amsterdam,
  id: 'e2e-unread',
  email: 'unread@example.nl',
  phone: '+31611100005',
};
const reader: CustomerProfile = {
  ...amsterdam,
  id: 'e2e-reader',
  email: 'reader@example.nl',
  phone: '+31611100006',
};
const customers = [crash, bounce, complaint, stop, rejected, throttled, unread, reader];
const invoiceOf = (customer: CustomerProfile, run = 0) =>
  demoInvoice(customer, customers.indexOf(customer) + 100 * run, simulationStart);

// Provider faults come from the local SES itself, in SES's own wire shapes; the crash between the
// provider call and its record wraps the send claims (dependency injection, no test-only code path).
let crashes = 0;
const providerFaults = [
  `email:refuse:to=${rejected.email}`,
  `email:throttle:to=${throttled.email}:first=2`,
].join(',');
const crashAfterProviderAccepted = (claims: IdempotencyRepository): IdempotencyRepository => ({
  claimSend: (customerId, key, at) => claims.claimSend(customerId, key, at),
  releaseSend: (customerId, key, claimId) => claims.releaseSend(customerId, key, claimId),
  settleUnanswered: (customerId, record, expected) => claims.settleUnanswered(customerId, record, expected),
  retakeSend: (customerId, key, attempt, at) => claims.retakeSend(customerId, key, attempt, at),
  completeSend: async (customerId, record) => {
    // The Lambda dies after SES accepted the email and before the send is recorded.
    if (customerId === crash.id && record.status === 'sent' && crashes === 0) {
      crashes += 1;
      throw new Error('simulated crash between the provider call and its record');
    }
    return claims.completeSend(customerId, record);
  },
});
// The SMS-first customer answers the first reminder with STOP as soon as it arrives: on AWS seconds
// later, here before the journey moves on, so the run is the same every time.
let stopReplies = 0;
const customerRepliesStop = (sms: SmsSender): SmsSender => ({
  linksEvents: sms.linksEvents,
  providerName: sms.providerName,
  sendSms: async (message) => {
    const sent = await sms.sendSms(message);
    if (message.to === stop.phone && stopReplies === 0) {
      stopReplies += 1;
      await stack.receiveSms(message.to, 'Stop');
    }
    return sent;
  },
});

let stack: LocalStack;
const executionOf = (customerId: string, run = 0): LocalExecution => {
  const execution = stack.engine
    .listExecutions()
    .find(
      (e) =>
        e.name.startsWith(`${customerId}-`) && e.name.endsWith(invoiceOf(customersById(customerId), run).id),
    );
  if (!execution) throw new Error(`no execution for ${customerId} run ${run}`);
  return execution;
};
const customersById = (id: string) => customers.find((c) => c.id === id) as CustomerProfile;
const timeline = (customerId: string) => stack.repository.listTimeline(customerId, 200);
const { emailsTo, smsTo } = customerViews(() => stack);
const entries = (all: TimelineEntry[], filter: Partial<TimelineEntry>) =>
  all.filter((e) => Object.entries(filter).every(([k, v]) => e[k as keyof TimelineEntry] === v));

beforeAll(async () => {
  stack = await startE2eStack({
    emailOpeners: [reader.email as string],
    faults: providerFaults,
    wrap: { idempotency: crashAfterProviderAccepted, sms: customerRepliesStop },
  });
  await seedCustomers(stack, customers);
  for (const customer of customers) {
    const started = await startPaymentReminder(stack, customer.id, invoiceOf(customer));
    expect(started.status, JSON.stringify(started.body)).toBe(201);
  }
  await stack.engine.whenIdle();
});

afterAll(async () => {
  await stack?.stop();
});

describe('never twice', () => {
  it('sends exactly one email when the send step crashes after the provider accepted it', async () => {
    expect(crashes).toBe(1);
    // The first reminder once (a second copy would share its subject), then the firmer one and the final notice.
    const emails = await emailsTo(crash);
    expect(emails.filter((e) => e.subject === emails[0]?.subject)).toHaveLength(1);
    expect(emails).toHaveLength(3);
    const execution = executionOf(crash.id);
    expect(execution.status, execution.cause).toBe('SUCCEEDED');
    // Step Functions ran the send task again; that attempt found the claim and sent nothing. The first
    // Task is the first reminder (the notice is recorded as skipped: the invoice is overdue), in the run's planned slot.
    expect(execution.retries).toContain('FirstReminder');
    // SES's events name the send (its tags): they linked the unrecorded claim, so the retry found it sent.
    const first = entries(await timeline(crash.id), { kind: 'message', stepId: 'first-reminder' });
    expect(first).toHaveLength(1);
    expect(first[0]?.outcome).toBe('sent');
    expect(first[0]?.providerMessageId).toBe(emails[0]?.messageId);
  });

  it('defers a throttled send a few minutes (no retry, no failure) and sends it once', async () => {
    expect(stack.faults.injected().filter((f) => f.kind === 'throttle')).toHaveLength(2);
    const execution = executionOf(throttled.id);
    // Klantreis.NotYet each time the provider throttled: the step's Catch waits and visits again.
    expect(execution.retries.filter((s) => s === 'FirstReminder')).toHaveLength(0);
    expect(
      execution.statesEntered.filter((s) => s === 'WaitAgainFirstReminder').length,
    ).toBeGreaterThanOrEqual(2);
    expect(execution.statesEntered).not.toContain('HandOverFailed');
    const firstReminders = entries(await timeline(throttled.id), {
      kind: 'message',
      stepId: 'first-reminder',
    });
    expect(firstReminders.map((e) => e.outcome)).toEqual(['sent']);
    // First and second reminder: one email each.
    expect(await emailsTo(throttled)).toHaveLength(3);
  });
});

describe('fallback on failure', () => {
  it('takes the supporting channel at once when SES refuses the email, with the reason in the timeline', async () => {
    const all = await timeline(rejected.id);
    const failed = entries(all, { kind: 'message', stepId: 'first-reminder', outcome: 'failed' });
    expect(failed[0]?.reasons?.join('\n')).toMatch(/refused by SES.*MessageRejected/);
    const fallback = entries(all, { kind: 'message', stepId: 'first-reminder-fallback', outcome: 'sent' });
    expect(fallback.map((e) => e.channel)).toEqual(['sms']);
    const decision = entries(all, { kind: 'decision', stepId: 'first-reminder-fallback' })[0];
    expect(decision?.reasons?.[0]).toMatch(/MessageRejected/);
    expect(await emailsTo(rejected)).toHaveLength(0);
  });

  it('sends the SMS when the email is not opened within 48 hours, and not when it is', async () => {
    const unreadTimeline = await timeline(unread.id);
    const email = entries(unreadTimeline, { kind: 'message', stepId: 'first-reminder', outcome: 'sent' })[0];
    const sms = entries(unreadTimeline, {
      kind: 'message',
      stepId: 'first-reminder-fallback',
      outcome: 'sent',
    })[0];
    expect(sms?.channel).toBe('sms');
    expect(Date.parse(sms?.at ?? '') - Date.parse(email?.at ?? '')).toBeGreaterThanOrEqual(48 * 3600_000);
    const decision = entries(unreadTimeline, { kind: 'decision', stepId: 'first-reminder-fallback' })[0];
    expect(decision?.reasons?.[0]).toBe('first reminder email not opened within 48 hours');
    expect(entries(unreadTimeline, { kind: 'delivery', outcome: 'delivered' }).length).toBeGreaterThan(0);

    // Read: no fallback SMS; the firmer reminder goes deliberately by SMS (the supporting channel).
    const readerTimeline = await timeline(reader.id);
    expect(entries(readerTimeline, { kind: 'delivery', outcome: 'opened' })).toHaveLength(2);
    expect(entries(readerTimeline, { stepId: 'first-reminder-fallback' })).toHaveLength(0);
    expect(smsTo(reader)).toHaveLength(1);
    expect(entries(readerTimeline, { kind: 'message', outcome: 'sent', channel: 'sms' })[0]?.stepId).toBe(
      'second-reminder',
    );
    // The open completed the first reminder's callback Task: straight to the firmer reminder's wait, no
    // read-check visit; the unread email's Task timed out into the read check.
    const pathOf = (customerId: string) =>
      stack.engine
        .listExecutions()
        .find(
          (e) =>
            e.stateMachineArn === stack.journeyArns['payment-reminder'] &&
            JSON.parse(e.input).customerId === customerId,
        )
        ?.statesEntered.join(' → ') ?? '';
    expect(pathOf(reader.id)).toContain('FirstReminder → WaitForSecondReminder');
    expect(pathOf(reader.id)).not.toContain('FirstReminderUnread');
    expect(pathOf(unread.id)).toContain('FirstReminder → FirstReminderUnread → WaitForSecondReminder');
  });

  it('feeds opens into the behaviour events the decision core reads', async () => {
    const events = await stack.repository.listEvents(reader.id, simulationStart);
    expect(events.filter((e) => e.type === 'email.opened')).toHaveLength(2);
  });
});

describe('feedback', () => {
  it('suppresses a hard-bounced address: the next journey skips it with a reason and uses SMS', async () => {
    const bounced = entries(await timeline(bounce.id), { kind: 'delivery', outcome: 'bounced' });
    expect(bounced[0]?.reasons?.join('\n')).toMatch(/hard bounce.*suppressed/);
    expect(await stack.repository.isSuppressed('email', bounce.email as string)).toBe(true);
    const emailsBefore = (await emailsTo(bounce)).length;

    const next = await startPaymentReminder(stack, bounce.id, invoiceOf(bounce, 1));
    expect(next.status).toBe(201);
    await stack.engine.whenIdle();
    const runId = String(next.body.runId);
    const all = await timeline(bounce.id);
    const decision = all.find(
      (e) => e.kind === 'decision' && e.runId === runId && e.stepId === 'first-reminder',
    );
    expect(decision?.channel).toBe('sms');
    expect(decision?.reasons).toContain('email dropped: address suppressed');
    const sent = all.filter((e) => e.kind === 'message' && e.runId === runId && e.outcome === 'sent');
    expect(sent.map((e) => e.channel)).toEqual(['sms', 'sms', 'sms']);
    expect(await emailsTo(bounce)).toHaveLength(emailsBefore);
  });

  it('suppresses a complaining address and records an email opt-out, escalating to a person', async () => {
    expect(await stack.repository.isSuppressed('email', complaint.email as string)).toBe(true);
    const profile = await stack.repository.getCustomer(complaint.id);
    expect(profile?.consents).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          channel: 'email',
          purpose: 'service',
          granted: false,
          source: 'ses-complaint',
        }),
      ]),
    );
    const all = await timeline(complaint.id);
    expect(entries(all, { kind: 'delivery', outcome: 'complained' })[0]?.reasons?.join('\n')).toMatch(
      /escalate/,
    );
    const complaints = stack.handOvers
      .events()
      .filter((h) => h.customerId === complaint.id && h.reason === 'complaint');
    expect(complaints).toEqual([expect.objectContaining({ journeyId: 'payment-reminder' })]);
    expect(
      entries(all, { kind: 'journey', outcome: 'escalated' }).some((e) => e.summary.includes('(complaint)')),
    ).toBe(true);
    // The second reminder no longer uses email.
    expect(entries(all, { kind: 'message', stepId: 'second-reminder', outcome: 'sent' })[0]?.channel).toBe(
      'sms',
    );
  });

  it('honours STOP by SMS at once: no further SMS, the firmer reminder and the final notice go by email', async () => {
    expect(stopReplies).toBe(1);
    expect(smsTo(stop)).toHaveLength(1);
    const all = await timeline(stop.id);
    const reply = entries(all, { kind: 'reply' })[0];
    expect(reply?.outcome).toBe('opted-out');
    expect(reply?.reasons?.[0]).toMatch(/STOP: opted out of SMS at once/);
    const final = entries(all, { kind: 'decision', stepId: 'final-notice' })[0];
    expect(final?.reasons).toContain('sms dropped: opted out of sms for service');
    expect(entries(all, { kind: 'message', stepId: 'second-reminder', outcome: 'sent' })[0]?.channel).toBe(
      'email',
    );
    expect(entries(all, { kind: 'message', stepId: 'final-notice', outcome: 'sent' })[0]?.channel).toBe(
      'email',
    );
    expect(await stack.repository.isSuppressed('sms', stop.phone as string)).toBe(true);
  });

  it('puts any other SMS reply in the conversation, marked for a person, and counts it as a reply', async () => {
    const result = await replyBySms(stack, reader.phone as string, 'Ik heb gisteren al betaald, klopt dat?');
    expect(result.body).toEqual({ handled: ['reply'] });
    const reply = entries(await timeline(reader.id), { kind: 'reply' })[0];
    expect(reply).toMatchObject({ outcome: 'escalated', channel: 'sms' });
    expect(reply?.body?.text).toContain('betaald');
    const events = await stack.repository.listEvents(reader.id, simulationStart);
    expect(events.map((e) => e.type)).toContain('sms.replied');
    expect(await stack.repository.isSuppressed('sms', reader.phone as string)).toBe(false);
    const handOver = stack.handOvers.events().find((h) => h.customerId === reader.id && h.reason === 'reply');
    expect(handOver?.conversationUrl).toBe(`${stack.apiUrl}/customers/${reader.id}/conversation`);
    expect(JSON.stringify(handOver)).not.toContain('betaald');
  });
});

describe('GET /customers/{customerId}/conversation', () => {
  const get = (path: string) => callApi(stack, 'GET', path);

  it('returns the whole conversation newest first, page by page, each entry once', async () => {
    const pages: Array<Record<string, unknown>>[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `limit=3&cursor=${encodeURIComponent(cursor)}` : 'limit=3';
      const page = await get(`/customers/${bounce.id}/conversation?${query}`);
      expect(page.status).toBe(200);
      pages.push(page.body.items as Array<Record<string, unknown>>);
      cursor = page.body.nextCursor as string | null;
    } while (cursor && pages.length < 50);
    const items = pages.flat();
    const everything = await timeline(bounce.id);
    expect(items.map((i) => i.id)).toEqual(everything.map((e) => e.id));
    expect(pages.slice(0, -1).every((p) => p.length === 3)).toBe(true);
    const times = items.map((i) => String(i.at));
    expect([...times].sort().reverse()).toEqual(times);
    expect([...new Set(items.map((i) => String(i.kind)))]).toEqual(
      expect.arrayContaining(['journey', 'decision', 'message', 'delivery']),
    );
  });

  it('shows each message with channel, template, tone, locale, send time, provider id and body', async () => {
    const { body } = await get(`/customers/${unread.id}/conversation?limit=100`);
    const message = (body.items as Array<Record<string, unknown>>).find(
      (i) => i.kind === 'message' && i.stepId === 'first-reminder',
    );
    // The first reminder's experiment: the text of the customer's arm (control: the segment's tone), recorded.
    const arm = firstReminderArm(unread.id);
    expect(message).toMatchObject({
      channel: 'email',
      templateId: 'payment-reminder',
      tone: arm.variant ?? 'friendly',
      experimentId: 'first-reminder-text',
      arm: arm.id,
      locale: 'nl',
      outcome: 'sent',
      providerMessageId: expect.any(String),
      body: { subject: expect.any(String), text: expect.stringContaining('pay.example.com') },
    });
    expect(Number.isNaN(Date.parse(String(message?.at)))).toBe(false);
  });

  it('answers a tampered cursor with 400 and an unknown customer with 404', async () => {
    expect((await get(`/customers/${bounce.id}/conversation?cursor=bm90LWEtY3Vyc29y`)).status).toBe(400);
    expect((await get(`/customers/${bounce.id}/conversation?limit=0`)).status).toBe(400);
    expect((await get('/customers/nobody/conversation')).status).toBe(404);
  });

  it('answers the conversation and the GDPR export with the provider feedback, in their documented shapes', async () => {
    const conversation = await get(`/customers/${complaint.id}/conversation?limit=100`);
    expect(ConversationResponseSchema.safeParse(conversation.body).error).toBeUndefined();
    const exported = await callApi(stack, 'GET', `/customers/${complaint.id}/export`);
    expect(exported.status).toBe(200);
    expect(CustomerExportSchema.safeParse(exported.body).error).toBeUndefined();
    expect(exported.body.sends).toEqual(
      expect.arrayContaining([expect.objectContaining({ deliveryStatus: 'complained' })]),
    );
    const timelineOutcomes = (exported.body.timeline as Array<{ kind: string; outcome?: string }>).map(
      (e) => `${e.kind}:${e.outcome}`,
    );
    expect(timelineOutcomes).toContain('delivery:complained');
    expect(JSON.stringify((exported.body.profile as { consents?: unknown }).consents)).toContain(
      'ses-complaint',
    );
  });

  it('refuses a caller without the development credential: a conversation is personal data', async () => {
    const response = await fetch(`${stack.apiUrl}/customers/${bounce.id}/conversation`);
    expect(response.status).toBe(401);
    expect(JSON.stringify(await response.json())).not.toContain('pay.example.com');
  });
});

describe('least privilege', () => {
  it('keeps every handler of these runs within the table grants of its catalog entry', () => {
    expect(stack.tableAccessDenied).toEqual([]);
  });
});
