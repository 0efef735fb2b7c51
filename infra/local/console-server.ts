/**
 * The console on one machine: the built app from `dist/console/` (any page of the app answers with
 * `index.html`), `/console-config.json` for development sign-in, and `/api/*` answered by the same
 * in-process handlers as the local HTTP API. A person signs in as a development user (a session
 * cookie); their claims reach the handlers as API Gateway's JWT authorizer passes a Cognito user's,
 * so each handler enforces roles exactly as on AWS.
 */
import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { consoleUrlOf } from '#core/hand-over.ts';
import {
  CONSOLE_SECURITY_HEADERS,
  type ConsoleConfig,
  consoleContentSecurityPolicy,
  DEVELOPMENT_USERS,
  type DevelopmentUser,
  isConsoleFilePath,
} from '../console-site.ts';
import { httpApiListener, type JwtClaims, type LocalRoute } from './http-api.ts';

/** Where the console's API lives on the console's own origin; the API's paths follow it. */
export const CONSOLE_API_PREFIX = '/api';
export const SESSION_COOKIE = 'klantreis_console_session';
/** A working day: after it the console asks to sign in again, as Cognito's tokens run out on AWS. */
export const DEFAULT_SESSION_MS = 8 * 60 * 60 * 1000;
const MAX_FORM_BYTES = 4 * 1024;

export interface ConsoleServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** The built app (`dist/console/`); a page saying how to build it is served while it has no `index.html`. */
  assetsDir: string;
  /** The routes the console may call, with the API's own paths; served under `/api`. */
  routes: readonly LocalRoute[];
  stage: string;
  users?: readonly DevelopmentUser[];
  sessionMs?: number;
  /** Real time in ms: sessions are about the person at the keyboard, not the simulated world. */
  now?: () => number;
}

export interface ConsoleServer {
  url: string;
  /** The console page of a customer: where a hand-over link takes the person who takes it. */
  customerUrl(customerId: string): string;
  stop(): Promise<void>;
}

