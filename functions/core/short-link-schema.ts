/** A stored short link as the export shows it and the redirect route reads it back (`short-link.ts`). */
import * as z from 'zod/mini';
import type { ShortLink } from './short-link.ts';

export const ShortLinkSchema = z.object({
  code: z.string(),
  link: z.string(),
  target: z.string(),
  customerId: z.string(),
  runId: z.string(),
  journeyId: z.string(),
  stepId: z.string(),
  channel: z.literal('sms'),
  messageId: z.string(),
  locale: z.string(),
  expiresAt: z.string(),
  clickedAt: z.optional(z.string()),
}) satisfies z.ZodMiniType<ShortLink>;
