/**
 * The stage's dead-letter queues for the operators: each one's depth and its oldest messages' ids and
 * ages, peeked without taking them out. The queues come from the environment (`DEAD_LETTER_QUEUES`,
 * `{ name: url }`); a stage without any answers an empty list.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { logger } from '#adapters/powertools.ts';
import { type DeadLetterPeek, SqsDeadLetterPeek, sqsClient } from '#adapters/sqs-dead-letters.ts';
import { systemClock } from '#adapters/system-clock.ts';
import { type DeadLetterQueue, DeadLettersResponseSchema } from '#application/api/dead-letters.ts';
import type { ApiDoc } from '#application/api-doc.ts';
import { requireRole } from '#application/caller.ts';
import { type HttpResult, json, respond } from '#application/http.ts';
import { wiredOnFirstUse, withObservability } from '#application/lambda.ts';
import type { Clock } from '#core/ports.ts';

export const apiDoc: ApiDoc = {
  summary: 'The stage’s dead-letter queues: depth and the oldest messages’ ids and ages',
  description:
    'Peeked with a visibility timeout of 0: nothing is taken out of a queue. Bodies are never returned (they may hold a customer’s data).',
  responses: {
    200: { description: 'Every dead-letter queue of the stage', schema: DeadLettersResponseSchema },
  },
};

export interface GetDeadLettersDeps {
  /** Queue name → URL. */
  queues: Readonly<Record<string, string>>;
  peek: DeadLetterPeek;
  clock: Clock;
}

export function makeHandler(deps: GetDeadLettersDeps) {
  return withObservability(
    async (event: APIGatewayProxyEventV2, _context: Context): Promise<HttpResult> =>
      respond(
        async () => {
          requireRole(event, 'viewer');
          const now = deps.clock.now();
          const queues = await Promise.all(
            Object.entries(deps.queues).map(async ([name, url]): Promise<DeadLetterQueue> => {
              const { depth, messages } = await deps.peek.peek(url);
              const oldest = messages
                .map((m) => ({
                  messageId: m.messageId,
                  ...(m.sentAt
                    ? {
                        sentAt: m.sentAt.toISOString(),
                        ageMinutes: Math.max(0, Math.floor((now.getTime() - m.sentAt.getTime()) / 60_000)),
                      }
                    : {}),
                }))
                .sort((a, b) => (a.sentAt ?? '').localeCompare(b.sentAt ?? ''));
              return { name, depth, oldest };
            }),
          );
          return json(200, { queues, checkedAt: now.toISOString() });
        },
        (error) => logger.error('get-operations-dead-letters failed', { error }),
      ),
  );
}

const QueuesEnvSchema = z.record(z.string(), z.string());

export const handler = wiredOnFirstUse(() =>
  makeHandler({
    queues: QueuesEnvSchema.parse(JSON.parse(process.env.DEAD_LETTER_QUEUES ?? '{}')),
    peek: new SqsDeadLetterPeek(sqsClient()),
    clock: systemClock,
  }),
);
