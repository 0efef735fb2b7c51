/**
 * The send pipeline of a journey step (run-journey-step): one message, at most once per (run, step),
 * whatever retries, crashes, replays or redeliveries happen; classifies provider failures; keeps to
 * the account's rates.
 *
 * Order of work, and why:
 * 1. Take a token from the channel's per-second budget (account rate). Exhausted: throw
 *    `Klantreis.RateLimited` before claiming anything; the journey retries with backoff and jitter.
 * 2. Claim `(run, step)` with a conditional write. A claim that exists means an earlier attempt
 *    got this far: return what it recorded and send nothing.
 *    The customer erased meanwhile (an erasure record exists): no claim, the run ends
 *    (`Klantreis.RunEnded`, "customer erased"); asked again just before the provider call (4).
 * 3. Re-check the customer at send time (address, suppression, opt-out may have changed since the
 *    plan): a blocked channel ends the step as `skipped` with the reason and the supporting channel.
 * 4. Call the provider. Throttled or server error: the provider answered and did not accept, so the
 *    claim is released and a named error is thrown for the journey's `Retry`. Refused for good
 *    (invalid, opted out at the provider, rejected): recorded as `failed` with the reason and the
 *    supporting channel. No answer at all: treated like the window below.
 * 5. Record the result on the claim, then in the conversation.
 *
 * The window between "provider accepted" (4) and "recorded" (5): if the Lambda dies there (timeout,
 * out of memory, a DynamoDB failure on the record), the claim stays `in-progress` without the
 * provider's message id. The journey's `Retry` (`Klantreis.SendNotRecorded`, `Sandbox.Timedout`,
 * `Lambda.Unknown`) runs the task again; that attempt finds the claim in step 2 and sends nothing,
 * and the step is recorded in the conversation with outcome `unknown`. The customer got exactly one
 * message (or, if the crash came before the provider accepted, none: recoverable by a person, where a
 * duplicate reminder is not). What is lost is the link from provider events to this send: delivery
 * and engagement events for that message find no send record, so the journey treats the step as
 * unknown and takes no outcome-driven fallback for it. Bounces and complaints still suppress the
 * address, because suppression is keyed on the address, not on the send record. The claim outlives
 * any retry: it is kept longer than a Standard execution can live (see DynamoRepository).
 */
import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { classifyProviderError } from '#adapters/provider-errors.ts';
import { consentProblem } from '#core/consent.ts';
import { type Channel, ChannelSchema, type CustomerProfile } from '#core/customer.ts';
import { RunEnded } from '#core/journey-control.ts';
import { JourneyStepSchema } from '#core/journey-step.ts';
import { addressOf } from '#core/journey-step-run.ts';
import type {
  Clock,
  CustomerRepository,
  EmailSender,
  ErasureCheck,
  IdempotencyRepository,
  RateLimiter,
  SendRecord,
  SmsSender,
  SuppressionRepository,
  TimelineEntry,
  TimelineRepository,
} from '#core/ports.ts';
import { listUnsubscribeHeaders } from '#core/unsubscribe-token.ts';
import {
  CustomerNotFound,
  ProviderThrottled,
  ProviderUnavailable,
  RateLimited,
  SendNotRecorded,
} from '#shared/errors.ts';
import { countWith } from '#shared/metrics.ts';
import { logger, metrics } from '#shared/powertools.ts';

export const RenderedMessageInput = z.discriminatedUnion('channel', [
  z.object({
    channel: z.literal('email'),
    locale: z.string(),
    subject: z.string().check(z.minLength(1)),
    html: z.string().check(z.minLength(1)),
    text: z.string().check(z.minLength(1)),
    /** The signed opt-out link the render step put in the message: also offered as one-click header. */
    unsubscribeUrl: z.optional(z.url({ protocol: /^https?$/ })),
  }),
  z.object({ channel: z.literal('sms'), locale: z.string(), text: z.string().check(z.minLength(1)) }),
]);

export const SendMessageInput = z.object({
  runId: z.string().check(z.minLength(1)),
  customerId: z.string().check(z.minLength(1)),
  step: JourneyStepSchema,
  channel: ChannelSchema,
  message: RenderedMessageInput,
  /** The plan's supporting channels, in order: where the journey goes when this send does not go out. */
  fallbacks: z._default(z.array(ChannelSchema), []),
  /** The content variant, recorded with the message. */
  tone: z.optional(z.string().check(z.maxLength(32))),
});

export interface SendResult {
  status: 'sent' | 'skipped' | 'failed' | 'in-progress';
  channel: Channel;
  providerMessageId?: string;
  /** True when this call found the step already claimed and sent nothing. */
  duplicate: boolean;
  reason?: string;
  /** The step's supporting channel (null when none): the journey sends there if this one fails. */
  fallback: Channel | null;
}

