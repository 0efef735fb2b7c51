/**
 * A run's start and its end, through the local HTTP API: identical starts at the same moment start
 * one run, and the run reads how its execution ended (completed, aborted, failed), in the API and
 * on the run item itself (the customer's export), as the status-change handler recorded it.
 */
import { StopExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSfnClient } from '#adapters/aws-clients.ts';
import type { CustomerProfile } from '#core/customer.ts';
import type { EmailSender, IdempotencyRepository } from '#core/ports.ts';
import { callApi, demoInvoice, seedCustomers, startPaymentReminder } from '#infra/local/demo.ts';
import type { LocalStack } from '#infra/local/runtime.ts';
import { amsterdam, startE2eStack } from '../fixtures/e2e.ts';

// Tuesday 1 December 2026, 02:00 in Amsterdam: every run's first wake is hours ahead, in the window.
const night = new Date('2026-12-01T01:00:00Z');

const customer = (id: string, given: string): CustomerProfile => ({
  ...amsterdam,
  id,
  name: { given },
  email: `${given.toLowerCase()}@example.nl`,
});
// Started fifty times at once with one key; then left to run to its end.
const eager = customer('rs-eager', 'Eva');
// Stopped by an operator (StopExecution) while its first reminder is being sent.
const stopped = customer('rs-stopped', 'Stijn');
// Every send claim of theirs fails: the step fails for good and the run ends failed.
const failing = customer('rs-failing', 'Fleur');

const KEY = 'eager-INV-1';
const REQUESTS = 50;

let stack: LocalStack;
const api = (method: 'GET' | 'POST', path: string, body?: unknown, headers?: Record<string, string>) =>
  callApi(stack, method, path, body, headers);

// The stopped customer's send waits for this gate, so the stop lands while the run certainly runs.
let openGate: () => void = () => undefined;
const gate = new Promise<void>((resolve) => {
  openGate = resolve;
});
let sendReached: () => void = () => undefined;
const stoppedSendReached = new Promise<void>((resolve) => {
  sendReached = resolve;
});
const holdingStoppedSend = (email: EmailSender): EmailSender => ({
  sendEmail: async (message) => {
    if (message.to === stopped.email) {
      sendReached();
      await gate;
    }
    return email.sendEmail(message);
  },
});
const failingClaims = (claims: IdempotencyRepository): IdempotencyRepository => ({
  claimSend: async (customerId, key, at) => {
    if (customerId === failing.id) throw new Error('send claims unavailable');
    return claims.claimSend(customerId, key, at);
  },
  completeSend: (customerId, record) => claims.completeSend(customerId, record),
  releaseSend: (customerId, key, claimId) => claims.releaseSend(customerId, key, claimId),
  settleUnanswered: (customerId, record, expected) => claims.settleUnanswered(customerId, record, expected),
  retakeSend: (customerId, key, attempt, at) => claims.retakeSend(customerId, key, attempt, at),
});

let answers: Array<{ status: number; body: Record<string, unknown> }> = [];
let stoppedRunId = '';
let failingRunId = '';

beforeAll(async () => {
  stack = await startE2eStack({
    simulationStart: night,
    wrap: { email: holdingStoppedSend, idempotency: failingClaims },
  });
  await seedCustomers(stack, [eager, stopped, failing]);

  const request = { customerId: eager.id, subject: demoInvoice(eager, 0, night) };
  answers = await Promise.all(
    Array.from({ length: REQUESTS }, () =>
      api('POST', '/journeys/payment-reminder/runs', request, { 'Idempotency-Key': KEY }),
    ),
  );

  const stoppedStart = await startPaymentReminder(stack, stopped.id, demoInvoice(stopped, 1, night));
  stoppedRunId = String(stoppedStart.body.runId);
  await stoppedSendReached;
  const sfn = createSfnClient({ endpoint: stack.stepFunctionsEndpoint, region: 'eu-west-1' });
  await sfn.send(
    new StopExecutionCommand({
      executionArn: String(stoppedStart.body.executionArn),
      error: 'Operator.Stopped',
      cause: 'stopped from the console',
    }),
  );
  sfn.destroy();
  openGate();

  const failingStart = await startPaymentReminder(stack, failing.id, demoInvoice(failing, 2, night));
  failingRunId = String(failingStart.body.runId);

  await stack.engine.whenIdle();
}, 120_000);

afterAll(async () => {
  openGate();
  await stack?.stop();
});

/** The run as the customer's export holds it: the run item itself, not Step Functions' view. */
async function storedRun(customerId: string, runId: string) {
  const exported = await api('GET', `/customers/${customerId}/export`);
  return (exported.body.runs as Array<Record<string, unknown>>).find((run) => run.runId === runId);
}

describe('identical starts at the same moment', () => {
  it('answer 201 once and 200 with the same run for every other request', () => {
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 200)).toHaveLength(REQUESTS - 1);
    expect(new Set(answers.map((answer) => answer.body.runId))).toEqual(new Set([KEY]));
    expect(new Set(answers.map((answer) => answer.body.startedAt)).size).toBe(1);
  });

  it('start one execution, with one `started` line in the run and in the conversation', async () => {
    const executions = stack.engine.listExecutions().filter((execution) => execution.name === KEY);
    expect(executions).toHaveLength(1);
    const run = await api('GET', `/runs/${KEY}`);
    const decisions = run.body.decisions as Array<{ outcome?: string }>;
    expect(decisions.filter((entry) => entry.outcome === 'started')).toHaveLength(1);
    const conversation = await api('GET', `/customers/${eager.id}/conversation`);
    const items = conversation.body.items as Array<{ outcome?: string; runId?: string }>;
    expect(items.filter((entry) => entry.outcome === 'started')).toHaveLength(1);
    expect(stack.tableAccessDenied).toEqual([]);
  });
});

describe('a run’s status once its execution has ended', () => {
  it('reads completed for a run that went to its end', async () => {
    expect(stack.engine.listExecutions().find((e) => e.name === KEY)?.status).toBe('SUCCEEDED');
    const run = await api('GET', `/runs/${KEY}`);
    expect(run.body).toMatchObject({ status: 'completed', execution: { status: 'SUCCEEDED' } });
    expect(await storedRun(eager.id, KEY)).toMatchObject({
      status: 'completed',
      endedAt: expect.any(String),
    });
  });

  it('reads aborted for a run stopped through StopExecution', async () => {
    const run = await api('GET', `/runs/${stoppedRunId}`);
    expect(run.body).toMatchObject({ status: 'aborted', execution: { status: 'ABORTED' } });
    expect(await storedRun(stopped.id, stoppedRunId)).toMatchObject({ status: 'aborted' });
  });

  it('reads failed for a run whose step failed for good', async () => {
    const run = await api('GET', `/runs/${failingRunId}`);
    expect(run.body).toMatchObject({ status: 'failed', execution: { status: 'FAILED' } });
    expect(await storedRun(failing.id, failingRunId)).toMatchObject({ status: 'failed' });
  });

  it('were all recorded by the status-change handler, within its table grant', () => {
    expect(stack.runStatusFailures).toEqual([]);
    expect(stack.tableAccessDenied).toEqual([]);
  });
});
