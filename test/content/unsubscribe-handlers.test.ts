import { createHmac } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { localUnsubscribeKey } from '#adapters/unsubscribe-key.ts';
import { consentProblem } from '#core/consent.ts';
import type { CustomerProfile } from '#core/customer.ts';
import { LOCAL_UNSUBSCRIBE_KEY, signUnsubscribeToken } from '#core/unsubscribe-token.ts';
import * as showPage from '#handlers/show-unsubscribe-page.ts';
import * as unsubscribe from '#handlers/unsubscribe.ts';
import { loadRoutedHandlers, openApiDocument } from '#infra/openapi.ts';
import { InMemoryRepository } from '../fixtures/in-memory-repository.ts';
import { fixedClock, lambdaContext } from '../fixtures/lambda.ts';

const now = '2026-12-03T10:00:00Z';
const customer: CustomerProfile = {
  id: 'c-1',
  locale: 'nl-NL',
  country: 'NL',
  email: 'sanne@example.nl',
  consents: [
    { channel: 'email', purpose: 'service', granted: true, at: '2026-01-01T00:00:00Z', source: 'portal' },
  ],
};
const tokenFor = (overrides: Partial<Parameters<typeof signUnsubscribeToken>[0]> = {}) =>
  signUnsubscribeToken(
    {
      customerId: 'c-1',
      channel: 'email',
      purpose: 'service',
      expiresAt: new Date('2027-06-01T00:00:00Z'),
      ...overrides,
    },
    LOCAL_UNSUBSCRIBE_KEY,
  );

function request(input: {
  method: 'GET' | 'POST';
  token?: string;
  body?: string;
  contentType?: string;
  base64?: boolean;
  language?: string;
}): APIGatewayProxyEventV2 {
  const query = input.token === undefined ? '' : `token=${encodeURIComponent(input.token)}`;
  return {
    version: '2.0',
    routeKey: `${input.method} /unsubscribe`,
    rawPath: '/unsubscribe',
    rawQueryString: query,
    headers: {
      ...(input.contentType ? { 'content-type': input.contentType } : {}),
      ...(input.language ? { 'accept-language': input.language } : {}),
    },
    ...(input.token === undefined ? {} : { queryStringParameters: { token: input.token } }),
    ...(input.body === undefined
      ? {}
      : { body: input.base64 ? Buffer.from(input.body).toString('base64') : input.body }),
    isBase64Encoded: input.base64 ?? false,
    requestContext: {} as APIGatewayProxyEventV2['requestContext'],
  };
}

function setup() {
  const repository = new InMemoryRepository();
  repository.customers.set(customer.id, structuredClone(customer));
  const deps = { key: localUnsubscribeKey, clock: fixedClock(now), portalUrl: 'https://portal.example.com' };
  return {
    repository,
    get: showPage.makeHandler(deps),
    post: unsubscribe.makeHandler({
      ...deps,
      customers: repository,
      consents: repository,
      timeline: repository,
    }),
  };
}
const oneClick = {
  method: 'POST' as const,
  body: 'List-Unsubscribe=One-Click',
  contentType: 'application/x-www-form-urlencoded',
};

describe('GET /unsubscribe', () => {
  it('asks to confirm, in the browser’s language, and changes nothing (mail scanners open links)', async () => {
    const { get, repository } = setup();
    const page = await get(
      request({ method: 'GET', token: tokenFor(), language: 'nl-NL,nl;q=0.9,en;q=0.8' }),
      lambdaContext,
    );
    expect(page.statusCode).toBe(200);
    expect(page.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers?.['cache-control']).toBe('no-store');
    expect(page.headers?.['referrer-policy']).toBe('no-referrer');
    expect(page.body).toContain('<html lang="nl">');
    expect(page.body).toContain(
      'Wilt u geen berichten over uw facturen en betalingen meer per e-mail ontvangen?',
    );
    expect(page.body).toContain('<form method="post">');
    expect(page.body).toContain('<input type="hidden" name="List-Unsubscribe" value="One-Click">');
    expect(repository.customers.get('c-1')?.consents).toHaveLength(1);
    const english = await get(request({ method: 'GET', token: tokenFor({ channel: 'sms' }) }), lambdaContext);
    expect(english.body).toContain('Stop receiving messages about your invoices and payments by SMS?');
  });

  it('explains a tampered, broken or expired link and points to the portal', async () => {
    const { get } = setup();
    const tampered = tokenFor().replace(/^./, (c) => (c === 'M' ? 'N' : 'M'));
    for (const token of [tampered, 'nonsense', '']) {
      const page = await get(request({ method: 'GET', token }), lambdaContext);
      expect(page.statusCode).toBe(400);
      expect(page.body).toContain('This unsubscribe link is incomplete or not valid.');
      expect(page.body).toContain('href="https://portal.example.com"');
    }
    const expired = await get(
      request({
        method: 'GET',
        token: tokenFor({ expiresAt: new Date('2026-12-01T00:00:00Z') }),
        language: 'nl',
      }),
      lambdaContext,
    );
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('Deze afmeldlink is verlopen.');
  });
});

