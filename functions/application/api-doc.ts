/**
 * What each HTTP handler tells the OpenAPI document about itself: the very zod schemas it parses
 * its path, headers and body with, and the shapes it answers with. `infra/openapi.ts` turns the
 * `apiDoc` export of every routed handler into the document, so it cannot drift from the code.
 */
import * as z from 'zod/mini';
import { ChannelSchema, CustomerProfileSchema } from '#core/customer.ts';
import { RunOutcomeSchema } from '#core/run-outcome-schema.ts';
import { DeliveryStatusValues, EngagementValues } from '#core/timeline.ts';

export interface ApiDoc {
  summary: string;
  description?: string;
  params?: z.ZodMiniObject;
  /** Query-string parameters, e.g. a page's `limit` and `cursor`. */
  query?: z.ZodMiniObject;
  /** Request headers the handler reads, e.g. `Idempotency-Key`. */
  headers?: z.ZodMiniObject;
  body?: z.ZodMiniType;
  /**
   * Rules the handler enforces across body fields, stated in the document as JSON Schema `if`/`then`:
   * a body that matches `when` (e.g. `type` is `invoice.created`) must also match `requires`.
   */
  bodyRules?: readonly { description: string; when: z.ZodMiniType; requires: z.ZodMiniType }[];
  /** The body's media type when it is not JSON, e.g. a one-click unsubscribe's form post. */
  bodyMediaType?: string;
  /**
   * Success (and specific error) responses by status; 400, 401, 413 and 500 are added for every route.
   * `html`: the answer is a page (`text/html`), e.g. behind a link in a message; with `alsoError`, a
   * request no page is meant for (a malformed machine request) gets the JSON error body instead.
   */
  responses: Record<
    number,
    { description: string; schema?: z.ZodMiniType; html?: boolean; alsoError?: boolean }
  >;
}

export const ErrorBodySchema = z.object({
  error: z.string(),
  issues: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
});

export const CustomerIdParams = z.object({
  customerId: z
    .string()
    .check(
      z.minLength(1),
      z.maxLength(128),
      z.regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only'),
    ),
});

export const JourneyRunSchema = z.object({
  runId: z.string(),
  journeyId: z.string(),
  customerId: z.string(),
  subjectId: z.optional(z.string()),
  executionArn: z.string(),
  status: z
    .enum(['running', 'completed', 'goal-reached', 'failed', 'aborted', 'timed-out'])
    .check(
      z.describe(
        '`running` until the execution ends; then `completed` (it succeeded), `failed`, `timed-out` or ' +
          '`aborted` (stopped, e.g. by an erasure), or `goal-reached` (an exit event such as `invoice.paid` stopped it).',
      ),
    ),
  startedAt: z.string(),
  endedAt: z.optional(z.string().check(z.describe('When the execution ended, once it has.'))),
  currentStep: z.optional(z.string().check(z.describe('The step the run visited last.'))),
  nextWakeAt: z.optional(
    z.string().check(z.describe('When the run wakes next, as its last step visit planned it.')),
  ),
  outcome: z.optional(
    RunOutcomeSchema.check(
      z.describe(
        'How the run ended for its goal, once it has (the first outcome recorded stays): `goal-reached` (by ' +
          '`goalEvent`: the event type, or `goal-check` when a step found the subject done; `daysToGoal` from the ' +
          'run’s start), `handed-over`, `unreachable` (handed over: no channel reached the customer) or ' +
          '`completed-without-goal`; `lastMessage` is the run’s last message before it (step, channel, variant, ' +
          'locale), null when none went out.',
      ),
    ),
  ),
});

// One schema for a conversation line, shared with the repository that stores it.
export { DeliveryStatusValues, EngagementValues, TimelineEntrySchema } from '#core/timeline.ts';

export const CustomerResponseSchema = CustomerProfileSchema;

/** A send record (`SendRecord` in the ports): the idempotency claim, its outcome and the provider's feedback. */
export const SendRecordSchema = z.object({
  key: z.string(),
  status: z.enum(['in-progress', 'sent', 'skipped', 'failed', 'maybe-sent']),
  channel: z.optional(ChannelSchema),
  providerMessageId: z.optional(z.string()),
  at: z.string(),
  reason: z.optional(z.string()),
  fallback: z.optional(ChannelSchema),
  attempt: z.optional(z.number()),
  reconcileBy: z.optional(z.string()),
  deliveryStatus: z.optional(z.enum(DeliveryStatusValues)),
  engagement: z.optional(z.enum(EngagementValues)),
});
