/**
 * The agent's console in a real browser against the local runtime: sign in from a hand-over link,
 * read the conversation (bodies, reasons), act (and be refused as a viewer), keep a draft across an
 * ended session, a plain page for an unknown customer, a phone-width layout, and no serious or
 * critical axe-core violation on any page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerProfile } from '#core/customer.ts';
import { demoInvoice, seedCustomers, startPaymentReminder } from '#infra/local/demo.ts';
import {
  type ConsoleHarness,
  chromiumPath,
  horizontalOverflow,
  seriousViolations,
  signInAt,
  startConsoleHarness,
} from '../fixtures/console-browser.ts';
import { amsterdam, simulationStart } from '../fixtures/e2e.ts';

if (!chromiumPath) {
  console.warn(
    'console browser test skipped: no `chromium` on PATH (apt-get install -y chromium, as .ci/run does)',
  );
}

/** No channel at all: the first reminder hands the customer over to a person. */
const unreachable: CustomerProfile = { ...amsterdam, id: 'console-unreachable', name: { given: 'Noor' } };
/** Prefers SMS: reminded by SMS, and by email for the firmer reminder. */
const reader: CustomerProfile = {
  ...amsterdam,
  id: 'console-reader',
  name: { given: 'Sem', family: 'Visser' },
  locale: 'en-GB',
  email: 'sem@example.com',
  phone: '+31612345679',
  preferences: { channel: 'sms' },
};
const customers = [unreachable, reader];

