/**
 * Renders and sends the step's message through the send pipeline (`#application/send-step.ts`), trying a
 * send the account's rate or the provider refused for now again within the invocation; still refused,
 * the step waits a few minutes (`Klantreis.NotYet`, `busyDeferral`), a bounded number of times when it
 * is the provider that refuses (`BUSY_TRIES_PER_CHANNEL`).
 */

import { metrics } from '#adapters/powertools.ts';
import type { StepPlan } from '#application/decide-step.ts';
import {
  ProviderNotReached,
  ProviderThrottled,
  ProviderUnavailable,
  RateLimited,
} from '#application/errors.ts';
import { renderStepMessage } from '#application/render-step.ts';
import { type SendResult, sendKey, sendStepMessage } from '#application/send-step.ts';
import type { CollectionTemplateData } from '#core/collection-rule.ts';
import type { Channel, CustomerProfile } from '#core/customer.ts';
import { type BusyTries, NotYet } from '#core/journey-control.ts';
import {
  BUSY_TRIES_PER_CHANNEL,
  busyWakeAt,
  type MessageStepConfig,
  type RunJourneyStepInput,
} from '#core/journey-step-run.ts';
import { smsLimitOf } from '#core/render.ts';
import { resolveTimezone } from '#core/slot.ts';
import { reserveCallSlot } from './call-slot.ts';
import type { RunJourneyStepDeps } from './deps.ts';

/**
 * The provider refused the send for now: throttled, unavailable (a 5xx answer), or not reached (the
 * request never left: no connection, or none within the client's connection timeout). Nothing was claimed.
 */
const PROVIDER_BUSY = new Set([
  new ProviderThrottled('busy').name,
  new ProviderUnavailable('busy').name,
  new ProviderNotReached('busy').name,
]);
/** The account's own send rate is used up: the send waits its turn, however long that takes. */
const RATE_BUSY = new RateLimited('email').name;

/** A send refused for now through the tries in the invocation: nothing was claimed, nothing went out. */
export interface Busy {
  kind: 'busy';
  /** The last refusal (a named error: the journey's Catch records its name when no channel is left). */
  error: Error;
  /** The provider refused it (counted against the channel), not the account's own rate (not counted). */
  provider: boolean;
}

/** Returns whether the send was refused for now. */
export function isBusy(sent: SendResult | Busy): sent is Busy {
  return 'kind' in sent && sent.kind === 'busy';
}

/** Returns the provider's refusals of the step's send so far, this one counted (the account's rate is not). */
export function busyTriesAfter(busy: BusyTries | null, refused: Busy): number {
  return (busy?.tries ?? 0) + (refused.provider ? 1 : 0);
}

/**
 * Returns the deferral of a step whose send was refused for now: a few minutes later, spread by run,
 * step and moment (`busyWakeAt`), carrying the provider's refusals so far for the next visit.
 */
export function busyDeferral(
  input: RunJourneyStepInput,
  step: MessageStepConfig,
  now: Date,
  busy: BusyTries,
): NotYet {
  metrics.addMetric('SendsDeferredBusy', 'Count', 1);
  return new NotYet(busyWakeAt(`${input.runId}#${step.stepId}`, now), busy);
}

/** Visits a step gives its first channel's busy provider; its supporting channel gets the rest of twice as many. */
export const FIRST_CHANNEL_TRIES = BUSY_TRIES_PER_CHANNEL;
export const STEP_TRIES = 2 * BUSY_TRIES_PER_CHANNEL;

/** Returns the reason a step left a channel whose provider kept refusing it for now. */
export function providerBusyReason(channel: Channel): string {
  return `${channel} provider busy (throttled or unavailable) on ${FIRST_CHANNEL_TRIES} visits: not sent`;
}

/**
 * Renders and sends the step's message; returns what the send pipeline answered with the locale the
 * message was written in, or `busy`: the account's send rate or the provider refused it for now
 * (throttled, unavailable) through the tries in this invocation, and nothing was claimed.
 */
