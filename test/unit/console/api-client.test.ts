/**
 * The console's API client: a 401 ends the session, a 403 keeps the server's words, a 400's field
 * issues land on the form's fields; the search box tells ids, email addresses and phone numbers apart.
 */
import { describe, expect, it } from 'vitest';
import { ApiError, createApiClient, fieldErrorsOf } from '../../../infra/console/web/src/api/api-client.ts';
import { segmentAtLastDecision } from '../../../infra/console/web/src/api/conversation.ts';
import { customerQueryOf } from '../../../infra/console/web/src/api/customers.ts';

const answering = (status: number, body: unknown) => async () =>
  new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });

describe('createApiClient', () => {
  it('calls /api on the same origin with JSON and the session’s credential', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const api = createApiClient({
      credentialHeaders: async () => ({ authorization: 'Bearer token' }),
      onUnauthorized: () => {},
      fetch: (async (url: string, init: RequestInit) => {
        calls.push({ url, init });
        return new Response(JSON.stringify({ ok: true }), { status: 200 });
      }) as typeof fetch,
    });
    expect(await api.send('PUT', '/customers/c-1/preferences', { channel: 'sms' })).toEqual({ ok: true });
    expect(calls[0]?.url).toBe('/api/customers/c-1/preferences');
    expect(calls[0]?.init.body).toBe('{"channel":"sms"}');
    expect(calls[0]?.init.headers).toMatchObject({
      authorization: 'Bearer token',
      'content-type': 'application/json',
    });
  });

  it('ends the session on a 401 and throws', async () => {
    let ended = 0;
    const api = createApiClient({
      credentialHeaders: async () => ({}),
      onUnauthorized: () => {
        ended++;
      },
      fetch: answering(401, { error: 'unauthorized: your session has ended; sign in again' }) as typeof fetch,
    });
    await expect(api.get('/customers/c-1')).rejects.toMatchObject({ status: 401 });
    expect(ended).toBe(1);
  });

  it('keeps the words of a 403 and the field issues of a 400', async () => {
    const refusal = 'forbidden: this needs the agent role; you are signed in as a viewer';
    const forbidden = createApiClient({
      credentialHeaders: async () => ({}),
      onUnauthorized: () => {},
      fetch: answering(403, { error: refusal }) as typeof fetch,
    });
    const error = await forbidden.get('/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toBe(refusal);

    const invalid = createApiClient({
      credentialHeaders: async () => ({}),
      onUnauthorized: () => {},
      fetch: answering(400, {
        error: 'invalid request',
        issues: [{ path: 'promisedDate', message: 'must be today or later' }, { bad: true }],
      }) as typeof fetch,
    });
    const badRequest = (await invalid.send('POST', '/x', {}).catch((e: unknown) => e)) as ApiError;
    expect(badRequest.status).toBe(400);
    expect(badRequest.issues).toEqual([{ path: 'promisedDate', message: 'must be today or later' }]);
  });
});

describe('fieldErrorsOf', () => {
  it('puts each issue on the field it names, nested or prefixed, and the rest on the form', () => {
    expect(
      fieldErrorsOf(
        [
          { path: 'byPurpose.marketing', message: 'Invalid option' },
          { path: 'body.until', message: 'must be in the future' },
          { path: 'until', message: 'must be at most 90 days ahead' },
          { path: '(body)', message: 'invalid JSON' },
          { path: 'outcome.kind', message: 'Invalid input' },
        ],
        ['byPurpose.marketing', 'until', 'outcome'],
      ),
    ).toEqual({
      'byPurpose.marketing': 'Invalid option',
      until: 'must be in the future; must be at most 90 days ahead',
      outcome: 'Invalid input',
      '': 'invalid JSON',
    });
  });
});

describe('customerQueryOf', () => {
  it('reads an email address, a phone number as typed, or an id', () => {
    expect(customerQueryOf('  sanne@example.nl ')).toEqual({ by: 'email', email: 'sanne@example.nl' });
    expect(customerQueryOf('+31 6 1234-5678')).toEqual({ by: 'phone', phone: '+31612345678' });
    expect(customerQueryOf('c-1001')).toEqual({ by: 'id', id: 'c-1001' });
    expect(customerQueryOf('   ')).toBeUndefined();
  });
});

describe('segmentAtLastDecision', () => {
  it('reads the segment the newest decision chose, passing over the segments it skipped', () => {
    const decision = (at: string, reasons: string[]) => ({
      kind: 'decision' as const,
      at,
      summary: 's',
      reasons,
    });
    expect(
      segmentAtLastDecision([
        { kind: 'message', at: '2026-12-08T09:00:00Z', summary: 'sent' },
        decision('2026-12-08T08:00:00Z', [
          'segment senior skipped: age 46 < 65',
          'segment default: catch-all',
        ]),
        decision('2026-12-01T08:00:00Z', ['segment young-digital: age 24 ≤ 34']),
      ]),
    ).toEqual({ segment: 'default', why: 'catch-all', at: '2026-12-08T08:00:00Z' });
    expect(
      segmentAtLastDecision([decision('2026-12-01T08:00:00Z', ['only before the due date'])]),
    ).toBeUndefined();
  });
});
