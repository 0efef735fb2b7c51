/**
 * Live counts per state end to end: runs held in different waits of the payment reminder, and the
 * counts `GET /journeys` answers equal the states the runs' executions are in; a run stopped by its
 * payment leaves its count, and once every run has ended every count is zero.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JourneysResponse } from '#application/api/journeys.ts';
import type { OperationsRunsResponse } from '#application/api/operations.ts';
import type { CustomerProfile } from '#core/customer.ts';
import type { IdempotencyRepository } from '#core/ports.ts';
import {
  callApi,
  demoInvoice,
  recordPayment,
  seedCustomers,
  startPaymentReminder,
} from '#infra/local/demo.ts';
import type { LocalExecution } from '#infra/local/journey-engine.ts';
import { type LocalStack, localStateMachineArn } from '#infra/local/runtime.ts';
import { amsterdam, runsOf, startE2eStack } from '../fixtures/e2e.ts';

// Tuesday 1 December 2026, 10:00 in Amsterdam: inside the window, so first reminders go at once.
const start = new Date('2026-12-01T09:00:00Z');

// Email only: no read check, so each run goes from its first reminder into the seven-day wait.
const customer = (id: string, given: string): CustomerProfile => ({
  ...amsterdam,
  id,
  name: { given },
  email: `${given.toLowerCase()}@example.nl`,
});
const waitingA = customer('jc-waiting-a', 'Anna');
const waitingB = customer('jc-waiting-b', 'Bram');
const later = customer('jc-later', 'Cor');
const first = customer('jc-first', 'Dirk');
// Every send claim of theirs fails: the step fails for good and the run ends failed.
const failing = customer('jc-failing', 'Fleur');
const everyone = [waitingA, waitingB, later, first, failing];

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

let stack: LocalStack;
const pauses: Array<{ release(): void }> = [];

const executionOf = (c: CustomerProfile): LocalExecution =>
  stack.engine
    .listExecutions()
    .find(
      (e) =>
        JSON.parse(e.input).customerId === c.id &&
        e.stateMachineArn === localStateMachineArn('payment-reminder'),
    ) as LocalExecution;

/** The API's counts of the payment reminder, state by state (only states with runs). */
async function apiCounts(): Promise<Record<string, number>> {
  const answer = await callApi(stack, 'GET', '/journeys');
  expect(answer.status).toBe(200);
  const journey = (answer.body as unknown as JourneysResponse).journeys.find(
    (j) => j.journeyId === 'payment-reminder',
  );
  return Object.fromEntries(
    (journey?.states ?? []).filter((s) => s.running > 0).map((s) => [s.name, s.running]),
  );
}

/** Where the running executions are, as the engine knows it: each one's last state entered. */
function engineCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of stack.engine.listExecutions()) {
    if (e.status !== 'RUNNING' || e.stateMachineArn !== localStateMachineArn('payment-reminder')) continue;
    const state = e.statesEntered.at(-1) as string;
    counts[state] = (counts[state] ?? 0) + 1;
  }
  return counts;
}

beforeAll(async () => {
  stack = await startE2eStack({ simulationStart: start, wrap: { idempotency: failingClaims } });
  const secondWait = stack.engine.pauseAt('WaitForSecondReminder', runsOf(waitingA, waitingB));
  const finalWait = stack.engine.pauseAt('WaitForFinalNotice', runsOf(later));
  const firstWait = stack.engine.pauseAt('WaitForFirstStep', runsOf(first));
  pauses.push(secondWait, finalWait, firstWait);
  await seedCustomers(stack, everyone);
  for (const [i, c] of everyone.entries()) {
    expect((await startPaymentReminder(stack, c.id, demoInvoice(c, i, start))).status).toBe(201);
  }
  await Promise.all([
    secondWait.reached(executionOf(waitingA)),
    secondWait.reached(executionOf(waitingB)),
    finalWait.reached(executionOf(later)),
    firstWait.reached(executionOf(first)),
    executionOf(failing).result,
  ]);
}, 120_000);

afterAll(async () => {
  for (const pause of pauses) pause.release();
  await stack?.stop();
});

describe('GET /journeys: running runs per state', () => {
  it('counts each run in the wait its execution is in', async () => {
    expect(engineCounts()).toEqual({ WaitForSecondReminder: 2, WaitForFinalNotice: 1, WaitForFirstStep: 1 });
    expect(await apiCounts()).toEqual(engineCounts());
  });

  it('lists the runs held past their wake as waiting long, the longest overdue first', async () => {
    const none = await callApi(stack, 'GET', '/operations/runs?status=waiting-long');
    expect((none.body as unknown as OperationsRunsResponse).runs).toEqual([]);
    // Eight days on, the held runs' seven-day waits are over: their wakes are overdue.
    await stack.advanceTime(8 * 86_400_000);
    const answer = await callApi(stack, 'GET', '/operations/runs?status=waiting-long&overdueMinutes=60');
    const { runs } = answer.body as unknown as OperationsRunsResponse;
    expect(runs.map((r) => [r.customerId, r.state])).toEqual(
      expect.arrayContaining([
        [waitingA.id, 'WaitForSecondReminder'],
        [waitingB.id, 'WaitForSecondReminder'],
        [first.id, 'WaitForFirstStep'],
      ]),
    );
    expect(runs.map((r) => r.customerId)).not.toContain(later.id);
    const overdue = runs.map((r) => r.overdueMinutes ?? 0);
    expect(overdue).toEqual([...overdue].sort((a, b) => b - a));
    expect(Math.min(...overdue)).toBeGreaterThan(60);
  });

  // After the eight days: the failing run's first send (a week in when the experiment holds its first reminder back) has failed.
  it('lists the failed run for operators, with a link to the run', async () => {
    const answer = await callApi(stack, 'GET', '/operations/runs?status=failed');
    expect(answer.status).toBe(200);
    const { runs } = answer.body as unknown as OperationsRunsResponse;
    expect(runs).toEqual([
      expect.objectContaining({
        runId: executionOf(failing).name,
        customerId: failing.id,
        status: 'failed',
        executionUrl: `/api/runs/${executionOf(failing).name}`,
      }),
    ]);
  });

  it('refuses an unknown list by name', async () => {
    const answer = await callApi(stack, 'GET', '/operations/runs?status=slow');
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).toContain('status');
  });

  it('takes a run off its wait when its payment stops it', async () => {
    expect((await recordPayment(stack, waitingA.id, demoInvoice(waitingA, 0, start).id)).status).toBe(202);
    await executionOf(waitingA).result;
    expect(executionOf(waitingA).status).toBe('ABORTED');
    expect(await apiCounts()).toEqual({
      WaitForSecondReminder: 1,
      WaitForFinalNotice: 1,
      WaitForFirstStep: 1,
    });
    expect(await apiCounts()).toEqual(engineCounts());
  });

  it('counts nothing once every run has ended, and never needed a grant it lacks', async () => {
    for (const pause of pauses) pause.release();
    await stack.engine.whenIdle();
    expect(engineCounts()).toEqual({});
    expect(await apiCounts()).toEqual({});
    expect(stack.tableAccessDenied).toEqual([]);
    expect(stack.runStatusFailures).toEqual([]);
  });
});
