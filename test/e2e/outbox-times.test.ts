import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerProfile } from '#core/customer.ts';
import type { TimelineEntry } from '#core/ports.ts';
import { demoInvoice } from '#infra/local/demo.ts';
import type { LocalStack } from '#infra/local/runtime.ts';
import { amsterdam, simulationStart, startE2eStack, startRuns } from '../fixtures/e2e.ts';

// Two reminders each, days apart: the later ones go out long after the world clock's "now".
const byEmail: CustomerProfile = {
  ...amsterdam,
  id: 'outbox-email',
  name: { given: 'Anna' },
  email: 'anna@example.nl',
};
const bySms: CustomerProfile = {
  ...amsterdam,
  id: 'outbox-sms',
  name: { given: 'Bas' },
  email: 'bas@example.nl',
  phone: '+31612345694',
  preferences: { channel: 'sms' },
};
const DAY_MS = 86_400_000;

let stack: LocalStack;
const sent = new Map<string, TimelineEntry>();

beforeAll(async () => {
  stack = await startE2eStack();
  await startRuns(stack, 'payment-reminder', [byEmail, bySms], (c) =>
    demoInvoice(c, c === byEmail ? 0 : 1, simulationStart),
  );
  await stack.engine.whenIdle();
  for (const customer of [byEmail, bySms])
    for (const entry of await stack.repository.listTimeline(customer.id, 100))
      if (entry.kind === 'message' && entry.outcome === 'sent' && entry.providerMessageId)
        sent.set(entry.providerMessageId, entry);
});

afterAll(async () => {
  await stack?.stop();
});

describe('the outboxes show when a run sent each message on its simulated clock, and to which customer', () => {
  it('every email carries the sending run’s time and the customer id', async () => {
    const emails = await stack.ses.listEmails();
    expect(emails.length).toBeGreaterThan(1);
    for (const email of emails) {
      const entry = sent.get(email.messageId);
      expect(entry, `email ${email.messageId} in the conversation`).toBeDefined();
      expect(email).toMatchObject({ sentAt: entry?.at, customerId: entry?.customerId });
    }
    // A later reminder went out days into the journey, which the emulator's own clock cannot know.
    const latest = Math.max(...emails.map((e) => Date.parse(e.sentAt ?? '')));
    expect(latest - stack.clock.worldNow().getTime()).toBeGreaterThan(DAY_MS);
  });

  it('every SMS carries the sending run’s time and the customer id, in the list and on the outbox page', async () => {
    const messages = stack.sms.messages();
    expect(messages.length).toBeGreaterThan(1);
    for (const sms of messages) {
      const entry = sent.get(sms.messageId);
      expect(entry, `SMS ${sms.messageId} in the conversation`).toBeDefined();
      expect(sms).toMatchObject({ sentAt: entry?.at, customerId: bySms.id });
    }
    const latest =
      messages
        .map((m) => m.sentAt ?? '')
        .sort()
        .at(-1) ?? '';
    expect(Date.parse(latest) - stack.clock.worldNow().getTime()).toBeGreaterThan(DAY_MS);
    const page = await (await fetch(`${stack.smsUrl}/`)).text();
    expect(page).toContain(`<td>${latest}</td><td>${bySms.id}</td><td>${bySms.phone}</td>`);
  });
});
