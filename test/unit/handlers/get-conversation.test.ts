import { describe, expect, it } from 'vitest';
import type { ConversationReader } from '#core/ports.ts';
import { decodeCursor, encodeCursor, makeHandler } from '#handlers/get-conversation.ts';
import { InMemoryRepository } from '../../fixtures/in-memory-repository.ts';
import { httpEvent, lambdaContext } from '../../fixtures/lambda.ts';

function setup() {
  const repository = new InMemoryRepository();
  repository.customers.set('c-1', { id: 'c-1', locale: 'nl-NL', country: 'NL' });
  const calls: Array<{ limit: number; after?: string }> = [];
  const conversation: ConversationReader = {
    async readConversation(customerId, page) {
      calls.push(page);
      return {
        entries: [
          { id: 'e-2', customerId, at: '2026-12-01T09:00:00.000Z', kind: 'message', summary: 'sent' },
        ],
        next: 'TIMELINE#2026-12-01T09:00:00.000Z#e-2',
      };
    },
  };
  const handler = makeHandler({ customers: repository, conversation });
  const get = (query: Record<string, string> = {}, customerId = 'c-1') =>
    handler(
      { ...httpEvent({ pathParameters: { customerId } }), queryStringParameters: query },
      lambdaContext,
    );
  return { get, calls };
}

describe('get-conversation', () => {
  it('returns a page of entries without the customer id in each, and a cursor to the next page', async () => {
    const { get, calls } = setup();
    const response = await get({ limit: '10' });
    expect(response.statusCode).toBe(200);
    const body = JSON.parse(String(response.body));
    expect(body.items).toEqual([
      { id: 'e-2', at: '2026-12-01T09:00:00.000Z', kind: 'message', summary: 'sent' },
    ]);
    expect(decodeCursor(body.nextCursor)).toBe('TIMELINE#2026-12-01T09:00:00.000Z#e-2');
    await get({ cursor: body.nextCursor });
    expect(calls).toEqual([{ limit: 10 }, { limit: 25, after: 'TIMELINE#2026-12-01T09:00:00.000Z#e-2' }]);
  });

  it('answers a malformed cursor or limit with 400 naming the parameter', async () => {
    const { get } = setup();
    const queries: Array<Record<string, string>> = [
      { cursor: 'garbage' },
      { cursor: encodeCursor('PROFILE') },
      { limit: '500' },
    ];
    for (const query of queries) {
      const response = await get(query);
      expect(response.statusCode).toBe(400);
      expect(JSON.parse(String(response.body)).issues[0].path).toBe(Object.keys(query)[0]);
    }
  });

  it('answers an unknown customer with 404', async () => {
    const { get } = setup();
    expect((await get({}, 'nobody')).statusCode).toBe(404);
  });
});
