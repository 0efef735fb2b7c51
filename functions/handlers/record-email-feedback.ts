/**
 * SES events (through the configuration set's EventBridge destination): delivery, bounce,
 * complaint, open, click, reject and delay. Each lands on the message's send record (which
 * journeys read for the outcome-driven fallback) and in the customer's conversation.
 *
 * - A hard bounce suppresses the address; a complaint suppresses it and records an email opt-out.
 *   Both are keyed on the address, so they happen even when the send record cannot be found.
 * - Opens and clicks are behaviour events (`email.opened`, `email.clicked`) the decision core
 *   reads, and the send record's engagement.
 *
 * - A journey Task waiting for the email to be read (`.waitForTaskToken`, the payment reminder's
 *   48-hour check) is completed here: an open or click → SendTaskSuccess with the progress stored
 *   on the send record (the run goes straight on); a bounce, complaint or reject → SendTaskFailure
 *   `Klantreis.EmailNotRead` (the SMS goes at once). The callback is cleared once used.
 *
 * - `Send` (SES accepted the email) and every other event name the send by the email's tags
 *   (`send-tag.ts`): a send whose step never heard SES's answer (`maybe-sent`, or a claim left
 *   `in-progress` by a crash) is linked to the message then — `sent`, with SES's message id — so the
 *   step, looking again at its bound, finds it sent and sends nothing more.
 *
 * EventBridge delivers at least once: every write is keyed on the event (message id, type,
 * timestamp), so a redelivery overwrites rather than duplicates; a repeated completion is
 * answered "no longer waiting" and ignored.
 */
import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { logger, metrics } from '#adapters/powertools.ts';
import { pseudonymKeyFromEnv } from '#adapters/pseudonym-key.ts';
import { createRepository, createResults, taskCallbackStore } from '#adapters/repository-wiring.ts';
import { sfnClient } from '#adapters/sfn-client.ts';
import { SfnTaskCallbacks } from '#adapters/sfn-task-callbacks.ts';
import { ResultsNotRecorded, SendRecordNotYetVisible } from '#application/errors.ts';
import { deployedFeedbackDeps, type FeedbackDeps } from '#application/feedback-deps.ts';
import { feedbackEntryId } from '#application/feedback-entry-id.ts';
import { messageOfSend, recordFeedbackResults } from '#application/feedback-results.ts';
import { correlateWithRun, wiredOnFirstUse, withObservability } from '#application/lambda.ts';
import { locateSend } from '#application/locate-send.ts';
import type { BehaviouralEventType } from '#core/behaviour.ts';
import { handOver, handOverLinksOf } from '#core/hand-over.ts';
import type {
  DeliveryStatus,
  Engagement,
  JourneyTaskCallbacks,
  SendRecord,
  TaskCallbackRepository,
  TimelineEntry,
} from '#core/ports.ts';
import type { ResultCounter } from '#core/results.ts';
import { sendOfTags } from '#core/send-tag.ts';
import { readCheckCompletionOf } from '#core/task-callback.ts';

const timestamp = z.iso.datetime({ offset: true });
const recipients = z._default(z.array(z.object({ emailAddress: z.string().check(z.minLength(3)) })), []);

/** The SES event record (the same shape SES publishes to SNS, Firehose and EventBridge). */
export const SesEventSchema = z.object({
  eventType: z.string().check(z.minLength(1)),
  mail: z.object({
    messageId: z.string().check(z.minLength(1), z.maxLength(256)),
    timestamp,
    tags: z._default(z.record(z.string(), z.array(z.string())), {}),
  }),
  delivery: z.optional(z.object({ timestamp })),
  bounce: z.optional(
    z.object({
      bounceType: z.string(),
      bounceSubType: z.optional(z.string()),
      bouncedRecipients: recipients,
      timestamp,
    }),
  ),
  complaint: z.optional(
    z.object({ complainedRecipients: recipients, timestamp, complaintFeedbackType: z.optional(z.string()) }),
  ),
  open: z.optional(z.object({ timestamp })),
  click: z.optional(z.object({ timestamp })),
  reject: z.optional(z.object({ reason: z.optional(z.string()) })),
  deliveryDelay: z.optional(z.object({ timestamp, delayType: z.optional(z.string()) })),
});
export type SesEvent = z.infer<typeof SesEventSchema>;

