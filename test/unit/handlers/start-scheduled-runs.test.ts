import { describe, expect, it } from 'vitest';
import { makeHandler, SKIP } from '#handlers/start-scheduled-runs.ts';
import { InMemoryRepository } from '../../fixtures/in-memory-repository.ts';
import { fixedClock, lambdaContext } from '../../fixtures/lambda.ts';

const ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:klantreis-test-payment-reminder';
const invoice = (id: string) => ({
  type: 'invoice' as const,
  id,
  amount: '50.00',
  currency: 'EUR',
  dueDate: '2026-11-30',
  payUrl: `https://pay.example.com/${id}`,
});

function setup(now = '2026-12-01T06:00:00Z') {
  const repository = new InMemoryRepository();
  const started: string[] = [];
  const wakes = new Map<string, string>();
  for (const id of ['c-1', 'c-2', 'c-3'])
    repository.customers.set(id, { id, locale: 'nl-NL', country: 'NL' });
  const open = (customerId: string, subjectId: string) =>
    repository.putSubject({
      customerId,
      subjectId,
      status: 'open',
      updatedAt: '2026-11-01T00:00:00Z',
      invoice: invoice(subjectId),
    });
  const handlerAt = (at: string) =>
    makeHandler({
      customers: repository,
      runs: Object.assign(repository, {
        listRuns: async (customerId: string) =>
          [...repository.runs.values()].filter((r) => r.customerId === customerId),
      }),
      timeline: repository,
      clock: fixedClock(at),
      journeys: { 'payment-reminder': ARN },
      starter: {
        async startJourney({ stateMachineArn, runId, input }) {
          const alreadyStarted = started.includes(runId);
          wakes.set(runId, (input as { journey: { progress: { wakeAt: string } } }).journey.progress.wakeAt);
          if (!alreadyStarted) started.push(runId);
          return { executionArn: `${stateMachineArn}:${runId}`, alreadyStarted };
        },
      },
    });
  const batch = (runDay: string, items: Array<{ customerId: string; subjectId: string }>) => ({
    scheduleId: 'payment-reminder',
    journeyId: 'payment-reminder',
    runDay,
    items,
  });
  const handler = handlerAt(now);
  const run = (items: Array<{ customerId: string; subjectId: string }>, runDay = '2026-12-01') =>
    handler(batch(runDay, items), lambdaContext);
  /** Runs the batch as a handler would at `at` (another invocation, e.g. a retried schedule). */
  const runAt = (at: string, items: Array<{ customerId: string; subjectId: string }>) =>
    handlerAt(at)(batch('2026-12-01', items), lambdaContext);
  return { repository, started, wakes, open, run, runAt };
}

describe('start-scheduled-runs', () => {
  it('starts and records one run per open invoice, and nothing twice on a re-run the same day', async () => {
    const { open, run, started, repository } = setup();
    await open('c-1', 'INV-1');
    await open('c-2', 'INV-2');
    const items = [
      { customerId: 'c-1', subjectId: 'INV-1' },
      { customerId: 'c-2', subjectId: 'INV-2' },
    ];
    expect(await run(items)).toEqual({ started: 2, alreadyStarted: 0, skipped: {} });
    expect(await run(items)).toEqual({ started: 0, alreadyStarted: 2, skipped: {} });
    expect(started).toHaveLength(2);
    expect([...repository.runs.values()].map((r) => [r.customerId, r.subjectId, r.status])).toEqual([
      ['c-1', 'INV-1', 'running'],
      ['c-2', 'INV-2', 'running'],
    ]);
    expect(repository.timeline.filter((e) => e.outcome === 'started')).toHaveLength(2);
  });

  it('starts one run, with one started line, when two batches of the same day overlap', async () => {
    const { open, runAt, started, repository } = setup();
    await open('c-1', 'INV-1');
    const items = [{ customerId: 'c-1', subjectId: 'INV-1' }];
    const results = await Promise.all([
      runAt('2026-12-01T06:00:00Z', items),
      runAt('2026-12-01T06:05:00Z', items),
    ]);
    expect(results.map((r) => r.started).sort()).toEqual([0, 1]);
    expect(results.map((r) => r.alreadyStarted).sort()).toEqual([0, 1]);
    expect(started).toHaveLength(1);
    expect(repository.timeline.filter((e) => e.outcome === 'started')).toHaveLength(1);
  });

  it('skips with a reason what the index still listed but is no longer due, or was started before', async () => {
    const { open, run, repository } = setup();
    await open('c-1', 'INV-1');
    await run([{ customerId: 'c-1', subjectId: 'INV-1' }], '2026-11-30');
    await open('c-2', 'INV-PAID');
    await repository.putSubject({ customerId: 'c-2', subjectId: 'INV-PAID', status: 'paid', updatedAt: 'x' });
    await repository.putSubject({ customerId: 'c-3', subjectId: 'INV-BARE', status: 'open', updatedAt: 'x' });
    await open('c-gone', 'INV-9');
    const result = await run([
      { customerId: 'c-1', subjectId: 'INV-1' },
      { customerId: 'c-2', subjectId: 'INV-PAID' },
      { customerId: 'c-3', subjectId: 'INV-BARE' },
      { customerId: 'c-3', subjectId: 'INV-NONE' },
      { customerId: 'c-gone', subjectId: 'INV-9' },
    ]);
    expect(result).toEqual({
      started: 0,
      alreadyStarted: 0,
      skipped: {
        [SKIP.earlierRun]: 1,
        [SKIP.invoiceNotOpen]: 1,
        [SKIP.invoiceWithoutDetails]: 1,
        [SKIP.invoiceNotFound]: 1,
        [SKIP.customerNotFound]: 1,
      },
    });
  });

  it('plans each run’s first wake in the customer’s window: a batch fired at 03:00 wakes at 09:00 there, spread by customer', async () => {
    const { open, run, wakes } = setup('2026-12-01T02:00:00Z');
    await open('c-1', 'INV-1');
    await open('c-2', 'INV-2');
    await run([
      { customerId: 'c-1', subjectId: 'INV-1' },
      { customerId: 'c-2', subjectId: 'INV-2' },
    ]);
    const local = [...wakes.values()].map((at) =>
      new Intl.DateTimeFormat('sv-SE', {
        timeZone: 'Europe/Amsterdam',
        dateStyle: 'short',
        timeStyle: 'short',
      }).format(new Date(at)),
    );
    expect(local).toHaveLength(2);
    for (const at of local) expect(at >= '2026-12-01 09:00' && at < '2026-12-01 10:00', at).toBe(true);
    expect(new Set(wakes.values()).size).toBe(2);
  });
});
