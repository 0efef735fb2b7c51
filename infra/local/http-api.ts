import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { logger } from '#adapters/powertools.ts';
import { localLambdaContext } from './lambda-context.ts';

export type HttpLambda = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

export interface LocalRoute {
  method: string;
  /** API Gateway path template, e.g. `/customers/{customerId}/events`. */
  path: string;
  functionName: string;
  handler: HttpLambda;
  /** Served without the credential, as the stack serves it without an authorizer. */
  public?: boolean;
}

export interface LocalHttpApiOptions {
  port?: number;
  /**
   * The development credential: every non-public route requires `Authorization: Bearer <token>`,
   * as API Gateway requires IAM or a JWT on AWS. Without it every route is open (tests of handlers only).
   */
  auth?: { token: string };
  /** Static JSON documents by path (e.g. `/openapi.json`), served to anyone with GET. */
  documents?: Record<string, unknown>;
  /** Where refused and failed requests are logged (default: the handlers' own logger). */
  log?: Pick<typeof logger, 'warn' | 'error'>;
}

/** The claims a JWT authorizer passes on: string values, arrays as API Gateway renders them (`[a b]`). */
export type JwtClaims = Record<string, string>;

/**
 * How a request to a non-public route is authorised, in place of the bearer token: the claims of the
 * signed-in caller, which reach the handler as `requestContext.authorizer.jwt.claims` exactly as API
 * Gateway's JWT authorizer puts them; or the answer to a request without them (a 401).
 */
export type RequestAuthorizer = (
  request: IncomingMessage,
) => { claims: JwtClaims } | { refused: APIGatewayProxyStructuredResultV2 };

export interface HttpApiListenerOptions extends Omit<LocalHttpApiOptions, 'port' | 'auth'> {
  auth?: { token: string } | { authorize: RequestAuthorizer };
}

export interface LocalHttpApi {
  url: string;
  stop(): Promise<void>;
}

/** The IAM identity API Gateway passes for the development credential (`callerOf`: `system:user/local-development`). */
const LOCAL_IAM_AUTHORIZER = {
  iam: {
    accessKey: 'local',
    accountId: '000000000000',
    callerId: 'local-development',
    cognitoIdentity: null,
    principalOrgId: null,
    userArn: 'arn:aws:iam::000000000000:user/local-development',
    userId: 'local-development',
  },
};

/** API Gateway's own payload limit; the handlers enforce their much smaller one. */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

function matcherFor(template: string): RegExp {
  const segments = template.split('/').map((segment) => {
    const parameter = /^\{(\w+)\}$/.exec(segment)?.[1];
    return parameter ? `(?<${parameter}>[^/]+)` : segment.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&');
  });
  return new RegExp(`^${segments.join('/')}$`);
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Returns whether the request carries the bearer token (compared in constant time). */
function authorised(header: string | string[] | undefined, token: string): boolean {
  const value = Array.isArray(header) ? header[0] : header;
  const presented = /^Bearer\s+(\S+)$/i.exec(value ?? '')?.[1];
  return presented !== undefined && timingSafeEqual(digest(presented), digest(token));
}

/** Returns the route's path parameters decoded, or the name of one whose percent-encoding is malformed. */
function decodedParameters(
  groups: Record<string, string>,
): { ok: true; params: Record<string, string> } | { ok: false; name: string } {
  const params: Record<string, string> = {};
  for (const [name, raw] of Object.entries(groups)) {
    try {
      params[name] = decodeURIComponent(raw);
    } catch {
      return { ok: false, name };
    }
  }
  return { ok: true, params };
}

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) throw Object.assign(new Error('payload too large'), { statusCode: 413 });
    chunks.push(chunk as Buffer);
  }
  return size === 0 ? undefined : Buffer.concat(chunks).toString('utf8');
}

/**
 * Answers one request as API Gateway's HTTP API would: each request becomes the payload 2.0 event
 * the deployed Lambda receives, handled by the same handler module. The local HTTP API and the
 * console server's `/api/*` both answer through it.
 */
