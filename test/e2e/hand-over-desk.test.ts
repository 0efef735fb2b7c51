/**
 * The hand-over desk end to end on the local runtime, through the console's own door (`/api` on the
 * console server, signed in as development users): a demo customer's SMS reply hands her over, the
 * inbox lists it, an agent takes it and records her promise to pay, her reminder waits for it
 * (simulated time), the hand-over is closed with an outcome; another customer's run is stopped. The
 * conversation shows each action with its actor.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerProfile } from '#core/customer.ts';
import { demoInvoice, replyBySms, seedCustomers, startPaymentReminder } from '#infra/local/demo.ts';
import { demoCustomers } from '#infra/local/demo-customers.ts';
import type { LocalStack } from '#infra/local/runtime.ts';
import { customerViews, runsOf, sentAt, simulationStart, startE2eStack } from '../fixtures/e2e.ts';

const assetsDir = mkdtempSync(join(tmpdir(), 'hand-over-desk-'));
writeFileSync(join(assetsDir, 'index.html'), '<!doctype html><title>console</title>');

// Sanne gets her service messages by SMS (and can answer one); Daan's run is the one stopped.
const [sanne, daan] = demoCustomers as [CustomerProfile, CustomerProfile];
const customers = [sanne, daan];
const PROMISED = '2026-12-14';
/** The start of the second day after the promised day: the reminder's first moment again. */
const WAITS_UNTIL = '2026-12-16T00:00:00.000Z';

// biome-ignore lint/suspicious/noExplicitAny: the test reads the API's JSON answers field by field.
type Json = any;

let stack: LocalStack;
const { executionOf } = customerViews(() => stack);
const sessions = new Map<string, string>();

