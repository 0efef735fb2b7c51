/**
 * The replies bucket, where SES receiving stores each inbound message: read one object and delete
 * it. Two S3 calls do not warrant the S3 client (not a dependency of the project, and with the
 * signer's @smithy core over 100 KB in a bundle): they are signed here with Signature V4 on
 * node:crypto, with the function's own credentials from its environment, and sent with `fetch`.
 * Endpoint configurable (`KLANTREIS_S3_ENDPOINT`, path-style), as every client here is.
 */
import { createHash, createHmac } from 'node:crypto';
import type { RawMailLocation, RawMailStore } from '#core/ports.ts';
import { envEndpoint } from './client-config.ts';

const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');
const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text).digest();
/** RFC 3986 escaping of one path segment, as Signature V4 wants it. */
const escapeSegment = (segment: string) =>
  encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

/**
 * Returns the headers of a Signature V4-signed S3 request without a body (GET, DELETE): the
 * payload unsigned, as S3 allows, and every header it sends signed.
 */
export function signS3Request(input: {
  method: string;
  url: URL;
  region: string;
  credentials: Credentials;
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

export interface S3RawMailConfig {
  region?: string;
  /** An S3-compatible endpoint (path-style); default the region's S3 endpoint (virtual-hosted). */
  endpoint?: string;
  credentials?: () => Promise<Credentials>;
  fetch?: typeof fetch;
  now?: () => Date;
}

/** Lambda's credentials: the execution role's, in the function's environment. */
async function environmentCredentials(): Promise<Credentials> {
  const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN } = process.env;
  if (!AWS_ACCESS_KEY_ID || !AWS_SECRET_ACCESS_KEY) throw new Error('S3: no credentials in the environment');
  return {
    accessKeyId: AWS_ACCESS_KEY_ID,
    secretAccessKey: AWS_SECRET_ACCESS_KEY,
    ...(AWS_SESSION_TOKEN ? { sessionToken: AWS_SESSION_TOKEN } : {}),
  };
}

export class S3RawMailStore implements RawMailStore {
  readonly #region: string;
  readonly #endpoint: string | undefined;
  readonly #fetch: typeof fetch;
  readonly #credentials: () => Promise<Credentials>;
  readonly #now: () => Date;

  constructor(config: S3RawMailConfig = {}) {
    this.#region = config.region ?? process.env.AWS_REGION ?? 'eu-west-1';
    this.#endpoint = config.endpoint ?? envEndpoint('s3');
    this.#fetch = config.fetch ?? fetch;
    this.#credentials = config.credentials ?? environmentCredentials;
    this.#now = config.now ?? (() => new Date());
  }

  async readRawMail(location: RawMailLocation): Promise<Uint8Array | undefined> {
    const response = await this.#send('GET', location);
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`S3 GetObject: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  }

  async deleteRawMail(location: RawMailLocation): Promise<void> {
    const response = await this.#send('DELETE', location);
    if (!response.ok && response.status !== 404) throw new Error(`S3 DeleteObject: HTTP ${response.status}`);
  }

  async #send(method: 'GET' | 'DELETE', { bucket, key }: RawMailLocation): Promise<Response> {
    const escapedKey = key.split('/').map(escapeSegment).join('/');
    const url = new URL(
      this.#endpoint
        ? `${this.#endpoint.replace(/\/$/, '')}/${bucket}/${escapedKey}`
        : `https://${bucket}.s3.${this.#region}.amazonaws.com/${escapedKey}`,
    );
    const headers = signS3Request({
      method,
      url,
      region: this.#region,
      credentials: await this.#credentials(),
      now: this.#now(),
    });
    // `host` is the URL's own: fetch sets it.
    const { host: _host, ...sent } = headers;
    return this.#fetch(url, { method, headers: sent });
  }
}
