import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { HttpResult } from './http.ts';

/**
 * Headers of a page reached from a message link: never cached or indexed, no referrer (the URL
 * carries a token), no scripts, frames or outside resources; its form may post only to itself.
 */
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-robots-tag': 'noindex',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
};

/** Returns an HTML response with the page headers. */
export function htmlPage(statusCode: number, body: string): HttpResult {
  return { statusCode, headers: { ...PAGE_HEADERS }, body };
}

/** Returns a query string parameter of the request, if present. */
export function queryParameter(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const value = event.queryStringParameters?.[name];
  if (value !== undefined) return value;
  return new URLSearchParams(event.rawQueryString ?? '').get(name) ?? undefined;
}
