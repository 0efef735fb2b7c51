/**
 * What the API takes: every number and date in a request body is bounded, and anything outside is a
 * 400 naming the field, never a 500 from the store and never a value other than the one sent.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ExecutionInputReader, JourneyStarter } from '#core/ports.ts';
import * as putCustomer from '#handlers/put-customer.ts';
import * as recordEvent from '#handlers/record-event.ts';
import * as setConsents from '#handlers/set-consents.ts';
import * as startJourney from '#handlers/start-journey.ts';
import { InMemoryRepository } from '../../fixtures/in-memory-repository.ts';
import { fixedClock, httpEvent, lambdaContext } from '../../fixtures/lambda.ts';

const NOW = '2026-12-03T10:00:00Z';

function setup() {
  const repository = new InMemoryRepository();
  repository.customers.set('c-1', { id: 'c-1', locale: 'nl-NL', country: 'NL' });
  const clock = fixedClock(NOW);
  const starter: JourneyStarter & ExecutionInputReader = {
    async startJourney({ runId }) {
      return { executionArn: `arn:exec:${runId}`, alreadyStarted: false };
    },
    async inputOf() {
      return undefined;
    },
  };
  const handlers = {
    event: recordEvent.makeHandler({
      customers: repository,
      timeline: repository,
      runs: repository,
      executions: { describe: async () => undefined, stop: async () => {} },
      clock,
    }),
    start: startJourney.makeHandler({
      customers: repository,
      runs: repository,
      timeline: repository,
      starter,
      clock,
      journeys: { 'payment-reminder': 'arn:sm:payment-reminder' },
    }),
    customer: putCustomer.makeHandler({ customers: repository, clock }),
    consents: setConsents.makeHandler({ customers: repository, timeline: repository, clock }),
  };
  const call = async (
    handler: keyof typeof handlers,
    pathParameters: Record<string, string>,
    body: unknown,
  ) => {
    const result = await handlers[handler](httpEvent({ pathParameters, body }), lambdaContext);
    return { status: result.statusCode, body: JSON.parse(result.body ?? '{}') };
  };
  return { repository, call };
}

const pathsOf = (body: { issues?: { path: string }[] }) => (body.issues ?? []).map((i) => i.path);

const invoiceData = (data: Record<string, unknown>) => ({
  type: 'invoice.created',
  subjectId: 'INV-1',
  data: {
    amount: '12.50',
    currency: 'EUR',
    dueDate: '2026-12-20',
    payUrl: 'https://pay.example.com/1',
    ...data,
  },
});

describe('record-event: numbers and dates', () => {
  it('refuses the amounts and dates a float or a typo would bring, naming the field', async () => {
    const { call } = setup();
    const refused = async (body: unknown) => {
      const result = await call('event', { customerId: 'c-1' }, body);
      expect(result.status, JSON.stringify(body)).toBe(400);
      return pathsOf(result.body);
    };
    expect(await refused(invoiceData({ amount: 1e308 }))).toEqual(['data.amount']);
    expect(await refused(invoiceData({ amount: 0.001 }))).toEqual(['data.amount']);
    expect(await refused(invoiceData({ amount: '12.505' }))).toEqual(['data.amount']);
    expect(await refused(invoiceData({ currency: 'EURO' }))).toEqual(['data.currency']);
    expect(await refused(invoiceData({ dueDate: '1900-01-01' }))).toEqual(['data.dueDate']);
    expect(await refused(invoiceData({ dueDate: '2037-01-01' }))).toEqual(['data.dueDate']);
    expect(await refused({ type: 'email.opened', occurredAt: '1900-01-01T00:00:00Z' })).toEqual([
      'occurredAt',
    ]);
    expect(
      await refused({
        type: 'appointment.rescheduled',
        subjectId: 'A-1',
        data: { startsAt: '2200-01-01T09:00:00Z' },
      }),
    ).toEqual(['data.startsAt']);
    expect(await refused({ type: 'email.opened', data: { score: 2 ** 53 + 1 } })).toEqual(['data.score']);
    expect(await refused({ type: 'email.opened', data: { tiny: 1e-200 } })).toEqual(['data.tiny']);
  });

  it('stores the invoice amount as the exact decimal, with the currency’s decimals', async () => {
    const { call, repository } = setup();
    const result = await call('event', { customerId: 'c-1' }, invoiceData({ amount: 12.5 }));
    expect(result.status).toBe(202);
    expect((await repository.getSubject('c-1', 'INV-1'))?.invoice).toMatchObject({
      amount: '12.50',
      currency: 'EUR',
    });
  });

  it('property: any numbers in the body give a 202 with storable numbers, or a 400 naming fields — never a 500', async () => {
    const number = fc.oneof(
      fc.double(),
      fc.integer(),
      fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, 1e-200, 5e-324, 0.001, 12.5, 0, -0),
    );
    const body = fc.record({
      type: fc.constantFrom(...recordEvent.RecordEventBody.shape.type.options),
      subjectId: fc.constant('INV-1'),
      data: fc.record({
        amount: fc.oneof(number, fc.constantFrom('12.50', '12.505', '1e3', '1000000000000.01')),
        currency: fc.constantFrom('EUR', 'JPY', 'KWD', 'XXX'),
        dueDate: fc.constantFrom('2026-12-20', '1900-01-01', '9999-12-31'),
        payUrl: fc.constant('https://pay.example.com/1'),
        startsAt: fc.constant('2026-12-20T09:00:00+01:00'),
        score: number,
      }),
    });
    await fc.assert(
      fc.asyncProperty(body, async (request) => {
        const { call, repository } = setup();
        const result = await call('event', { customerId: 'c-1' }, request);
        expect([202, 400]).toContain(result.status);
        if (result.status === 400) {
          expect(pathsOf(result.body).length).toBeGreaterThan(0);
          // arrangement.agreed requires its schedule, which these bodies never carry.
          for (const path of pathsOf(result.body))
            expect(path).toMatch(/^(data\.(amount|currency|dueDate|score)|arrangementId|instalments)$/);
          return;
        }
        // What was accepted is what DynamoDB can store exactly.
        for (const { event } of repository.events) {
          for (const value of Object.values(event.data ?? {})) {
            if (typeof value !== 'number') continue;
            expect(Math.abs(value)).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER);
            expect(value === 0 || Math.abs(value) >= 1e-130).toBe(true);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('dates the other routes take', () => {
  it('start-journey refuses an invoice due in 1900, naming subject.dueDate', async () => {
    const { call } = setup();
    const result = await call(
      'start',
      { journeyId: 'payment-reminder' },
      {
        customerId: 'c-1',
        subject: {
          type: 'invoice',
          id: 'INV-1',
          amount: '12.50',
          currency: 'EUR',
          dueDate: '1900-01-01',
          payUrl: 'https://pay.example.com/1',
        },
      },
    );
    expect(result).toEqual({
      status: 400,
      body: {
        error: 'invalid request',
        issues: [{ path: 'subject.dueDate', message: 'must be between 2016-12-03 and 2036-12-03' }],
      },
    });
  });

  it('put-customer refuses a birth date before 1876 or in the future, and a consent dated next year', async () => {
    const { call } = setup();
    const profile = { locale: 'nl-NL', country: 'NL' };
    const consent = { channel: 'email', purpose: 'service', granted: true, source: 'import' };
    expect(
      pathsOf((await call('customer', { customerId: 'c-2' }, { ...profile, birthDate: '1800-01-01' })).body),
    ).toEqual(['birthDate']);
    expect(
      pathsOf((await call('customer', { customerId: 'c-2' }, { ...profile, birthDate: '2027-01-01' })).body),
    ).toEqual(['birthDate']);
    const future = await call(
      'customer',
      { customerId: 'c-2' },
      {
        ...profile,
        consents: [{ ...consent, at: '2027-12-03T10:00:00Z' }],
      },
    );
    expect(pathsOf(future.body)).toEqual(['consents.0.at']);
    expect(
      (await call('customer', { customerId: 'c-2' }, { ...profile, birthDate: '1900-01-01' })).status,
    ).toBe(201);
  });

  it('set-consents refuses a consent dated in 1800, naming its index', async () => {
    const { call } = setup();
    const consent = { channel: 'email', purpose: 'service', granted: true, source: 'import' };
    const result = await call(
      'consents',
      { customerId: 'c-1' },
      {
        consents: [
          { ...consent, at: '2026-12-01T10:00:00Z' },
          { ...consent, at: '1800-01-01T00:00:00Z' },
        ],
      },
    );
    expect(result.status).toBe(400);
    expect(pathsOf(result.body)).toEqual(['consents.1.at']);
  });
});
