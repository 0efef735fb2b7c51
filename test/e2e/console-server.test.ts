import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyBySms, seedCustomers } from '#infra/local/demo.ts';
import { demoCustomers } from '#infra/local/demo-customers.ts';
import type { LocalStack } from '#infra/local/runtime.ts';
import { startE2eStack } from '../fixtures/e2e.ts';

const assetsDir = mkdtempSync(join(tmpdir(), 'console-e2e-'));
writeFileSync(join(assetsDir, 'index.html'), '<!doctype html><title>console</title>');
// A customer with a phone number, to reply by SMS.
const customer = demoCustomers.find((c) => c.phone) as (typeof demoCustomers)[number];
let stack: LocalStack;

beforeAll(async () => {
  stack = await startE2eStack({ consoleAssetsDir: assetsDir });
  await seedCustomers(stack, [customer]);
});
afterAll(async () => {
  await stack?.stop();
  rmSync(assetsDir, { recursive: true, force: true });
});

async function signedIn(user: string): Promise<Record<string, string>> {
  const response = await fetch(`${stack.consoleUrl}/auth/dev-sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user }),
  });
  expect(response.status).toBe(200);
  return { cookie: (response.headers.get('set-cookie') ?? '').split(';')[0] as string };
}

describe('the console on the local runtime', () => {
  it('reads a customer through the same handler as the HTTP API, signed in as a viewer', async () => {
    const headers = await signedIn('dev-viewer');
    const response = await fetch(`${stack.consoleUrl}/api/customers/${customer.id}`, { headers });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: customer.id });
  });

  it("refuses a viewer's action with the handler's own 403, and lets an agent act", async () => {
    const body = JSON.stringify({ channel: 'sms' });
    const viewer = await fetch(`${stack.consoleUrl}/api/customers/${customer.id}/preferences`, {
      method: 'PUT',
      headers: { ...(await signedIn('dev-viewer')), 'content-type': 'application/json' },
      body,
    });
    expect(viewer.status).toBe(403);
    expect((await viewer.json()) as unknown).toEqual({
      error: 'forbidden: this needs the agent role; you are signed in as a viewer',
    });
    const agent = await fetch(`${stack.consoleUrl}/api/customers/${customer.id}/preferences`, {
      method: 'PUT',
      headers: { ...(await signedIn('dev-agent')), 'content-type': 'application/json' },
      body,
    });
    expect(agent.status).toBe(200);
    expect((await stack.repository.getCustomer(customer.id))?.preferences).toEqual({ channel: 'sms' });
  });

  it('serves only the routes marked for the console, as the console API on AWS does', async () => {
    const headers = await signedIn('dev-editor');
    // Erasure and export stay with integrating systems (IAM); the console has no such route.
    const exported = await fetch(`${stack.consoleUrl}/api/customers/${customer.id}/export`, { headers });
    expect(exported.status).toBe(404);
    const erased = await fetch(`${stack.consoleUrl}/api/customers/${customer.id}`, {
      method: 'DELETE',
      headers,
    });
    expect(erased.status).toBe(405);
  });

  it('links a hand-over to the customer in the console, beside the conversation on the API', async () => {
    const answered = await replyBySms(stack, customer.phone as string, 'Kunt u mij terugbellen?');
    expect(answered.body).toEqual({ handled: ['reply'] });
    const handOver = stack.handOvers.events().find((h) => h.customerId === customer.id);
    expect(handOver).toMatchObject({
      conversationUrl: `${stack.apiUrl}/customers/${customer.id}/conversation`,
      consoleUrl: `${stack.consoleUrl}/customers/${customer.id}`,
    });
  });
});
