/**
 * The simulator page in a real browser against the local runtime: typed in, a stored customer's
 * plan shows each step the API plans, with its channel and reasons, and the page has no serious or
 * critical axe-core violation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulation } from '#application/api/simulation.ts';
import { callApi, seedCustomers } from '#infra/local/demo.ts';
import {
  type ConsoleHarness,
  chromiumPath,
  seriousViolations,
  signInAt,
  startConsoleHarness,
} from '../fixtures/console-browser.ts';
import { amsterdam } from '../fixtures/e2e.ts';

if (!chromiumPath) {
  console.warn(
    'console browser test skipped: no `chromium` on PATH (apt-get install -y chromium, as .ci/run does)',
  );
}

const stored = { ...amsterdam, id: 'sim-1', name: { given: 'Noor' }, email: 'noor@example.nl' };

describe.skipIf(!chromiumPath)('the simulator page (chromium)', () => {
  let harness: ConsoleHarness;

  beforeAll(async () => {
    harness = await startConsoleHarness();
    await seedCustomers(harness.stack, [stored]);
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('shows what a stored customer would get now, step by step, as the API plans it', async () => {
    const page = await harness.newPage();
    await signInAt(page, `${harness.url}/simulator`, 'dev-viewer');
    await page.locator('#simulator-customer').fill(stored.id);
    await page.locator('#simulator-journey').selectOption('payment-reminder');
    await page.getByRole('button', { name: 'Show the plan' }).click();
    await page.locator('table.simulation tbody tr').first().waitFor();
    const api = (
      await callApi(harness.stack, 'GET', `/customers/${stored.id}/simulation?journey=payment-reminder`)
    ).body as unknown as Simulation;
    expect(api.steps.length).toBeGreaterThan(1);
    const rows = page.locator('table.simulation tbody tr');
    expect(await rows.count()).toBe(api.steps.length);
    for (const [i, step] of api.steps.entries()) {
      const row = rows.nth(i);
      expect(await row.getAttribute('data-step')).toBe(step.step);
      const text = (await row.textContent()) ?? '';
      if (step.channel && !step.skipped) expect(text).toContain(step.channel);
      if (step.template) expect(text).toContain(step.template);
      expect(await row.locator('li').count()).toBe(step.reasons.length);
    }
    // The messages per channel with their price, as the API counts them.
    const totals = (await page.locator('[data-totals]').textContent()) ?? '';
    expect(api.totals.length).toBeGreaterThan(0);
    for (const total of api.totals) expect(totals).toContain(`${total.channel}: ${total.messages} (`);
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });
});
