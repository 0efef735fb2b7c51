/**
 * The step's message on the supporting channel, in the same invocation: after the first channel refused
 * it for good or blocked it at send time, after its provider refused it for now on the step's first
 * visits (throttled, unavailable), or after its email went unread (the read check).
 */

import { metrics } from '#adapters/powertools.ts';
import { decideAndRecordStep, type StepPlan } from '#application/decide-step.ts';
import { ProviderUnavailable } from '#application/errors.ts';
import type { Channel, CustomerProfile } from '#core/customer.ts';
import { type BusyTries, NotYet } from '#core/journey-control.ts';
import {
  journeyStepOf,
  type MessageStepConfig,
  type RunJourneyStepInput,
  type StepProgress,
} from '#core/journey-step-run.ts';
import { type CollectionNoticePlan, sentNoticeOf, waitingForTerm } from './collection-notice.ts';
import type { RunJourneyStepDeps } from './deps.ts';
import { armOf, textVariantOnly } from './experiment-arm.ts';
import { type Place, spreadless } from './place.ts';
import { type Base, moveOn } from './progress.ts';
import { busyDeferral, busyTriesAfter, isBusy, renderAndSend, STEP_TRIES } from './render-and-send.ts';
import { decisionFact } from './step-results.ts';

/** How the step came to its supporting channel, and what it carries there. */
export interface SupportingOptions {
  /** When the step's first message went out (the read check): the next wake counts from it. */
  firstSentAt?: string | undefined;
  /** Back at the slot a deferral asked for: its decision is in the conversation already. */
  inSlot?: boolean;
  /**
   * The provider's refusals for now so far (the deferral carries them); `onSupporting`: the first
   * channel's provider refused it on the step's first visits, so no channel left means a hand-over.
   */
  busy?: BusyTries | null;
  /** The first channel's last refusal for now, thrown when no channel is left (the journey's Catch). */
  refusal?: Error;
  /** The step is the fourteen-day notice: its costs and term on this channel, and the wait for the term. */
  collectionNotice?: CollectionNoticePlan;
  /** After an unanswered call: a later slot's visit comes back here (`call supporting`), not to the call. */
  afterCall?: boolean;
  /** What the step does when no supporting channel can take the message (else it moves on). */
  whenNoChannel?: (reasons: string[]) => Promise<StepProgress>;
}

/**
 * Sends the step's message on the supporting channel as step `<stepId>-fallback` (its own claim), now
 * or — when its slot is later — on this step's next visit (`Klantreis.NotYet`); then moves on from the
 * step's first message. Its provider refusing it for now defers the step a few minutes, up to the
 * step's `STEP_TRIES`; then no channel is left (as when the first channel's provider kept refusing and
 * no supporting channel can take it): after an email that went out unread the step moves on from it;
 * otherwise the refusal goes to the journey's Catch, which hands the customer over to a person
 * (reason `failed`).
 */
