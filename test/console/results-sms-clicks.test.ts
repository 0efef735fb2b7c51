/**
 * The console's results page in a real browser shows what a customer did with an SMS: after she
 * follows the pay link of her payment reminder (twice), the funnel's first reminder counts one SMS
 * clicked, with its share of the SMS delivered, as the API's report does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerProfile } from '#core/customer.ts';
import { ResultsReportSchema } from '#core/results-report-schema.ts';
import { callApi, demoInvoice, seedCustomers, startPaymentReminder } from '#infra/local/demo.ts';
import {
  type ConsoleHarness,
  chromiumPath,
  seriousViolations,
  signInAt,
  startConsoleHarness,
} from '../fixtures/console-browser.ts';
import { amsterdam, customerViews, runsOf, shortLinksIn, simulationStart } from '../fixtures/e2e.ts';

const DAY = 86_400_000;
const texter: CustomerProfile = {
  ...amsterdam,
  id: 'console-sms-clicker',
  name: { given: 'Lotte' },
  phone: '+31612345690',
  preferences: { channel: 'sms' },
};
const invoice = demoInvoice(texter, 0, simulationStart);

describe.skipIf(!chromiumPath)('the results page counts SMS clicks (chromium)', () => {
  let harness: ConsoleHarness;
  let release = () => {};

  beforeAll(async () => {
    harness = await startConsoleHarness();
    const { stack } = harness;
    const held = stack.engine.pauseAt('WaitForSecondReminder', runsOf(texter));
    release = () => held.release();
    await seedCustomers(stack, [texter]);
    expect((await startPaymentReminder(stack, texter.id, invoice)).status).toBe(201);
    const { executionOf, smsTo } = customerViews(() => stack);
    await held.reached(executionOf(texter));
    for (const link of shortLinksIn(stack, smsTo(texter)[0]?.message)) {
      const [stored] = await stack.repository.findShortLinks(link.slice(-12));
      if (stored?.link !== 'pay') continue;
      for (const _ of [1, 2]) expect((await fetch(link, { redirect: 'manual' })).status).toBe(302);
    }
  });
  afterAll(async () => {
    release();
    await harness?.stop();
  });

  it('shows the first reminder’s SMS clicked once, as the API’s report counts it', async () => {
    const today = new Date(simulationStart.getTime() + 2 * DAY);
    const from = simulationStart.toISOString().slice(0, 10);
    const to = today.toISOString().slice(0, 10);
    const api = await callApi(
      harness.stack,
      'GET',
      `/journeys/payment-reminder/results?from=${from}&to=${to}&by=step`,
    );
    const sms = ResultsReportSchema.parse(api.body).groups.find((g) => g.key.step === 'first-reminder')
      ?.engagement.sms;
    expect(sms?.clicked).toBe(1);

    const page = await harness.newPage();
    // The page asks for the last days before its own today: the simulation's, not the machine's.
    await page.clock.setFixedTime(today);
    await signInAt(page, `${harness.url}/results`, 'dev-viewer');
    const cell = page.locator('tr[data-step="first-reminder"] td[data-sms-clicked]');
    await cell.waitFor();
    expect(await cell.getAttribute('data-sms-clicked')).toBe('1');
    const rate = sms?.clickRate ?? null;
    expect(await cell.textContent()).toBe(rate === null ? '1' : `1 (${Math.round(rate * 1000) / 10}%)`);
    expect(await page.locator('th', { hasText: 'SMS clicked (of delivered)' }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });
});
