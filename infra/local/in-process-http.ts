/**
 * The local runtime's own SDK clients reach the emulators that live in its process (DynamoDB, the
 * Step Functions API) by calling their request listener directly, without a socket: the same
 * request and the same answer as over HTTP, without the loopback connection, the HTTP encoding on
 * both sides and the parsing of it. A journey step makes dozens of table calls; over loopback HTTP
 * that transport was the largest single share of the runtime's CPU. The emulators still listen on
 * their ports for everyone else (tests, the CLI, the console).
 */
import type { RequestListener } from 'node:http';
import { Readable } from 'node:stream';

/** The SDK's request as its handler receives it (`@smithy/protocol-http` HttpRequest). */
interface SdkHttpRequest {
  method: string;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

/** The SDK's answer from its handler: a status, headers and the body (bytes stand for a stream). */
interface SdkHttpResponse {
  statusCode: number;
  reason?: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** What an SDK client takes as `requestHandler` (`@smithy/types` HttpHandler). */
export interface InProcessRequestHandler {
  handle(
    request: SdkHttpRequest,
    options?: { abortSignal?: { aborted: boolean } },
  ): Promise<{ response: SdkHttpResponse }>;
  updateHttpClientConfig(): void;
  httpHandlerConfigs(): Record<string, never>;
  destroy(): void;
}

function bodyBytes(body: unknown): Buffer {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new Error('in-process request: a streamed body is not supported');
}

function queryString(query: SdkHttpRequest['query']): string {
  const pairs = Object.entries(query ?? {}).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value]).map((v) =>
      v === null ? encodeURIComponent(name) : `${encodeURIComponent(name)}=${encodeURIComponent(v)}`,
    ),
  );
  return pairs.length > 0 ? `?${pairs.join('&')}` : '';
}

/**
 * Returns the answer of `listener` to one request: the request as a readable stream with the
 * `IncomingMessage` fields listeners read, the response as the `ServerResponse` calls they make
 * (`statusCode`, `setHeader`, `writeHead`, `write`, `end`).
 */
export function callListener(
  listener: RequestListener,
  request: { method: string; url: string; headers: Record<string, string>; body: Buffer },
): Promise<{ statusCode: number; headers: Record<string, string>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const incoming = Object.assign(Readable.from(request.body.length > 0 ? [request.body] : []), {
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v])),
      httpVersion: '1.1',
      socket: { remoteAddress: '127.0.0.1' },
    });
    const headers: Record<string, string> = {};
    const chunks: Buffer[] = [];
    const setHeaders = (more: Record<string, unknown> = {}) => {
      for (const [name, value] of Object.entries(more)) headers[name.toLowerCase()] = String(value);
    };
    const write = (chunk: unknown) => {
      if (chunk !== undefined && chunk !== null && chunk !== '') chunks.push(bodyBytes(chunk));
    };
    const outgoing = {
      statusCode: 200,
      headersSent: false,
      setHeader(name: string, value: unknown) {
        setHeaders({ [name]: value });
        return outgoing;
      },
      getHeader: (name: string) => headers[name.toLowerCase()],
      removeHeader(name: string) {
        delete headers[name.toLowerCase()];
      },
      writeHead(status: number, more?: Record<string, unknown>) {
        outgoing.statusCode = status;
        setHeaders(more);
        outgoing.headersSent = true;
        return outgoing;
      },
      write(chunk: unknown) {
        write(chunk);
        return true;
      },
      end(chunk?: unknown) {
        write(chunk);
        outgoing.headersSent = true;
        resolve({ statusCode: outgoing.statusCode, headers, body: Buffer.concat(chunks) });
        return outgoing;
      },
    };
    try {
      listener(incoming as never, outgoing as never);
    } catch (error) {
      reject(error);
    }
  });
}

/**
 * Signs as an emulator checks a signature: by its form (dynalite wants an `AWS4-` Authorization
 * header with a credential, signed headers and a signature, and a date), never by its value. The
 * SDK's SigV4 signer hashes every body and computes HMACs per request, for nobody to verify.
 */
export const formOnlySigner = {
  async sign<T extends { headers: Record<string, string> }>(request: T): Promise<T> {
    const date = amzDateNow();
    request.headers['x-amz-date'] = date;
    request.headers.authorization = `AWS4-HMAC-SHA256 Credential=local/${date.slice(0, 8)}/local/local/aws4_request, SignedHeaders=host, Signature=local`;
    return request;
  },
};

let amzDate = { second: Number.NaN, text: '' };

/** The signing date (`20261208T013000Z`), formatted once a second rather than once a request. */
function amzDateNow(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== amzDate.second) {
    amzDate = { second, text: new Date(second * 1000).toISOString().replace(/[-:]|\.\d{3}/g, '') };
  }
  return amzDate.text;
}

/** The SDK client settings that call `listener` in process: the request handler and the signer. */
export function inProcessTransport(listener: RequestListener) {
  return { requestHandler: inProcessRequestHandler(listener), signer: formOnlySigner };
}

