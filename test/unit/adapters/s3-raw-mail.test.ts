import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { signS3Request } from '#adapters/s3-object-requests.ts';
import { S3RawMailStore } from '#adapters/s3-raw-mail.ts';

const credentials = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session-token',
};
const now = new Date('2026-12-07T19:00:00Z');

/** The SDK's own signer, as every AWS SDK client signs: the reference the small signer must match. */
class Sha256 {
  readonly #hash;
  constructor(secret?: string | Uint8Array) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', secret);
  }
  update(data: string | Uint8Array) {
    this.#hash.update(data);
  }
  async digest() {
    return new Uint8Array(this.#hash.digest());
  }
}

describe('the replies bucket adapter', () => {
  it('signs GET and DELETE exactly as the SDK’s Signature V4 signer does', async () => {
    const sdk = new SignatureV4({
      service: 's3',
      region: 'eu-west-1',
      sha256: Sha256 as never,
      credentials,
      uriEscapePath: false,
    });
    for (const method of ['GET', 'DELETE']) {
      const url = new URL('https://klantreis-dev-replies.s3.eu-west-1.amazonaws.com/inbound/a1b2c3%2Bd4');
      const ours = signS3Request({ method, url, region: 'eu-west-1', credentials, now });
      const signed = await sdk.sign(
        {
          method,
          protocol: 'https:',
          hostname: url.hostname,
          path: url.pathname,
          query: {},
          headers: { host: url.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
        },
        { signingDate: now },
      );
      expect(ours.authorization).toBe(signed.headers.authorization);
    }
  });

  it('reads an object, answers undefined for one that is gone, and deletes', async () => {
    const calls: string[] = [];
    const store = new S3RawMailStore({
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:9',
      credentials: async () => credentials,
      now: () => now,
      fetch: (async (url: URL, init: RequestInit) => {
        calls.push(
          `${init.method} ${url.pathname} ${String((init.headers as Record<string, string>).authorization).slice(0, 16)}`,
        );
        if (url.pathname.endsWith('/gone')) return new Response('', { status: 404 });
        return init.method === 'GET' ? new Response('raw mime') : new Response(null, { status: 204 });
      }) as typeof fetch,
    });
    const location = { bucket: 'replies', key: 'inbound/one' };
    expect(Buffer.from((await store.readRawMail(location)) ?? []).toString()).toBe('raw mime');
    expect(await store.readRawMail({ ...location, key: 'inbound/gone' })).toBeUndefined();
    await store.deleteRawMail(location);
    expect(calls).toEqual([
      'GET /replies/inbound/one AWS4-HMAC-SHA256',
      'GET /replies/inbound/gone AWS4-HMAC-SHA256',
      'DELETE /replies/inbound/one AWS4-HMAC-SHA256',
    ]);
  });
});
