import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerProfile } from '#core/customer.ts';
import type { TimelineEntry } from '#core/ports.ts';
import { type FunnelGroup, ResultsReportSchema } from '#core/results-report-schema.ts';
import { runResults } from '#infra/cli/results.ts';
import { callApi, demoInvoice, seedCustomers, startPaymentReminder } from '#infra/local/demo.ts';
import type { LocalStack } from '#infra/local/runtime.ts';
import {
  amsterdam,
  customerViews,
  runsOf,
  shortLinksIn,
  simulationStart,
  startE2eStack,
} from '../fixtures/e2e.ts';

// Two customers who prefer SMS, one Dutch and one English: their first payment reminder goes by SMS.
const dutch: CustomerProfile = {
  ...amsterdam,
  id: 'e2e-short-links-nl',
  name: { given: 'Daan', family: 'Mulder' },
  phone: '+31612345681',
  preferences: { channel: 'sms' },
};
const english: CustomerProfile = {
  ...amsterdam,
  id: 'e2e-short-links-en',
  name: { given: 'Ella', family: 'Wright' },
  locale: 'en-GB',
  phone: '+31612345682',
  preferences: { channel: 'sms' },
};
const customers = [dutch, english];
const invoiceOf = (customer: CustomerProfile) =>
  demoInvoice(customer, customers.indexOf(customer), simulationStart);
const DAY = 86_400_000;

let stack: LocalStack;
let release: () => void = () => {};
const { executionOf, smsTo } = customerViews(() => stack);

/** The first reminder's text the customer got. */
const firstSmsOf = (customer: CustomerProfile) => smsTo(customer)[0]?.message ?? '';

/** Returns the short link of the SMS that the stack stored for `target`. */
async function shortLinkTo(customer: CustomerProfile, target: string): Promise<string> {
  for (const link of shortLinksIn(stack, firstSmsOf(customer))) {
    const [stored] = await stack.repository.findShortLinks(link.slice(-12));
    if (stored?.target === target) return link;
  }
  throw new Error(`no short link to ${target} in the SMS of ${customer.id}`);
}

const visit = async (url: string, headers: Record<string, string> = {}) => {
  const answer = await fetch(url, { redirect: 'manual', headers });
  return {
    status: answer.status,
    location: answer.headers.get('location'),
    type: answer.headers.get('content-type'),
    body: await answer.text(),
  };
};

const FROM = simulationStart.toISOString().slice(0, 10);
const TO = new Date(simulationStart.getTime() + 90 * DAY).toISOString().slice(0, 10);

/** The first reminder's SMS in the journey's results report, by step and channel, as the console reads it. */
async function firstReminderSmsResults(): Promise<FunnelGroup | undefined> {
  const answer = await callApi(
    stack,
    'GET',
    `/journeys/payment-reminder/results?from=${FROM}&to=${TO}&by=step,channel`,
  );
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return ResultsReportSchema.parse(answer.body).groups.find(
    (g) => g.key.step === 'first-reminder' && g.key.channel === 'sms',
  );
}

/** The cells of the first reminder's SMS row in `npx klantreis results`, by column header. */
async function firstReminderSmsPrinted(): Promise<Record<string, string>> {
  const out: string[] = [];
  const args = ['--journey', 'payment-reminder', '--from', FROM, '--to', TO, '--by', 'step,channel'];
  const code = await runResults(
    [...args, '--api', stack.apiUrl, '--token', stack.apiToken],
    { out: (t) => out.push(t), err: (t) => out.push(`error: ${t}`) },
    { env: {} },
  );
  expect(code, out.join('\n')).toBe(0);
  const lines = out.join('\n').split('\n');
  const headerAt = lines.findIndex((line) => line.startsWith('step'));
  const cells = (line: string) => line.trim().split(/\s{2,}/);
  const header = cells(lines[headerAt] ?? '');
  const row = lines.slice(headerAt + 2).find((line) => /^first-reminder\s+sms\s/.test(line)) ?? '';
  return Object.fromEntries(header.map((name, i) => [name, cells(row)[i] ?? '']));
}

const clicksIn = (items: TimelineEntry[]) =>
  items.filter((e) => e.kind === 'delivery' && e.channel === 'sms' && e.outcome === 'clicked');

beforeAll(async () => {
  stack = await startE2eStack();
  // Held between the reminders: the links are followed while the run waits.
  const secondReminder = stack.engine.pauseAt('WaitForSecondReminder', runsOf(...customers));
  release = () => secondReminder.release();
  await seedCustomers(stack, customers);
  for (const customer of customers) {
    const started = await startPaymentReminder(stack, customer.id, invoiceOf(customer));
    expect(started.status).toBe(201);
  }
  for (const customer of customers) await secondReminder.reached(executionOf(customer));
});

afterAll(async () => {
  release();
  await stack?.stop();
});

