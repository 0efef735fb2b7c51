import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerProfile } from '#core/customer.ts';
import type { TimelineEntry } from '#core/ports.ts';
import { demoInvoice, seedCustomers, startPaymentReminder } from '#infra/local/demo.ts';
import type { StoredEmail } from '#infra/local/emulators/ses.ts';
import type { LocalStack } from '#infra/local/runtime.ts';
import {
  amsterdam,
  customerViews,
  runsOf,
  simulationStart,
  smsLinkTargets,
  startE2eStack,
} from '../fixtures/e2e.ts';

const customer: CustomerProfile = {
  ...amsterdam,
  id: 'e2e-unsubscriber',
  name: { given: 'Lotte', family: 'Smit' },
  email: 'lotte@example.nl',
  phone: '+31612345679',
};

let stack: LocalStack;
let email: StoredEmail | undefined;
let link = '';
let page: { status: number; body: string };
let oneClick: { status: number; body: string };
let timeline: TimelineEntry[] = [];
const { executionOf } = customerViews(() => stack);

beforeAll(async () => {
  stack = await startE2eStack();
  // Held in the seven-day wait: the link is clicked between the reminders.
  const sevenDayWait = stack.engine.pauseAt('WaitForSecondReminder', runsOf(customer));
  await seedCustomers(stack, [customer]);
  const started = await startPaymentReminder(stack, customer.id, demoInvoice(customer, 0, simulationStart));
  expect(started.status).toBe(201);
  await sevenDayWait.reached(executionOf(customer));
  email = (await stack.ses.listEmails()).find((e) => e.to.includes(customer.email ?? ''));
  link = /<(.+)>/.exec(email?.headers.find((h) => h.name === 'List-Unsubscribe')?.value ?? '')?.[1] ?? '';
  const get = await fetch(link, { headers: { 'accept-language': 'nl' } });
  page = { status: get.status, body: await get.text() };
  // What a mail client does for one-click (RFC 8058): POST to the header's address.
  const post = await fetch(link, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'List-Unsubscribe=One-Click',
  });
  oneClick = { status: post.status, body: await post.text() };
  sevenDayWait.release();
  await stack.engine.whenIdle();
  timeline = await stack.repository.listTimeline(customer.id, 100);
});

afterAll(async () => {
  await stack?.stop();
});

describe('unsubscribing from a payment reminder (local stack)', () => {
  it('sends the first reminder by email with List-Unsubscribe headers and the same link in the body', () => {
    expect(email?.headers).toEqual(
      expect.arrayContaining([
        { name: 'List-Unsubscribe', value: `<${link}>` },
        { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
      ]),
    );
    expect(link).toMatch(new RegExp(`^${stack.apiUrl}/unsubscribe\\?token=`));
    expect(email?.text).toContain(link);
  });

  it('shows a confirmation page for the link without unsubscribing', () => {
    expect(page.status).toBe(200);
    expect(page.body).toContain(
      'Wilt u geen berichten over uw facturen en betalingen meer per e-mail ontvangen?',
    );
  });

  it('records the opt-out on one click, and the second reminder goes by SMS instead', async () => {
    expect(oneClick.status).toBe(200);
    const profile = await stack.repository.getCustomer(customer.id);
    expect(profile?.consents).toEqual([
      expect.objectContaining({
        channel: 'email',
        purpose: 'service',
        granted: false,
        source: 'unsubscribe-link',
      }),
    ]);
    const sent = timeline.filter((e) => e.kind === 'message' && e.outcome === 'sent');
    // Only the first reminder went by email; everything after the opt-out goes by SMS.
    const sends = sent.map((e) => `${e.stepId}:${e.channel}`);
    expect(sends).toContain('first-reminder:email');
    expect(sends).toContain('second-reminder:sms');
    expect(sends.filter((s) => s.endsWith(':email'))).toEqual(['first-reminder:email']);
    const decision = timeline.find((e) => e.kind === 'decision' && e.stepId === 'second-reminder');
    expect(decision?.reasons?.join('\n')).toMatch(/opted out of email for service/);
    expect(timeline.some((e) => e.summary === 'opted out of email for service (unsubscribe-link)')).toBe(
      true,
    );
    const sms = stack.sms.messages().find((m) => m.phoneNumber === customer.phone);
    expect(sms?.message).toMatch(new RegExp(`Stop sms: ${stack.apiUrl}/s/`));
    expect(await smsLinkTargets(stack, sms?.message)).toContainEqual(
      expect.stringMatching(new RegExp(`^${stack.apiUrl}/unsubscribe\\?token=`)),
    );
  });
});
