/**
 * The print-and-mail partner collects each day's letters from the stage's letters bucket: one PDF per
 * letter under `letters/<day>/<batch>/<letterId>.pdf` and the batch's manifest
 * (`letters/<day>/<batch>/manifest.json`: each letter's id, file, pages and destination country; no
 * names or addresses, which only the PDFs carry). Two kinds of PUT do not warrant the S3 client: they
 * are signed with Signature V4 as the replies bucket's calls are (`s3-raw-mail.ts`).
 */
import type { LetterPost } from '#core/ports.ts';
import { envEndpoint } from './client-config.ts';
import { signS3Request } from './s3-raw-mail.ts';

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

export interface S3LetterPostConfig {
  bucket: string;
  region?: string;
  endpoint?: string;
  credentials?: () => Promise<Credentials>;
  fetch?: typeof fetch;
  now?: () => Date;
}

/** Where a batch's files go in the bucket. */
export function letterBatchPrefix(day: string, batch: string): string {
  return `letters/${day}/${batch}/`;
}

async function environmentCredentials(): Promise<Credentials> {
  const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN } = process.env;
  if (!AWS_ACCESS_KEY_ID || !AWS_SECRET_ACCESS_KEY) throw new Error('S3: no credentials in the environment');
  return {
    accessKeyId: AWS_ACCESS_KEY_ID,
    secretAccessKey: AWS_SECRET_ACCESS_KEY,
    ...(AWS_SESSION_TOKEN ? { sessionToken: AWS_SESSION_TOKEN } : {}),
  };
}

export class S3LetterPost implements LetterPost {
  readonly #config: S3LetterPostConfig;
  readonly #region: string;
  readonly #endpoint: string | undefined;

  constructor(config: S3LetterPostConfig) {
    this.#config = config;
    this.#region = config.region ?? process.env.AWS_REGION ?? 'eu-west-1';
    this.#endpoint = config.endpoint ?? envEndpoint('s3');
  }

  async postBatch(batch: Parameters<LetterPost['postBatch']>[0]): Promise<{ location: string }> {
    const prefix = letterBatchPrefix(batch.day, batch.id);
    for (const letter of batch.letters) {
      await this.#put(`${prefix}${letter.letterId}.pdf`, letter.pdf, 'application/pdf');
    }
    // The manifest last: a partner that sees it finds every PDF it names.
    const manifest = {
      batch: batch.id,
      day: batch.day,
      letters: batch.letters.map((l) => ({
        letterId: l.letterId,
        file: `${l.letterId}.pdf`,
        pages: l.pages,
        country: l.country,
      })),
    };
    await this.#put(
      `${prefix}manifest.json`,
      new TextEncoder().encode(JSON.stringify(manifest)),
      'application/json',
    );
    return { location: `s3://${this.#config.bucket}/${prefix}` };
  }

  async #put(key: string, body: Uint8Array, contentType: string): Promise<void> {
    const { bucket } = this.#config;
    const escapedKey = key
      .split('/')
      .map((s) => encodeURIComponent(s))
      .join('/');
    const url = new URL(
      this.#endpoint
        ? `${this.#endpoint.replace(/\/$/, '')}/${bucket}/${escapedKey}`
        : `https://${bucket}.s3.${this.#region}.amazonaws.com/${escapedKey}`,
    );
    const headers = signS3Request({
      method: 'PUT',
      url,
      region: this.#region,
      credentials: await (this.#config.credentials ?? environmentCredentials)(),
      now: (this.#config.now ?? (() => new Date()))(),
    });
    const { host: _host, ...sent } = headers;
    const response = await (this.#config.fetch ?? fetch)(url, {
      method: 'PUT',
      headers: { ...sent, 'content-type': contentType },
      body: body as NonNullable<RequestInit['body']>,
    });
    if (!response.ok) throw new Error(`S3 PutObject: HTTP ${response.status}`);
  }
}