export const EmailFeedbackInput = z.object({
  source: z.literal('aws.ses'),
  'detail-type': z.string(),
  detail: SesEventSchema,
});

export interface EmailFeedbackResult {
  eventType: string;
  matched: boolean;
  /** What changed, personal-data free: `suppressed`, `opted-out`, `delivered`, … */
  effects: string[];
}

export interface RecordEmailFeedbackDeps extends FeedbackDeps {
  /** Journey Tasks waiting for an email to be read: their callbacks (on the send record) and Step Functions. */
  taskCallbacks?: { store: TaskCallbackRepository; callbacks: JourneyTaskCallbacks };
  /** How long after sending an unmatched event is retried (the send record may not be visible yet). */
  unmatchedRetryWindowMs?: number;
}

const DEFAULT_UNMATCHED_RETRY_WINDOW_MS = 2 * 60_000;

/** What an event means for the send record and the conversation. */
interface Reading {
  at: string;
  deliveryStatus?: DeliveryStatus;
  engagement?: Engagement;
  behaviour?: BehaviouralEventType;
  suppress: string[];
  optOut: boolean;
  reasons: string[];
}

/** Returns what the event means, or undefined for events Klantreis does not act on (Subscription, …). */
export function readSesEvent(event: SesEvent): Reading | undefined {
  const none = { suppress: [], optOut: false, reasons: [] };
  switch (event.eventType) {
    // SES accepted it: links a send whose answer was lost, and nothing else.
    case 'Send':
      return { ...none, at: event.mail.timestamp };
    case 'Delivery':
      return { ...none, at: event.delivery?.timestamp ?? event.mail.timestamp, deliveryStatus: 'delivered' };
    case 'Bounce': {
      const bounce = event.bounce;
      const hard = bounce?.bounceType === 'Permanent';
      const kind = `${bounce?.bounceType ?? 'Undetermined'}/${bounce?.bounceSubType ?? 'General'}`;
      return {
        ...none,
        at: bounce?.timestamp ?? event.mail.timestamp,
        deliveryStatus: 'bounced',
        suppress: hard ? (bounce?.bouncedRecipients ?? []).map((r) => r.emailAddress) : [],
        reasons: [hard ? `hard bounce (${kind}): address suppressed` : `soft bounce (${kind}): address kept`],
      };
    }
    case 'Complaint':
      return {
        ...none,
        at: event.complaint?.timestamp ?? event.mail.timestamp,
        deliveryStatus: 'complained',
        suppress: (event.complaint?.complainedRecipients ?? []).map((r) => r.emailAddress),
        optOut: true,
        reasons: [
          'complaint: address suppressed and email opt-out recorded',
          'escalate: a complaint needs a person',
        ],
      };
    case 'Open':
      return {
        ...none,
        at: event.open?.timestamp ?? event.mail.timestamp,
        engagement: 'opened',
        behaviour: 'email.opened',
      };
    case 'Click':
      return {
        ...none,
        at: event.click?.timestamp ?? event.mail.timestamp,
        engagement: 'clicked',
        behaviour: 'email.clicked',
      };
    case 'Reject':
      return {
        ...none,
        at: event.mail.timestamp,
        deliveryStatus: 'rejected',
        reasons: ['rejected by SES after sending'],
      };
    case 'DeliveryDelay':
      return {
        ...none,
        at: event.deliveryDelay?.timestamp ?? event.mail.timestamp,
        deliveryStatus: 'delayed',
        reasons: [`delivery delayed (${event.deliveryDelay?.delayType ?? 'unknown'})`],
      };
    default:
      return undefined;
  }
}

