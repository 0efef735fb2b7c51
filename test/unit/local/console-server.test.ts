import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleUrlOf } from '#core/hand-over.ts';
import { makeHandler as setPreferences } from '#handlers/set-preferences.ts';
import type { ConsoleServer } from '#infra/local/console-server.ts';
import { SESSION_COOKIE, startConsoleServer } from '#infra/local/console-server.ts';
import type { HttpLambda } from '#infra/local/http-api.ts';
import { InMemoryRepository } from '../../fixtures/in-memory-repository.ts';

const assetsDir = mkdtempSync(join(tmpdir(), 'console-assets-'));
const INDEX = '<!doctype html><title>Klantreis console</title><div id="app"></div>';
mkdirSync(join(assetsDir, 'assets'));
writeFileSync(join(assetsDir, 'index.html'), INDEX);
writeFileSync(join(assetsDir, 'assets', 'index-abc123.js'), 'console.log("app")');
writeFileSync(join(assetsDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
// Outside the build: must never be served.
const secret = join(assetsDir, '..', `secret-${process.pid}.txt`);
writeFileSync(secret, 'not for the browser');

const echoClaims: HttpLambda = async (event) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    claims: (event as unknown as APIGatewayProxyEventV2WithJWTAuthorizer).requestContext.authorizer?.jwt
      .claims,
    customerId: event.pathParameters?.customerId,
    rawPath: event.rawPath,
  }),
});

const customers = new InMemoryRepository();
let now = Date.parse('2026-12-07T09:00:00Z');
let server: ConsoleServer;

beforeAll(async () => {
  await customers.putCustomer({
    id: 'c-1',
    locale: 'nl-NL',
    country: 'NL',
    timezone: 'Europe/Amsterdam',
    birthDate: '1980-06-15',
    email: 'c1@example.com',
  } as never);
  server = await startConsoleServer({
    assetsDir,
    stage: 'local',
    now: () => now,
    sessionMs: 60 * 60 * 1000,
    routes: [
      { method: 'GET', path: '/customers/{customerId}', functionName: 'get-customer', handler: echoClaims },
      {
        method: 'PUT',
        path: '/customers/{customerId}/preferences',
        functionName: 'set-preferences',
        handler: setPreferences({
          customers,
          timeline: customers,
          clock: { now: () => new Date(now) },
        }) as HttpLambda,
      },
    ],
  });
});
afterAll(async () => {
  await server.stop();
  rmSync(assetsDir, { recursive: true, force: true });
  rmSync(secret, { force: true });
});

