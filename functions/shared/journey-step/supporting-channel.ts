/**
 * The step's message on the supporting channel, in the same invocation: after the first channel refused
 * it for good or blocked it at send time, or after its email went unread (the read check).
 */
import type { Channel, CustomerProfile } from '#core/customer.ts';
import { NotYet } from '#core/journey-control.ts';
import {
  journeyStepOf,
  type MessageStepConfig,
  type RunJourneyStepInput,
  type StepProgress,
} from '#core/journey-step-run.ts';
import { decideAndRecordStep, type StepPlan } from '#shared/decide-step.ts';
import { metrics } from '#shared/powertools.ts';
import type { RunJourneyStepDeps } from './deps.ts';
import { type Place, spreadless } from './place.ts';
import { type Base, moveOn } from './progress.ts';
import { busyDeferral, renderAndSend } from './render-and-send.ts';

/**
 * Sends the step's message on the supporting channel as step `<stepId>-fallback` (its own claim), now
 * or — when its slot is later — on this step's next visit (`Klantreis.NotYet`); then moves on from the
 * step's first message. `inSlot`: back at the slot a deferral asked for (its decision is recorded).
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
  firstSentAt?: string,
  inSlot = false,
): Promise<StepProgress> {
  const fallbackStep = { ...step, stepId: `${step.stepId}-fallback`, channelOrder: 'customer' as const };
  const channels = step.channels.filter((c) => c !== first);
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
  });
  const carried = {
    sentAt: firstSentAt ?? null,
    sentChannel: firstSentAt ? first : null,
  };
  const from = firstSentAt ? new Date(firstSentAt) : now;
  if (!plan.channel || !plan.sendAt) {
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
  if (!inSlot && Date.parse(plan.sendAt) > now.getTime()) throw new NotYet(new Date(plan.sendAt));
  const sent = await renderAndSend(deps, input, customer, plan as StepPlan & { channel: Channel });
  if (sent === 'busy') throw busyDeferral(input, step, now);
  const wentOut = sent.status === 'sent';
  metrics.addMetric('SupportingChannelSends', 'Count', wentOut ? 1 : 0);
  return moveOn(
    input,
    step,
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
      outcome: wentOut ? 'sent' : sent.status === 'in-progress' ? 'unknown' : sent.status,
      channel: wentOut ? sent.channel : null,
      reasons: [...why, ...(sent.reason ? [sent.reason] : [])],
    },
    from,
  );
}
