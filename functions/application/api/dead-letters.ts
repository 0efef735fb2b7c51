/**
 * What `GET /operations/dead-letters` answers: each of the stage's dead-letter queues with its depth
 * and its oldest messages' ids and ages, never their bodies (they may hold a customer's data).
 * AWS-free (zod only): the handler and the console's Operations page share it.
 */
import * as z from 'zod/mini';

export const DeadLetterMessageSchema = z.object({
  messageId: z.string(),
  sentAt: z.optional(z.string().check(z.describe('When the message reached the queue (ISO 8601).'))),
  ageMinutes: z.optional(z.number()),
});

export const DeadLetterQueueSchema = z.object({
  name: z.string().check(z.describe('What the queue catches: `scheduler`, `feedback`, `erasure`, …')),
  depth: z.number().check(z.describe('Messages in the queue (SQS ApproximateNumberOfMessages).')),
  oldest: z.array(DeadLetterMessageSchema).check(z.describe('Up to 10 messages, oldest first, peeked.')),
});
export type DeadLetterQueue = z.infer<typeof DeadLetterQueueSchema>;

export const DeadLettersResponseSchema = z.object({
  queues: z.array(DeadLetterQueueSchema),
  checkedAt: z.string(),
});
export type DeadLettersResponse = z.infer<typeof DeadLettersResponseSchema>;

export const deadLettersPath = '/operations/dead-letters';