describe('POST /unsubscribe (RFC 8058 one-click)', () => {
  it('records the opt-out for the channel and purpose at once, so the channel is no longer allowed', async () => {
    const { post, repository } = setup();
    const result = await post(request({ ...oneClick, token: tokenFor() }), lambdaContext);
    expect(result.statusCode).toBe(200);
    expect(result.body).toContain(
      'You will no longer receive messages about your invoices and payments from us by email.',
    );
    const profile = repository.customers.get('c-1');
    expect(profile?.consents?.at(-1)).toEqual({
      channel: 'email',
      purpose: 'service',
      granted: false,
      at: '2026-12-03T10:00:00.000Z',
      source: 'unsubscribe-link',
    });
    expect(profile && consentProblem(profile, 'email', 'service')).toBe('opted out of email for service');
    expect(profile && consentProblem(profile, 'sms', 'service')).toBeNull();
    expect(repository.timeline).toEqual([
      expect.objectContaining({
        customerId: 'c-1',
        kind: 'event',
        channel: 'email',
        summary: 'opted out of email for service (unsubscribe-link)',
      }),
    ]);
  });

  it('accepts the multipart and base64 bodies mail providers send, and a second click changes nothing', async () => {
    const { post, repository } = setup();
    const boundary = '----klantreis';
    const multipart = `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`;
    const first = await post(
      request({
        method: 'POST',
        token: tokenFor(),
        body: multipart,
        contentType: `multipart/form-data; boundary=${boundary}`,
        base64: true,
      }),
      lambdaContext,
    );
    expect(first.statusCode).toBe(200);
    const second = await post(request({ ...oneClick, token: tokenFor() }), lambdaContext);
    expect(second.statusCode).toBe(200);
    expect(repository.customers.get('c-1')?.consents).toHaveLength(2);
    expect(repository.timeline).toHaveLength(1);
  });

  it('refuses a POST without List-Unsubscribe=One-Click, and a bad token, recording nothing', async () => {
    const { post, repository } = setup();
    const noBody = await post(request({ method: 'POST', token: tokenFor() }), lambdaContext);
    expect(noBody.statusCode).toBe(400);
    expect(JSON.parse(noBody.body ?? '{}')).toMatchObject({ issues: [{ path: 'List-Unsubscribe' }] });
    const forged = await post(request({ ...oneClick, token: tokenFor().replace(/.$/, 'A') }), lambdaContext);
    expect(forged.statusCode).toBe(400);
    expect(repository.customers.get('c-1')?.consents).toHaveLength(1);
    expect(repository.timeline).toHaveLength(0);
  });

  it('answers each refusal in a media type the document lists for its status', async () => {
    const { post } = setup();
    const document = openApiDocument(await loadRoutedHandlers()) as {
      paths: Record<
        string,
        Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>
      >;
    };
    const documented = (status: number) =>
      Object.keys(document.paths['/unsubscribe']?.post?.responses[String(status)]?.content ?? {});
    const noBody = await post(request({ method: 'POST', token: tokenFor() }), lambdaContext);
    const forged = await post(request({ ...oneClick, token: tokenFor().replace(/.$/, 'A') }), lambdaContext);
    for (const answer of [noBody, forged]) {
      const mediaType = String(answer.headers?.['content-type']).split(';')[0];
      expect(documented(answer.statusCode ?? 0)).toContain(mediaType);
    }
  });

  it('confirms for an erased customer without recreating the profile', async () => {
    const { post, repository } = setup();
    repository.customers.clear();
    const result = await post(request({ ...oneClick, token: tokenFor() }), lambdaContext);
    expect(result.statusCode).toBe(200);
    expect(repository.customers.size).toBe(0);
  });
});

describe('the unsubscribe pages answer in the language of the message the link came from', () => {
  /** A token as links were signed before they carried the message's locale (version 1). */
  const tokenWithoutLocale = () => {
    const payload = `1|c-1|e|s|${Math.floor(Date.parse('2027-06-01T00:00:00Z') / 1000).toString(36)}`;
    const mac = createHmac('sha256', LOCAL_UNSUBSCRIBE_KEY)
      .update(`klantreis-unsubscribe\n${payload}`)
      .digest()
      .subarray(0, 16);
    return `${Buffer.from(payload).toString('base64url')}.${mac.toString('base64url')}`;
  };

  it('a Dutch message’s link opened by an English browser: the pages are Dutch', async () => {
    const { get, post } = setup();
    const token = tokenFor({ locale: 'nl-BE' });
    const page = await get(request({ method: 'GET', token, language: 'en-GB,en;q=0.9' }), lambdaContext);
    expect(page.body).toContain('<html lang="nl">');
    expect(page.body).toContain('Ja, afmelden');
    const done = await post(request({ ...oneClick, token, language: 'en' }), lambdaContext);
    expect(done.body).toContain('U bent afgemeld');
    const english = await get(
      request({ method: 'GET', token: tokenFor({ locale: 'en' }), language: 'nl' }),
      lambdaContext,
    );
    expect(english.body).toContain('Yes, unsubscribe');
  });

  it('an expired Dutch link explains itself in Dutch', async () => {
    const { get } = setup();
    const token = tokenFor({ locale: 'nl', expiresAt: new Date('2026-12-01T00:00:00Z') });
    const page = await get(request({ method: 'GET', token, language: 'en' }), lambdaContext);
    expect(page.statusCode).toBe(410);
    expect(page.body).toContain('Deze afmeldlink is verlopen.');
  });

  it('links already sent without a locale keep working, in the browser’s language', async () => {
    const { get, post, repository } = setup();
    const token = tokenWithoutLocale();
    const dutch = await get(request({ method: 'GET', token, language: 'nl' }), lambdaContext);
    expect(dutch.statusCode).toBe(200);
    expect(dutch.body).toContain('Ja, afmelden');
    const done = await post(request({ ...oneClick, token, language: 'en' }), lambdaContext);
    expect(done.body).toContain('You are unsubscribed');
    expect(repository.customers.get('c-1')?.consents?.at(-1)).toMatchObject({ granted: false });
  });
});
