/**
 * The daily posting run (an EventBridge schedule): lays out the letters the journey steps recorded
 * (yesterday's leftovers and today's) as PDFs and puts them with a manifest in the letters bucket,
 * where the print-and-mail partner collects them. Only this function bundles pdf-lib.
 */
import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { DynamoLetters } from '#adapters/dynamo/letters.ts';
import { dynamoDbDocumentClient } from '#adapters/dynamodb-client.ts';
import { readEnv, tableEnv } from '#adapters/env.ts';
import { loadPolicy } from '#adapters/policy-file.ts';
import { logger } from '#adapters/powertools.ts';
import { S3LetterPost } from '#adapters/s3-letter-post.ts';
import { systemClock } from '#adapters/system-clock.ts';
import { wiredOnFirstUse, withObservability } from '#application/lambda.ts';
import { type PostLettersDeps, postLettersOf } from '#application/post-letters.ts';

const DAY_MS = 86_400_000;

/** A run may name the day to post (an operator's re-run); the schedule sends none: yesterday and today. */
export const PostLettersEvent = z.object({ day: z.optional(z.iso.date()) });

export function makeHandler(deps: PostLettersDeps) {
  return withObservability(async (event: unknown, _context: Context) => {
    const parsed = PostLettersEvent.safeParse(event ?? {});
    const now = deps.clock.now();
    const days =
      parsed.success && parsed.data.day
        ? [parsed.data.day]
        : [new Date(now.getTime() - DAY_MS).toISOString().slice(0, 10), now.toISOString().slice(0, 10)];
    const batches = [];
    for (const day of days) batches.push(await postLettersOf(deps, day));
    logger.info('posting run done', { batches: batches.map((b) => ({ batch: b.batch, posted: b.posted })) });
    return { batches: batches.map(({ batch, posted, location }) => ({ batch, posted, location })) };
  });
}

export const handler = wiredOnFirstUse(() => {
  const env = readEnv({ ...tableEnv, LETTERS_BUCKET: z.string().check(z.minLength(3)) });
  const policy = loadPolicy();
  if (!policy.letterSender) throw new Error('the policy has no letterSender: letters cannot be printed');
  return makeHandler({
    letters: new DynamoLetters(dynamoDbDocumentClient(), env.TABLE_NAME),
    post: new S3LetterPost({ bucket: env.LETTERS_BUCKET }),
    sender: policy.letterSender,
    clock: systemClock,
  });
});
