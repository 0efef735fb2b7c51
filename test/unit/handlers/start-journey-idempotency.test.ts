/**
 * start-journey under repeats: identical starts at the same moment, a start that crashed between
 * its claim and the execution, and a key another customer's start holds. The starter behaves as
 * Step Functions does: the same name and input while the execution runs is that execution again.
 */
import { describe, expect, it } from 'vitest';
import { makeHandler } from '#handlers/start-journey.ts';
import { InMemoryRepository } from '../../fixtures/in-memory-repository.ts';
import { httpEvent, lambdaContext } from '../../fixtures/lambda.ts';

const STATE_MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:klantreis-test-payment-reminder';
const invoice = {
  type: 'invoice',
  id: 'INV-1',
  amount: '120.50',
  currency: 'EUR',
  dueDate: '2026-11-20',
  payUrl: 'https://pay.example.com/INV-1',
};

/** Step Functions' executions by name: input (JSON) and whether the start call is to fail (a crash). */
class FakeStepFunctions {
  readonly executions = new Map<string, string>();
  startCalls = 0;
  crashNextStart = false;

  async startJourney(request: { stateMachineArn: string; runId: string; input: unknown }) {
    this.startCalls += 1;
    await Promise.resolve();
    if (this.crashNextStart) {
      this.crashNextStart = false;
      throw new Error('the function died before StartExecution returned');
    }
    const executionArn = `${request.stateMachineArn.replace(':stateMachine:', ':execution:')}:${request.runId}`;
    const input = JSON.stringify(request.input);
    const known = this.executions.get(request.runId);
    if (known !== undefined) return { executionArn, alreadyStarted: known !== input };
    this.executions.set(request.runId, input);
    return { executionArn, alreadyStarted: false };
  }

  async inputOf(executionArn: string) {
    return this.executions.get(executionArn.slice(executionArn.lastIndexOf(':') + 1));
  }
}

/** `sameMoment`: every request reads the same time (identical inputs); else each reads a later second. */
function setup(options: { sameMoment?: boolean } = {}) {
  const repository = new InMemoryRepository();
  for (const id of ['c-1', 'c-2']) {
    repository.customers.set(id, { id, locale: 'nl-NL', country: 'NL', email: `${id}@example.nl` });
  }
  const sfn = new FakeStepFunctions();
  let tick = Date.parse('2026-12-01T09:00:00Z');
  const step = options.sameMoment ? 0 : 1_000;
  const handler = makeHandler({
    customers: repository,
    runs: repository,
    timeline: repository,
    clock: {
      now: () => {
        tick += step;
        return new Date(tick);
      },
    },
    journeys: { 'payment-reminder': STATE_MACHINE },
    starter: sfn,
  });
  const post = (customerId: string, key = 'k-1') =>
    handler(
      httpEvent({
        pathParameters: { journeyId: 'payment-reminder' },
        body: { customerId, subject: invoice },
        headers: { 'Idempotency-Key': key },
      }),
      lambdaContext,
    );
  const startedLines = () => repository.timeline.filter((e) => e.outcome === 'started');
  return { repository, sfn, post, startedLines };
}

describe('start-journey: one start per idempotency key', () => {
  it('answers 201 once to fifty identical requests at the same moment, with one execution and one started line', async () => {
    const { sfn, post, startedLines } = setup({ sameMoment: true });
    const answers = await Promise.all(Array.from({ length: 50 }, () => post('c-1')));
    expect(answers.filter((a) => a.statusCode === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.statusCode === 200)).toHaveLength(49);
    expect(new Set(answers.map((a) => JSON.parse(a.body ?? '{}').startedAt)).size).toBe(1);
    expect(sfn.executions.size).toBe(1);
    expect(startedLines()).toHaveLength(1);
  });

  it('finishes a start that crashed between its claim and the execution: the same input, one line, then plain repeats', async () => {
    const { repository, sfn, post, startedLines } = setup();
    sfn.crashNextStart = true;
    expect((await post('c-1')).statusCode).toBe(500);
    expect(sfn.executions.size).toBe(0);
    const claimed = repository.pendingRunInputs.get('k-1');

    const retry = await post('c-1');
    expect(retry.statusCode).toBe(200);
    expect(sfn.executions.get('k-1')).toBe(claimed);
    expect(startedLines()).toHaveLength(1);
    expect(repository.pendingRunInputs.size).toBe(0);

    const calls = sfn.startCalls;
    expect((await post('c-1')).statusCode).toBe(200);
    expect(sfn.startCalls).toBe(calls);
    expect(startedLines()).toHaveLength(1);
  });

  it('answers 409 and releases its claim when the execution of that name is another customer’s', async () => {
    const { repository, sfn, post, startedLines } = setup();
    // Another customer's start with this key took the execution name first (its run item not yet visible).
    sfn.executions.set(
      'k-1',
      JSON.stringify({ customerId: 'c-2', journeyId: 'payment-reminder', subject: invoice }),
    );
    const answer = await post('c-1');
    expect(answer.statusCode).toBe(409);
    expect(repository.runs.has('k-1')).toBe(false);
    expect(startedLines()).toEqual([]);
  });

  it('answers 409 to the same key for another customer once the first run is recorded', async () => {
    const { sfn, post } = setup();
    expect((await post('c-1')).statusCode).toBe(201);
    expect((await post('c-2')).statusCode).toBe(409);
    expect(sfn.executions.size).toBe(1);
  });
});
