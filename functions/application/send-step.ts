/**
 * The send pipeline of a journey step (run-journey-step): one message, at most once per (run, step),
 * whatever retries, crashes, replays or redeliveries happen; classifies provider failures; keeps to
 * the account's rates.
 *
 * Order of work, and why:
 * 1. Take a token from the channel's per-second budget (account rate). Exhausted: throw
 *    `Klantreis.RateLimited` before claiming anything; the journey retries with backoff and jitter.
 * 2. Claim `(run, step)` with a conditional write. A claim that exists means an earlier attempt
 *    got this far: return what it recorded and send nothing (a maybe-sent one: see below).
 *    The customer erased meanwhile (an erasure record exists): no claim, the run ends
 *    (`Klantreis.RunEnded`, "customer erased"); asked again just before the provider call (4).
 * 3. Re-check the customer at send time (address, suppression, opt-out may have changed since the
 *    plan): a blocked channel ends the step as `skipped` with the reason and the supporting channel.
 * 4. Call the provider, naming the send in the message (`send` → SES message tags). Throttled,
 *    server error, or the request never left this process (`not-sent`: no connection, or none within
 *    the client's connection timeout): nothing was accepted, so the claim is released and a named
 *    error is thrown for the journey. Refused for good (invalid, opted out at the provider,
 *    rejected): recorded as `failed` with the reason and the supporting channel. Connected and no
 *    answer: `maybe-sent`, below.
 * 5. Record the result on the claim, then in the conversation.
 *
 * Maybe sent. The provider may have accepted a message whose answer was lost (a timeout or reset
 * after the request was written), or whose answer the step never recorded (the Lambda died between
 * 4 and 5: the retry finds the claim `in-progress`). Guessing either way is wrong, so the provider's
 * own event stream decides: the claim becomes `maybe-sent` with a bound (`reconcileBy`, 15 minutes,
 * `#core/maybe-sent.ts`) and the step comes back then (`Klantreis.NotYet`). An event naming the send
 * (SES's `Send`, `Delivery`, … carry the email's tags; End User Messaging SMS events the SMS's
 * context) links it meanwhile (`record-email-feedback`, `record-sms-feedback`):
 * the step finds it `sent` and sends nothing more. Nothing by the bound: the provider did not accept
 * it, and the step sends it then — again as attempt 2 when the sender's events name a send (its own
 * tags; the claim is taken over with a conditional write, so of two racing attempts one sends): SES,
 * and End User Messaging SMS (`SmsSender.linksEvents`); else on the supporting channel, since an SNS
 * `Publish` whose answer was lost cannot be named by any SMS event. The claim stays the
 * guard: at most one accepted send per run and step, a second attempt only after the first is
 * known not accepted. The claim outlives any retry: it is kept longer than a Standard execution can
 * live (see `DynamoSends`).
 */
import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { logger, metrics } from '#adapters/powertools.ts';
import { classifyProviderError } from '#adapters/provider-errors.ts';
import {
  CustomerNotFound,
  ProviderNotReached,
  ProviderThrottled,
  ProviderUnavailable,
  RateLimited,
  SendNotRecorded,
} from '#application/errors.ts';
import { countWith } from '#application/metrics.ts';
import { consentProblem } from '#core/consent.ts';
import { type Channel, ChannelSchema, type CustomerProfile } from '#core/customer.ts';
import { type EmailReplies, replyAddressFor } from '#core/email-reply-token.ts';
import { RunEnded } from '#core/journey-control.ts';
import { JourneyStepSchema } from '#core/journey-step.ts';
import { addressOf } from '#core/journey-step-run.ts';
import { LetterPaymentSchema, letterDateOf } from '#core/letter.ts';
import {
  attemptsOf,
  DEFAULT_MAYBE_SENT_POLICY,
  type MaybeSentPolicy,
  reconcileByOf,
} from '#core/maybe-sent.ts';
import type {
  CallTaskSender,
  Clock,
  CustomerRepository,
  EmailSender,
  ErasureCheck,
  IdempotencyRepository,
  LetterQueue,
  RateLimiter,
  SendRecord,
  SmsSender,
  SuppressionRepository,
  TimelineEntry,
  TimelineRepository,
} from '#core/ports.ts';
import type { SendReference } from '#core/send-tag.ts';
import { listUnsubscribeHeaders, type UnsubscribeKeySource } from '#core/unsubscribe-token.ts';

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
  /** A call's script, and when the contact centre calls (inside its hours and capacity). */
  z.object({
    channel: z.literal('phone'),
    locale: z.string(),
    text: z.string().check(z.minLength(1)),
    callAt: z.optional(z.string()),
  }),
  z.object({
    channel: z.literal('letter'),
    locale: z.string(),
    subject: z.string().check(z.minLength(1)),
    text: z.string().check(z.minLength(1)),
    payment: z.optional(LetterPaymentSchema),
    /** The customer's IANA time zone: the letter is dated their local day (UTC's without one). */
    timezone: z.optional(z.string()),
  }),
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
  /** The experiment of the step and the customer's arm, recorded with the message. */
  experiment: z.optional(z.object({ id: z.string(), arm: z.string() })),
  /** Personal-data-free facts the message states, recorded with it (a fourteen-day notice's term). */
  reasons: z._default(z.array(z.string()), []),
});