describe('short links in an SMS (local stack)', () => {
  it('sends the payment reminder SMS with short links on the local API only, no full URL', () => {
    for (const customer of customers) {
      const text = firstSmsOf(customer);
      const urls = text.match(/https?:\/\/\S+/g) ?? [];
      expect(urls.length).toBeGreaterThan(0);
      expect(shortLinksIn(stack, text)).toEqual(urls);
      expect(text).not.toContain(invoiceOf(customer).payUrl);
    }
  });

  it('redirects the pay link to the invoice’s pay URL, and records the click once in the conversation and as an event', async () => {
    const payUrl = invoiceOf(dutch).payUrl;
    const link = await shortLinkTo(dutch, payUrl);
    const first = await visit(link);
    const again = await visit(link);
    expect([first.status, first.location]).toEqual([302, payUrl]);
    expect([again.status, again.location]).toEqual([302, payUrl]);

    const conversation = await callApi(stack, 'GET', `/customers/${dutch.id}/conversation?limit=100`);
    expect(conversation.status).toBe(200);
    const clicks = clicksIn((conversation.body as { items: TimelineEntry[] }).items);
    expect(clicks).toEqual([
      expect.objectContaining({
        stepId: 'first-reminder',
        journeyId: 'payment-reminder',
        summary: 'payment-reminder/first-reminder: sms clicked (pay)',
      }),
    ]);
    const events = await stack.repository.listEvents(dutch.id, new Date(simulationStart.getTime() - DAY));
    expect(events.filter((e) => e.type === 'sms.clicked')).toEqual([
      expect.objectContaining({ data: { channel: 'sms', link: 'pay' } }),
    ]);
  });

  it('counts the click once for the SMS in the results report, as the console and `npx klantreis results` show it', async () => {
    const group = await firstReminderSmsResults();
    // Two SMS went out; Daan followed his pay link twice: one message clicked.
    expect(group?.counts.sent).toBe(2);
    expect(group?.counts.clicked).toBe(1);
    expect(group?.engagement.sms.clicked).toBe(1);
    const delivered = group?.engagement.sms.delivered ?? 0;
    expect(group?.engagement.sms.clickRate).toBe(delivered > 0 ? 1 / delivered : null);
    const printed = await firstReminderSmsPrinted();
    expect(printed['sms clicked']).toBe('1');
    expect(printed.clicked).toBe('1');
  });

  it('answers a code nobody stored, or a malformed one, with a plain 404 page', async () => {
    const unknown = await visit(`${stack.apiUrl}/s/AAAAAAAAAAAA`, { 'accept-language': 'nl' });
    expect(unknown.status).toBe(404);
    expect(unknown.type).toMatch(/^text\/html/);
    expect(unknown.body).toContain('Deze link werkt niet');
    const malformed = await visit(`${stack.apiUrl}/s/short`);
    expect(malformed.status).toBe(404);
    expect(malformed.body).toContain('This link does not work');
  });

  it('leads each customer’s links to their own targets only', async () => {
    const payUrls = customers.map((customer) => invoiceOf(customer).payUrl);
    expect(new Set(payUrls).size).toBe(2);
    const links = await Promise.all(
      customers.map((customer, i) => shortLinkTo(customer, payUrls[i] as string)),
    );
    expect(new Set(links).size).toBe(2);
    for (const [i, customer] of customers.entries()) {
      for (const link of shortLinksIn(stack, firstSmsOf(customer))) {
        const stored = await stack.repository.findShortLinks(link.slice(-12));
        expect(stored.map((s) => s.customerId)).toEqual([customer.id]);
      }
      expect((await visit(links[i] as string)).location).toBe(payUrls[i]);
    }
  });

  it('answers an expired link with a 410 page in the message’s language; a link that lives longer still redirects', async () => {
    release();
    await stack.engine.whenIdle();
    stack.clock.advanceWorld(61 * DAY);
    const dutchPay = await visit(await shortLinkTo(dutch, invoiceOf(dutch).payUrl), {
      'accept-language': 'en',
    });
    expect(dutchPay.status).toBe(410);
    expect(dutchPay.body).toContain('<html lang="nl">');
    expect(dutchPay.body).toContain('Deze link is verlopen');
    const englishPay = await visit(await shortLinkTo(english, invoiceOf(english).payUrl), {
      'accept-language': 'nl',
    });
    expect(englishPay.status).toBe(410);
    expect(englishPay.body).toContain('This link has expired');
    // The unsubscribe link works as long as its token (180 days).
    const stored = await Promise.all(
      shortLinksIn(stack, firstSmsOf(dutch)).map(async (link) => ({
        link,
        stored: (await stack.repository.findShortLinks(link.slice(-12)))[0],
      })),
    );
    const unsubscribe = stored.find((s) => s.stored?.link === 'unsubscribe');
    expect(unsubscribe).toBeDefined();
    const followed = await visit(unsubscribe?.link as string);
    expect(followed.status).toBe(302);
    expect(followed.location).toMatch(new RegExp(`^${stack.apiUrl}/unsubscribe\\?token=`));
  });

  it('counts each customer’s SMS clicked once in the results, and a visit of the unsubscribe link as no click', async () => {
    // Both followed their pay link (Daan three times), and Daan his unsubscribe link too.
    const group = await firstReminderSmsResults();
    expect(group?.counts.clicked).toBe(2);
    expect(group?.engagement.sms.clicked).toBe(2);
    expect((await firstReminderSmsPrinted())['sms clicked']).toBe('2');
  });
});
