import { describe, expect, it } from 'vitest';
import { makeHandler } from '#handlers/record-event.ts';
import { InMemoryRepository } from '../../fixtures/in-memory-repository.ts';
import { fixedClock, httpEvent, lambdaContext } from '../../fixtures/lambda.ts';

function setup() {
  const repository = new InMemoryRepository();
  repository.customers.set('c-1', { id: 'c-1', locale: 'nl-NL', country: 'NL' });
  const handler = makeHandler({
    customers: repository,
    timeline: repository,
    clock: fixedClock('2026-12-03T10:00:00Z'),
    newEventId: () => 'event-1',
  });
  const post = (customerId: string, body: unknown) =>
    handler(httpEvent({ pathParameters: { customerId }, body }), lambdaContext);
  return { repository, post };
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