/** The result counters an event adds for its message: a click implies an open, a complaint an opt-out. */
function countersOf(reading: Reading): ResultCounter[] {
  switch (reading.deliveryStatus ?? reading.engagement) {
    case 'delivered':
      return ['delivered'];
    case 'bounced':
      return ['bounced'];
    case 'complained':
      return ['complained', 'optedOut'];
    case 'opened':
      return ['opened'];
    case 'clicked':
      return ['opened', 'clicked'];
    default:
      return [];
  }
}

/**
 * Completes the journey Task waiting for this email to be read, if one is and the event decides it;
 * returns the effect (`read-check-passed`, `read-check-failed`) or null. The callback is read after
 * the outcome was recorded (a consistent read of the send record: gsi1 may lag the step's write),
 * completed, then cleared: a crash in between completes it again on redelivery, never loses it.
 */
async function completeReadCheck(
  deps: NonNullable<RecordEmailFeedbackDeps['taskCallbacks']>,
  customerId: string,
  record: SendRecord,
  reading: Reading,
): Promise<string | null> {
  // A step keeps a callback only for an email with a supporting channel: no read for any other.
  if (record.channel !== 'email' || !record.fallback) return null;
  const stepId = record.key.split('#')[1] ?? 'message';
  const completion = readCheckCompletionOf(stepId, reading);
  if (!completion) return null;
  const hold = await deps.store.getTaskCallback(customerId, record.key);
  if (!hold) return null;
  const completed =
    completion.kind === 'succeed'
      ? await deps.callbacks.succeed(hold.taskToken, JSON.parse(hold.output))
      : await deps.callbacks.fail(hold.taskToken, { error: completion.error, cause: completion.cause });
  await deps.store.releaseTaskCallback(customerId, record.key, hold.taskToken);
  if (!completed) return null;
  return completion.kind === 'succeed' ? 'read-check-passed' : 'read-check-failed';
}

