/**
 * The replies bucket, where SES receiving stores each inbound message: read one object and delete it,
 * with two signed object calls (`s3-object-requests.ts`).
 */
import type { RawMailLocation, RawMailStore } from '#core/ports.ts';
import { type S3Target, type S3TargetConfig, s3TargetOf, sendS3ObjectRequest } from './s3-object-requests.ts';

export type S3RawMailConfig = S3TargetConfig;

export class S3RawMailStore implements RawMailStore {
  readonly #target: S3Target;

  constructor(config: S3RawMailConfig = {}) {
    this.#target = s3TargetOf(config);
  }

  async readRawMail({ bucket, key }: RawMailLocation): Promise<Uint8Array | undefined> {
    const response = await sendS3ObjectRequest(this.#target, { method: 'GET', bucket, key });
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`S3 GetObject: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  }

  async deleteRawMail({ bucket, key }: RawMailLocation): Promise<void> {
    const response = await sendS3ObjectRequest(this.#target, { method: 'DELETE', bucket, key });
    if (!response.ok && response.status !== 404) throw new Error(`S3 DeleteObject: HTTP ${response.status}`);
  }
}