export function httpApiListener(
  routes: LocalRoute[],
  options: HttpApiListenerOptions = {},
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const compiled = routes.map((route) => ({ ...route, matcher: matcherFor(route.path) }));
  const log = options.log ?? logger;
  const auth = options.auth;

  return async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = request.method ?? 'GET';
    const send = (result: APIGatewayProxyStructuredResultV2) => {
      response.writeHead(result.statusCode ?? 200, { ...(result.headers as Record<string, string>) });
      response.end(result.body ?? '');
    };
    const document = method === 'GET' ? options.documents?.[url.pathname] : undefined;
    if (document !== undefined) {
      send({
        statusCode: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(document),
      });
      return;
    }
    const candidates = compiled
      .map((route) => ({ route, match: route.matcher.exec(url.pathname) }))
      .filter((c) => c.match !== null);
    const found = candidates.find((c) => c.route.method === method);
    if (!found) {
      send({
        statusCode: candidates.length > 0 ? 405 : 404,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ error: candidates.length > 0 ? 'method not allowed' : 'not found' }),
      });
      return;
    }
    let claims: JwtClaims | undefined;
    if (auth && !found.route.public) {
      if ('token' in auth) {
        if (!authorised(request.headers.authorization, auth.token)) {
          send({
            statusCode: 401,
            headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer' },
            body: JSON.stringify({ error: 'unauthorized: send Authorization: Bearer <development token>' }),
          });
          return;
        }
      } else {
        const verdict = auth.authorize(request);
        if ('refused' in verdict) {
          send(verdict.refused);
          return;
        }
        claims = verdict.claims;
      }
    }
    const decoded = decodedParameters(found.match?.groups ?? {});
    if (!decoded.ok) {
      // Only the parameter's name: the value may be a customer's id.
      log.warn('request refused: malformed percent-encoding in a path parameter', {
        route: `${found.route.method} ${found.route.path}`,
        parameter: decoded.name,
      });
      send({
        statusCode: 400,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({
          error: 'invalid path',
          issues: [{ path: decoded.name, message: 'malformed percent-encoding' }],
        }),
      });
      return;
    }
    try {
      const body = await readBody(request);
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([k, v]) => [
          k.toLowerCase(),
          Array.isArray(v) ? v.join(',') : v,
        ]),
      ) as Record<string, string>;
      const routeKey = `${found.route.method} ${found.route.path}`;
      const event: APIGatewayProxyEventV2 = {
        version: '2.0',
        routeKey,
        rawPath: url.pathname,
        rawQueryString: url.search.replace(/^\?/, ''),
        headers,
        ...(url.search ? { queryStringParameters: Object.fromEntries(url.searchParams) } : {}),
        pathParameters: decoded.params,
        requestContext: {
          accountId: '000000000000',
          apiId: 'local',
          domainName: url.host,
          domainPrefix: 'local',
          http: {
            method,
            path: url.pathname,
            protocol: `HTTP/${request.httpVersion}`,
            sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
            userAgent: headers['user-agent'] ?? '',
          },
          requestId: randomUUID(),
          routeKey,
          stage: '$default',
          time: new Date().toUTCString(),
          timeEpoch: Date.now(),
          // A signed-in console user's claims, as the JWT authorizer passes them; otherwise the development
          // token stands for an IAM principal: on AWS these routes are IAM-authorised.
          ...(claims
            ? { authorizer: { principalId: '', integrationLatency: 0, jwt: { claims, scopes: [] } } }
            : found.route.public
              ? {}
              : { authorizer: LOCAL_IAM_AUTHORIZER }),
        } as APIGatewayProxyEventV2['requestContext'],
        ...(body === undefined ? {} : { body }),
        isBase64Encoded: false,
      };
      send(await found.route.handler(event, localLambdaContext(found.route.functionName)));
    } catch (error) {
      const statusCode = (error as { statusCode?: number }).statusCode ?? 500;
      if (statusCode === 500) {
        log.error('local API request failed', { route: `${found.route.method} ${found.route.path}`, error });
      }
      send({
        statusCode,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ error: statusCode === 413 ? 'payload too large' : 'internal error' }),
      });
    }
  };
}

/** The HTTP API on one machine, on its own port: `httpApiListener` behind a server. */
export async function startHttpApi(
  routes: LocalRoute[],
  options: LocalHttpApiOptions = {},
): Promise<LocalHttpApi> {
  const listener = httpApiListener(routes, options);
  const server: Server = createServer(listener as RequestListener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
