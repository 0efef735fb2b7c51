/**
 * The communication team's and the operators' pages in a real browser against the local runtime:
 * the journey counts on the page equal the API's, every page has no serious or critical axe-core
 * violation, in Dutch and English, and at 375 px wide nothing scrolls sideways.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '#adapters/policy-file.ts';
import type { JourneysResponse } from '#application/api/journeys.ts';
import type { CustomerProfile } from '#core/customer.ts';
import { assignArm, type Experiment } from '#core/experiment.ts';
import { callApi, demoInvoice, seedCustomers, startPaymentReminder } from '#infra/local/demo.ts';
import {
  type ConsoleHarness,
  chromiumPath,
  horizontalOverflow,
  seriousViolations,
  signInAt,
  startConsoleHarness,
} from '../fixtures/console-browser.ts';
import { amsterdam, runsOf, simulationStart } from '../fixtures/e2e.ts';

if (!chromiumPath) {
  console.warn(
    'console browser test skipped: no `chromium` on PATH (apt-get install -y chromium, as .ci/run does)',
  );
}

const customer = (id: string, given: string): CustomerProfile => ({
  ...amsterdam,
  id,
  name: { given },
  email: `${given.toLowerCase()}@example.nl`,
});

/** The payment reminder's demo experiment at its first reminder, as its state machine configures it. */
const demoExperiment: Experiment = {
  id: 'first-reminder-text',
  arms: [
    { id: 'control', weight: 45 },
    { id: 'direct', weight: 45, variant: 'direct' },
    { id: 'holdout', weight: 10, holdout: true },
  ],
};
/** The first customer ids `team-0`, `team-1`, … the experiment puts in each arm, so every arm has a run. */
function oneCustomerPerArm(): string[] {
  const byArm = new Map<string, string>();
  for (let i = 0; byArm.size < demoExperiment.arms.length; i++) {
    const id = `team-${i}`;
    const arm = assignArm(demoExperiment, id).arm.id;
    if (!byArm.has(arm)) byArm.set(arm, id);
  }
  return demoExperiment.arms.map((arm) => byArm.get(arm.id) as string);
}
const waiting = oneCustomerPerArm().map((id, i) => customer(id, ['Anouk', 'Bas', 'Cas'][i] as string));

