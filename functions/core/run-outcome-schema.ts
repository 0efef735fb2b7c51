/**
 * A run's outcome and result context (`RunOutcome`, `RunResultContext` in `results.ts`) as the run
 * item holds them and the API answers them.
 */
import * as z from 'zod/mini';
import { ChannelSchema } from './customer.ts';

const AttributedMessageSchema = z.object({
  stepId: z.string(),
  channel: ChannelSchema,
  variant: z.string(),
  locale: z.string(),
  at: z.string(),
});

export const RunOutcomeSchema = z.object({
  kind: z.enum(['goal-reached', 'handed-over', 'unreachable', 'completed-without-goal']),
  at: z.string(),
  goalEvent: z.optional(z.string()),
  daysToGoal: z.optional(z.number()),
  reason: z.optional(z.string()),
  lastMessage: z.nullable(AttributedMessageSchema),
});

export const RunResultContextSchema = z.object({
  segment: z.optional(z.string()),
  experimentId: z.optional(z.string()),
  arm: z.optional(z.string()),
  lastMessage: z.optional(AttributedMessageSchema),
});