/** Signs in as a development user the way the sign-in form does; returns the session cookie. */
async function signIn(user: string): Promise<string> {
  const response = await fetch(`${server.url}/auth/dev-sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ user, return: '/customers/c-1' }),
    redirect: 'manual',
  });
  expect(response.status).toBe(303);
  expect(response.headers.get('location')).toBe('/customers/c-1');
  const cookie = response.headers.get('set-cookie') ?? '';
  expect(cookie).toMatch(/HttpOnly/);
  expect(cookie).toMatch(/SameSite=Strict/);
  return cookie.split(';')[0] as string;
}

describe('the console, served on one machine', () => {
  it('serves the build, and index.html for every page of the app', async () => {
    const page = await fetch(`${server.url}/customers/c.1`);
    expect(page.status).toBe(200);
    expect(await page.text()).toBe(INDEX);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self';");
    expect(page.headers.get('x-frame-options')).toBe('DENY');

    const script = await fetch(`${server.url}/assets/index-abc123.js`);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(script.headers.get('cache-control')).toContain('immutable');
    expect(await script.text()).toBe('console.log("app")');
    expect((await fetch(`${server.url}/favicon.svg`)).headers.get('content-type')).toBe('image/svg+xml');
  });

  it('answers a missing file with 404, not the app, and never serves outside the build', async () => {
    expect((await fetch(`${server.url}/assets/missing.js`)).status).toBe(404);
    const escaping = await fetch(`${server.url}/assets/..%2F..%2Fsecret-${process.pid}.txt`);
    expect(escaping.status).toBe(404);
    expect(await escaping.text()).not.toContain('not for the browser');
  });

  it('tells the app it runs with development sign-in, one user per role', async () => {
    const response = await fetch(`${server.url}/console-config.json`);
    expect(await response.json()).toEqual({
      stage: 'local',
      auth: {
        kind: 'development',
        users: [
          { name: 'dev-agent', role: 'agent' },
          { name: 'dev-editor', role: 'editor' },
          { name: 'dev-viewer', role: 'viewer' },
        ],
      },
    });
  });

  it('answers the API with 401 without a session, so the app returns to sign-in', async () => {
    const response = await fetch(`${server.url}/api/customers/c-1`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'unauthorized: your session has ended; sign in again' });
    const forged = await fetch(`${server.url}/api/customers/c-1`, {
      headers: { cookie: `${SESSION_COOKIE}=made-up` },
    });
    expect(forged.status).toBe(401);
  });

  it('passes the signed-in user to the handler as the JWT authorizer passes a Cognito user', async () => {
    const cookie = await signIn('dev-agent');
    const response = await fetch(`${server.url}/api/customers/c%201`, { headers: { cookie } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      claims: {
        sub: 'local-dev-agent',
        'cognito:groups': '[agent]',
        'cognito:username': 'dev-agent',
        username: 'dev-agent',
      },
      customerId: 'c 1',
      rawPath: '/api/customers/c%201',
    });
    const session = await fetch(`${server.url}/auth/session`, { headers: { cookie } });
    expect(await session.json()).toMatchObject({ user: { name: 'dev-agent', role: 'agent' } });
  });

  it('lets the handler refuse a viewer who acts, in plain words, and an agent act', async () => {
    const body = JSON.stringify({ channel: 'email' });
    const headers = (cookie: string) => ({ cookie, 'content-type': 'application/json' });
    const viewer = await signIn('dev-viewer');
    const refused = await fetch(`${server.url}/api/customers/c-1/preferences`, {
      method: 'PUT',
      headers: headers(viewer),
      body,
    });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({
      error: 'forbidden: this needs the agent role; you are signed in as a viewer',
    });

    const agent = await signIn('dev-agent');
    const done = await fetch(`${server.url}/api/customers/c-1/preferences`, {
      method: 'PUT',
      headers: headers(agent),
      body,
    });
    expect(done.status).toBe(200);
  });

  it('ends a session when its time is up and on signing out', async () => {
    const cookie = await signIn('dev-viewer');
    expect((await fetch(`${server.url}/api/customers/c-1`, { headers: { cookie } })).status).toBe(200);
    now += 60 * 60 * 1000;
    expect((await fetch(`${server.url}/api/customers/c-1`, { headers: { cookie } })).status).toBe(401);

    const again = await signIn('dev-viewer');
    const out = await fetch(`${server.url}/auth/dev-sign-out`, {
      method: 'POST',
      headers: { cookie: again },
    });
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await fetch(`${server.url}/api/customers/c-1`, { headers: { cookie: again } })).status).toBe(401);
  });

  it('refuses an unknown development user, naming the field', async () => {
    const response = await fetch(`${server.url}/auth/dev-sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'root' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ issues: [{ path: 'user' }] });
  });

  it('sends a sign-in back into the console only, never to another site', async () => {
    const response = await fetch(`${server.url}/auth/dev-sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ user: 'dev-agent', return: '//evil.example.com/' }),
      redirect: 'manual',
    });
    expect(response.headers.get('location')).toBe('/');
  });

  it('links a customer to their console page', () => {
    expect(consoleUrlOf('http://127.0.0.1:4015/', 'c 1')).toBe('http://127.0.0.1:4015/customers/c%201');
  });
});
