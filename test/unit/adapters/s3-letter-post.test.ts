import { describe, expect, it } from 'vitest';
import { S3LetterPost } from '#adapters/s3-letter-post.ts';

const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret' };

describe('the letters bucket adapter', () => {
  it('puts each PDF of a batch, then its manifest without names or addresses, each call signed', async () => {
    const calls: { method: string; url: string; type: string | null; signed: boolean; body: string }[] = [];
    const post = new S3LetterPost({
      bucket: 'klantreis-dev-letters',
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:9',
      credentials: async () => credentials,
      now: () => new Date('2026-12-07T13:30:00Z'),
      fetch: (async (url: URL, init: RequestInit) => {
        const headers = init.headers as Record<string, string>;
        calls.push({
          method: init.method ?? 'GET',
          url: String(url),
          type: headers['content-type'] ?? null,
          signed: /^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\//.test(headers.authorization ?? ''),
          body: new TextDecoder().decode(init.body as Uint8Array),
        });
        return new Response(null, { status: 200 });
      }) as typeof fetch,
    });
    const pdf = new TextEncoder().encode('%PDF-1.7 Dorpsstraat 12');
    const { location } = await post.postBatch({
      id: 'b1',
      day: '2026-12-07',
      letters: [
        { letterId: 'l-1', pdf, pages: 1, country: 'NL' },
        { letterId: 'l-2', pdf, pages: 2, country: 'BE' },
      ],
    } as Parameters<S3LetterPost['postBatch']>[0]);
    expect(location).toBe('s3://klantreis-dev-letters/letters/2026-12-07/b1/');
    expect(calls.map((c) => [c.method, c.url, c.type, c.signed])).toEqual([
      [
        'PUT',
        'http://127.0.0.1:9/klantreis-dev-letters/letters/2026-12-07/b1/l-1.pdf',
        'application/pdf',
        true,
      ],
      [
        'PUT',
        'http://127.0.0.1:9/klantreis-dev-letters/letters/2026-12-07/b1/l-2.pdf',
        'application/pdf',
        true,
      ],
      [
        'PUT',
        'http://127.0.0.1:9/klantreis-dev-letters/letters/2026-12-07/b1/manifest.json',
        'application/json',
        true,
      ],
    ]);
    const manifest = JSON.parse(calls[2]?.body ?? '{}');
    expect(manifest.letters).toEqual([
      { letterId: 'l-1', file: 'l-1.pdf', pages: 1, country: 'NL' },
      { letterId: 'l-2', file: 'l-2.pdf', pages: 2, country: 'BE' },
    ]);
    expect(calls[2]?.body).not.toContain('Dorpsstraat');
  });

  it('fails the batch when S3 refuses a PUT', async () => {
    const post = new S3LetterPost({
      bucket: 'b',
      endpoint: 'http://127.0.0.1:9',
      credentials: async () => credentials,
      fetch: (async () => new Response(null, { status: 403 })) as unknown as typeof fetch,
    });
    await expect(
      post.postBatch({
        id: 'b1',
        day: '2026-12-07',
        letters: [{ letterId: 'l-1', pdf: new Uint8Array(), pages: 1, country: 'NL' }],
      } as Parameters<S3LetterPost['postBatch']>[0]),
    ).rejects.toThrow('S3 PutObject: HTTP 403');
  });
});
