import * as z from 'zod/mini';
import { ChannelSchema } from './customer.ts';

/** What a provider reported about a message (`DeliveryStatus` in the ports). */
export const DeliveryStatusValues = [
  'delivered',
  'bounced',
  'complained',
  'rejected',
  'delayed',
  'failed',
] as const;
/** Whether the customer opened or clicked an email (`Engagement` in the ports). */
export const EngagementValues = ['opened', 'clicked'] as const;

export const TimelineEntrySchema = z.object({
  id: z.optional(z.string()),
  customerId: z.string(),
  at: z.string(),
  kind: z.enum(['decision', 'message', 'journey', 'event', 'delivery', 'reply', 'action']),
  summary: z.string(),
  runId: z.optional(z.string()),
  journeyId: z.optional(z.string()),
  stepId: z.optional(z.string()),
  channel: z.optional(ChannelSchema),
  templateId: z.optional(z.string()),
  locale: z.optional(z.string()),
  tone: z.optional(z.string()),
  experimentId: z.optional(z.string()),
  arm: z.optional(z.string()),
  outcome: z.optional(
    z.enum([
      'sent',
      'skipped',
      'failed',
      'goal-reached',
      'started',
      'completed',
      'unknown',
      ...DeliveryStatusValues,
      ...EngagementValues,
      'opted-out',
      'escalated',
    ]),
  ),
  providerMessageId: z.optional(z.string()),
  reasons: z.optional(z.array(z.string())),
  actor: z.optional(z.string()),
  body: z.optional(z.object({ subject: z.optional(z.string()), text: z.string() })),
});
