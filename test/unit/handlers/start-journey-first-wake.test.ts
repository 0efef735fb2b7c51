/**
 * A journey whose first message is about a subject date (its catalog `firstWake`, written by generate
 * from the journey definition): the starter plans the run's first wake on that day, in the customer's
 * window, instead of the next slot from now. The payment reminder stands in, given a first wake two
 * days before the invoice's due date.
 */
import { describe, expect, it, vi } from 'vitest';
import { makeHandler } from '#handlers/start-journey.ts';
import { InMemoryRepository } from '../../fixtures/in-memory-repository.ts';
import { fixedClock, httpEvent, lambdaContext } from '../../fixtures/lambda.ts';

vi.mock('#catalog/catalog.ts', async (importOriginal) => {
  const catalog = await importOriginal<typeof import('#catalog/catalog.ts')>();
  return {
    ...catalog,
    journeys: catalog.journeys.map((j) =>
      j.id === 'payment-reminder' ? { ...j, firstWake: { daysBefore: 2, of: 'dueDate' } } : j,
    ),
  };
});

const invoice = (dueDate: string) => ({
  type: 'invoice',
  id: 'INV-1',
  amount: '120.50',
  currency: 'EUR',
  dueDate,
  payUrl: 'https://pay.example.com/INV-1',
});

/** Starts a run at `now` (Tuesday 1 December 2026, 10:00 in Amsterdam) and returns its first wake, local. */
async function firstWakeOf(dueDate: string, now = '2026-12-01T09:00:00Z'): Promise<string> {
  const repository = new InMemoryRepository();
  repository.customers.set('c-1', {
    id: 'c-1',
    locale: 'nl-NL',
    country: 'NL',
    timezone: 'Europe/Amsterdam',
    birthDate: '1980-06-15',
    email: 'c1@example.nl',
  });
  const inputs: unknown[] = [];
  const handler = makeHandler({
    customers: repository,
    runs: repository,
    timeline: repository,
    clock: fixedClock(now),
    journeys: { 'payment-reminder': 'arn:aws:states:eu-west-1:123456789012:stateMachine:klantreis-test-pr' },
    newRunId: () => 'run-1',
    starter: {
      async startJourney({ stateMachineArn, runId, input }) {
        inputs.push(input);
        return { executionArn: `${stateMachineArn}:${runId}`, alreadyStarted: false };
      },
      async inputOf() {
        return undefined;
      },
    },
  });
  const result = await handler(
    httpEvent({
      pathParameters: { journeyId: 'payment-reminder' },
      body: { customerId: 'c-1', subject: invoice(dueDate) },
    }),
    lambdaContext,
  );
  expect(result.statusCode, result.body).toBe(201);
  const wakeAt = (inputs[0] as { journey: { progress: { wakeAt: string } } }).journey.progress.wakeAt;
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Amsterdam',
    dateStyle: 'short',
    timeStyle: 'short',
  }).format(new Date(wakeAt));
}

describe('start-journey: a first wake relative to a subject date', () => {
  it('wakes the run two days before the due date, in the customer’s window that day', async () => {
    const at = await firstWakeOf('2026-12-17');
    // Tuesday 15 December: the default segment's window opens at 09:00, plus the customer's spread.
    expect(at >= '2026-12-15 09:00' && at < '2026-12-15 10:00', at).toBe(true);
  });

  it('a day already passed: the next slot from now', async () => {
    const at = await firstWakeOf('2026-12-02');
    expect(at >= '2026-12-01 10:00' && at < '2026-12-01 11:00', at).toBe(true);
  });
});
