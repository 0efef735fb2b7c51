import { describe, expect, it } from 'vitest';
import { JourneysResponseSchema } from '#application/api/journeys.ts';
import { journeys } from '#catalog/catalog.ts';
import { positionKey } from '#core/journey-graph.ts';
import { makeHandler } from '#handlers/get-journeys.ts';
import { fixedClock, httpEvent, lambdaContext, viewer } from '../../fixtures/lambda.ts';

const counts: Record<string, Record<string, number>> = {
  'payment-reminder': {
    [positionKey({ stepKey: 'first-reminder', exit: 'next' })]: 7,
    [positionKey({ stepKey: 'second-reminder', exit: 'deferred' })]: 2,
  },
};

const handler = makeHandler({
  counts: { countsOf: async (journeyId) => counts[journeyId] ?? {} },
  clock: fixedClock('2026-12-01T10:00:00Z'),
});
const get = (caller?: Parameters<typeof httpEvent>[0]['caller']) =>
  handler(httpEvent({ pathParameters: {}, ...(caller ? { caller } : {}) }), lambdaContext);

describe('get-journeys', () => {
  it('answers every catalog journey with its states, edges and the running runs per state', async () => {
    const response = await get(viewer);
    expect(response.statusCode).toBe(200);
    const body = JourneysResponseSchema.parse(JSON.parse(String(response.body)));
    expect(body.journeys.map((j) => j.journeyId)).toEqual(journeys.map((j) => j.id));
    expect(body.countedAt).toBe('2026-12-01T10:00:00.000Z');
    const payment = body.journeys.find((j) => j.journeyId === 'payment-reminder');
    expect(payment?.subject).toBe('invoice');
    expect(payment?.running).toBe(9);
    const running = Object.fromEntries(
      payment?.states.filter((s) => s.running > 0).map((s) => [s.name, s.running]) ?? [],
    );
    expect(running).toEqual({ WaitForSecondReminder: 7, WaitAgainSecondReminder: 2 });
    expect(payment?.edges).toContainEqual({
      from: 'FirstReminder',
      to: 'FirstReminderUnread',
      kind: 'catch',
      errors: ['States.Timeout', 'Klantreis.EmailNotRead'],
    });
    // The journeys without counted runs have none running.
    for (const journey of body.journeys.filter((j) => !counts[j.journeyId])) expect(journey.running).toBe(0);
  });

  it('refuses a caller without a console role, in plain words', async () => {
    const response = await get('anonymous');
    expect(response.statusCode).toBe(403);
    expect(JSON.parse(String(response.body)).error).toBe(
      'forbidden: this needs the viewer role; you are not signed in',
    );
  });
});
