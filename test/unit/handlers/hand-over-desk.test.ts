/**
 * The hand-over desk's routes against the table (dynalite): what a person finds and does, what a
 * viewer is refused, a customer that is not there (never, or erased) and the field a bad request names.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDeskRepository } from '#adapters/dynamo/desk.ts';
import { type DynamoRepository, dynamoRepository } from '#adapters/dynamo/repository.ts';
import type { HandOver } from '#core/hand-over.ts';
import { storedAndPublished } from '#core/hand-over-desk.ts';
import type { JourneyRun } from '#core/ports.ts';
import * as closeHandOver from '#handlers/close-hand-over.ts';
import * as findCustomers from '#handlers/find-customers.ts';
import * as liftPause from '#handlers/lift-pause.ts';
import * as listCustomerRuns from '#handlers/list-customer-runs.ts';
import * as listHandOvers from '#handlers/list-hand-overs.ts';
import * as pauseCustomer from '#handlers/pause-customer.ts';
import * as recordCallOutcome from '#handlers/record-call-outcome.ts';
import * as stopRun from '#handlers/stop-run.ts';
import * as takeHandOver from '#handlers/take-hand-over.ts';
import { startTestTable, type TestTable } from '../../fixtures/dynamo-table.ts';
import {
  agent,
  type ConsoleUser,
  httpEvent,
  lambdaContext,
  movableClock,
  viewer,
} from '../../fixtures/lambda.ts';

const TABLE = 'klantreis-hand-over-desk';
const NOW = '2026-12-07T10:00:00.000Z';
const otherAgent: ConsoleUser = { username: 'bert-agent', groups: ['agent'] };

let table: TestTable;
let repo: DynamoRepository;
let desk: DynamoDeskRepository;
const clock = movableClock(NOW);
const published: HandOver[] = [];
const stopped: string[] = [];
const executions = {
  describe: async () => ({ status: 'RUNNING' as const, currentState: 'WaitForSecondReminder' }),
  stop: async (arn: string) => void stopped.push(arn),
};

beforeAll(async () => {
  table = await startTestTable(TABLE);
  repo = dynamoRepository(table.doc, TABLE, { clock });
  desk = new DynamoDeskRepository(table.doc, TABLE);
});
afterAll(async () => {
  await table?.stop();
});
beforeEach(() => {
  clock.set(NOW);
});

const runOf = (customerId: string, runId: string, journeyId = 'payment-reminder'): JourneyRun => ({
  runId,
  journeyId,
  customerId,
  subjectId: 'INV-1',
  executionArn: `arn:aws:states:eu-west-1:0:execution:klantreis-test-${journeyId}:${runId}`,
  status: 'running',
  startedAt: '2026-12-01T10:00:00.000Z',
});

async function customerWithRun(customerId: string, runId = `${customerId}-run`) {
  await repo.putCustomer(
    {
      id: customerId,
      locale: 'nl-NL',
      country: 'NL',
      email: `${customerId}@example.nl`,
      name: { given: 'Sanne' },
    },
    new Date(NOW),
  );
  await repo.putRun(runOf(customerId, runId));
  return runId;
}

const handlers = () => ({
  find: findCustomers.makeHandler({
    lookup: {
      customerIdsByPhone: (phone) => repo.customerIdsByPhone(phone),
      customerIdsByEmail: (email) => desk.customerIdsByEmail(email),
    },
    customers: repo,
  }),
  runs: listCustomerRuns.makeHandler({ customers: repo, runs: repo, holds: desk, executions, clock }),
  stop: stopRun.makeHandler({ runs: repo, customers: repo, timeline: repo, executions, clock }),
  pause: pauseCustomer.makeHandler({ customers: repo, holds: desk, timeline: repo, clock }),
  lift: liftPause.makeHandler({ customers: repo, holds: desk, timeline: repo, clock }),
  call: recordCallOutcome.makeHandler({
    customers: repo,
    runs: repo,
    holds: desk,
    timeline: repo,
    handOvers: {
      publisher: storedAndPublished(repo, { publish: async (h) => void published.push(h) }),
      apiBaseUrl: 'https://api.example.com',
    },
    clock,
  }),
  inbox: listHandOvers.makeHandler({ handOvers: desk }),
  take: takeHandOver.makeHandler({ handOvers: desk, customers: repo, timeline: repo, clock }),
  close: closeHandOver.makeHandler({ handOvers: desk, customers: repo, holds: desk, timeline: repo, clock }),
});

type Handler = (
  event: ReturnType<typeof httpEvent>,
  context: typeof lambdaContext,
) => Promise<APIGatewayProxyStructuredResultV2>;

async function call(
  handler: Handler,
  input: {
    path?: Record<string, string>;
    body?: unknown;
    query?: Record<string, string>;
    caller?: ConsoleUser | 'iam' | 'anonymous';
  },
) {
  const response = await handler(
    httpEvent({
      pathParameters: input.path ?? {},
      ...(input.body === undefined ? {} : { body: input.body }),
      ...(input.query ? { queryStringParameters: input.query } : {}),
      caller: input.caller ?? agent,
    }),
    lambdaContext,
  );
  return { status: response.statusCode, body: JSON.parse(String(response.body)) };
}

const actions = async (customerId: string) =>
  (await repo.listTimeline(customerId)).filter((entry) => entry.kind === 'action');

describe('finding a customer', () => {
  it('finds a customer by exact email, whatever its case, with a short summary, for a viewer', async () => {
    await customerWithRun('find-1');
    const found = await call(handlers().find, { query: { email: 'FIND-1@example.nl' }, caller: viewer });
    expect(found).toEqual({
      status: 200,
      body: {
        customers: [{ customerId: 'find-1', name: { given: 'Sanne' }, locale: 'nl-NL', country: 'NL' }],
      },
    });
    expect((await call(handlers().find, { query: { email: 'nobody@example.nl' } })).body).toEqual({
      customers: [],
    });
  });

  it('finds a customer by phone number', async () => {
    await repo.putCustomer(
      { id: 'find-2', locale: 'nl-NL', country: 'NL', phone: '+31612345670' },
      new Date(NOW),
    );
    const found = await call(handlers().find, { query: { phone: '+31612345670' }, caller: viewer });
    expect(found.body.customers.map((c: { customerId: string }) => c.customerId)).toEqual(['find-2']);
  });

  it('refuses a lookup by neither or both, naming the field, and one nobody signed in for', async () => {
    expect(await call(handlers().find, { query: {} })).toMatchObject({
      status: 400,
      body: { issues: [{ path: 'email' }] },
    });
    expect((await call(handlers().find, { query: { email: 'not-an-address' } })).body.issues[0].path).toBe(
      'email',
    );
    expect((await call(handlers().find, { query: { email: 'a@b.nl' }, caller: 'anonymous' })).status).toBe(
      403,
    );
  });
});

describe('a customer’s runs', () => {
  it('shows where each run is, its next wake and the hold that keeps it back', async () => {
    const runId = await customerWithRun('runs-1');
    await repo.recordRunProgress('runs-1', runId, {
      currentStep: 'first-reminder',
      nextWakeAt: '2026-12-08T09:00:00Z',
    });
    await desk.putHold('runs-1', { kind: 'pause', until: '2026-12-20T00:00:00.000Z', by: 'anna', at: NOW });
    const { status, body } = await call(handlers().runs, { path: { customerId: 'runs-1' }, caller: viewer });
    expect(status).toBe(200);
    expect(body.runs).toEqual([
      {
        runId,
        journeyId: 'payment-reminder',
        subjectId: 'INV-1',
        status: 'running',
        startedAt: '2026-12-01T10:00:00.000Z',
        currentStep: 'first-reminder',
        currentState: 'WaitForSecondReminder',
        nextWakeAt: '2026-12-08T09:00:00.000Z',
        heldUntil: '2026-12-20T00:00:00.000Z',
        heldBecause: 'paused until 2026-12-20T00:00:00.000Z by a person (anna)',
      },
    ]);
  });

  it('answers 404 in plain words for a customer that does not exist or was erased', async () => {
    await customerWithRun('runs-gone');
    await repo.eraseCustomerData('runs-gone');
    for (const customerId of ['runs-never', 'runs-gone']) {
      const { status, body } = await call(handlers().runs, { path: { customerId }, caller: viewer });
      expect(status).toBe(404);
      expect(body.error).toBe('customer not found: there is no customer with this id, or they were erased');
    }
  });
});

describe('stopping a run', () => {
  it('stops the execution, records the run aborted and the action with who and why', async () => {
    const runId = await customerWithRun('stop-1');
    const stop = await call(handlers().stop, { path: { runId }, body: { reason: 'klant belt zelf terug' } });
    expect(stop).toEqual({ status: 200, body: { runId, status: 'aborted', stoppedBy: 'aad-agent' } });
    expect(stopped).toContain(runOf('stop-1', runId).executionArn);
    expect((await repo.listRuns('stop-1'))[0]?.status).toBe('aborted');
    expect(await actions('stop-1')).toMatchObject([
      {
        actor: 'aad-agent',
        at: NOW,
        runId,
        summary: 'payment-reminder: run stopped (by aad-agent)',
        body: { text: 'klant belt zelf terug' },
      },
    ]);
    expect((await call(handlers().stop, { path: { runId }, body: { reason: 'again' } })).status).toBe(409);
  });

  it('refuses a viewer, an unknown run, an erased customer’s run, and a missing reason by name', async () => {
    const runId = await customerWithRun('stop-2');
    const refused = await call(handlers().stop, { path: { runId }, body: { reason: 'x' }, caller: viewer });
    expect(refused).toEqual({
      status: 403,
      body: { error: 'forbidden: this needs the agent role; you are signed in as a viewer' },
    });
    expect(
      (await call(handlers().stop, { path: { runId: 'no-such-run' }, body: { reason: 'x' } })).status,
    ).toBe(404);
    expect((await call(handlers().stop, { path: { runId }, body: {} })).body.issues).toEqual([
      { path: 'reason', message: expect.any(String) },
    ]);
    await repo.eraseCustomerData('stop-2');
    await repo.putRun(runOf('stop-2', runId)); // a late write the erasure's second pass removes
    expect((await call(handlers().stop, { path: { runId }, body: { reason: 'x' } })).status).toBe(404);
  });
});

describe('pausing a customer', () => {
  it('pauses every message until the date and lifts it, each in the conversation', async () => {
    await customerWithRun('pause-1');
    const paused = await call(handlers().pause, {
      path: { customerId: 'pause-1' },
      body: { until: '2026-12-20', reason: 'in gesprek over betalingsregeling' },
    });
    expect(paused).toEqual({
      status: 200,
      body: { customerId: 'pause-1', pausedUntil: '2026-12-20T00:00:00.000Z', by: 'aad-agent' },
    });
    expect(await desk.listHolds('pause-1')).toMatchObject([
      { kind: 'pause', until: '2026-12-20T00:00:00.000Z' },
    ]);
    clock.set('2026-12-07T11:00:00.000Z');
    expect((await call(handlers().lift, { path: { customerId: 'pause-1' } })).body.pausedUntil).toBeNull();
    expect(await desk.listHolds('pause-1')).toEqual([]);
    expect((await actions('pause-1')).map((e) => e.summary)).toEqual([
      'pause lifted: automated messages go again (by aad-agent)',
      'automated messages paused until 2026-12-20T00:00:00.000Z (by aad-agent)',
    ]);
  });

  it('refuses an end in the past or beyond 90 days by name, a viewer, and an unknown customer', async () => {
    await customerWithRun('pause-2');
    const past = await call(handlers().pause, {
      path: { customerId: 'pause-2' },
      body: { until: '2026-12-01', reason: 'x' },
    });
    expect(past).toMatchObject({
      status: 400,
      body: { issues: [{ path: 'until', message: 'must be in the future' }] },
    });
    const far = await call(handlers().pause, {
      path: { customerId: 'pause-2' },
      body: { until: '2027-06-01', reason: 'x' },
    });
    expect(far.body.issues).toEqual([{ path: 'until', message: 'must be at most 90 days ahead' }]);
    const body = { until: '2026-12-20', reason: 'x' };
    expect(
      (await call(handlers().pause, { path: { customerId: 'pause-2' }, body, caller: viewer })).status,
    ).toBe(403);
    expect((await call(handlers().lift, { path: { customerId: 'pause-2' }, caller: viewer })).status).toBe(
      403,
    );
    expect((await call(handlers().pause, { path: { customerId: 'pause-none' }, body })).status).toBe(404);
  });
});

describe('recording a call', () => {
  it('makes the running payment reminder wait for a promise to pay, until the second day after it', async () => {
    const runId = await customerWithRun('call-1');
    await repo.putRun(runOf('call-1', 'call-1-onboarding', 'onboarding'));
    const recorded = await call(handlers().call, {
      path: { customerId: 'call-1' },
      body: { outcome: 'promise-to-pay', promisedDate: '2026-12-15', note: 'betaalt na salaris' },
    });
    expect(recorded.body).toEqual({
      customerId: 'call-1',
      outcome: 'promise-to-pay',
      heldRuns: [runId],
      heldUntil: '2026-12-17T00:00:00.000Z',
      handOverId: null,
    });
    expect(await desk.listHolds('call-1')).toMatchObject([
      { kind: 'promise-to-pay', runId, promisedDate: '2026-12-15' },
    ]);
    expect(await actions('call-1')).toMatchObject([
      { summary: 'call: promise to pay on 2026-12-15 (by aad-agent)', body: { text: 'betaalt na salaris' } },
    ]);
  });

  it('holds the running reminders about the one invoice the call was about, as the arrangement and the contact centre do', async () => {
    const first = await customerWithRun('call-4');
    const second = { ...runOf('call-4', 'call-4-inv-2'), subjectId: 'INV-2' };
    await repo.putRun(second);
    await repo.putRun(runOf('call-4', 'call-4-onboarding', 'onboarding'));
    const unnamed = await call(handlers().call, {
      path: { customerId: 'call-4' },
      body: { outcome: 'promise-to-pay', promisedDate: '2026-12-15' },
    });
    expect(unnamed.status).toBe(400);
    expect(unnamed.body.issues).toEqual([
      {
        path: 'subjectId',
        message: 'name the invoice the call was about: payment reminders run about INV-1, INV-2',
      },
    ]);
    expect(await desk.listHolds('call-4')).toEqual([]);
    const named = await call(handlers().call, {
      path: { customerId: 'call-4' },
      body: { outcome: 'promise-to-pay', promisedDate: '2026-12-15', subjectId: 'INV-2' },
    });
    expect(named.body).toMatchObject({ heldRuns: [second.runId] });
    // Naming the run names its invoice.
    const byRun = await call(handlers().call, {
      path: { customerId: 'call-4' },
      body: { outcome: 'dispute', runId: first },
    });
    expect(byRun.body).toMatchObject({ heldRuns: [first] });
    const holds = await desk.listHolds('call-4');
    expect(Object.fromEntries(holds.map((h) => [h.runId, h.kind]))).toEqual({
      [first]: 'dispute',
      [second.runId]: 'promise-to-pay',
    });
    const notReminder = await call(handlers().call, {
      path: { customerId: 'call-4' },
      body: { outcome: 'dispute', runId: 'call-4-onboarding' },
    });
    expect(notReminder.status).toBe(409);
    expect(notReminder.body.error).toBe('the run is no payment reminder about an invoice (onboarding)');
  });

  it('holds the reminders on a dispute and opens a hand-over, published and in the inbox', async () => {
    const runId = await customerWithRun('call-2');
    const recorded = await call(handlers().call, {
      path: { customerId: 'call-2' },
      body: { outcome: 'dispute' },
    });
    expect(recorded.body).toMatchObject({ heldRuns: [runId], heldUntil: '2027-01-06T10:00:00.000Z' });
    const handOverId = recorded.body.handOverId as string;
    expect(published.map((h) => h.handOverId)).toContain(handOverId);
    expect(await desk.getHandOver(handOverId)).toMatchObject({ status: 'open', reason: 'dispute', runId });

    // Closing the dispute's hand-over lifts the hold it put.
    expect(
      (await call(handlers().close, { path: { handOverId }, body: { outcome: 'dispute-rejected' } })).status,
    ).toBe(200);
    expect(await desk.listHolds('call-2')).toEqual([]);
  });

  it('refuses a promise without its date or in the past by name, a run of another customer, and a viewer', async () => {
    await customerWithRun('call-3');
    const undated = await call(handlers().call, {
      path: { customerId: 'call-3' },
      body: { outcome: 'promise-to-pay' },
    });
    expect(undated.body.issues).toEqual([
      { path: 'promisedDate', message: 'a promise to pay needs the promised date' },
    ]);
    const past = await call(handlers().call, {
      path: { customerId: 'call-3' },
      body: { outcome: 'promise-to-pay', promisedDate: '2026-12-01' },
    });
    expect(past.body.issues).toEqual([{ path: 'promisedDate', message: 'must be today or later' }]);
    const unknownOutcome = await call(handlers().call, {
      path: { customerId: 'call-3' },
      body: { outcome: 'maybe' },
    });
    expect(unknownOutcome.body.issues[0].path).toBe('outcome');
    const other = await call(handlers().call, {
      path: { customerId: 'call-3' },
      body: { outcome: 'dispute', runId: 'stop-1-run' },
    });
    expect(other.status).toBe(404);
    expect(
      (
        await call(handlers().call, {
          path: { customerId: 'call-3' },
          body: { outcome: 'reached' },
          caller: viewer,
        })
      ).status,
    ).toBe(403);
  });
});

describe('taking and closing a hand-over', () => {
  it('lists it open, records who took it, refuses another taker, and closes with an outcome', async () => {
    await customerWithRun('desk-1');
    await storedAndPublished(repo, { publish: async () => {} }).publish({
      handOverId: 'desk-1-run.hand-over-no-reaction',
      customerId: 'desk-1',
      reason: 'no-reaction',
      at: '2026-12-05T09:00:00.000Z',
      conversationUrl: 'x',
      journeyId: 'payment-reminder',
      runId: 'desk-1-run',
    });
    const handOverId = 'desk-1-run.hand-over-no-reaction';
    const inbox = await call(handlers().inbox, {
      query: { status: 'open', reason: 'no-reaction' },
      caller: viewer,
    });
    expect(inbox.body.items.map((h: { handOverId: string }) => h.handOverId)).toContain(handOverId);

    expect((await call(handlers().take, { path: { handOverId }, caller: viewer })).status).toBe(403);
    const taken = await call(handlers().take, { path: { handOverId } });
    expect(taken.body).toMatchObject({ status: 'taken', takenBy: 'aad-agent', takenAt: NOW });
    expect(await call(handlers().take, { path: { handOverId }, caller: otherAgent })).toEqual({
      status: 409,
      body: { error: 'this hand-over is taken by aad-agent already' },
    });

    clock.set('2026-12-07T10:30:00.000Z');
    const unclosed = await call(handlers().close, { path: { handOverId }, body: { note: 'geregeld' } });
    expect(unclosed).toMatchObject({ status: 400, body: { issues: [{ path: 'outcome' }] } });
    const closed = await call(handlers().close, {
      path: { handOverId },
      body: { outcome: 'payment-plan', note: 'geregeld' },
    });
    expect(closed.body).toMatchObject({ status: 'closed', closedBy: 'aad-agent', outcome: 'payment-plan' });
    expect((await actions('desk-1')).map((e) => e.summary)).toEqual([
      'hand-over closed (no-reaction): payment-plan (by aad-agent)',
      'hand-over taken (no-reaction) (by aad-agent)',
    ]);
    const open = await call(handlers().inbox, { query: {}, caller: viewer });
    expect(open.body.items.map((h: { handOverId: string }) => h.handOverId)).not.toContain(handOverId);
  });

  it('answers 404 for an unknown hand-over and for an erased customer’s, and refuses a bad page by name', async () => {
    expect((await call(handlers().take, { path: { handOverId: 'no-such' } })).status).toBe(404);
    await customerWithRun('desk-2');
    await repo.openHandOver({
      handOverId: 'desk-2.reply',
      customerId: 'desk-2',
      reason: 'reply',
      at: NOW,
      status: 'open',
    });
    const record = await desk.getHandOver('desk-2.reply');
    await repo.eraseCustomerData('desk-2');
    // Gone with the partition; a stale index copy would still find no customer.
    expect((await call(handlers().take, { path: { handOverId: 'desk-2.reply' } })).status).toBe(404);
    expect(record).toBeDefined();
    expect(
      (await call(handlers().inbox, { query: { status: 'lost' }, caller: viewer })).body.issues[0].path,
    ).toBe('status');
    expect(
      (await call(handlers().inbox, { query: { cursor: 'bm90LWpzb24' }, caller: viewer })).body.issues,
    ).toEqual([{ path: 'cursor', message: 'the next value of a previous page' }]);
  });
});
