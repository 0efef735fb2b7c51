/**
 * The step's decision with its channel order: a step sent deliberately on the supporting channel tries
 * the channel the previous message did not use first, else the customer's own order. Only the attempt
 * that is kept is recorded in the conversation.
 */

import { decideAndRecordStep, type StepPlan } from '#application/decide-step.ts';
import type { Channel, CustomerProfile } from '#core/customer.ts';
import type { ArmAssignment } from '#core/experiment.ts';
import {
  addressOf,
  channelAttempts,
  journeyStepOf,
  type MessageStepConfig,
  type RunJourneyStepInput,
  type StepProgress,
} from '#core/journey-step-run.ts';
import type { TimelineEntry } from '#core/ports.ts';
import type { RunJourneyStepDeps } from './deps.ts';
import type { Base } from './progress.ts';
import { decisionFact } from './step-results.ts';

/** Decides the step; `supporting` order: the other channel first, else the customer's, with the reason. */
export async function decideWithOrder(
  deps: RunJourneyStepDeps,
  input: RunJourneyStepInput,
  step: MessageStepConfig,
  customer: CustomerProfile,
  segment: StepProgress['segment'],
  base: Base,
  now: Date,
  record: boolean,
  planned?: Date,
  /** The customer's arm of the step's experiment, and when the step woke (its send-time delay counts from it). */
  experiment?: { arm: ArmAssignment; wokenAt: Date },
): Promise<StepPlan> {
  const attempts = channelAttempts(step, base.lastMessage?.channel ?? null);
  const triggeredAt = new Date(segment.decidedAt);
  let reasons: string[] = [...segment.reasons];
  let plan: StepPlan | undefined;
  for (const [i, channels] of attempts.entries()) {
    const last = i === attempts.length - 1;
    if (attempts.length > 1 && i === 0) {
      reasons.push(`supporting channel: not ${base.lastMessage?.channel}, which the previous message used`);
    }
    // Only the attempt that is kept is recorded in the conversation.
    const held: TimelineEntry[] = [];
    plan = await decideAndRecordStep(
      {
        ...deps,
        timeline: {
          appendTimeline: async (entry) => {
            held.push(entry);
          },
          listTimeline: async () => [],
        },
      },
      {
        runId: input.runId,
        customer,
        segment: { segmentId: segment.segmentId, tone: segment.tone, reasons },
        step: journeyStepOf(input.journeyId, step, channels),
        now,
        triggeredAt,
        subject: input.subject,
        ...(planned ? { planned } : {}),
        ...(experiment ? { arm: experiment.arm, wokenAt: experiment.wokenAt } : {}),
      },
    );
    // A holdout's decision is the one kept: another channel order would hold the message back as well.
    if (plan.channel || plan.skipped === 'holdout' || last) {
      // A kept slot is in the conversation already; a slot that moved is recorded anew.
      const kept =
        planned &&
        plan.sendAt !== null &&
        Date.parse(plan.sendAt) <= Math.max(planned.getTime(), now.getTime());
      if (record || !kept) for (const entry of held) await deps.timeline.appendTimeline(entry);
      // The channel the supporting order turned away from is still this step's: where a refusal goes.
      if (plan.channel) plan = { ...plan, fallbacks: withRestOf(plan, attempts.slice(i + 1), customer) };
      break;
    }
    const dropped = plan.reasons.filter((r) => r.includes('dropped'));
    reasons = [
      ...segment.reasons,
      `supporting channel ${channels.join('/')} not possible (${plan.skipped}): the customer's channel instead`,
      ...dropped,
    ];
  }
  const decided = plan as StepPlan;
  // Before the send: a goal reached while the message goes out finds the run's arm.
  await deps.resultFacts?.decided(decisionFact(step.stepId, decided, segment.segmentId, now));
  return decided;
}

/**
 * Returns the plan's supporting channels followed by the step's channels of the attempts not taken that
 * can reach the customer (an address on the profile; consent and suppression are checked when the
 * supporting channel is decided).
 */
function withRestOf(plan: StepPlan, rest: Channel[][], customer: CustomerProfile): Channel[] {
  const fallbacks = [...plan.fallbacks];
  for (const channel of rest.flat()) {
    if (channel !== plan.channel && !fallbacks.includes(channel) && addressOf(customer, channel)) {
      fallbacks.push(channel);
    }
  }
  return fallbacks;
}