interface Session {
  user: DevelopmentUser;
  expiresAt: number;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/**
 * The claims API Gateway's JWT authorizer passes for a Cognito user in the user's group: arrays as
 * it renders them (`[agent]`), the username under both names the ID and access tokens use.
 */
export function developmentClaimsOf(user: DevelopmentUser): JwtClaims {
  return {
    sub: `local-${user.name}`,
    'cognito:groups': `[${user.role}]`,
    'cognito:username': user.name,
    username: user.name,
  };
}

function cookieOf(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/** A path back into the console after signing in: same origin only (no `//host`, no scheme). */
function safeReturnPath(value: string | null | undefined): string {
  return value && /^\/(?![/\\])/.test(value) ? value : '/';
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function signInPage(users: readonly DevelopmentUser[], returnTo: string, error?: string): string {
  const options = users
    .map(
      (user, index) =>
        `<p><label><input type="radio" name="user" value="${escapeHtml(user.name)}"${index === 0 ? ' checked' : ''}> ${escapeHtml(user.name)} (${user.role})</label></p>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in to the Klantreis console (development)</title></head>
<body><main>
<h1>Sign in (development)</h1>
<p>On one machine you sign in as a development user; on AWS the console signs in through the stage's Cognito user pool.</p>
${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/auth/dev-sign-in">
<fieldset><legend>Sign in as</legend>
${options}
</fieldset>
<input type="hidden" name="return" value="${escapeHtml(returnTo)}">
<button type="submit">Sign in</button>
</form>
</main></body></html>`;
}

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Klantreis console</title></head>
<body><main><h1>The console is not built yet</h1>
<p>Run <code>npm run console:build</code> (or <code>npm start</code>, which builds it) and reload this page.</p>
</main></body></html>`;

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) throw Object.assign(new Error('payload too large'), { statusCode: 413 });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts the local console server; stop it with `stop()` (the local stack does, on its own stop). */
export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const users = options.users ?? DEVELOPMENT_USERS;
  const sessionMs = options.sessionMs ?? DEFAULT_SESSION_MS;
  const now = options.now ?? Date.now;
  const sessions = new Map<string, Session>();
  const config: ConsoleConfig = { stage: options.stage, auth: { kind: 'development', users } };
  const securityHeaders = {
    ...CONSOLE_SECURITY_HEADERS,
    'content-security-policy': consoleContentSecurityPolicy(),
  };

  const sessionOf = (request: IncomingMessage): Session | undefined => {
    const id = cookieOf(request, SESSION_COOKIE);
    const session = id === undefined ? undefined : sessions.get(id);
    if (!session || !id) return undefined;
    if (session.expiresAt <= now()) {
      sessions.delete(id);
      return undefined;
    }
    return session;
  };

  const api = httpApiListener(
    options.routes.map((route) => ({ ...route, path: `${CONSOLE_API_PREFIX}${route.path}` })),
    {
      auth: {
        authorize: (request) => {
          const session = sessionOf(request);
          if (session) return { claims: developmentClaimsOf(session.user) };
          return {
            refused: {
              statusCode: 401,
              headers: { 'content-type': 'application/json; charset=utf-8' },
              body: JSON.stringify({ error: 'unauthorized: your session has ended; sign in again' }),
            },
          };
        },
      },
    },
  );

  const answer = (
    response: ServerResponse,
    status: number,
    body: string,
    headers: Record<string, string> = {},
  ) => {
    response.writeHead(status, { ...securityHeaders, ...headers });
    response.end(body);
  };
  const answerJson = (response: ServerResponse, status: number, body: unknown, headers = {}) =>
    answer(response, status, JSON.stringify(body), {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      ...headers,
    });

  async function signIn(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const isJson = (request.headers['content-type'] ?? '').startsWith('application/json');
    const text = await readBody(request);
    let name: unknown;
    let returnTo = '/';
    if (isJson) {
      try {
        name = (JSON.parse(text) as { user?: unknown }).user;
      } catch {
        name = undefined;
      }
    } else {
      const form = new URLSearchParams(text);
      name = form.get('user');
      returnTo = safeReturnPath(form.get('return'));
    }
    const user = users.find((u) => u.name === name);
    if (!user) {
      const message = `choose one of the development users: ${users.map((u) => u.name).join(', ')}`;
      if (isJson) {
        answerJson(response, 400, { error: 'unknown user', issues: [{ path: 'user', message }] });
      } else {
        answer(response, 400, signInPage(users, returnTo, message), {
          'content-type': 'text/html; charset=utf-8',
        });
      }
      return;
    }
    const id = randomBytes(24).toString('base64url');
    const expiresAt = now() + sessionMs;
    sessions.set(id, { user, expiresAt });
    const cookie = `${SESSION_COOKIE}=${id}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${Math.floor(sessionMs / 1000)}`;
    if (isJson) {
      answerJson(
        response,
        200,
        { user, expiresAt: new Date(expiresAt).toISOString() },
        { 'set-cookie': cookie },
      );
    } else {
      answer(response, 303, '', { location: returnTo, 'set-cookie': cookie });
    }
  }

  async function serveFile(path: string, response: ServerResponse, method: string): Promise<void> {
    const root = normalize(options.assetsDir);
    const notFound = () =>
      answer(response, 404, 'not found', { 'content-type': 'text/plain; charset=utf-8' });
    let file = join(root, 'index.html');
    if (isConsoleFilePath(path)) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(path);
      } catch {
        notFound();
        return;
      }
      file = normalize(join(root, decoded));
      if (!file.startsWith(root + sep)) {
        notFound();
        return;
      }
    }
    const found = await stat(file).catch(() => undefined);
    if (!found?.isFile()) {
      if (file !== join(root, 'index.html')) {
        notFound();
        return;
      }
      answer(response, 200, method === 'HEAD' ? '' : NOT_BUILT_PAGE, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-cache',
      });
      return;
    }
    const body = method === 'HEAD' ? '' : await readFile(file);
    response.writeHead(200, {
      ...securityHeaders,
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      // Hashed build output never changes under its name; everything else is asked for again.
      'cache-control': path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    response.end(body);
  }

  const server = createServer(async (request, response) => {
    try {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const method = request.method ?? 'GET';
      const path = url.pathname;
      if (path === CONSOLE_API_PREFIX || path.startsWith(`${CONSOLE_API_PREFIX}/`)) {
        await api(request, response);
        return;
      }
      if (path === '/console-config.json' && (method === 'GET' || method === 'HEAD')) {
        answerJson(response, 200, config);
        return;
      }
      if (path === '/auth/dev-sign-in') {
        if (method === 'POST') {
          await signIn(request, response);
          return;
        }
        answer(response, 200, signInPage(users, safeReturnPath(url.searchParams.get('return'))), {
          'content-type': 'text/html; charset=utf-8',
          'cache-control': 'no-store',
        });
        return;
      }
      if (path === '/auth/session' && method === 'GET') {
        const session = sessionOf(request);
        if (!session) answerJson(response, 401, { error: 'unauthorized: not signed in' });
        else
          answerJson(response, 200, {
            user: session.user,
            expiresAt: new Date(session.expiresAt).toISOString(),
          });
        return;
      }
      if (path === '/auth/dev-sign-out' && method === 'POST') {
        const id = cookieOf(request, SESSION_COOKIE);
        if (id) sessions.delete(id);
        answer(response, 204, '', {
          'set-cookie': `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`,
        });
        return;
      }
      if (method !== 'GET' && method !== 'HEAD') {
        answerJson(response, 405, { error: 'method not allowed' });
        return;
      }
      await serveFile(path, response, method);
    } catch (error) {
      const statusCode = (error as { statusCode?: number }).statusCode ?? 500;
      if (!response.headersSent)
        answerJson(response, statusCode, {
          error: statusCode === 413 ? 'payload too large' : 'internal error',
        });
      else response.end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    customerUrl: (customerId) => consoleUrlOf(url, customerId),
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