describe.skipIf(!chromiumPath)('the team’s and the operators’ pages (chromium)', () => {
  let harness: ConsoleHarness;
  const holds: Array<{ release(): void }> = [];

  beforeAll(async () => {
    harness = await startConsoleHarness();
    const { stack } = harness;
    // Held in their seven-day wait, so the counts stand still while the page reads them.
    const secondWait = stack.engine.pauseAt('WaitForSecondReminder', runsOf(...waiting));
    holds.push(secondWait);
    await seedCustomers(stack, waiting);
    for (const [i, c] of waiting.entries()) {
      expect((await startPaymentReminder(stack, c.id, demoInvoice(c, i, simulationStart))).status).toBe(201);
    }
    const executions = stack.engine.listExecutions();
    await Promise.all(executions.map((e) => secondWait.reached(e)));
  });
  afterAll(async () => {
    for (const hold of holds) hold.release();
    await harness?.stop();
  });

  it('shows each journey’s counts per state as the API counts them', async () => {
    const api = (await callApi(harness.stack, 'GET', '/journeys')).body as unknown as JourneysResponse;
    const page = await harness.newPage();
    await signInAt(page, `${harness.url}/journeys`, 'dev-viewer');
    const payment = page.locator('[data-journey="payment-reminder"]');
    await payment.locator('tr[data-state="WaitForSecondReminder"]').waitFor();
    for (const journey of api.journeys) {
      const rows = page.locator(`[data-journey="${journey.journeyId}"] tbody tr[data-state]`);
      const onPage: Record<string, number> = {};
      for (const row of await rows.all()) {
        const state = (await row.getAttribute('data-state')) as string;
        onPage[state] = Number(await row.locator('td.count').getAttribute('data-running'));
      }
      expect(onPage).toEqual(Object.fromEntries(journey.states.map((s) => [s.name, s.running])));
    }
    expect(api.journeys.find((j) => j.journeyId === 'payment-reminder')?.running).toBe(waiting.length);
    // The step's config opens from the list, by keyboard.
    const config = payment.locator('tr[data-state="SecondReminder"] details summary');
    await config.focus();
    await page.keyboard.press('Enter');
    expect(await payment.locator('tr[data-state="SecondReminder"] dl.config').textContent()).toContain(
      'payment-reminder',
    );
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('lists the runs held past their wake on the operators’ page, each with a link to its run', async () => {
    await harness.stack.advanceTime(8 * 86_400_000);
    const page = await harness.newPage({ locale: 'nl-NL' });
    await signInAt(page, `${harness.url}/operations`, 'dev-viewer');
    const rows = page.locator('table[data-operations="waiting-long"] tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(waiting.length);
    const link = rows.first().locator('a[href^="/api/runs/"]');
    expect(await link.count()).toBe(1);
    // The local runtime keeps no dead-letter queues: the page says so plainly.
    await page.getByText(/geen dead-letter-queues/).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('shows the results page with the journey’s funnel and experiments, without violations', async () => {
    const page = await harness.newPage();
    await signInAt(page, `${harness.url}/results`, 'dev-viewer');
    await page.locator('#results-journey').waitFor();
    await page
      .getByText(/Funnel per step|No results recorded/)
      .first()
      .waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('shows the payment reminder’s demo experiment with its control, direct and holdout arms', async () => {
    const page = await harness.newPage();
    // The page asks for the last days before its own today: the simulation's, not the machine's.
    await page.clock.setFixedTime(new Date(simulationStart.getTime() + 9 * 86_400_000));
    await signInAt(page, `${harness.url}/results`, 'dev-viewer');
    const experiment = page.locator('section[data-experiment="first-reminder-text"]');
    await experiment.waitFor();
    expect(await experiment.locator('h3').textContent()).toContain('first-reminder-text');
    const rows = await experiment.locator('tbody tr[data-arm]').all();
    const arms = await Promise.all(rows.map((row) => row.getAttribute('data-arm')));
    expect(arms).toEqual(['control', 'direct', 'holdout']);
    const planned = await experiment.locator('tbody tr[data-arm] td:first-of-type').allTextContents();
    expect(planned).toEqual(['1', '1', '1']);
    expect(await experiment.locator('.arms-chart').getAttribute('role')).toBe('img');
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('shows every rendering of a template, the email in a sandboxed frame, the SMS as a bubble with its price and the letter’s pages', async () => {
    const page = await harness.newPage();
    await signInAt(page, `${harness.url}/templates`, 'dev-viewer');
    await page.locator('#templates-template').selectOption('payment-reminder');
    const email = page.locator(
      'article[data-template="payment-reminder"][data-locale="nl"][data-variant="friendly"][data-channel="email"]',
    );
    await email.waitFor();
    expect(await email.locator('iframe.email-body').getAttribute('sandbox')).toBe('');
    const sms = page.locator(
      'article[data-template="payment-reminder"][data-locale="nl"][data-variant="friendly"][data-channel="sms"]',
    );
    expect(await sms.locator('.sms-bubble').textContent()).toBeTruthy();
    const parts = Number(await sms.locator('[data-parts]').getAttribute('data-parts'));
    expect(parts).toBeGreaterThan(0);
    expect(Number(await sms.locator('.sms-price').getAttribute('data-price-usd'))).toBeCloseTo(
      parts * loadPolicy().channelCosts.sms.default,
      10,
    );
    // The letter: its PDF's pages drawn in the page, each an image named by template, language and page.
    const letter = page.locator(
      'article[data-template="payment-reminder"][data-locale="nl"][data-variant="friendly"][data-channel="letter"]',
    );
    const pages = Number(await letter.locator('[data-pages]').getAttribute('data-pages'));
    expect(pages).toBeGreaterThanOrEqual(1);
    await letter.locator(`.letter-pages[data-drawn="${pages}"]`).waitFor();
    const names = await letter
      .getByRole('img')
      .evaluateAll((els) => els.map((el) => el.getAttribute('aria-label')));
    expect(names).toEqual(
      Array.from(
        { length: pages },
        (_, i) => `Letter payment-reminder in nl, friendly: page ${i + 1} of ${pages}`,
      ),
    );
    // The direct text the experiment's arm sends is in the gallery too.
    expect(
      await page.locator('article[data-template="payment-reminder"][data-variant="direct"]').count(),
    ).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('fits a 375 px wide screen on every page of the team', async () => {
    const page = await harness.newPage({ viewport: { width: 375, height: 800 } });
    await signInAt(page, `${harness.url}/journeys`, 'dev-viewer');
    await page.locator('[data-journey="payment-reminder"]').waitFor();
    expect(await horizontalOverflow(page)).toBe(0);
    for (const path of ['/operations', '/results', '/templates']) {
      await page.goto(`${harness.url}${path}`);
      await page.locator('h1').waitFor();
      expect(await horizontalOverflow(page), path).toBe(0);
    }
    await page.context().close();
  });
});
