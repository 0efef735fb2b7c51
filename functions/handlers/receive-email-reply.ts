/**
 * Email replies: SES receiving stores each message for the stage's inbound domain in the replies
 * bucket, whose object-created event invokes this handler. It reads the raw MIME, records the reply
 * on the message its signed reply address names (`#application/email-reply.ts`) and deletes the
 * raw mail: what the customer wrote is kept in the conversation only (with the stage's body
 * retention), and a message this handler failed on expires with the bucket's lifecycle.
 *
 * Nothing here logs an address, a name or a text.
 */
import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { readEnv } from '#adapters/env.ts';
import { logger } from '#adapters/powertools.ts';
import { pseudonymKeyFromEnv } from '#adapters/pseudonym-key.ts';
import { createRepository, createResults } from '#adapters/repository-wiring.ts';
import { S3RawMailStore } from '#adapters/s3-raw-mail.ts';
import { secretsManagerUnsubscribeKey } from '#adapters/unsubscribe-key.ts';
import { type EmailReplyDeps, type EmailReplyOutcome, receiveEmailReply } from '#application/email-reply.ts';
import { deployedFeedbackDeps } from '#application/feedback-deps.ts';
import { wiredOnFirstUse, withObservability } from '#application/lambda.ts';
import type { RawMailStore } from '#core/ports.ts';

/** The S3 event notification of an object SES stored (only what this handler reads). */
export const S3MailEventSchema = z.object({
  Records: z
    .array(
      z.object({
        eventTime: z.iso.datetime({ offset: true }),
        s3: z.object({
          bucket: z.object({ name: z.string().check(z.minLength(3)) }),
          object: z.object({ key: z.string().check(z.minLength(1)) }),
        }),
      }),
    )
    .check(z.minLength(1)),
});

export interface ReceiveEmailReplyDeps extends EmailReplyDeps {
  mail: RawMailStore;
}

export interface ReceiveEmailReplyResult {
  /** Per stored message: what `receiveEmailReply` led to, or `gone` (handled already, or expired). */
  handled: Array<EmailReplyOutcome | 'gone'>;
}

export function makeHandler(deps: ReceiveEmailReplyDeps) {
  return withObservability(async (input: unknown, _context: Context): Promise<ReceiveEmailReplyResult> => {
    const { Records } = S3MailEventSchema.parse(input);
    const handled: ReceiveEmailReplyResult['handled'] = [];
    for (const record of Records) {
      // S3 event keys are URL-encoded, spaces as `+`.
      const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
      const location = { bucket: record.s3.bucket.name, key };
      const raw = await deps.mail.readRawMail(location);
      if (!raw) {
        handled.push('gone');
        continue;
      }
      handled.push(
        await receiveEmailReply(deps, raw, { id: key, at: new Date(record.eventTime).toISOString() }),
      );
      await deps.mail.deleteRawMail(location);
    }
    logger.info('email replies received', { handled });
    return { handled };
  });
}

export const handler = wiredOnFirstUse(() => {
  const env = readEnv({
    UNSUBSCRIBE_KEY_SECRET_ARN: z.string().check(z.minLength(1)),
    EMAIL_REPLY_DOMAIN: z.string().check(z.minLength(3)),
  });
  const pseudonymKey = pseudonymKeyFromEnv();
  const repository = createRepository({ pseudonymKey });
  // An email reply counts as `replied` in the results of the message it answers, as an SMS reply does.
  return makeHandler({
    ...deployedFeedbackDeps(repository, createResults({ pseudonymKey })),
    customers: repository,
    erasures: repository,
    key: secretsManagerUnsubscribeKey(env.UNSUBSCRIBE_KEY_SECRET_ARN),
    inboundDomain: env.EMAIL_REPLY_DOMAIN,
    mail: new S3RawMailStore(),
  });
});
