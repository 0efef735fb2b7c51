import { describe, expect, it } from 'vitest';
import type { Consent } from '#core/customer.ts';
import { makeHandler } from '#handlers/set-consents.ts';
import { InMemoryRepository } from '../../fixtures/in-memory-repository.ts';
import { httpEvent, lambdaContext } from '../../fixtures/lambda.ts';

const stop: Consent = {
  channel: 'sms',
  purpose: 'service',
  granted: false,
  at: '2026-12-01T10:00:00Z',
  source: 'sms-stop',
};

function setup() {
  const repository = new InMemoryRepository();
  // The customer texted STOP at 10:00 (the SMS feedback handler appends it to the history).
  repository.customers.set('c-1', { id: 'c-1', locale: 'nl-NL', country: 'NL', consents: [stop] });
  const handler = makeHandler({
    customers: repository,
    timeline: repository,
    clock: { now: () => new Date('2026-12-01T12:00:00Z') },
  });
  const put = (consents: Consent[]) =>
    handler(httpEvent({ pathParameters: { customerId: 'c-1' }, body: { consents } }), lambdaContext);
  return { repository, put };
}

describe('set-consents', () => {
  it('does not let a grant dated before an SMS STOP undo that opt-out', async () => {
    const { repository, put } = setup();
    const stale: Consent = { ...stop, granted: true, at: '2026-12-01T09:00:00Z', source: 'portal' };
    const response = await put([stale]);
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(String(response.body)).consents).toEqual([stop]);
    expect(repository.customers.get('c-1')?.consents).toEqual([stop]);
  });

  it('lets a later grant replace the opt-out, and keeps other channels and purposes', async () => {
    const { repository, put } = setup();
    const later: Consent = { ...stop, granted: true, at: '2026-12-01T11:00:00Z', source: 'portal' };
    const marketing: Consent = {
      channel: 'email',
      purpose: 'marketing',
      granted: true,
      at: '2026-12-01T11:00:00Z',
      source: 'portal',
    };
    await put([later, marketing]);
    expect(repository.customers.get('c-1')?.consents).toEqual([later, marketing]);
  });

  it('answers 404 for an unknown customer and creates nothing', async () => {
    const { repository } = setup();
    const handler = makeHandler({
      customers: repository,
      timeline: repository,
      clock: { now: () => new Date('2026-12-01T09:00:00Z') },
    });
    const response = await handler(
      httpEvent({ pathParameters: { customerId: 'nobody' }, body: { consents: [stop] } }),
      lambdaContext,
    );
    expect(response.statusCode).toBe(404);
    expect(repository.customers.has('nobody')).toBe(false);
  });
});