describe.skipIf(!chromiumPath)('the console for the person who takes a hand-over (chromium)', () => {
  let harness: ConsoleHarness;

  beforeAll(async () => {
    harness = await startConsoleHarness();
    const { stack } = harness;
    await seedCustomers(stack, customers);
    for (const [index, customer] of customers.entries()) {
      const started = await startPaymentReminder(
        stack,
        customer.id,
        demoInvoice(customer, index, simulationStart),
      );
      expect(started.status, JSON.stringify(started.body)).toBe(201);
    }
    await stack.engine.whenIdle();
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('opens a hand-over link signed out, signs in and lands on that customer, with the hand-over and its reason', async () => {
    const handOver = harness.stack.handOvers.events().find((h) => h.customerId === unreachable.id);
    expect(handOver?.reason).toBe('unreachable');
    const page = await harness.newPage();
    await signInAt(page, harness.stack.consoleCustomerUrl(unreachable.id), 'dev-agent');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Noor');
    const handOverLine = page.locator('.timeline li[data-kind="hand-over"]');
    await handOverLine.first().waitFor();
    expect(await handOverLine.first().textContent()).toContain('hand-over: unreachable');
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('shows the conversation: SMS as bubbles, emails in a sandboxed frame, decisions with their reasons', async () => {
    const page = await harness.newPage();
    await signInAt(page, `${harness.url}/customers/${reader.id}`, 'dev-viewer');
    const sms = page.locator('.timeline li[data-kind="message"] .sms-bubble');
    await sms.first().waitFor();
    const sentSms = harness.stack.sms.messages().filter((m) => m.phoneNumber === reader.phone);
    expect(sentSms.length).toBeGreaterThan(0);
    expect(await sms.allTextContents()).toContain(sentSms[0]?.message);

    const frames = page.locator('.timeline iframe.email-body');
    expect(await frames.count()).toBeGreaterThan(0);
    // No scripts, no same-origin access: the body can do nothing to the console.
    expect(await frames.first().getAttribute('sandbox')).toBe('');
    const frame = await (await frames.first().elementHandle())?.contentFrame();
    // biome-ignore lint/performance/useDomNodeTextContent: the text as a reader sees it.
    expect((await frame?.locator('body').innerText())?.length ?? 0).toBeGreaterThan(50);

    const decision = page.locator('.timeline li[data-kind="decision"]').first();
    expect(await decision.locator('.reasons li').count()).toBeGreaterThan(0);
    // The segment the latest decision placed the customer in, with why.
    expect(await page.locator('.segment').textContent()).toContain('default (catch-all)');
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });

  it("refuses a viewer's action and says so plainly; an agent's lands", async () => {
    const viewer = await harness.newPage();
    await signInAt(viewer, `${harness.url}/customers/${reader.id}`, 'dev-viewer');
    await viewer.getByText('Change preferences', { exact: true }).first().click();
    await viewer.getByLabel('Preferred channel').selectOption('email');
    await viewer.getByRole('button', { name: 'Save preferences' }).click();
    const refusal = viewer.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe(
      'Not allowed: forbidden: this needs the agent role; you are signed in as a viewer',
    );
    expect((await harness.stack.repository.getCustomer(reader.id))?.preferences).toEqual({ channel: 'sms' });
    await viewer.context().close();

    const agent = await harness.newPage();
    await signInAt(agent, `${harness.url}/customers/${reader.id}`, 'dev-agent');
    await agent.getByText('Change preferences', { exact: true }).first().click();
    await agent.getByLabel('Preferred channel').selectOption('email');
    await agent.getByRole('button', { name: 'Save preferences' }).click();
    await agent.getByRole('status').filter({ hasText: 'Done' }).waitFor();
    expect((await harness.stack.repository.getCustomer(reader.id))?.preferences).toEqual({
      channel: 'email',
    });
    await agent.context().close();
  });

  it('keeps what was typed when the session ends: sign in again and the form is as it was', async () => {
    const page = await harness.newPage();
    await signInAt(page, `${harness.url}/customers/${reader.id}`, 'dev-agent');
    await page.getByText('Change preferences', { exact: true }).first().click();
    await page.getByLabel('For marketing').selectOption('sms');
    // The session ends (the cookie expires): the next call is a 401.
    await page.context().clearCookies();
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByText('Your session has ended').waitFor();
    await page.getByRole('button', { name: 'Sign in as dev-agent' }).click();
    await page.getByText('Change preferences', { exact: true }).first().click();
    expect(await page.getByLabel('For marketing').inputValue()).toBe('sms');
    expect(page.url()).toBe(`${harness.url}/customers/${reader.id}`);
    await page.context().close();
  });

  it('finds a customer by exact email address and by phone number as typed', async () => {
    const page = await harness.newPage();
    await signInAt(page, `${harness.url}/customers`, 'dev-viewer');
    await page.getByLabel('Customer id, email or phone').fill(reader.email as string);
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sem Visser' }).waitFor();
    await page.goto(`${harness.url}/customers`);
    await page.getByLabel('Customer id, email or phone').fill('+31 6 1234 5679');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sem Visser' }).waitFor();
    expect(page.url()).toBe(`${harness.url}/customers/${reader.id}`);
    await page.goto(`${harness.url}/customers`);
    await page.getByLabel('Customer id, email or phone').fill('nobody@example.com');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByText('No customer has this email address or phone number.').waitFor();
    await page.context().close();
  });

  it('switches to Dutch and remembers it, and signs out to the sign-in page', async () => {
    const page = await harness.newPage();
    await signInAt(page, `${harness.url}/customers`, 'dev-agent');
    await page.getByLabel('Language').selectOption('nl');
    await page.getByRole('navigation').getByRole('link', { name: 'Klanten' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Klant zoeken' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('nl');
    await page.getByRole('button', { name: 'Afmelden' }).click();
    await page.getByRole('heading', { level: 1, name: 'Aanmelden' }).waitFor();
    // Signed out for the server too: the console's API refuses the old session.
    const answer = await page.request.get(`${harness.url}/api/customers/${reader.id}`);
    expect(answer.status()).toBe(401);
    await page.context().close();
  });

  it('shows a plain page for a customer that does not exist', async () => {
    const page = await harness.newPage();
    await signInAt(page, `${harness.url}/customers/no-such-customer`, 'dev-agent');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('No such customer');
    expect(await page.locator('body').textContent()).not.toMatch(/\{|error|stack/i);
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('fits a 375 px wide phone with no sideways scrolling, on every agent page', async () => {
    const page = await harness.newPage({ viewport: { width: 375, height: 800 }, locale: 'nl-NL' });
    await signInAt(page, `${harness.url}/customers/${reader.id}`, 'dev-agent');
    for (const path of [
      `/customers/${reader.id}`,
      '/customers',
      `/customers/${unreachable.id}`,
      '/hand-overs',
    ]) {
      await page.goto(`${harness.url}${path}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.locator('.state.loading').waitFor({ state: 'detached' });
      expect(await horizontalOverflow(page), path).toBeLessThanOrEqual(0);
    }
    await page.context().close();
  });

  it('has no serious or critical axe-core violation on the sign-in and search pages, in Dutch too', async () => {
    for (const locale of ['en-GB', 'nl-NL']) {
      const page = await harness.newPage({ locale });
      await page.goto(`${harness.url}/customers`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      expect(await seriousViolations(page), `sign-in ${locale}`).toEqual([]);
      await page.getByRole('button', { name: / dev-agent$/ }).click();
      await page.locator('form.search').waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe(locale.slice(0, 2));
      expect(await seriousViolations(page), `search ${locale}`).toEqual([]);
      await page.context().close();
    }
  });
});