export async function supportingChannel(
  deps: RunJourneyStepDeps,
  input: RunJourneyStepInput,
  step: MessageStepConfig,
  customer: CustomerProfile,
  base: Base,
  now: Date,
  timezone: Place,
  first: Channel,
  why: string[],
  options: SupportingOptions = {},
): Promise<StepProgress> {
  const { firstSentAt, inSlot = false } = options;
  const arm = armOf(step, customer.id, base);
  const busy = options.busy ?? null;
  const fallbackStep = { ...step, stepId: `${step.stepId}-fallback`, channelOrder: 'customer' as const };
  const channels = step.channels.filter((c) => c !== first);
  // The first channel's provider kept refusing and the step has no other channel: none is left.
  if (busy?.onSupporting && channels.length === 0) throw options.refusal ?? new ProviderUnavailable(first);
  // Back in the slot decided before: it stands, and its decision is already in the conversation.
  const quiet = { appendTimeline: async () => {}, listTimeline: async () => [] };
  // The supporting channel follows a send (now, or 48 hours after one): no spread of its own.
  const decideDeps = { ...deps, policy: spreadless(deps.policy) };
  const plan = await decideAndRecordStep(inSlot ? { ...decideDeps, timeline: quiet } : decideDeps, {
    runId: input.runId,
    customer,
    segment: { segmentId: base.segment.segmentId, tone: base.segment.tone, reasons: why },
    step: journeyStepOf(input.journeyId, fallbackStep, channels.length > 0 ? channels : step.channels),
    now,
    triggeredAt: new Date(base.segment.decidedAt),
    subject: input.subject,
    // The same message on the other channel: the arm's text variant, not its channel order or send time.
    ...(arm ? { arm: textVariantOnly(arm) } : {}),
  });
  // Its own step in the results: planned here, its message counted under it.
  deps.resultFacts?.push(decisionFact(fallbackStep.stepId, plan, base.segment.segmentId, now));
  const carried = {
    sentAt: firstSentAt ?? null,
    sentChannel: firstSentAt ? first : null,
  };
  const from = firstSentAt ? new Date(firstSentAt) : now;
  if (!plan.channel || !plan.sendAt) {
    // The first channel's provider kept refusing and no other channel can take it: none is left.
    if (busy?.onSupporting) throw options.refusal ?? new ProviderUnavailable(first);
    if (options.whenNoChannel) return options.whenNoChannel([...why, ...plan.reasons]);
    return moveOn(
      input,
      step,
      base,
      now,
      timezone,
      {
        ...carried,
        outcome: firstSentAt ? 'sent' : 'skipped',
        channel: null,
        reasons: [...why, ...plan.reasons],
      },
      from,
    );
  }
  // Its slot is later: this step (or read check) again then; that visit finds the first message
  // unsent or unread again and takes this channel.
  if (!inSlot && Date.parse(plan.sendAt) > now.getTime()) {
    const call = options.afterCall ? { supporting: true } : null;
    throw new NotYet(new Date(plan.sendAt), busy, null, false, call);
  }
  const notice = options.collectionNotice
    ? sentNoticeOf(options.collectionNotice, plan.channel, now, timezone.timezone)
    : null;
  const sent = await renderAndSend(
    deps,
    input,
    customer,
    plan as StepPlan & { channel: Channel },
    notice ?? undefined,
  );
  if (isBusy(sent)) {
    const tries = busyTriesAfter(busy, sent);
    if (tries < STEP_TRIES) {
      throw busyDeferral(input, step, now, { tries, onSupporting: busy?.onSupporting ?? false });
    }
    // Its provider kept refusing too. The first message went out (unread): the step moves on from it.
    if (firstSentAt) {
      const reasons = [...why, `${plan.channel} provider busy (throttled or unavailable): not sent`];
      return moveOn(
        input,
        step,
        base,
        now,
        timezone,
        { ...carried, outcome: 'sent', channel: null, reasons },
        from,
      );
    }
    // Nothing reached the customer and no channel is left: the journey's Catch hands over to a person.
    throw sent.error;
  }
  // The provider may have accepted it: this step again when its events have had their time (the
  // refusals carried, so that visit comes back to this channel), settling it first.
  if (sent.status === 'maybe-sent') {
    throw new NotYet(new Date(sent.reconcileBy ?? now.toISOString()), busy, {
      locale: sent.locale,
      tone: plan.tone,
      supporting: true,
    });
  }
  const wentOut = sent.status === 'sent';
  metrics.addMetric('SupportingChannelSends', 'Count', wentOut ? 1 : 0);
  return moveOn(
    input,
    wentOut && notice ? waitingForTerm(step, notice, now, input.subject, timezone.timezone) : step,
    wentOut
      ? {
          ...base,
          lastMessage: { stepId: fallbackStep.stepId, channel: sent.channel, at: now.toISOString() },
        }
      : base,
    now,
    timezone,
    {
      ...carried,
      outcome: wentOut ? 'sent' : sent.status,
      channel: wentOut ? sent.channel : null,
      reasons: [...why, ...(sent.reason ? [sent.reason] : []), ...(wentOut && notice ? notice.reasons : [])],
    },
    from,
  );
}
