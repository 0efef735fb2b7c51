/**
 * Email replies on one machine: `POST /local/email-replies` takes a raw MIME message
 * (`message/rfc822` or `text/plain`) or `{ to, from, text, subject? }` (JSON), keeps it in a bucket
 * in memory as SES receiving keeps it in S3, and invokes receive-email-reply with the object-created
 * event S3 would send: the same handler, the same records. Answers what the handler did.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod/mini';
import type { RawMailLocation, RawMailStore } from '#core/ports.ts';
import type { SimulatedClock } from './simulated-clock.ts';

export const LOCAL_REPLIES_BUCKET = 'klantreis-local-email-replies';

/** The replies bucket in memory. */
export class LocalRawMail implements RawMailStore {
  readonly #objects = new Map<string, Uint8Array>();

  put(key: string, raw: Uint8Array): RawMailLocation {
    this.#objects.set(key, raw);
    return { bucket: LOCAL_REPLIES_BUCKET, key };
  }

  async readRawMail({ key }: RawMailLocation): Promise<Uint8Array | undefined> {
    return this.#objects.get(key);
  }

  async deleteRawMail({ key }: RawMailLocation): Promise<void> {
    this.#objects.delete(key);
  }

  /** The messages still kept (a handler failed on them, as they would wait for the bucket's expiry). */
  get size(): number {
    return this.#objects.size;
  }
}

const SimpleReplySchema = z.object({
  to: z.string().check(z.minLength(3)),
  from: z.string().check(z.minLength(3)),
  text: z.string(),
  subject: z.optional(z.string()),
});

/** Returns a plain-text MIME message of a simple reply. */
export function mimeOf(reply: z.infer<typeof SimpleReplySchema>, at: Date): string {
  return [
    `From: ${reply.from}`,
    `To: ${reply.to}`,
    `Subject: ${reply.subject ?? 'Re: your message'}`,
    `Date: ${at.toUTCString()}`,
    `Message-ID: <${randomUUID()}@local>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    reply.text.replace(/\r?\n/g, '\r\n'),
  ].join('\r\n');
}

/** Returns the raw message of a request: its body as sent, or the MIME of a JSON reply. */
export function rawMailOf(event: APIGatewayProxyEventV2, at: Date): Uint8Array {
  const body = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  const type = event.headers?.['content-type'] ?? '';
  if (!type.startsWith('application/json')) return new Uint8Array(bytes);
  return new Uint8Array(Buffer.from(mimeOf(SimpleReplySchema.parse(JSON.parse(bytes.toString('utf8'))), at)));
}

/** Returns the local route's handler: store the message, then invoke the handler as S3's event would. */
export function emailReplyRoute(deps: {
  mail: LocalRawMail;
  clock: SimulatedClock;
  receive: (event: unknown) => Promise<unknown>;
}) {
  return async (event: APIGatewayProxyEventV2) => {
    const at = deps.clock.now();
    let raw: Uint8Array;
    try {
      raw = rawMailOf(event, at);
    } catch {
      return {
        statusCode: 400,
        body: JSON.stringify({ message: 'expected raw MIME, or JSON { to, from, text }' }),
      };
    }
    const location = deps.mail.put(`inbound/${randomUUID()}`, raw);
    const result = await deps.receive({
      Records: [
        {
          eventTime: at.toISOString(),
          s3: { bucket: { name: location.bucket }, object: { key: location.key } },
        },
      ],
    });
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(result) };
  };
}
