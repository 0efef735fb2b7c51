/**
 * A few S3 object calls signed here with Signature V4 on node:crypto and sent with `fetch`: the S3
 * client is not a dependency of the project, and with the signer's @smithy core it would add over
 * 100 KB to a bundle that makes two or three kinds of call. The function's own credentials come from
 * its environment. Endpoint configurable (`KLANTREIS_S3_ENDPOINT`, path-style), as every client here is.
 */
import { createHash, createHmac } from 'node:crypto';
import { envEndpoint } from './client-config.ts';

const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');
const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text).digest();
/** RFC 3986 escaping of one path segment, as Signature V4 wants it. */
const escapeSegment = (segment: string) =>
  encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export type S3Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

/**
 * Returns the headers of a Signature V4-signed S3 request without a body (GET, DELETE): the
 * payload unsigned, as S3 allows, and every header it sends signed.
 */
export function signS3Request(input: {
  method: string;
  url: URL;
  region: string;
  credentials: S3Credentials;
  now: Date;
}): Record<string, string> {
  const amzDate = input.now.toISOString().replace(/[-:]|\.\d{3}/g, '');
  const day = amzDate.slice(0, 8);
  const headers: Record<string, string> = {
    host: input.url.host,
    'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
    'x-amz-date': amzDate,
    ...(input.credentials.sessionToken ? { 'x-amz-security-token': input.credentials.sessionToken } : {}),
  };
  const names = Object.keys(headers).sort();
  const signedHeaders = names.join(';');
  const canonical = [
    input.method,
    input.url.pathname,
    '',
    ...names.map((name) => `${name}:${headers[name]}`),
    '',
    signedHeaders,
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  const scope = `${day}/${input.region}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonical)].join('\n');
  let key = hmac(`AWS4${input.credentials.secretAccessKey}`, day);
  for (const part of [input.region, 's3', 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  return {
    ...headers,
    authorization: `AWS4-HMAC-SHA256 Credential=${input.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}

/** Lambda's credentials: the execution role's, in the function's environment. */
export async function environmentCredentials(): Promise<S3Credentials> {
  const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN } = process.env;
  if (!AWS_ACCESS_KEY_ID || !AWS_SECRET_ACCESS_KEY) throw new Error('S3: no credentials in the environment');
  return {
    accessKeyId: AWS_ACCESS_KEY_ID,
    secretAccessKey: AWS_SECRET_ACCESS_KEY,
    ...(AWS_SESSION_TOKEN ? { sessionToken: AWS_SESSION_TOKEN } : {}),
  };
}

/** Where an object call goes: path-style on a configured endpoint, else the region's virtual-hosted S3. */
export interface S3Target {
  region: string;
  endpoint: string | undefined;
  credentials: () => Promise<S3Credentials>;
  now: () => Date;
  fetch: typeof fetch;
}

/** How an adapter is configured; each setting defaults to the function's environment. */
export interface S3TargetConfig {
  region?: string;
  /** An S3-compatible endpoint (path-style); default the region's S3 endpoint (virtual-hosted). */
  endpoint?: string;
  credentials?: () => Promise<S3Credentials>;
  fetch?: typeof fetch;
  now?: () => Date;
}

/** Returns the target of a config, with the environment's region, endpoint and credentials as defaults. */
export function s3TargetOf(config: S3TargetConfig): S3Target {
  return {
    region: config.region ?? process.env.AWS_REGION ?? 'eu-west-1',
    endpoint: config.endpoint ?? envEndpoint('s3'),
    credentials: config.credentials ?? environmentCredentials,
    now: config.now ?? (() => new Date()),
    fetch: config.fetch ?? fetch,
  };
}

/** Sends one signed object call (GET, DELETE, or PUT with its body) and returns S3's response. */
export async function sendS3ObjectRequest(
  target: S3Target,
  request: {
    method: 'GET' | 'PUT' | 'DELETE';
    bucket: string;
    key: string;
    body?: Uint8Array;
    contentType?: string;
  },
): Promise<Response> {
  const escapedKey = request.key.split('/').map(escapeSegment).join('/');
  const url = new URL(
    target.endpoint
      ? `${target.endpoint.replace(/\/$/, '')}/${request.bucket}/${escapedKey}`
      : `https://${request.bucket}.s3.${target.region}.amazonaws.com/${escapedKey}`,
  );
  const headers = signS3Request({
    method: request.method,
    url,
    region: target.region,
    credentials: await target.credentials(),
    now: target.now(),
  });
  // `host` is the URL's own: fetch sets it.
  const { host: _host, ...sent } = headers;
  return target.fetch(url, {
    method: request.method,
    headers: request.contentType ? { ...sent, 'content-type': request.contentType } : sent,
    ...(request.body ? { body: request.body as NonNullable<RequestInit['body']> } : {}),
  });
}
