import '#shared/zod-english.ts';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type * as z from 'zod/mini';

/** Requests above this size are refused before parsing (API Gateway allows 10 MB; we need a few KB). */
export const MAX_BODY_BYTES = 64 * 1024;

export type HttpResult = APIGatewayProxyStructuredResultV2;

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

export interface FieldIssue {
  path: string;
  message: string;
}

/** An error the API answers with its own status and a body that names what was wrong. */
export class HttpError extends Error {
  readonly statusCode: number;
  readonly issues: FieldIssue[] | undefined;
  constructor(statusCode: number, message: string, issues?: FieldIssue[]) {
    super(message);
    this.name = 'HttpError';
    this.statusCode = statusCode;
    this.issues = issues;
  }
}

export function toResponse(error: HttpError): HttpResult {
  return json(error.statusCode, { error: error.message, ...(error.issues ? { issues: error.issues } : {}) });
}

/** Dotted paths (`subject.amount`, `channels.0`) are what an integrator can act on. */
export function issuesOf(error: z.core.$ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.length > 0 ? issue.path.map(String).join('.') : '(body)',
    message: issue.message,
  }));
}

/** Parses and validates a JSON body; a 400 names every failing field, a 413 an oversized body. */
export function parseBody<T extends z.ZodMiniType>(event: APIGatewayProxyEventV2, schema: T): z.infer<T> {
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) {
    throw new HttpError(413, `request body larger than ${MAX_BODY_BYTES} bytes`);
  }
  let value: unknown;
  try {
    value = text.length === 0 ? {} : JSON.parse(text);
  } catch {
    throw new HttpError(400, 'request body is not valid JSON', [{ path: '(body)', message: 'invalid JSON' }]);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new HttpError(400, 'invalid request', issuesOf(parsed.error));
  return parsed.data;
}

export function parseParams<T extends z.ZodMiniType>(
  params: Record<string, string | undefined> | undefined,
  schema: T,
): z.infer<T> {
  const parsed = schema.safeParse(params ?? {});
  if (!parsed.success) throw new HttpError(400, 'invalid path parameters', issuesOf(parsed.error));
  return parsed.data;
}

/** Header lookup that ignores case: API Gateway lower-cases, local clients may not. */
export function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/** Runs an HTTP handler body: HttpErrors become their response, anything else a 500 without details. */
export async function respond(
  work: () => Promise<HttpResult>,
  onUnexpected: (error: unknown) => void,
): Promise<HttpResult> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof HttpError) return toResponse(error);
    onUnexpected(error);
    return json(500, { error: 'internal error' });
  }
}