export interface SendResult {
  /** `maybe-sent`: the provider may have accepted it; the step looks again at `reconcileBy`. */
  status: 'sent' | 'skipped' | 'failed' | 'maybe-sent';
  channel: Channel;
  providerMessageId?: string;
  /** True when this call found the step already claimed and sent nothing. */
  duplicate: boolean;
  reason?: string;
  /** The step's supporting channel (null when none): the journey sends there if this one fails. */
  fallback: Channel | null;
  /** A maybe-sent message's bound (ISO): the provider's events link it by then, or the step sends again. */
  reconcileBy?: string;
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
  /** The contact centre's call tasks; a step that calls without one is refused (`failed`). */
  calls?: CallTaskSender;
  /** Where a letter to post is recorded; absent: the stage posts no letters (a letter is skipped, its fallback goes). */
  letters?: LetterQueue;
  clock: Clock;
  stage: string;
  /** How maybe-sent messages are reconciled; default `DEFAULT_MAYBE_SENT_POLICY`. */
  maybeSent?: MaybeSentPolicy;
  /** Where an email's replies go (`Reply-To`); its reply tokens are signed with the unsubscribe key. */
  replies?: EmailReplies;
  unsubscribe?: { key: UnsubscribeKeySource };
}

/**
 * One message per journey run and step (and the step's occurrence, e.g. the visit a reminder is
 * about), whatever retries or replays happen.
 */
export function sendKey(runId: string, stepId: string, occurrence?: string): string {
  return occurrence ? `${runId}#${stepId}#${occurrence}` : `${runId}#${stepId}`;
}

