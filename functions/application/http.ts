import '#adapters/zod-english.ts';
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

/**
 * Dotted paths (`subject.amount`, `channels.0`) are what an integrator can act on; an unknown key
 * (`chanel`) is named by its own path, one issue per key.
 */
export function issuesOf(error: z.core.$ZodError): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: [...path, key].join('.'),
        message: `Unrecognized key: "${key}"`,
      }));
    }
    return [{ path: path.length > 0 ? path.join('.') : '(body)', message: issue.message }];
  });
}

/** JSON and its structured-syntax types (`application/merge-patch+json`), with any parameters (`charset=utf-8`). */
export function isJsonMediaType(contentType: string | undefined): boolean {
  const type = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || /^application\/[a-z0-9!#$&^_.-]+\+json$/.test(type);
}

/** A JSON number in the body that a double cannot hold exactly, as sent (JSON.parse never makes one). */
class InexactNumber {
  readonly source: string;
  constructor(source: string) {
    this.source = source;
  }
}

/** Returns whether two numerals (`12.50`, `1.25e1`) denote the same decimal value. */
function sameDecimal(a: string, b: string): boolean {
  const normal = (numeral: string) => {
    const match = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(numeral);
    if (!match) return numeral;
    const digits = `${match[2]}${match[3] ?? ''}`;
    const exponent = Number(match[4] ?? 0) - (match[3]?.length ?? 0);
    const significant = digits.replace(/^0+/, '');
    if (significant === '') return '0';
    const trimmed = significant.replace(/0+$/, '');
    return `${match[1]}${trimmed}e${exponent + significant.length - trimmed.length}`;
  };
  return normal(a) === normal(b);
}

/**
 * Reads JSON keeping every number exact: a number a double would round (`9007199254740993`,
 * `0.1000000000000000055511`) is marked, so the API refuses it by name rather than storing another value.
 */
function parseExactJson(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown, context?: { source?: string }) =>
    typeof value === 'number' && context?.source !== undefined && !sameDecimal(context.source, String(value))
      ? new InexactNumber(context.source)
      : value,
  );
}

function inexactNumbersIn(value: unknown, path: string[] = []): FieldIssue[] {
  if (value === null || typeof value !== 'object') return [];
  if (value instanceof InexactNumber) {
    return [
      {
        path: path.length > 0 ? path.join('.') : '(body)',
        message: 'a number with more digits than the API can keep exactly (about 15 significant digits)',
      },
    ];
  }
  return Object.entries(value).flatMap(([key, item]) => inexactNumbersIn(item, [...path, key]));
}

/**
 * Parses and validates a JSON body: a 415 for another media type, a 413 for an oversized body and a
 * 400 naming every failing field, also a number that would not survive as sent.
 */
export function parseBody<T extends z.ZodMiniType>(event: APIGatewayProxyEventV2, schema: T): z.infer<T> {
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (text.length > 0 && !isJsonMediaType(header(event, 'content-type'))) {
    throw new HttpError(415, 'send the body as JSON with Content-Type: application/json');
  }
  if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) {
    throw new HttpError(413, `request body larger than ${MAX_BODY_BYTES} bytes`);
  }
  let value: unknown;
  try {
    value = text.length === 0 ? {} : parseExactJson(text);
  } catch {
    throw new HttpError(400, 'request body is not valid JSON', [{ path: '(body)', message: 'invalid JSON' }]);
  }
  const inexact = inexactNumbersIn(value);
  if (inexact.length > 0) throw new HttpError(400, 'invalid request', inexact);
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
