/** A field the server refused, as `functions/application/http.ts` names it (`promisedDate`, `until`, `(body)`). */
export interface FieldIssue {
  path: string;
  message: string;
}

/** An answer other than 2xx: the server's plain message (shown as is) and any field issues. */
export class ApiError extends Error {
  readonly status: number;
  readonly issues: readonly FieldIssue[];
  constructor(status: number, message: string, issues: readonly FieldIssue[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.issues = issues;
  }
}

export interface ApiClient {
  get<T>(path: string): Promise<T>;
  send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T>;
}

export interface ApiClientOptions {
  credentialHeaders(): Promise<Record<string, string>>;
  /** The server answered 401: the session ended. */
  onUnauthorized(): void;
  fetch?: typeof fetch;
  /** Where the API is, on the console's own origin. */
  base?: string;
}

function isIssue(value: unknown): value is FieldIssue {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as FieldIssue).path === 'string' &&
    typeof (value as FieldIssue).message === 'string'
  );
}

async function errorOf(response: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const message =
    typeof record.error === 'string'
      ? record.error
      : typeof record.message === 'string'
        ? record.message
        : response.statusText || `HTTP ${response.status}`;
  const issues = Array.isArray(record.issues) ? record.issues.filter(isIssue) : [];
  return new ApiError(response.status, message, issues);
}

/** JSON over `/api/…` on the console's origin, with the session's credential. */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const base = options.base ?? '/api';
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...(await options.credentialHeaders()),
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await doFetch(`${base}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (response.status === 401) {
      options.onUnauthorized();
      throw await errorOf(response);
    }
    if (!response.ok) throw await errorOf(response);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
  return {
    get: (path) => call('GET', path),
    send: (method, path, body) => call(method, path, body),
  };
}

/**
 * The server's field issues by the form field they name: `promisedDate` and `body.promisedDate`
 * both land on `promisedDate`; what names no field of the form is returned under `''`.
 */
export function fieldErrorsOf(
  issues: readonly FieldIssue[],
  fields: readonly string[],
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const field =
      fields.find((name) => issue.path === name || issue.path.endsWith(`.${name}`)) ??
      fields.find((name) => issue.path.startsWith(`${name}.`)) ??
      '';
    errors[field] = errors[field] ? `${errors[field]}; ${issue.message}` : issue.message;
  }
  return errors;
}

/** Encodes one path segment (a customer id may hold anything). */
export const segment = (value: string): string => encodeURIComponent(value);