export function makeHandler(deps: RecordEmailFeedbackDeps) {
  const retryWindow = deps.unmatchedRetryWindowMs ?? DEFAULT_UNMATCHED_RETRY_WINDOW_MS;
  return withObservability(async (input: unknown, _context: Context): Promise<EmailFeedbackResult> => {
    const { detail: event } = EmailFeedbackInput.parse(input);
    const reading = readSesEvent(event);
    if (!reading) return { eventType: event.eventType, matched: false, effects: [] };
    const effects: string[] = [];
    const now = deps.clock.now();

    // Address-level effects first: they must not depend on finding the send record.
    for (const address of reading.suppress) {
      await deps.suppressions.suppress('email', address, reading.reasons[0] ?? event.eventType, now);
    }
    if (reading.suppress.length > 0) effects.push('suppressed');

    const named = sendOfTags(event.mail.tags);
    const located = await locateSend(deps.deliveries, named, event.mail.messageId);
    if (located?.linked) effects.push('linked');
    if (event.eventType === 'Send') {
      if (located?.linked) metrics.addMetric('MaybeSentLinked', 'Count', 1);
      return { eventType: event.eventType, matched: located !== undefined, effects };
    }
    if (!located) {
      // Only the message-id index can lag; a send its tags name was read consistently, and is gone (erased).
      const mayLag = !named && now.getTime() - Date.parse(event.mail.timestamp) < retryWindow;
      if (mayLag) throw new SendRecordNotYetVisible();
      logger.warn('email event for an unknown message', { eventType: event.eventType });
      metrics.addMetric('UnmatchedFeedbackEvents', 'Count', 1);
      return { eventType: event.eventType, matched: false, effects };
    }
    const { customerId, record } = located;
    correlateWithRun(record.key);
    // A repeated open or click (or a click after the click) changes nothing the customer or a journey sees.
    const repeat =
      reading.engagement !== undefined &&
      (record.engagement === 'clicked' || record.engagement === reading.engagement);
    if (!repeat) {
      await deps.deliveries.recordDeliveryOutcome(customerId, record.key, {
        at: reading.at,
        ...(reading.deliveryStatus ? { deliveryStatus: reading.deliveryStatus } : {}),
        ...(reading.engagement ? { engagement: reading.engagement } : {}),
      });
    }
    // After the outcome is recorded: a step holding its callback from now on sees it (holdTaskCallback).
    const callback = deps.taskCallbacks
      ? await completeReadCheck(deps.taskCallbacks, customerId, record, reading)
      : null;
    if (callback) effects.push(callback);
    // Counted once per message (first open, first click), after the conversation: a redelivery of the
    // counted event (the record shows its engagement already) records it again, which counts nothing.
    const countResults = async () => {
      const recorded = await recordFeedbackResults(
        deps.results,
        messageOfSend(customerId, record.key, 'email', event.mail.tags.journey?.[0]),
        { counters: countersOf(reading), eventKey: event.mail.messageId, at: reading.at },
      );
      if (!recorded) throw new ResultsNotRecorded();
    };
    if (repeat) {
      if (record.engagement === reading.engagement) await countResults();
      return { eventType: event.eventType, matched: true, effects };
    }
    effects.push(reading.deliveryStatus ?? reading.engagement ?? event.eventType);

    if (reading.optOut) {
      const at = new Date(reading.at).toISOString();
      await deps.consents.recordConsents(
        customerId,
        (['service', 'marketing'] as const).map((purpose) => ({
          channel: 'email' as const,
          purpose,
          granted: false,
          at,
          source: 'ses-complaint',
        })),
        now,
      );
      effects.push('opted-out');
    }
    const entryId = feedbackEntryId('ses', event.eventType, event.mail.messageId, reading.at);
    if (reading.behaviour) {
      await deps.customers.recordEvent(
        customerId,
        { type: reading.behaviour, occurredAt: reading.at, data: { channel: 'email' } },
        entryId,
      );
    }
    const [runId, stepId] = record.key.split('#');
    const journeyId = event.mail.tags.journey?.[0];
    const outcome = reading.deliveryStatus ?? reading.engagement;
    const entry: TimelineEntry = {
      id: entryId,
      customerId,
      at: reading.at,
      kind: 'delivery',
      summary: `${journeyId ? `${journeyId}/` : ''}${stepId ?? 'message'}: email ${outcome}`,
      channel: 'email',
      providerMessageId: event.mail.messageId,
      ...(outcome ? { outcome } : {}),
      ...(runId ? { runId } : {}),
      ...(stepId ? { stepId } : {}),
      ...(journeyId ? { journeyId } : {}),
      ...(reading.reasons.length > 0 ? { reasons: reading.reasons } : {}),
    };
    await deps.timeline.appendTimeline(entry);
    if (reading.deliveryStatus === 'complained' && deps.handOvers) {
      await handOver(
        { publisher: deps.handOvers.publisher, timeline: deps.timeline },
        {
          handOverId: `${entryId}.hand-over`,
          customerId,
          reason: 'complaint',
          at: reading.at,
          ...handOverLinksOf(deps.handOvers, customerId),
          ...(journeyId ? { journeyId } : {}),
          ...(runId ? { runId } : {}),
        },
      );
      effects.push('handed-over');
    }
    logger.info('email feedback recorded', { eventType: event.eventType, effects });
    metrics.addMetric(`EmailFeedback${event.eventType}`, 'Count', 1);
    await countResults();
    return { eventType: event.eventType, matched: true, effects };
  });
}

export const handler = wiredOnFirstUse(() => {
  const pseudonymKey = pseudonymKeyFromEnv();
  return makeHandler({
    ...deployedFeedbackDeps(createRepository({ pseudonymKey }), createResults({ pseudonymKey })),
    taskCallbacks: { store: taskCallbackStore(), callbacks: new SfnTaskCallbacks(sfnClient()) },
  });
});
