/**
 * The hand-over desk in a real browser against the local runtime: the inbox lists a customer's SMS
 * reply → the agent opens it, takes it, reads the conversation with its bodies and reasons → records
 * a promise to pay → the run waits for it (its next wake moves past the promised day, on the page and
 * in the API) → closes the hand-over with an outcome → stops another customer's run. No sleeps: the
 * runs are held at their waits (pause points) and time is simulated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerProfile } from '#core/customer.ts';
import { callApi, demoInvoice, seedCustomers, startPaymentReminder } from '#infra/local/demo.ts';
import type { LocalExecution } from '#infra/local/journey-engine.ts';
import {
  type ConsoleHarness,
  chromiumPath,
  seriousViolations,
  signInAt,
  startConsoleHarness,
} from '../fixtures/console-browser.ts';
import { amsterdam, runsOf, simulationStart } from '../fixtures/e2e.ts';

if (!chromiumPath) {
  console.warn(
    'console hand-over browser test skipped: no `chromium` on PATH (apt-get install -y chromium, as .ci/run does)',
  );
}

// Ids whose arm of the first reminder's experiment sends it (not the holdout).
const debtor: CustomerProfile = {
  ...amsterdam,
  id: 'desk-caller',
  name: { given: 'Lotte', family: 'Smit' },
  locale: 'en-GB',
  email: 'lotte@example.com',
  phone: '+31612345601',
  preferences: { channel: 'sms' },
};
const other: CustomerProfile = {
  ...amsterdam,
  id: 'desk-other',
  name: { given: 'Bas', family: 'Mulder' },
  locale: 'en-GB',
  email: 'bas@example.com',
};
const customers = [debtor, other];
const DAY = 86_400_000;
/** Two weeks after the simulation starts: the day the debtor promises to pay. */
const promisedDate = new Date(simulationStart.getTime() + 14 * DAY).toISOString().slice(0, 10);

