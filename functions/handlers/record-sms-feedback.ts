/**
 * What comes back from the SMS channel, delivered by SNS topics:
 * - inbound SMS (AWS End User Messaging SMS two-way messaging → SNS): an opt-out keyword (STOP,
 *   STOPPEN, STOP ALLES, UNSUBSCRIBE, AFMELDEN, …) suppresses the number and records an SMS opt-out
 *   for every customer with that number, at once; any other text lands in the customer's
 *   conversation marked for escalation to a person, and counts as an `sms.replied` event.
 * - SMS delivery events (End User Messaging SMS event destination → SNS): the delivery status goes
 *   on the send record and into the conversation. Any event whose context names a send whose answer
 *   was lost links it (`sent`), the first ones (`TEXT_QUEUED`, `TEXT_PENDING`) included: they say
 *   End User Messaging accepted the SMS, so it is not sent again however late its delivery comes.
 *
 * Nothing here logs a number or a message text; the reply text is kept only as a message body,
 * which expires with the stage's retention.
 */
import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { logger, metrics } from '#adapters/powertools.ts';
import { pseudonymKeyFromEnv } from '#adapters/pseudonym-key.ts';
import { createRepository, createResults } from '#adapters/repository-wiring.ts';
import { ResultsNotRecorded } from '#application/errors.ts';
import { deployedFeedbackDeps, type FeedbackDeps } from '#application/feedback-deps.ts';
import { feedbackEntryId } from '#application/feedback-entry-id.ts';
import { latestSmsMessage, messageOfSend, recordFeedbackResults } from '#application/feedback-results.ts';
import { correlateWithRun, wiredOnFirstUse, withObservability } from '#application/lambda.ts';
import { locateSend } from '#application/locate-send.ts';
import { handOverReply } from '#application/reply-hand-over.ts';
import { withdrawnForEveryPurpose } from '#core/consent.ts';
import type { CustomerLookup, DeliveryStatus } from '#core/ports.ts';
import { sendOfTags } from '#core/send-tag.ts';
import { classifySmsReply } from '#core/sms-reply.ts';

/** An inbound SMS as two-way messaging publishes it. */
export const InboundSmsSchema = z.object({
  originationNumber: z.string().check(z.minLength(3), z.maxLength(32)),
  destinationNumber: z.optional(z.string().check(z.maxLength(32))),
  messageBody: z.string().check(z.maxLength(2000)),
  inboundMessageId: z.string().check(z.minLength(1), z.maxLength(256)),
  messageKeyword: z.optional(z.string()),
  previousPublishedMessageId: z.optional(z.string()),
});

/**
 * An SMS event record of End User Messaging SMS (`TEXT_DELIVERED`, `TEXT_BLOCKED`, …); `context` is
 * what the send passed (`SendTextMessage` `Context`): the send it is, when the sender can say it.
 */
export const SmsEventSchema = z.object({
  eventType: z.string().check(z.regex(/^TEXT_[A-Z_]+$/)),
  messageId: z.string().check(z.minLength(1), z.maxLength(256)),
  eventTimestamp: z.number().check(z.int(), z.positive()),
  context: z._default(z.record(z.string(), z.string()), {}),
});

const SnsEventSchema = z.object({
  Records: z
    .array(
      z.object({
        Sns: z.object({
          MessageId: z.string(),
          Timestamp: z.iso.datetime({ offset: true }),
          Message: z.string(),
        }),
      }),
    )
    .check(z.minLength(1)),
});

/** Final SMS event types and the delivery status they mean; the others (queued, pending) change nothing. */
const SMS_STATUS: Record<string, DeliveryStatus> = {
  TEXT_DELIVERED: 'delivered',
  TEXT_SUCCESSFUL: 'delivered',
  TEXT_BLOCKED: 'failed',
  TEXT_CARRIER_BLOCKED: 'failed',
  TEXT_CARRIER_UNREACHABLE: 'failed',
  TEXT_INVALID: 'failed',
  TEXT_INVALID_MESSAGE: 'failed',
  TEXT_SPAM: 'failed',
  TEXT_TTL_EXPIRED: 'failed',
  TEXT_UNKNOWN: 'failed',
  TEXT_UNREACHABLE: 'failed',
  // Blocked by the account's SMS protect configuration: never sent.
  TEXT_PROTECT_BLOCKED: 'failed',
};

export interface SmsFeedbackResult {
  /**
   * Per SNS record: `opt-out`, `reply`, `reply-unknown-sender`, `status`, `status-unmatched`, `linked`
   * (an event before the final one linked its send) or `ignored`.
   */
  handled: string[];
}

export interface RecordSmsFeedbackDeps extends FeedbackDeps {
  lookup: CustomerLookup;
}

