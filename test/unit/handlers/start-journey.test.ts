import { describe, expect, it } from 'vitest';
import { makeHandler } from '#handlers/start-journey.ts';
import { InMemoryRepository } from '../../fixtures/in-memory-repository.ts';
import { fixedClock, httpEvent, lambdaContext } from '../../fixtures/lambda.ts';

const invoice = {
  type: 'invoice',
  id: 'INV-1',
  amount: 120.5,
  currency: 'EUR',
  dueDate: '2026-11-20',
  payUrl: 'https://pay.example.com/INV-1',
};

function setup() {
  const repository = new InMemoryRepository();
  repository.customers.set('c-1', { id: 'c-1', locale: 'nl-NL', country: 'NL', email: 'c1@example.nl' });
  const started: Array<{ runId: string; input: unknown }> = [];
  const handler = makeHandler({
    customers: repository,
    runs: repository,
    timeline: repository,
    clock: fixedClock('2026-12-01T09:00:00Z'),
    journeys: {
      'payment-reminder':
        'arn:aws:states:eu-west-1:123456789012:stateMachine:klantreis-test-payment-reminder',
    },
    newRunId: () => 'generated-run-id',
    starter: {
      async startJourney({ stateMachineArn, runId, input }) {
        const alreadyStarted = started.some((s) => s.runId === runId);
        if (!alreadyStarted) started.push({ runId, input });
        return {
          executionArn: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${runId}`,
          alreadyStarted,
        };
      },
    },
  });
  const post = (body: unknown, headers: Record<string, string> = {}, journeyId = 'payment-reminder') =>
    handler(httpEvent({ pathParameters: { journeyId }, body, headers }), lambdaContext);
  return { repository, started, post };
}

const bodyOf = (result: { body?: string }) => JSON.parse(result.body ?? '{}');

describe('start-journey', () => {
  it('starts a run named after the idempotency key and records it', async () => {
    const { post, started, repository } = setup();
    const result = await post({ customerId: 'c-1', subject: invoice }, { 'Idempotency-Key': 'INV-1' });
    expect(result.statusCode).toBe(201);
    expect(bodyOf(result)).toMatchObject({ runId: 'INV-1', status: 'running', customerId: 'c-1' });
    expect(started).toEqual([
      {
        runId: 'INV-1',
        input: {
          customerId: 'c-1',
          journeyId: 'payment-reminder',
          subject: invoice,
          // The journey's first Wait ends at it: now plus this customer's spread within the policy's hour.
          journey: { progress: { action: 'start', wakeAt: expect.any(String) } },
        },
      },
    ]);
    const wakeAt = Date.parse(
      (started[0]?.input as { journey: { progress: { wakeAt: string } } } | undefined)?.journey.progress
        .wakeAt ?? '',
    );
    const offset = wakeAt - Date.parse('2026-12-01T09:00:00Z');
    expect(offset).toBeGreaterThanOrEqual(0);
    expect(offset).toBeLessThan(60 * 60_000);
    expect(repository.timeline.map((e) => e.outcome)).toEqual(['started']);
  });

  it('returns the first run for a repeated key and starts nothing new', async () => {
    const { post, started } = setup();
    await post({ customerId: 'c-1', subject: invoice, idempotencyKey: 'k-1' });
    const repeat = await post({ customerId: 'c-1', subject: invoice, idempotencyKey: 'k-1' });
    expect(repeat.statusCode).toBe(200);
    expect(bodyOf(repeat).runId).toBe('k-1');
    expect(started).toHaveLength(1);
  });

  it('generates a run id when no key is given', async () => {
    const { post } = setup();
    expect(bodyOf(await post({ customerId: 'c-1', subject: invoice })).runId).toBe('generated-run-id');
  });

  it('names every failing field in a 400', async () => {
    const { post, started } = setup();
    const result = await post({ subject: { ...invoice, currency: 'euro', dueDate: 'tomorrow' } });
    expect(result.statusCode).toBe(400);
    expect(
      bodyOf(result)
        .issues.map((i: { path: string }) => i.path)
        .sort(),
    ).toEqual(['customerId', 'subject.currency', 'subject.dueDate']);
    expect(started).toHaveLength(0);
  });

  it('refuses an idempotency key that cannot be an execution name', async () => {
    const { post } = setup();
    const result = await post(
      { customerId: 'c-1', subject: invoice },
      { 'idempotency-key': 'has spaces/and slashes' },
    );
    expect(result.statusCode).toBe(400);
    expect(bodyOf(result).issues[0].path).toBe('Idempotency-Key');
  });

  it('answers 404 for an unknown journey and for an unknown customer', async () => {
    const { post } = setup();
    expect((await post({ customerId: 'c-1', subject: invoice }, {}, 'onboarding')).statusCode).toBe(404);
    expect((await post({ customerId: 'c-404', subject: invoice })).statusCode).toBe(404);
  });

  it('answers 413 for an oversized body', async () => {
    const { post } = setup();
    const result = await post({ customerId: 'c-1', subject: invoice, padding: 'x'.repeat(70_000) });
    expect(result.statusCode).toBe(413);
  });
});
