import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { loadPolicy } from '#adapters/policy-file.ts';
import { createRepository } from '#adapters/repository-wiring.ts';
import { systemClock } from '#adapters/system-clock.ts';
import { pickChannel } from '#core/channel.ts';
import type { Channel, CustomerProfile } from '#core/customer.ts';
import { JourneyStepSchema } from '#core/journey-step.ts';
import { type Policy, ToneSchema } from '#core/policy.ts';
import type { Clock, CustomerRepository, SuppressionRepository, TimelineRepository } from '#core/ports.ts';
import { pickSlot } from '#core/slot.ts';
import { CustomerNotFound, UnknownSegment } from '#shared/errors.ts';
import { wiredOnFirstUse, withObservability } from '#shared/lambda.ts';
import { logger, metrics } from '#shared/powertools.ts';

export const PickChannelAndSlotInput = z.object({
  runId: z.string().min(1),
  customerId: z.string().min(1),
  segment: z.object({
    segmentId: z.string().min(1),
    tone: ToneSchema,
    reasons: z.array(z.string()).default([]),
  }),
  step: JourneyStepSchema,
});

/** The plan for one step; `channel: null` means nobody can be reached and the step ends here. */
export interface StepPlan {
  step: z.infer<typeof JourneyStepSchema>;
  channel: Channel | null;
  fallbacks: Channel[];
  tone: 'friendly' | 'firm';
  sendAt: string | null;
  localSendAt: string | null;
  timezone: string | null;
  costUsd: number | null;
  reasons: string[];
}

export interface PickChannelAndSlotDeps {
  customers: Pick<CustomerRepository, 'getCustomer'>;
  suppressions: Pick<SuppressionRepository, 'isSuppressed'>;
  timeline: TimelineRepository;
  policy: Policy;
  clock: Clock;
}

async function suppressedChannels(
  customer: CustomerProfile,
  suppressions: PickChannelAndSlotDeps['suppressions'],
): Promise<Channel[]> {
  const [email, sms] = await Promise.all([
    customer.email ? suppressions.isSuppressed('email', customer.email) : false,
    customer.phone ? suppressions.isSuppressed('sms', customer.phone) : false,
  ]);
  return [...(email ? (['email'] as const) : []), ...(sms ? (['sms'] as const) : [])];
}

export function makeHandler(deps: PickChannelAndSlotDeps) {
  return withObservability(async (event: unknown, _context: Context): Promise<StepPlan> => {
    const input = PickChannelAndSlotInput.parse(event);
    const { step } = input;
    const now = deps.clock.now();
    const customer = await deps.customers.getCustomer(input.customerId);
    if (!customer) throw new CustomerNotFound();
    const segment = deps.policy.segments.find((s) => s.id === input.segment.segmentId);
    if (!segment) throw new UnknownSegment(input.segment.segmentId);

    const suppressed = await suppressedChannels(customer, deps.suppressions);
    const channel = pickChannel({ customer, segment, step, policy: deps.policy, suppressed });
    const slot = channel.channel ? pickSlot({ customer, segment, step, policy: deps.policy, now }) : null;
    const tone = step.tone ?? input.segment.tone;
    const toneReason = step.tone
      ? `tone ${tone}: set by the journey step`
      : `tone ${tone}: from segmentation`;
    const reasons = [...input.segment.reasons, ...channel.reasons, ...(slot?.reasons ?? []), toneReason];

    await deps.timeline.appendTimeline({
      customerId: customer.id,
      at: now.toISOString(),
      kind: 'decision',
      summary: channel.channel
        ? `${step.journeyId}/${step.stepId}: ${channel.channel} at ${slot?.localSendAt}`
        : `${step.journeyId}/${step.stepId}: skipped, no reachable channel`,
      runId: input.runId,
      journeyId: step.journeyId,
      stepId: step.stepId,
      templateId: step.templateId,
      ...(channel.channel ? { channel: channel.channel } : { outcome: 'skipped' as const }),
      reasons,
    });
    logger.info('channel and slot picked', {
      runId: input.runId,
      stepId: step.stepId,
      channel: channel.channel ?? 'none',
    });
    metrics.addMetric(channel.channel ? 'StepsPlanned' : 'StepsUnreachable', 'Count', 1);

    return {
      step,
      channel: channel.channel,
      fallbacks: channel.fallbacks,
      tone,
      sendAt: slot?.sendAt ?? null,
      localSendAt: slot?.localSendAt ?? null,
      timezone: slot?.timezone ?? null,
      costUsd: channel.costUsd,
      reasons,
    };
  });
}

export const handler = wiredOnFirstUse(() => {
  const repository = createRepository();
  return makeHandler({
    customers: repository,
    suppressions: repository,
    timeline: repository,
    policy: loadPolicy(),
    clock: systemClock,
  });
});
