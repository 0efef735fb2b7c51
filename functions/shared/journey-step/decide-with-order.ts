/**
 * The step's decision with its channel order: a step sent deliberately on the supporting channel tries
 * the channel the previous message did not use first, else the customer's own order. Only the attempt
 * that is kept is recorded in the conversation.
 */
import type { CustomerProfile } from '#core/customer.ts';
import {
  channelAttempts,
  journeyStepOf,
  type MessageStepConfig,
  type RunJourneyStepInput,
  type StepProgress,
} from '#core/journey-step-run.ts';
import type { TimelineEntry } from '#core/ports.ts';
import { decideAndRecordStep, type StepPlan } from '#shared/decide-step.ts';
import type { RunJourneyStepDeps } from './deps.ts';
import type { Base } from './progress.ts';

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
        ...(planned ? { planned } : {}),
      },
    );
    if (plan.channel || last) {
      // A kept slot is in the conversation already; a slot that moved is recorded anew.
      const kept =
        planned &&
        plan.sendAt !== null &&
        Date.parse(plan.sendAt) <= Math.max(planned.getTime(), now.getTime());
      if (record || !kept) for (const entry of held) await deps.timeline.appendTimeline(entry);
      break;
    }
    const dropped = plan.reasons.filter((r) => r.includes('dropped'));
    reasons = [
      ...segment.reasons,
      `supporting channel ${channels.join('/')} not possible (${plan.skipped}): the customer's channel instead`,
      ...dropped,
    ];
  }
  return plan as StepPlan;
}
