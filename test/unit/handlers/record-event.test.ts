import { describe, expect, it } from 'vitest';
import type { ExecutionView, JourneyExecutions, JourneyRun } from '#core/ports.ts';
import { makeHandler } from '#handlers/record-event.ts';
import { InMemoryRepository } from '../../fixtures/in-memory-repository.ts';
import { fixedClock, httpEvent, lambdaContext } from '../../fixtures/lambda.ts';

/** Step Functions in memory: executions by ARN; stop marks a running one ABORTED. */
function fakeExecutions(statuses: Record<string, ExecutionView['status']>) {
  const stopped: string[] = [];
  const executions: JourneyExecutions = {
    async describe(arn) {
      const status = statuses[arn];
      return status ? { status } : undefined;
    },
    async stop(arn) {
      if (statuses[arn] !== 'RUNNING') return;
      statuses[arn] = 'ABORTED';
      stopped.push(arn);
    },
  };
  return { executions, stopped };
}

const run = (runId: string, subjectId: string, journeyId = 'payment-reminder'): JourneyRun => ({
  runId,
  journeyId,
  customerId: 'c-1',
  subjectId,
  executionArn: `arn:exec:${runId}`,
  status: 'running',
  startedAt: '2026-12-01T08:00:00Z',
});

function setup(statuses: Record<string, ExecutionView['status']> = {}) {
  const repository = new InMemoryRepository();
  repository.customers.set('c-1', { id: 'c-1', locale: 'nl-NL', country: 'NL' });
  const { executions, stopped } = fakeExecutions(statuses);
  const handler = makeHandler({
    customers: repository,
    timeline: repository,
    runs: repository,
    executions,
    clock: fixedClock('2026-12-03T10:00:00Z'),
    newEventId: () => 'event-1',
  });
  const post = (customerId: string, body: unknown) =>
    handler(httpEvent({ pathParameters: { customerId }, body }), lambdaContext);
  return { repository, post, stopped };
}

describe('record-event', () => {
  it('marks the invoice paid, which the journey’s goal check reads', async () => {
    const { post, repository } = setup();
    const result = await post('c-1', { type: 'invoice.paid', subjectId: 'INV-1' });
    expect(result.statusCode).toBe(202);
    expect(await repository.getSubject('c-1', 'INV-1')).toMatchObject({ status: 'paid' });
    expect(repository.events[0]?.event).toEqual({
      type: 'invoice.paid',
      subjectId: 'INV-1',
      occurredAt: '2026-12-03T10:00:00.000Z',
    });
    expect(repository.timeline[0]).toMatchObject({ kind: 'event', summary: 'invoice.paid (INV-1)' });
  });

  it('stops the running journeys about the paid invoice at once and records each exit', async () => {
    const { post, repository, stopped } = setup({
      'arn:exec:r-1': 'RUNNING',
      'arn:exec:r-2': 'RUNNING',
      'arn:exec:r-3': 'SUCCEEDED',
    });
    for (const r of [run('r-1', 'INV-1'), run('r-2', 'INV-2'), run('r-3', 'INV-1')])
      await repository.putRun(r);
    const result = await post('c-1', { type: 'invoice.paid', subjectId: 'INV-1' });
    expect(JSON.parse(result.body ?? '{}').endedRuns).toBe(1);
    expect(stopped).toEqual(['arn:exec:r-1']);
    expect(repository.runs.get('r-1')?.status).toBe('goal-reached');
    expect(repository.runs.get('r-2')?.status).toBe('running');
    const exits = repository.timeline.filter((e) => e.kind === 'journey');
    expect(exits).toEqual([
      expect.objectContaining({ runId: 'r-1', journeyId: 'payment-reminder', outcome: 'goal-reached' }),
    ]);
    expect(exits[0]?.summary).toContain('invoice.paid');
  });

  it('stops nothing for an event that is no exit', async () => {
    const { post, repository, stopped } = setup({ 'arn:exec:r-1': 'RUNNING' });
    await repository.putRun(run('r-1', 'INV-1'));
    const result = await post('c-1', { type: 'invoice.created', subjectId: 'INV-1' });
    expect(JSON.parse(result.body ?? '{}').endedRuns).toBe(0);
    expect(stopped).toEqual([]);
  });

  it('keeps the time the event happened when the sender gives it', async () => {
    const { post, repository } = setup();
    await post('c-1', { type: 'payment.late', occurredAt: '2026-11-30T08:00:00+01:00' });
    expect(repository.events[0]?.event.occurredAt).toBe('2026-11-30T08:00:00+01:00');
    expect(repository.subjects.size).toBe(0);
  });

  it('requires the invoice id for an invoice event', async () => {
    const { post } = setup();
    const result = await post('c-1', { type: 'invoice.paid' });
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body ?? '{}').issues[0].path).toBe('subjectId');
  });

  it('rejects an unknown event type naming the field', async () => {
    const { post } = setup();
    const result = await post('c-1', { type: 'invoice.burnt', subjectId: 'INV-1' });
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body ?? '{}').issues[0].path).toBe('type');
  });

  it('answers 404 for an unknown customer and stores nothing', async () => {
    const { post, repository } = setup();
    expect((await post('c-404', { type: 'invoice.paid', subjectId: 'INV-1' })).statusCode).toBe(404);
    expect(repository.events).toHaveLength(0);
  });
});
