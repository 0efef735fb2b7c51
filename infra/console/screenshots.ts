/**
 * `npm run console:screenshots`: pictures of the console's main pages for the README and
 * `docs/console.md`, taken from the built console on the local runtime with the demo customers
 * (simulated time from 1 December 2026, so the pictures only change when the console does).
 * Writes `docs/images/console-*.png`; needs Debian's `chromium` on PATH.
 */
import { spawnSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_TRACE_ENABLED ??= 'false';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';

const { chromium } = await import('playwright-core');
const { repoRoot } = await import('#infra/constructs/repo-root.ts');
const { startLocalStack } = await import('#infra/local/runtime.ts');
const { demoInvoices, seedCustomers, startPaymentReminder } = await import('#infra/local/demo.ts');
const { demoCustomers } = await import('#infra/local/demo-customers.ts');

const executablePath = spawnSync('which', ['chromium'], { encoding: 'utf8' }).stdout.trim();
if (!executablePath) {
  console.error('No `chromium` on PATH: apt-get install -y chromium');
  process.exit(1);
}
const outDir = join(repoRoot, 'docs', 'images');
await mkdir(outDir, { recursive: true });

const simulationStart = new Date('2026-12-01T07:00:00Z');
const stack = await startLocalStack({
  ports: { api: 0, ses: 0, sms: 0, dynamodb: 0, stepFunctions: 0, console: 0 },
  simulationStart,
  consoleAssetsDir: join(repoRoot, 'dist', 'console'),
});
const browser = await chromium.launch({
  executablePath,
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
try {
  await seedCustomers(stack, demoCustomers);
  const invoices = demoInvoices(demoCustomers, simulationStart);
  // One customer is pictured mid-journey: their run waits for its second reminder, and they have just
  // answered the first by SMS (a hand-over to a person). Everyone else's reminder runs to its end.
  const pictured = demoCustomers.find((c) => c.id === 'c-1002') ?? demoCustomers[0];
  if (!pictured?.phone) throw new Error('the pictured demo customer needs a phone number');
  for (const customer of demoCustomers.filter((c) => c !== pictured)) {
    const invoice = invoices.get(customer.id);
    if (invoice) await startPaymentReminder(stack, customer.id, invoice);
  }
  await stack.engine.whenIdle();
  const midJourney = stack.engine.pauseAt(
    'WaitForSecondReminder',
    (execution) => JSON.parse(execution.input).customerId === pictured.id,
  );
  await startPaymentReminder(stack, pictured.id, invoices.get(pictured.id) as never);
  const run = stack.engine.listExecutions().find((e) => JSON.parse(e.input).customerId === pictured.id);
  if (!run) throw new Error('the pictured customer has no run');
  await midJourney.reached(run);
  await stack.receiveSms(pictured.phone, 'Ik betaal vrijdag, is dat goed?');
  const customerPage = `/customers/${encodeURIComponent(pictured.id)}`;

  /** Signs in as the development user in a fresh context and returns its page. */
  const signedIn = async (viewport: { width: number; height: number }, user = 'dev-agent') => {
    const context = await browser.newContext({ locale: 'en-GB', viewport, deviceScaleFactor: 1 });
    const page = await context.newPage();
    await page.goto(`${stack.consoleUrl}/customers`);
    await page.getByRole('button', { name: new RegExp(` ${user}$`) }).click();
    await page.getByRole('navigation').waitFor();
    return page;
  };
  const shoot = async (
    page: Awaited<ReturnType<typeof signedIn>>,
    path: string,
    name: string,
    ready: string,
  ) => {
    await page.goto(`${stack.consoleUrl}${path}`);
    await page.locator(ready).first().waitFor();
    await page.locator('.state.loading').waitFor({ state: 'detached' });
    const file = join(outDir, `console-${name}.png`);
    await page.screenshot({ path: file });
    console.log(`written ${file}`);
  };

  const wide = await signedIn({ width: 1280, height: 1200 });
  await shoot(wide, customerPage, 'customer', '.run .next-wake');
  await shoot(wide, '/hand-overs', 'hand-overs', 'table');
  await shoot(wide, '/customers', 'find-customer', 'form.search');
  await shoot(wide, '/journeys', 'journeys', 'svg.journey-graph');
  await shoot(wide, '/results', 'results', 'section.experiment');
  await shoot(wide, '/templates', 'templates', '.rendering');
  const phone = await signedIn({ width: 375, height: 812 });
  await shoot(phone, customerPage, 'customer-phone', '.timeline li');
} finally {
  await browser.close();
  await stack.stop();
}
