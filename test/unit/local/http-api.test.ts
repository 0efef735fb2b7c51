import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalHttpApi, startHttpApi } from '#infra/local/http-api.ts';

const logged: Array<{ level: string; message: string; fields: unknown }> = [];
let api: LocalHttpApi;

beforeAll(async () => {
  api = await startHttpApi(
    [
      {
        method: 'GET',
        path: '/customers/{customerId}',
        functionName: 'get-customer',
        handler: async (event) => ({ statusCode: 200, body: JSON.stringify(event.pathParameters) }),
      },
      {
        method: 'GET',
        path: '/broken/{id}',
        functionName: 'broken',
        handler: async () => {
          throw new Error('boom');
        },
      },
    ],
    {
      log: {
        warn: (message: string, fields?: unknown) => logged.push({ level: 'warn', message, fields }),
        error: (message: string, fields?: unknown) => logged.push({ level: 'error', message, fields }),
      } as never,
    },
  );
});
afterAll(() => api.stop());

describe('local HTTP API', () => {
  it('decodes percent-encoded path parameters as API Gateway does', async () => {
    const response = await fetch(`${api.url}/customers/c%3A1%20x`);
    expect(await response.json()).toEqual({ customerId: 'c:1 x' });
  });

  it('answers malformed percent-encoding in a path id with a logged 400 naming the parameter', async () => {
    const response = await fetch(`${api.url}/customers/%E0%A4%A`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({
      error: 'invalid path',
      issues: [{ path: 'customerId', message: 'malformed percent-encoding' }],
    });
    expect(logged).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        fields: { route: 'GET /customers/{customerId}', parameter: 'customerId' },
      }),
    );
    // The refused value is not logged: it may be a customer's id.
    expect(JSON.stringify(logged)).not.toContain('%E0%A4%A');
  });

  it('logs a handler that throws, and answers 500 without details', async () => {
    const response = await fetch(`${api.url}/broken/1`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: 'internal error' });
    expect(logged).toContainEqual(
      expect.objectContaining({ level: 'error', message: 'local API request failed' }),
    );
  });
});