export interface SendMessageDeps {
  customers: Pick<CustomerRepository, 'getCustomer'>;
  idempotency: IdempotencyRepository;
  timeline: TimelineRepository;
  suppressions: Pick<SuppressionRepository, 'isSuppressed' | 'suppress'>;
  /** An erased customer gets nothing more: asked before the claim and again just before the provider. */
  erasures: ErasureCheck;
  rateLimiter: RateLimiter;
  email: EmailSender;
  sms: SmsSender;
  clock: Clock;
  stage: string;
}

/**
 * One message per journey run and step (and the step's occurrence, e.g. the visit a reminder is
 * about), whatever retries or replays happen.
 */
export function sendKey(runId: string, stepId: string, occurrence?: string): string {
  return occurrence ? `${runId}#${stepId}#${occurrence}` : `${runId}#${stepId}`;
}

/** Returns the timeline id of a step's message: every attempt writes the same entry, never a second one. */
function messageEntryId(key: string): string {
  return `msg-${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
}

export type SendStepMessageInput = z.output<typeof SendMessageInput>;

/**
 * Sends one journey step's message (the order of work and why are at the top of this file);
 * returns what happened.
 */
export async function sendStepMessage(
  deps: SendMessageDeps,
  input: SendStepMessageInput,
): Promise<SendResult> {
  const { step, message } = input;
  const channel = input.channel;
  const now = deps.clock.now();
  const key = sendKey(input.runId, step.stepId, step.occurrence);
  const fallback = input.fallbacks.find((c) => c !== channel) ?? null;
  const entry = (at: string): Omit<TimelineEntry, 'summary' | 'outcome'> => ({
    id: messageEntryId(key),
    customerId: input.customerId,
    at,
    kind: 'message',
    runId: input.runId,
    journeyId: step.journeyId,
    stepId: step.stepId,
    channel,
    templateId: step.templateId,
    locale: message.locale,
    ...(input.tone ? { tone: input.tone } : {}),
  });
  const summary = (what: string) => `${step.journeyId}/${step.stepId}: ${channel} ${what}`;

  if (!(await deps.rateLimiter.tryAcquire(channel, now))) {
    metrics.addMetric('SendsRateLimited', 'Count', 1);
    throw new RateLimited(channel);
  }

  // Erased while this step ran: no claim (it would write into the erased partition), and the run ends.
  if (await deps.erasures.isErased(input.customerId)) throw erasedRunEnd(input.runId, step.stepId);
  const claim = await deps.idempotency.claimSend(input.customerId, key, now);
  if (!claim.claimed) {
    const existing = claim.existing;
    logger.info('send already claimed', {
      runId: input.runId,
      stepId: step.stepId,
      status: existing.status,
    });
    metrics.addMetric('DuplicateSendsPrevented', 'Count', 1);
    const recordedChannel = existing.channel ?? channel;
    let reason = existing.reason;
    if (existing.status === 'in-progress') {
      // An earlier attempt claimed the step and never recorded the provider's answer (see the
      // module comment). Say so in the conversation, once: same entry id and time on every attempt.
      reason = 'an earlier attempt ended between the provider call and its record: not sent again';
      await deps.timeline.appendTimeline({
        ...entry(existing.at),
        summary: summary('outcome unknown'),
        outcome: 'unknown',
        reasons: [reason],
      });
    } else if (existing.status === 'sent') {
      // Re-write the metadata (same id and time): repairs an entry a crash after the record left out.
      await deps.timeline.appendTimeline({
        ...entry(existing.at),
        summary: summary('sent'),
        outcome: 'sent',
        ...(existing.providerMessageId ? { providerMessageId: existing.providerMessageId } : {}),
      });
    }
    return {
      status: existing.status,
      channel: recordedChannel,
      ...(existing.providerMessageId ? { providerMessageId: existing.providerMessageId } : {}),
      duplicate: true,
      ...(reason ? { reason } : {}),
      fallback: existing.fallback ?? (existing.status === 'in-progress' ? null : fallback),
    };
  }
  const release = async () => {
    try {
      await deps.idempotency.releaseSend(input.customerId, key, claim.claimId);
    } catch (error) {
      // The claim stays: the retry then reports the step as unknown instead of sending. Never twice.
      logger.error('could not release send claim', { runId: input.runId, stepId: step.stepId, error });
    }
  };

  let to: string | undefined;
  let blocked: string | null;
  try {
    const customer = await deps.customers.getCustomer(input.customerId);
    if (!customer) throw new CustomerNotFound();
    to = addressOf(customer, channel);
    blocked = await sendTimeProblem(customer, channel, step.purpose, to, deps.suppressions);
  } catch (error) {
    await release();
    throw error;
  }

  const recordEnd = async (status: 'skipped' | 'failed', reason: string) => {
    await deps.idempotency.completeSend(input.customerId, {
      key,
      status,
      channel,
      at: now.toISOString(),
      reason,
      ...(fallback ? { fallback } : {}),
    });
    await deps.timeline.appendTimeline({
      ...entry(now.toISOString()),
      summary: summary(status),
      outcome: status,
      reasons: [reason, fallback ? `fallback: ${fallback}` : 'no supporting channel left'],
    });
    metrics.addMetric(status === 'skipped' ? 'SendsSkipped' : 'SendsFailed', 'Count', 1);
    return { status, channel, duplicate: false, reason, fallback };
  };

  if (blocked || !to)
    return recordEnd('skipped', `${channel} dropped at send time: ${blocked ?? 'no address'}`);

  // The last moment an erasure can still stop the message: the claim goes, nothing is recorded.
  if (await deps.erasures.isErased(input.customerId)) {
    await release();
    throw erasedRunEnd(input.runId, step.stepId);
  }
  const tags = { journey: step.journeyId, step: step.stepId, template: step.templateId, stage: deps.stage };
  let providerMessageId: string;
  try {
    ({ providerMessageId } =
      message.channel === 'email'
        ? await deps.email.sendEmail({
            to,
            subject: message.subject,
            html: message.html,
            text: message.text,
            tags,
            ...(message.unsubscribeUrl ? { headers: listUnsubscribeHeaders(message.unsubscribeUrl) } : {}),
          })
        : await deps.sms.sendSms({
            to,
            text: message.text,
            smsType: step.purpose === 'marketing' ? 'Promotional' : 'Transactional',
          }));
  } catch (error) {
    const failure = classifyProviderError(channel, error);
    logger.warn('provider refused the send', {
      runId: input.runId,
      stepId: step.stepId,
      channel,
      ...failure,
    });
    switch (failure.kind) {
      case 'throttled':
        await release();
        throw new ProviderThrottled(failure.code);
      case 'unavailable':
        await release();
        throw new ProviderUnavailable(failure.code);
      case 'permanent':
        if (failure.suppress) await deps.suppressions.suppress(channel, to, failure.reason, now);
        return recordEnd('failed', failure.reason);
      case 'unknown': {
        // The provider may have accepted it: keep the claim, so no attempt ever sends it again.
        const reason = `${channel} provider gave no answer (${failure.code}): may have been sent, not retried`;
        await deps.timeline.appendTimeline({
          ...entry(now.toISOString()),
          summary: summary('outcome unknown'),
          outcome: 'unknown',
          reasons: [reason],
        });
        metrics.addMetric('SendsUnknown', 'Count', 1);
        return { status: 'in-progress', channel, duplicate: false, reason, fallback: null };
      }
    }
  }

  const record: SendRecord = {
    key,
    status: 'sent',
    channel,
    providerMessageId,
    at: now.toISOString(),
    ...(fallback ? { fallback } : {}),
  };
  try {
    await deps.idempotency.completeSend(input.customerId, record);
  } catch (error) {
    logger.error('send accepted but not recorded', { runId: input.runId, stepId: step.stepId, error });
    throw new SendNotRecorded();
  }
  await deps.timeline.appendTimeline({
    ...entry(now.toISOString()),
    summary: summary('sent'),
    outcome: 'sent',
    providerMessageId,
    body:
      message.channel === 'email' ? { subject: message.subject, text: message.text } : { text: message.text },
  });
  logger.info('message sent', { runId: input.runId, stepId: step.stepId, channel });
  metrics.addMetric(channel === 'email' ? 'EmailsSent' : 'SmsSent', 'Count', 1);
  countWith('MessagesSent', { channel, journeyId: step.journeyId });
  return { status: 'sent', channel, providerMessageId, duplicate: false, fallback };
}

/** Returns the run's end for a customer erased while the step ran; counted, and logged without personal data. */
function erasedRunEnd(runId: string, stepId: string): RunEnded {
  logger.info('send refused: customer erased', { runId, stepId });
  metrics.addMetric('SendsRefusedErased', 'Count', 1);
  return new RunEnded('customer erased');
}

/** Returns why the channel may not be used now (opted out or suppressed since the plan), or null. */
async function sendTimeProblem(
  customer: CustomerProfile,
  channel: Channel,
  purpose: z.infer<typeof JourneyStepSchema>['purpose'],
  to: string | undefined,
  suppressions: Pick<SuppressionRepository, 'isSuppressed'>,
): Promise<string | null> {
  if (!to) return 'no address on the profile';
  const consent = consentProblem(customer, channel, purpose);
  if (consent) return consent;
  if (await suppressions.isSuppressed(channel, to)) return 'address suppressed';
  return null;
}
