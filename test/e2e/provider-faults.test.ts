/**
 * Provider faults from the local providers themselves (`faults` of the local stack): a send the
 * provider accepted but never answered still reached the customer once and still reports its events.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerProfile } from '#core/customer.ts';
import { repoRoot } from '#infra/constructs/repo-root.ts';
import { demoInvoice, seedCustomers, startPaymentReminder } from '#infra/local/demo.ts';
import type { LocalStack } from '#infra/local/runtime.ts';
import { amsterdam, customerViews, simulationStart, startE2eStack } from '../fixtures/e2e.ts';

const late: CustomerProfile = { ...amsterdam, id: 'e2e-late-answer', email: 'late@example.nl' };

let stack: LocalStack;
const { emailsTo, entriesOf, readTimelines } = customerViews(() => stack);

beforeAll(async () => {
  stack = await startE2eStack({ faults: `email:timeout-after-accept:to=${late.email}:first=1:hold=20` });
  await seedCustomers(stack, [late]);
  const started = await startPaymentReminder(stack, late.id, demoInvoice(late, 0, simulationStart));
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  await stack.engine.whenIdle();
  await readTimelines([late]);
});

afterAll(async () => {
  await stack?.stop();
});

describe('a timeout after the provider accepted', () => {
  it('leaves the email in the outbox once and records the step as sent, linked by its event, never sent again', async () => {
    expect(stack.faults.injected()).toMatchObject([{ channel: 'email', kind: 'timeout-after-accept' }]);
    const first = entriesOf(late, { kind: 'message', stepId: 'first-reminder' });
    expect(first.map((e) => e.outcome)).toEqual(['sent']);
    const emails = await emailsTo(late);
    expect(emails.length).toBeGreaterThan(1);
    expect(new Set(emails.map((e) => e.subject)).size).toBe(emails.length);
  });

  it('still reports a delivery event for every email the provider accepted, the unanswered one too', async () => {
    expect(stack.feedback.delivered.get('Delivery')).toBe((await emailsTo(late)).length);
  });
});

describe('npm start -- --faults', () => {
  it('refuses a bad spec before starting anything, naming the bad part', () => {
    const run = spawnSync(
      process.execPath,
      [join(repoRoot, 'infra/local/main.ts'), '--port-base=0', '--once', '--faults=email:refuse,sms:throtle'],
      { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, KLANTREIS_FAULTS: '' } },
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('bad fault "sms:throtle": kind must be one of refuse, throttle');
    expect(run.stdout).toBe('');
  });
});