/** Returns a request handler for an SDK client that answers every request through `listener`. */
export function inProcessRequestHandler(listener: RequestListener): InProcessRequestHandler {
  return {
    async handle(request, options) {
      // One turn of the event loop per call, as a socket's round trip takes: the emulator answers from
      // memory in microtasks, and a run's chain of calls would otherwise never let the loop poll the
      // HTTP API's sockets.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (options?.abortSignal?.aborted) {
        throw Object.assign(new Error('Request aborted'), { name: 'AbortError' });
      }
      const answer = await callListener(listener, {
        method: request.method,
        url: `${request.path || '/'}${queryString(request.query)}`,
        headers: request.headers,
        body: bodyBytes(request.body),
      });
      return { response: { statusCode: answer.statusCode, headers: answer.headers, body: answer.body } };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {},
  };
}

/** A listener that in-process callers reach until it is closed, and that knows what it still answers. */
export interface ClosableListener {
  listener: RequestListener;
  /** Refuses new calls, then resolves once every call it took has been answered. */
  close(): Promise<void>;
}

/**
 * Wraps an emulator's listener so that stopping the emulator behaves as over a socket: a call after
 * the stop is refused (`ECONNREFUSED`, as a closed port answers) and a call already taken is answered
 * before the emulator's store closes. Without the gate, a run still going when a stack stops reached
 * dynalite's closed store and threw outside any caller ("Database is closed").
 */
export function closableListener(listener: RequestListener): ClosableListener {
  let closed = false;
  let open = 0;
  let allAnswered: (() => void) | undefined;
  const answered = () => {
    open -= 1;
    if (open === 0) allAnswered?.();
  };
  return {
    listener: (request, response) => {
      if (closed) {
        throw Object.assign(new Error('connect ECONNREFUSED: the emulator has stopped'), {
          code: 'ECONNREFUSED',
        });
      }
      open += 1;
      const end = response.end.bind(response);
      let ended = false;
      response.end = ((...args: Parameters<typeof response.end>) => {
        const result = end(...args);
        if (!ended) {
          ended = true;
          answered();
        }
        return result;
      }) as typeof response.end;
      try {
        const result: unknown = listener(request, response);
        // An async listener that fails without answering still counts as answered.
        if (result instanceof Promise)
          result.catch(() => {
            if (!ended) {
              ended = true;
              answered();
            }
          });
      } catch (error) {
        ended = true;
        answered();
        throw error;
      }
    },
    close() {
      closed = true;
      return open === 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            allAnswered = resolve;
          });
    },
  };
}

/** A function that in-process callers reach until it is closed, and that knows what it still answers. */
export interface ClosableCall<A extends unknown[], R> {
  call: (...args: A) => Promise<R>;
  /** Refuses new calls, then resolves once every call it took has been answered. */
  close(): Promise<void>;
}

/** `closableListener` for a direct call: refused after the stop (`ECONNREFUSED`), answered before it. */
export function closableCall<A extends unknown[], R>(fn: (...args: A) => Promise<R>): ClosableCall<A, R> {
  let closed = false;
  let open = 0;
  let allAnswered: (() => void) | undefined;
  return {
    call: async (...args) => {
      if (closed) {
        throw Object.assign(new Error('connect ECONNREFUSED: the emulator has stopped'), {
          code: 'ECONNREFUSED',
        });
      }
      open += 1;
      try {
        return await fn(...args);
      } finally {
        open -= 1;
        if (open === 0) allAnswered?.();
      }
    },
    close() {
      closed = true;
      return open === 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            allAnswered = resolve;
          });
    },
  };
}

/** A JSON 1.0 operation's answer: its status and its body (`__type` and `message` on an error). */
type JsonAnswer = { status: number; body: Record<string, unknown> };

let directRequestIds = 0;

/**
 * The SDK client settings that hand each request of a JSON 1.0 protocol client (DynamoDB) to
 * `call` as the operation's name and its parsed body, and return the answer as the service's HTTP
 * response: no request or response objects to emulate, no stream, no headers to parse.
 */
export function directJsonTransport(
  call: (operation: string, body: Record<string, unknown>) => Promise<JsonAnswer>,
) {
  const requestHandler: InProcessRequestHandler = {
    async handle(request, options) {
      // One turn of the event loop per call, as a socket's round trip takes (see inProcessRequestHandler).
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (options?.abortSignal?.aborted) {
        throw Object.assign(new Error('Request aborted'), { name: 'AbortError' });
      }
      const target = request.headers['x-amz-target'] ?? '';
      const operation = target.slice(target.indexOf('.') + 1);
      const text = typeof request.body === 'string' ? request.body : bodyBytes(request.body).toString('utf8');
      const answer = await call(operation, (text ? JSON.parse(text) : {}) as Record<string, unknown>);
      directRequestIds += 1;
      return {
        response: {
          statusCode: answer.status,
          headers: {
            'content-type': 'application/x-amz-json-1.0',
            'x-amzn-requestid': `local-${directRequestIds}`,
          },
          body: Buffer.from(JSON.stringify(answer.body), 'utf8'),
        },
      };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {},
  };
  return { requestHandler, signer: formOnlySigner };
}