export function makeHandler(deps: RecordSmsFeedbackDeps) {
  /** Returns what the inbound SMS led to. */
  async function inbound(sms: z.infer<typeof InboundSmsSchema>, receivedAt: string): Promise<string> {
    const reply = classifySmsReply(sms.messageBody);
    const now = deps.clock.now();
    const customerIds = await deps.lookup.customerIdsByPhone(sms.originationNumber);
    const id = feedbackEntryId('sms', 'inbound', sms.inboundMessageId, receivedAt);
    let resultsRecorded = true;
    if (reply.kind === 'opt-out') {
      // Suppressing the number covers every profile that has it, now or later.
      await deps.suppressions.suppress(
        'sms',
        sms.originationNumber,
        `opted out by SMS reply ${reply.keyword}`,
        now,
      );
    }
    for (const customerId of customerIds) {
      if (reply.kind === 'opt-out') {
        await deps.consents.recordConsents(
          customerId,
          withdrawnForEveryPurpose('sms', receivedAt, 'sms-stop'),
          now,
        );
      }
      if (reply.kind === 'reply') {
        await deps.customers.recordEvent(customerId, { type: 'sms.replied', occurredAt: receivedAt }, id);
      }
      const reasons = [
        ...(reply.kind === 'opt-out' ? [`SMS reply ${reply.keyword}: opted out of SMS at once`] : []),
        ...(reply.escalate ? ['escalate: a reply a person should read'] : []),
      ];
      await deps.timeline.appendTimeline({
        id,
        customerId,
        at: receivedAt,
        kind: 'reply',
        summary: reply.kind === 'opt-out' ? `sms reply: ${reply.keyword}` : 'sms reply',
        channel: 'sms',
        outcome: reply.escalate ? 'escalated' : 'opted-out',
        reasons,
        body: { text: sms.messageBody },
      });
      // Counted for the journey message the customer answered: their latest SMS.
      const answered = await latestSmsMessage(deps.timeline, customerId);
      if (answered) {
        const recorded = await recordFeedbackResults(
          deps.results,
          {
            customerId,
            runId: answered.runId,
            stepId: answered.stepId,
            channel: 'sms',
            sentEventId: `sent:${answered.id ?? ''}`,
            ...(answered.journeyId ? { journeyId: answered.journeyId } : {}),
          },
          {
            counters: reply.kind === 'opt-out' ? ['optedOut'] : ['replied'],
            eventKey: `${sms.inboundMessageId}#${answered.runId}`,
            at: receivedAt,
          },
        );
        resultsRecorded &&= recorded;
      }
      if (reply.escalate) await handOverReply(deps, { entryId: id, customerId, at: receivedAt });
    }
    metrics.addMetric(reply.kind === 'opt-out' ? 'SmsOptOuts' : 'SmsReplies', 'Count', 1);
    if (!resultsRecorded) throw new ResultsNotRecorded();
    if (customerIds.length === 0 && reply.kind === 'reply') {
      logger.warn('SMS reply from a number no customer has');
      return 'reply-unknown-sender';
    }
    return reply.kind;
  }

  /** Returns what the delivery event led to. */
  async function status(event: z.infer<typeof SmsEventSchema>): Promise<string> {
    const deliveryStatus = SMS_STATUS[event.eventType];
    // Named by its context (a sender that can carry it), else by the message id.
    const named = sendOfTags(Object.fromEntries(Object.entries(event.context).map(([k, v]) => [k, [v]])));
    if (!deliveryStatus) {
      // Not final (queued, pending): no delivery status yet, but it proves the SMS was accepted.
      if (!named) return 'ignored';
      const accepted = await locateSend(deps.deliveries, named, event.messageId);
      if (accepted?.linked) {
        correlateWithRun(accepted.record.key);
        metrics.addMetric('MaybeSentLinked', 'Count', 1);
        return 'linked';
      }
      return 'ignored';
    }
    const located = await locateSend(deps.deliveries, named, event.messageId);
    if (!located) {
      metrics.addMetric('UnmatchedFeedbackEvents', 'Count', 1);
      return 'status-unmatched';
    }
    const at = new Date(event.eventTimestamp).toISOString();
    const { customerId, record } = located;
    correlateWithRun(record.key);
    await deps.deliveries.recordDeliveryOutcome(customerId, record.key, { deliveryStatus, at });
    const [runId, stepId] = record.key.split('#');
    await deps.timeline.appendTimeline({
      id: feedbackEntryId('sms', event.eventType, event.messageId, at),
      customerId,
      at,
      kind: 'delivery',
      summary: `${stepId ?? 'message'}: sms ${deliveryStatus}`,
      channel: 'sms',
      providerMessageId: event.messageId,
      outcome: deliveryStatus,
      ...(runId ? { runId } : {}),
      ...(stepId ? { stepId } : {}),
      ...(deliveryStatus === 'failed' ? { reasons: [`carrier reported ${event.eventType}`] } : {}),
    });
    // A carrier's final failure is the SMS's bounce.
    const recorded = await recordFeedbackResults(deps.results, messageOfSend(customerId, record.key, 'sms'), {
      counters: [deliveryStatus === 'delivered' ? 'delivered' : 'bounced'],
      eventKey: event.messageId,
      at,
      ...(deliveryStatus === 'failed' ? { reason: event.eventType } : {}),
    });
    if (!recorded) throw new ResultsNotRecorded();
    return 'status';
  }

  return withObservability(async (input: unknown, _context: Context): Promise<SmsFeedbackResult> => {
    const { Records } = SnsEventSchema.parse(input);
    const handled: string[] = [];
    for (const { Sns } of Records) {
      let message: unknown;
      try {
        message = JSON.parse(Sns.Message);
      } catch {
        message = undefined;
      }
      const asInbound = InboundSmsSchema.safeParse(message);
      const asEvent = SmsEventSchema.safeParse(message);
      if (asInbound.success)
        handled.push(await inbound(asInbound.data, new Date(Sns.Timestamp).toISOString()));
      else if (asEvent.success) handled.push(await status(asEvent.data));
      else {
        // Not ours to guess at; the SNS message id lets an operator find it.
        logger.warn('unrecognised SMS notification', { snsMessageId: Sns.MessageId });
        handled.push('ignored');
      }
    }
    logger.info('SMS feedback recorded', { handled });
    return { handled };
  });
}

export const handler = wiredOnFirstUse(() => {
  const pseudonymKey = pseudonymKeyFromEnv();
  const repository = createRepository({ pseudonymKey });
  return makeHandler({
    ...deployedFeedbackDeps(repository, createResults({ pseudonymKey })),
    lookup: repository,
  });
});
