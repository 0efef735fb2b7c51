import * as z from 'zod';
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
  id: z.string().optional(),
  customerId: z.string(),
  at: z.string(),
  kind: z.enum(['decision', 'message', 'journey', 'event', 'delivery', 'reply']),
  summary: z.string(),
  runId: z.string().optional(),
  journeyId: z.string().optional(),
  stepId: z.string().optional(),
  channel: ChannelSchema.optional(),
  templateId: z.string().optional(),
  locale: z.string().optional(),
  tone: z.string().optional(),
  outcome: z
    .enum([
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
    ])
    .optional(),
  providerMessageId: z.string().optional(),
  reasons: z.array(z.string()).optional(),
  body: z.object({ subject: z.string().optional(), text: z.string() }).optional(),
});
