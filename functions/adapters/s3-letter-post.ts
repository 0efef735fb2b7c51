/**
 * The print-and-mail partner collects each day's letters from the stage's letters bucket: one PDF per
 * letter under `letters/<day>/<batch>/<letterId>.pdf` and the batch's manifest
 * (`letters/<day>/<batch>/manifest.json`: each letter's id, file, pages and destination country; no
 * names or addresses, which only the PDFs carry). Two kinds of PUT do not warrant the S3 client: they
 * are signed object calls (`s3-object-requests.ts`), as the replies bucket's are.
 */
import type { LetterPost } from '#core/ports.ts';
import { type S3Target, type S3TargetConfig, s3TargetOf, sendS3ObjectRequest } from './s3-object-requests.ts';

export interface S3LetterPostConfig extends S3TargetConfig {
  bucket: string;
}

/** Where a batch's files go in the bucket. */
export function letterBatchPrefix(day: string, batch: string): string {
  return `letters/${day}/${batch}/`;
}

export class S3LetterPost implements LetterPost {
  readonly #bucket: string;
  readonly #target: S3Target;

  constructor(config: S3LetterPostConfig) {
    this.#bucket = config.bucket;
    this.#target = s3TargetOf(config);
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
    return { location: `s3://${this.#bucket}/${prefix}` };
  }

  async #put(key: string, body: Uint8Array, contentType: string): Promise<void> {
    const response = await sendS3ObjectRequest(this.#target, {
      method: 'PUT',
      bucket: this.#bucket,
      key,
      body,
      contentType,
    });
    if (!response.ok) throw new Error(`S3 PutObject: HTTP ${response.status}`);
  }
}