async function asUser(user: string, method: string, path: string, body?: unknown) {
  let cookie = sessions.get(user);
  if (!cookie) {
    const signIn = await fetch(`${stack.consoleUrl}/auth/dev-sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user }),
    });
    expect(signIn.status).toBe(200);
    cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] as string;
    sessions.set(user, cookie);
  }
  const response = await fetch(`${stack.consoleUrl}/api${path}`, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Json };
}
const agent = (method: string, path: string, body?: unknown) => asUser('dev-agent', method, path, body);
const viewer = (method: string, path: string, body?: unknown) => asUser('dev-viewer', method, path, body);

let handOverId: string;
const seen: Record<string, Json> = {};

beforeAll(async () => {
  stack = await startE2eStack({ consoleAssetsDir: assetsDir });
  // Both runs are held in the seven-day wait after their first reminder while the desk works.
  const sevenDayWait = stack.engine.pauseAt('WaitForSecondReminder', runsOf(sanne, daan));
  await seedCustomers(stack, customers);
  for (const [index, customer] of customers.entries()) {
    const started = await startPaymentReminder(
      stack,
      customer.id,
      demoInvoice(customer, index, simulationStart),
    );
    expect(started.status).toBe(201);
  }
  await sevenDayWait.reached(executionOf(sanne));
  await sevenDayWait.reached(executionOf(daan));

  // Sanne answers the reminder: a reply a person should read is handed over.
  expect(
    (await replyBySms(stack, sanne.phone as string, 'Ik betaal op de 14e, na mijn salaris')).status,
  ).toBe(200);

  seen.inbox = await viewer('GET', '/hand-overs?status=open&reason=reply');
  handOverId = seen.inbox.body.items.find(
    (h: { customerId: string }) => h.customerId === sanne.id,
  )?.handOverId;
  seen.viewerTakes = await viewer('POST', `/hand-overs/${handOverId}/take`);
  seen.taken = await agent('POST', `/hand-overs/${handOverId}/take`);
  seen.promise = await agent('POST', `/customers/${sanne.id}/call-outcomes`, {
    outcome: 'promise-to-pay',
    promisedDate: PROMISED,
    note: 'Belt terug als het salaris later komt',
  });
  seen.runsWhileHeld = await viewer('GET', `/customers/${sanne.id}/runs`);
  seen.closeWithoutOutcome = await agent('POST', `/hand-overs/${handOverId}/close`, {});
  seen.closed = await agent('POST', `/hand-overs/${handOverId}/close`, { outcome: 'promise-to-pay' });
  seen.stopped = await agent('POST', `/runs/${executionOf(daan).name}/stop`, {
    reason: 'Klant in schuldhulp',
  });

  sevenDayWait.release();
  await stack.engine.whenIdle();
});

afterAll(async () => {
  await stack?.stop();
  rmSync(assetsDir, { recursive: true, force: true });
});

describe('the hand-over desk', () => {
  it('lists the reply’s hand-over in the inbox, and lets an agent, not a viewer, take it', () => {
    expect(seen.inbox.status).toBe(200);
    expect(handOverId).toBeDefined();
    expect(seen.viewerTakes).toEqual({
      status: 403,
      body: { error: 'forbidden: this needs the agent role; you are signed in as a viewer' },
    });
    expect(seen.taken.body).toMatchObject({ status: 'taken', takenBy: 'dev-agent', reason: 'reply' });
  });

  it('makes the reminder wait for the promise to pay: its run shows the hold, its next message goes after it', async () => {
    expect(seen.promise.body).toMatchObject({ heldRuns: [executionOf(sanne).name], heldUntil: WAITS_UNTIL });
    expect(seen.runsWhileHeld.body.runs).toMatchObject([
      {
        runId: executionOf(sanne).name,
        status: 'running',
        heldUntil: WAITS_UNTIL,
        currentStep: 'first-reminder',
      },
    ]);
    expect((await sentAt(stack, sanne, 'second-reminder')).getTime()).toBeGreaterThanOrEqual(
      Date.parse(WAITS_UNTIL),
    );
  });

  it('closes the hand-over only with an outcome, named when missing', () => {
    expect(seen.closeWithoutOutcome).toMatchObject({ status: 400, body: { issues: [{ path: 'outcome' }] } });
    expect(seen.closed.body).toMatchObject({
      status: 'closed',
      closedBy: 'dev-agent',
      outcome: 'promise-to-pay',
    });
  });

  it('stops the other run: aborted, and no second reminder for him', async () => {
    expect(seen.stopped.body).toEqual({
      runId: executionOf(daan).name,
      status: 'aborted',
      stoppedBy: 'dev-agent',
    });
    expect(executionOf(daan).status).toBe('ABORTED');
    await expect(sentAt(stack, daan, 'second-reminder')).rejects.toThrow(/no second-reminder message/);
  });

  it('shows each action in the conversation with who did it, the deferral with its reason', async () => {
    const conversation = await viewer('GET', `/customers/${sanne.id}/conversation?limit=100`);
    const items = conversation.body.items as Json[];
    const actions = items.filter((e) => e.kind === 'action').reverse();
    expect(actions.map((e) => [e.summary, e.actor])).toEqual([
      ['hand-over taken (reply) (by dev-agent)', 'dev-agent'],
      [`call: promise to pay on ${PROMISED} (by dev-agent)`, 'dev-agent'],
      ['hand-over closed (reply): promise-to-pay (by dev-agent)', 'dev-agent'],
    ]);
    expect(actions[1]?.body?.text).toBe('Belt terug als het salaris later komt');
    const deferred = items.find(
      (e) => e.kind === 'decision' && String(e.summary).includes('deferred, waits for'),
    );
    expect(deferred?.stepId).toBe('second-reminder');
    // After the hold the step decided afresh, with its reasons.
    const decided = items.filter(
      (e) =>
        e.kind === 'decision' && e.stepId === 'second-reminder' && !String(e.summary).includes('deferred,'),
    );
    expect(decided.length).toBeGreaterThan(0);
    const daansActions = (await viewer('GET', `/customers/${daan.id}/conversation`)).body.items.filter(
      (e: { kind: string }) => e.kind === 'action',
    );
    expect(daansActions).toMatchObject([
      { actor: 'dev-agent', summary: 'payment-reminder: run stopped (by dev-agent)' },
    ]);
  });
});