/** Returns the timeline id of a step's message: every attempt writes the same entry, never a second one. */
export function messageEntryId(key: string): string {
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
    ...(input.experiment ? { experimentId: input.experiment.id, arm: input.experiment.arm } : {}),
  });
  const summary = (what: string) => `${step.journeyId}/${step.stepId}: ${channel} ${what}`;

  if (!(await deps.rateLimiter.tryAcquire(channel, now))) {
    metrics.addMetric('SendsRateLimited', 'Count', 1);
    throw new RateLimited(channel);
  }

  const policy = deps.maybeSent ?? DEFAULT_MAYBE_SENT_POLICY;
  // Erased while this step ran: no claim (it would write into the erased partition), and the run ends.
  if (await deps.erasures.isErased(input.customerId)) throw erasedRunEnd(input.runId, step.stepId);
  let claim = await deps.idempotency.claimSend(input.customerId, key, now);
  let attempt = 1;
  if (!claim.claimed) {
    const existing = claim.existing;
    const due =
      existing.status === 'maybe-sent' && Date.parse(existing.reconcileBy ?? existing.at) <= now.getTime();
    const recordedChannel = existing.channel ?? channel;
    if (due && (existing.attempt ?? 1) < attemptsOf(policy, senderLinksEvents(deps, recordedChannel))) {
      // No event named the earlier attempt within its bound: the provider did not accept it. The
      // next attempt takes the claim over; of two steps racing here, one does.
      claim = await deps.idempotency.retakeSend(input.customerId, key, existing.attempt ?? 1, now);
      if (claim.claimed) {
        attempt = (existing.attempt ?? 1) + 1;
        metrics.addMetric('MaybeSentResent', 'Count', 1);
        logger.info('maybe-sent message unconfirmed within its bound: sending it again', {
          runId: input.runId,
          stepId: step.stepId,
          attempt,
        });
      }
    }
  }
  if (!claim.claimed) {
    return alreadyClaimed(deps, input, claim.existing, { key, now, policy, fallback, entry, summary });
  }
  const claimId = claim.claimId;
  const release = async () => {
    try {
      await deps.idempotency.releaseSend(input.customerId, key, claimId);
    } catch (error) {
      // The claim stays: the retry then reconciles it as maybe-sent instead of sending. Never twice.
      logger.error('could not release send claim', { runId: input.runId, stepId: step.stepId, error });
    }
  };

  let to: string | undefined;
  let blocked: string | null;
  let recipient: CustomerProfile | undefined;
  try {
    const customer = await deps.customers.getCustomer(input.customerId);
    if (!customer) throw new CustomerNotFound();
    to = addressOf(customer, channel);
    blocked =
      channel === 'phone' && !deps.calls
        ? 'no contact centre takes call tasks on this stage'
        : channel === 'letter' && !deps.letters
          ? 'this stage posts no letters'
          : await sendTimeProblem(customer, channel, step.purpose, to, deps.suppressions);
    recipient = customer;
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
  const send: SendReference = { customerId: input.customerId, key, attempt };
  const tags = { journey: step.journeyId, step: step.stepId, template: step.templateId, stage: deps.stage };
  const replyTo =
    message.channel === 'email' && deps.replies && deps.unsubscribe
      ? replyAddressFor({
          replies: deps.replies,
          key: await deps.unsubscribe.key(),
          customerId: input.customerId,
          messageId: messageEntryId(key),
          locale: message.locale,
          now,
        })
      : undefined;
  let providerMessageId: string;
  try {
    ({ providerMessageId } =
      message.channel === 'phone'
        ? await (deps.calls as CallTaskSender).scheduleCall({
            to,
            script: message.text,
            locale: message.locale,
            callAt: message.callAt ?? now.toISOString(),
            tags,
            send,
            customerId: input.customerId,
            runId: input.runId,
            journeyId: step.journeyId,
            stepId: step.stepId,
            templateId: step.templateId,
          })
        : message.channel === 'letter'
          ? await queueLetter(deps, input, { message, customer: recipient, key, now })
          : message.channel === 'email'
            ? await deps.email.sendEmail({
                to,
                subject: message.subject,
                html: message.html,
                text: message.text,
                tags,
                send,
                ...(message.unsubscribeUrl
                  ? { headers: listUnsubscribeHeaders(message.unsubscribeUrl) }
                  : {}),
                ...(replyTo ? { replyTo } : {}),
              })
            : await deps.sms.sendSms({
                to,
                text: message.text,
                smsType: step.purpose === 'marketing' ? 'Promotional' : 'Transactional',
                send,
              }));
  } catch (error) {
    const providers: Record<Channel, string | undefined> = {
      email: 'SES',
      sms: deps.sms.providerName,
      phone: deps.calls?.providerName,
      letter: 'letters',
    };
    const failure = classifyProviderError(channel, error, providers[channel]);
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
      case 'not-sent':
        await release();
        metrics.addMetric('SendsNotSent', 'Count', 1);
        throw new ProviderNotReached(failure.code);
      case 'unavailable':
        await release();
        throw new ProviderUnavailable(failure.code);
      case 'permanent':
        if (failure.suppress) await deps.suppressions.suppress(channel, to, failure.reason, now);
        return recordEnd('failed', failure.reason);
      case 'maybe-sent': {
        // The provider may have accepted it: keep the claim and let its events decide (module comment).
        const reconcileBy = reconcileByOf(policy, channel, now);
        const marked = await deps.idempotency.settleUnanswered(
          input.customerId,
          {
            key,
            status: 'maybe-sent',
            channel,
            at: now.toISOString(),
            attempt,
            reconcileBy,
            ...(fallback ? { fallback } : {}),
          },
          { status: 'in-progress', attempt, ...(claimId ? { claimId } : {}) },
        );
        if (!marked) {
          // Its event came first and linked it: it was sent.
          const linked = await deps.idempotency.claimSend(input.customerId, key, now);
          if (!linked.claimed) {
            return alreadyClaimed(deps, input, linked.existing, {
              key,
              now,
              policy,
              fallback,
              entry,
              summary,
            });
          }
          throw new Error('send claim lost while recording a maybe-sent message');
        }
        const reason = `${channel} provider gave no answer (${failure.code}): may have been sent, waiting for its events until ${reconcileBy}`;
        await deps.timeline.appendTimeline({
          ...entry(now.toISOString()),
          summary: summary('outcome unknown'),
          outcome: 'unknown',
          reasons: [reason],
        });
        metrics.addMetric('SendsUnknown', 'Count', 1);
        return { status: 'maybe-sent', channel, duplicate: false, reason, fallback: null, reconcileBy };
      }
    }
  }

  const record: SendRecord = {
    key,
    status: 'sent',
    channel,
    providerMessageId,
    at: now.toISOString(),
    ...(attempt > 1 ? { attempt } : {}),
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
    ...(attempt > 1 || input.reasons.length > 0
      ? {
          reasons: [
            ...input.reasons,
            ...(attempt > 1
              ? [`no provider event confirmed attempt ${attempt - 1} within its bound: sent again`]
              : []),
          ],
        }
      : {}),
    body: 'subject' in message ? { subject: message.subject, text: message.text } : { text: message.text },
  });
  logger.info('message sent', { runId: input.runId, stepId: step.stepId, channel });
  const sentMetrics: Record<Channel, string> = {
    email: 'EmailsSent',
    sms: 'SmsSent',
    phone: 'CallTasksQueued',
    letter: 'LettersQueued',
  };
  metrics.addMetric(sentMetrics[channel], 'Count', 1);
  countWith('MessagesSent', { channel, journeyId: step.journeyId });
  return { status: 'sent', channel, providerMessageId, duplicate: false, fallback };
}