describe.skipIf(!chromiumPath)('the hand-over desk in the console (chromium)', () => {
  let harness: ConsoleHarness;
  let secondReminderWait: ReturnType<ConsoleHarness['stack']['engine']['pauseAt']>;
  const executionOf = (customer: CustomerProfile) =>
    harness.stack.engine
      .listExecutions()
      .find((e) => JSON.parse(e.input).customerId === customer.id) as LocalExecution;
  const runsOfCustomer = async (customer: CustomerProfile) =>
    (await callApi(harness.stack, 'GET', `/customers/${customer.id}/runs`)).body as {
      runs: { runId: string; status: string; nextWakeAt: string | null; heldUntil: string | null }[];
      holds?: { kind: string }[];
    };

  beforeAll(async () => {
    harness = await startConsoleHarness();
    const { stack } = harness;
    // Both runs stop at the wait before their second reminder: the first reminder went out.
    secondReminderWait = stack.engine.pauseAt('WaitForSecondReminder', runsOf(debtor, other));
    await seedCustomers(stack, customers);
    for (const [index, customer] of customers.entries()) {
      const started = await startPaymentReminder(
        stack,
        customer.id,
        demoInvoice(customer, index, simulationStart),
      );
      expect(started.status, JSON.stringify(started.body)).toBe(201);
    }
    await secondReminderWait.reached(executionOf(debtor));
    await secondReminderWait.reached(executionOf(other));
    // The debtor answers the reminder by SMS: a reply a person should read is handed over.
    await stack.receiveSms(debtor.phone as string, 'I can pay on the 15th, is that all right?');
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('lists the reply in the inbox, and the agent takes it, reads the conversation and records a promise to pay', async () => {
    const page = await harness.newPage();
    await signInAt(page, `${harness.url}/hand-overs`, 'dev-agent');
    const row = page.locator('tr', { hasText: debtor.id });
    await row.waitFor();
    expect(await row.textContent()).toContain('reply to answer');
    expect(await seriousViolations(page)).toEqual([]);

    await row.getByRole('link', { name: debtor.id }).click();
    await page.getByRole('heading', { level: 1, name: 'Lotte Smit' }).waitFor();
    await page.getByRole('button', { name: 'Take this hand-over' }).click();
    await page.locator('.hand-over', { hasText: 'taken by dev-agent' }).waitFor();

    // The conversation: the customer's reply, the SMS as sent, the decision with its reasons.
    await page.locator('.sms-bubble.inbound', { hasText: 'I can pay on the 15th' }).waitFor();
    const sent = harness.stack.sms.messages().find((m) => m.phoneNumber === debtor.phone);
    expect(await page.locator('.timeline .sms-bubble:not(.inbound)').allTextContents()).toContain(
      sent?.message,
    );
    expect(await page.locator('.timeline li[data-kind="decision"] .reasons li').count()).toBeGreaterThan(3);
    expect(await page.locator('.run[data-status="running"] .next-wake').count()).toBe(1);
    const wakeBefore = (await runsOfCustomer(debtor)).runs[0]?.nextWakeAt;
    expect(wakeBefore).toBeTruthy();

    await page.locator('summary', { hasText: 'Record a call' }).click();
    await page.getByLabel('Outcome', { exact: true }).first().selectOption('promise-to-pay');
    await page.getByLabel('Promised payment date').fill(promisedDate);
    await page.getByLabel('Note').first().fill('Pays on the 15th, salary comes in then.');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Record', exact: true }).click();
    await page.locator('form', { hasText: 'Record a call' }).getByRole('status').waitFor();

    // The run now waits for the promise: on the page and in the API.
    const held = page.locator('.run[data-status="running"] .holds li[data-hold="promise-to-pay"]');
    await held.waitFor();
    expect(await held.textContent()).toContain('dev-agent');
    const { runs } = await runsOfCustomer(debtor);
    expect(runs[0]?.heldUntil?.slice(0, 10) ?? '').toBe(
      new Date(Date.parse(`${promisedDate}T00:00:00Z`) + 2 * DAY).toISOString().slice(0, 10),
    );
    // The promise and its actor are in the timeline.
    await page.locator('.timeline li[data-kind="action"]', { hasText: 'dev-agent' }).first().waitFor();
    await page.context().close();
  });

  it('moves the run’s next wake past the promised day when its second reminder comes due', async () => {
    const { stack } = harness;
    const deferred = stack.engine.pauseAt('WaitAgainSecondReminder', runsOf(debtor));
    secondReminderWait.release(executionOf(debtor));
    await deferred.reached(executionOf(debtor));
    const { runs } = await runsOfCustomer(debtor);
    const wake = runs[0]?.nextWakeAt ?? '';
    expect(Date.parse(wake)).toBeGreaterThanOrEqual(Date.parse(`${promisedDate}T00:00:00Z`) + 2 * DAY);
    // No second reminder went out meanwhile.
    expect(stack.sms.messages().filter((m) => m.phoneNumber === debtor.phone)).toHaveLength(1);

    const page = await harness.newPage();
    await signInAt(page, `${harness.url}/customers/${debtor.id}`, 'dev-viewer');
    const nextWake = page.locator('.run[data-status="running"] .next-wake time');
    await nextWake.waitFor();
    expect(await nextWake.getAttribute('datetime')).toBe(wake);
    await page.context().close();
  });

  it('closes the hand-over only with an outcome', async () => {
    const page = await harness.newPage();
    await signInAt(page, `${harness.url}/customers/${debtor.id}`, 'dev-agent');
    const card = page.locator('.hand-over', { hasText: 'taken by dev-agent' });
    await card.waitFor();
    await card.getByRole('button', { name: 'Close' }).click();
    await card.locator('.field-error', { hasText: 'Required' }).waitFor();
    await card.getByLabel('Outcome').selectOption('promise-to-pay');
    await card.getByRole('button', { name: 'Close' }).click();
    await card.getByRole('button', { name: 'Yes, do it' }).click();
    await card.waitFor({ state: 'detached' });
    const closed = await callApi(harness.stack, 'GET', '/hand-overs?status=closed');
    expect(
      (closed.body as { items: { customerId: string; outcome?: string; closedBy?: string }[] }).items,
    ).toEqual([
      expect.objectContaining({ customerId: debtor.id, outcome: 'promise-to-pay', closedBy: 'dev-agent' }),
    ]);
    await page.context().close();
  });

  it('stops another customer’s run after asking, and shows it stopped with who did it', async () => {
    const page = await harness.newPage();
    await signInAt(page, `${harness.url}/customers/${other.id}`, 'dev-agent');
    const run = page.locator('.run[data-status="running"]');
    await run.waitFor();
    await run.locator('summary', { hasText: 'Stop this run' }).click();
    await run.getByLabel('Why').fill('Paid at the counter');
    await run.getByRole('button', { name: 'Stop this run' }).click();
    await run.getByRole('button', { name: 'Yes, do it' }).click();
    await page.locator('.run[data-status="aborted"]').waitFor();
    await page.locator('.timeline li[data-kind="action"]', { hasText: 'dev-agent' }).first().waitFor();
    await expect.poll(() => executionOf(other).status).toBe('ABORTED');
    expect((await runsOfCustomer(other)).runs[0]?.status).toBe('aborted');
    await page.context().close();
  });

  it('pauses every automated message until a day, shows the pause with who set it, and lifts it', async () => {
    const page = await harness.newPage();
    await signInAt(page, `${harness.url}/customers/${debtor.id}`, 'dev-agent');
    await page.locator('summary', { hasText: 'Pause automated messages' }).click();
    const form = page.locator('form', { hasText: 'Pause automated messages' });
    // A day in the past is refused by the server, named at the field.
    await form.getByLabel('Until').fill('2020-01-01');
    await form.getByLabel('Why').fill('Talking to us about a payment plan');
    await form.getByRole('button', { name: 'Pause' }).click();
    await form.locator('.field-error', { hasText: 'must be in the future' }).waitFor();
    await form.getByLabel('Until').fill(promisedDate);
    await form.getByRole('button', { name: 'Pause' }).click();
    const pause = page.locator('.holds li[data-hold="pause"]');
    await pause.waitFor();
    expect(await pause.textContent()).toContain('dev-agent');
    expect((await runsOfCustomer(debtor)).holds?.some((h) => h.kind === 'pause')).toBe(true);
    await page.getByRole('button', { name: 'Lift the pause' }).click();
    await pause.waitFor({ state: 'detached' });
    expect((await runsOfCustomer(debtor)).holds?.some((h) => h.kind === 'pause')).toBe(false);
    await page.context().close();
  });
});