export async function renderAndSend(
  deps: RunJourneyStepDeps,
  input: RunJourneyStepInput,
  customer: CustomerProfile,
  plan: StepPlan & { channel: Channel },
  /** The fourteen-day notice's costs and term, when the message is one (`./collection-notice.ts`). */
  collection?: { data: CollectionTemplateData; reasons: string[] },
): Promise<(SendResult & { locale: string; callAt?: string }) | Busy> {
  const message = await renderStepMessage(deps, {
    runId: input.runId,
    customer,
    step: plan.step,
    channel: plan.channel,
    tone: plan.tone,
    locale: plan.locale,
    subject: input.subject,
    ...(plan.smsForm ? { smsForm: plan.smsForm } : {}),
    ...(collection ? { collection: collection.data } : {}),
  });
  // Not sent, before any claim: recorded as the send pipeline records a skip, the fallback named.
  const skipped = async (channel: 'sms' | 'phone', reason: string) => {
    const fallback = plan.fallbacks.find((c) => c !== channel) ?? null;
    const { step } = plan;
    await deps.timeline.appendTimeline({
      customerId: customer.id,
      at: deps.clock.now().toISOString(),
      kind: 'message',
      summary: `${step.journeyId}/${step.stepId}: ${channel} skipped`,
      runId: input.runId,
      journeyId: step.journeyId,
      stepId: step.stepId,
      channel,
      templateId: step.templateId,
      locale: message.locale,
      outcome: 'skipped',
      reasons: [reason, fallback ? `fallback: ${fallback}` : 'no supporting channel left'],
    });
    return {
      status: 'skipped' as const,
      channel,
      duplicate: false,
      reason,
      fallback,
      locale: message.locale,
    };
  };
  // The decision counted this SMS within its limit; a text that renders longer still never goes out.
  const limit = message.channel === 'sms' ? smsLimitOf(deps.catalog, plan.step.templateId, plan.tone) : 0;
  if (message.channel === 'sms' && message.segments > limit) {
    metrics.addMetric('SmsOverLimitNotSent', 'Count', 1);
    return skipped('sms', `sms: ${message.segments} parts over the limit of ${limit}: not sent`);
  }
  const key = sendKey(input.runId, plan.step.stepId, plan.step.occurrence);
  const call = message.channel === 'phone' ? await callSlotOf(deps, key) : undefined;
  if (call === null) {
    return skipped('phone', 'phone: the contact centre has no free hour within two weeks: not called');
  }
  // The profile was read at the start of this invocation: that read is the send-time re-check.
  const send = () =>
    sendStepMessage(
      { ...deps, customers: { getCustomer: async () => customer } },
      {
        runId: input.runId,
        customerId: customer.id,
        step: plan.step,
        channel: plan.channel,
        message:
          message.channel === 'phone'
            ? { channel: 'phone', locale: message.locale, text: message.text, callAt: call?.callAt }
            : message.channel === 'letter'
              ? {
                  channel: 'letter',
                  locale: message.locale,
                  subject: message.subject,
                  text: message.text,
                  ...(message.payment ? { payment: message.payment } : {}),
                  timezone: resolveTimezone(customer, deps.policy).timezone,
                }
              : message.channel === 'email'
                ? {
                    channel: 'email',
                    locale: message.locale,
                    subject: message.subject,
                    html: message.html,
                    text: message.text,
                    unsubscribeUrl: message.unsubscribeUrl,
                  }
                : { channel: 'sms', locale: message.locale, text: message.text },
        fallbacks: plan.fallbacks,
        tone: plan.tone,
        ...(plan.experiment ? { experiment: plan.experiment } : {}),
        reasons: [...(collection?.reasons ?? []), ...(call?.reasons ?? [])],
      },
    );
  for (let attempt = 0; ; attempt++) {
    try {
      return { ...(await send()), locale: message.locale, ...(call ? { callAt: call.callAt } : {}) };
    } catch (error) {
      if (!(error instanceof Error)) throw error;
      const provider = PROVIDER_BUSY.has(error.name);
      if (!provider && error.name !== RATE_BUSY) throw error;
      const quick = deps.quickRetries;
      if (!quick || attempt >= quick.attempts) return { kind: 'busy', error, provider };
      // The limiter counts per second: try the next second's budget, jittered so refused sends do not herd.
      const at = deps.clock.now().getTime();
      await quick.pause(1_000 - (at % 1_000) + Math.floor(Math.random() * 250));
    }
  }
}

/**
 * Returns when the contact centre calls: inside its opening hours and capacity when the policy names
 * one (reserved once per send key: a retried step keeps its call), else at once; null when no open
 * hour has room within the horizon.
 */
async function callSlotOf(
  deps: RunJourneyStepDeps,
  key: string,
): Promise<{ callAt: string; reasons: string[] } | null> {
  const now = deps.clock.now();
  const centre = deps.policy.contactCentre;
  if (!centre || !deps.callCapacity) return { callAt: now.toISOString(), reasons: [] };
  return reserveCallSlot(deps.callCapacity, centre, now, key);
}