/** Records the step's letter to post (the posting function lays it out and posts it); its id names the send. */
async function queueLetter(
  deps: SendMessageDeps,
  input: SendStepMessageInput,
  letter: {
    message: Extract<SendStepMessageInput['message'], { channel: 'letter' }>;
    customer: CustomerProfile | undefined;
    key: string;
    now: Date;
  },
): Promise<{ providerMessageId: string }> {
  const { message, customer, now } = letter;
  if (!deps.letters || !customer?.address)
    throw new Error('letter queued without a letter service or address');
  const name = [customer.name?.given, customer.name?.family].filter(Boolean).join(' ');
  return deps.letters.queueLetter({
    letterId: messageEntryId(letter.key),
    customerId: input.customerId,
    runId: input.runId,
    journeyId: input.step.journeyId,
    stepId: input.step.stepId,
    templateId: input.step.templateId,
    locale: message.locale,
    recordedAt: now.toISOString(),
    date: letterDateOf(now, message.timezone ?? 'UTC'),
    recipient: { name, address: customer.address },
    subject: message.subject,
    text: message.text,
    ...(message.payment ? { payment: message.payment } : {}),
  });
}

/**
 * Returns whether the channel's sender may be called again for a send whose answer was lost: SES always
 * (its events name the send by its tags); a letter always (recording it again under its id is a no-op);
 * for SMS it depends on the sender (`SmsSender.linksEvents`).
 */
function senderLinksEvents(deps: Pick<SendMessageDeps, 'sms'>, channel: Channel): boolean {
  const links: Record<Channel, () => boolean> = {
    email: () => true,
    sms: () => deps.sms.linksEvents,
    // A call task is retried on the SMS sender's terms (the call-task sender names no send of its own).
    phone: () => deps.sms.linksEvents,
    letter: () => true,
  };
  return links[channel]();
}

/** Returns the run's end for a customer erased while the step ran; counted, and logged without personal data. */
function erasedRunEnd(runId: string, stepId: string): RunEnded {
  logger.info('send refused: customer erased', { runId, stepId });
  metrics.addMetric('SendsRefusedErased', 'Count', 1);
  return new RunEnded('customer erased');
}

/** What `alreadyClaimed` needs of the step being sent. */
interface ClaimContext {
  key: string;
  now: Date;
  policy: MaybeSentPolicy;
  fallback: Channel | null;
  entry: (at: string) => Omit<TimelineEntry, 'summary' | 'outcome'>;
  summary: (what: string) => string;
}

/**
 * Returns what an earlier attempt of the step recorded, sending nothing: its answer (sent, skipped,
 * failed), or — for a message the provider may have accepted — that it is still waiting for the
 * provider's events (`maybe-sent`, until `reconcileBy`), or that none came and the supporting
 * channel goes instead (`failed`, for a channel whose events cannot name it).
 */
