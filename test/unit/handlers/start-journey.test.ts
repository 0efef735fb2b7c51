import { describe, expect, it } from 'vitest';
import { makeHandler } from '#handlers/start-journey.ts';
import { InMemoryRepository } from '../../fixtures/in-memory-repository.ts';
import { fixedClock, httpEvent, lambdaContext } from '../../fixtures/lambda.ts';

const invoice = {
  type: 'invoice',
  id: 'INV-1',
  amount: '120.50',
  currency: 'EUR',
  dueDate: '2026-11-20',
  payUrl: 'https://pay.example.com/INV-1',
};

function setup(now = '2026-12-01T09:00:00Z') {
  const repository = new InMemoryRepository();
  repository.customers.set('c-1', { id: 'c-1', locale: 'nl-NL', country: 'NL', email: 'c1@example.nl' });
  const started: Array<{ runId: string; input: unknown }> = [];
  const handler = makeHandler({
    customers: repository,
    runs: repository,
    timeline: repository,
    clock: fixedClock(now),
    journeys: {
      'payment-reminder':
        'arn:aws:states:eu-west-1:123456789012:stateMachine:klantreis-test-payment-reminder',
      appointment: 'arn:aws:states:eu-west-1:123456789012:stateMachine:klantreis-test-appointment',
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
      async inputOf(executionArn) {
        const execution = started.find((s) => executionArn.endsWith(`:${s.runId}`));
        return execution && JSON.stringify(execution.input);
      },
    },
  });
  const post = (body: unknown, headers: Record<string, string> = {}, journeyId = 'payment-reminder') =>
    handler(httpEvent({ pathParameters: { journeyId }, body, headers }), lambdaContext);
  return { repository, started, post };
}

const bodyOf = (result: { body?: string }) => JSON.parse(result.body ?? '{}');
const wakeOf = (started: Array<{ input: unknown }>) =>
  (started[0]?.input as { journey: { progress: { wakeAt: string } } } | undefined)?.journey.progress.wakeAt ??
  '';
/** Returns the local wall clock of an instant in Amsterdam, e.g. `2026-12-01 09:00`. */
const amsterdam = (iso: string) =>
  new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Amsterdam',
    dateStyle: 'short',
    timeStyle: 'short',
  }).format(new Date(iso));

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
    // Inside the customer's window (10:00 in Amsterdam): now plus the customer's spread within the hour.
    const offset = Date.parse(wakeOf(started)) - Date.parse('2026-12-01T09:00:00Z');
    expect(offset).toBeGreaterThanOrEqual(0);
    expect(offset).toBeLessThan(60 * 60_000);
    expect(repository.timeline.map((e) => e.outcome)).toEqual(['started']);
  });

  it('plans a night start’s first wake at the window’s opening in the customer’s zone, not at night', async () => {
    const { post, started } = setup('2026-12-01T02:00:00Z');
    expect((await post({ customerId: 'c-1', subject: invoice })).statusCode).toBe(201);
    const local = amsterdam(wakeOf(started));
    expect(local >= '2026-12-01 09:00' && local < '2026-12-01 10:00', local).toBe(true);
  });

  it('reads the customer’s behaviour for the segment’s window: a repeat late payer started on Friday evening wakes on Monday, not on Saturday', async () => {
    const { post, started, repository } = setup('2026-12-04T19:00:00Z');
    for (const [i, at] of ['2026-03-02T10:00:00Z', '2026-06-01T10:00:00Z'].entries()) {
      await repository.recordEvent('c-1', { type: 'payment.late', occurredAt: at, subjectId: `INV-0${i}` });
    }
    await post({ customerId: 'c-1', subject: invoice });
    expect(amsterdam(wakeOf(started)).slice(0, 13)).toBe('2026-12-07 09');
    const other = setup('2026-12-04T19:00:00Z');
    await other.post({ customerId: 'c-1', subject: invoice });
    expect(amsterdam(wakeOf(other.started)).slice(0, 13)).toBe('2026-12-05 10');
  });

  it('plans no first wake for a journey that starts with its Task: no behaviour read, the start progress is now', async () => {
    const { post, started, repository } = setup('2026-12-01T02:00:00Z');
    let eventReads = 0;
    const listEvents = repository.listEvents.bind(repository);
    repository.listEvents = async (...args) => {
      eventReads += 1;
      return listEvents(...args);
    };
    const appointment = {
      type: 'appointment',
      id: 'APT-1',
      startsAt: '2026-12-03T10:00:00+01:00',
      locationName: 'Praktijk Centrum',
      manageUrl: 'https://example.com/appointments/APT-1',
    };
    const result = await post({ customerId: 'c-1', subject: appointment }, {}, 'appointment');
    expect(result.statusCode).toBe(201);
    expect(wakeOf(started)).toBe('2026-12-01T02:00:00.000Z');
    expect(eventReads).toBe(0);
    // A journey that starts with a Wait reads it (the payment reminder).
    expect(
      (await post({ customerId: 'c-1', subject: invoice }, { 'Idempotency-Key': 'INV-1' })).statusCode,
    ).toBe(201);
    expect(eventReads).toBe(1);
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