async function alreadyClaimed(
  deps: SendMessageDeps,
  input: SendStepMessageInput,
  found: SendRecord,
  context: ClaimContext,
): Promise<SendResult> {
  const { step } = input;
  const { key, now, policy, entry, summary } = context;
  let existing = found;
  const recordedChannel = existing.channel ?? input.channel;
  if (existing.status === 'in-progress') {
    // An earlier attempt claimed the step and never recorded the provider's answer (see the module
    // comment): the provider may have accepted it. From now on it waits for its events as any
    // maybe-sent message does, bounded from when it was claimed.
    const reconcileBy = reconcileByOf(policy, recordedChannel, new Date(existing.at));
    const maybe: SendRecord = {
      ...existing,
      status: 'maybe-sent',
      channel: recordedChannel,
      reconcileBy,
      reason: 'an earlier attempt ended between the provider call and its record',
      ...(context.fallback && !existing.fallback ? { fallback: context.fallback } : {}),
    };
    const expected = { status: 'in-progress', attempt: existing.attempt ?? 1 } as const;
    if (await deps.idempotency.settleUnanswered(input.customerId, maybe, expected)) {
      existing = maybe;
    } else {
      // Its event came first and linked it (or another attempt recorded it): read what is there now.
      const again = await deps.idempotency.claimSend(input.customerId, key, now);
      if (again.claimed) throw new Error('send claim vanished while reconciling it');
      existing = again.existing;
    }
  }
  logger.info('send already claimed', { runId: input.runId, stepId: step.stepId, status: existing.status });
  metrics.addMetric('DuplicateSendsPrevented', 'Count', 1);
  const channel = existing.channel ?? input.channel;
  const fallback = existing.fallback ?? context.fallback;
  if (existing.status === 'maybe-sent') {
    const reconcileBy = existing.reconcileBy ?? existing.at;
    if (Date.parse(reconcileBy) > now.getTime()) {
      const reason = `${channel} may have been sent: waiting for the provider's events until ${reconcileBy}`;
      // Said in the conversation once: same entry id and time on every attempt.
      await deps.timeline.appendTimeline({
        ...entry(existing.at),
        channel,
        summary: summary('outcome unknown'),
        outcome: 'unknown',
        reasons: [existing.reason ?? reason, `waiting for the provider's events until ${reconcileBy}`],
      });
      return { status: 'maybe-sent', channel, duplicate: true, reason, fallback: null, reconcileBy };
    }
    // Due, and its attempts on this channel are spent (or its sender's events cannot name it). The
    // record says so before the supporting channel goes, unless an event linked it meanwhile.
    const attempt = existing.attempt ?? 1;
    const reason = `${channel} provider gave no answer and no event confirmed it by ${reconcileBy}: not sent again on ${channel}`;
    const failed: SendRecord = { ...existing, status: 'failed', reason, ...(fallback ? { fallback } : {}) };
    delete failed.reconcileBy;
    if (
      !(await deps.idempotency.settleUnanswered(input.customerId, failed, { status: 'maybe-sent', attempt }))
    ) {
      const again = await deps.idempotency.claimSend(input.customerId, key, now);
      if (again.claimed) throw new Error('send claim vanished while reconciling it');
      return alreadyClaimed(deps, input, again.existing, context);
    }
    await deps.timeline.appendTimeline({
      ...entry(existing.at),
      channel,
      summary: summary('outcome unknown'),
      outcome: 'unknown',
      reasons: [reason, fallback ? `fallback: ${fallback}` : 'no supporting channel left'],
    });
    metrics.addMetric('MaybeSentUnconfirmed', 'Count', 1);
    return { status: 'failed', channel, duplicate: false, reason, fallback };
  }
  if (existing.status === 'sent') {
    // Re-write the metadata (same id and time): repairs an entry a crash after the record left out,
    // and records a send a provider event linked.
    await deps.timeline.appendTimeline({
      ...entry(existing.at),
      channel,
      summary: summary('sent'),
      outcome: 'sent',
      ...(existing.providerMessageId ? { providerMessageId: existing.providerMessageId } : {}),
    });
  }
  if (existing.status === 'in-progress') {
    // Another attempt holds the claim right now (it took it over, or its answer is on the way): look
    // again once its own bound has passed.
    const reconcileBy = reconcileByOf(policy, channel, new Date(existing.at));
    return { status: 'maybe-sent', channel, duplicate: true, fallback: null, reconcileBy };
  }
  return {
    status: existing.status,
    channel,
    ...(existing.providerMessageId ? { providerMessageId: existing.providerMessageId } : {}),
    duplicate: true,
    ...(existing.reason ? { reason: existing.reason } : {}),
    fallback,
  };
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
