import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { loadPolicy } from '#adapters/policy-file.ts';
import { createRepository } from '#adapters/repository-wiring.ts';
import { systemClock } from '#adapters/system-clock.ts';
import { ENGAGEMENT_LOOKBACK_DAYS, summariseBehaviour } from '#core/behaviour-summary.ts';
import type { Channel, CustomerProfile } from '#core/customer.ts';
import { decideStep, type SkipCode } from '#core/decision.ts';
import { type JourneyStep, JourneyStepSchema } from '#core/journey-step.ts';
import { type Policy, type Tone, ToneSchema } from '#core/policy.ts';
import type {
  Clock,
  ContactHistoryRepository,
  CustomerRepository,
  SuppressionRepository,
  TimelineRepository,
} from '#core/ports.ts';
import { CustomerNotFound, UnknownSegment } from '#shared/errors.ts';
import { wiredOnFirstUse, withObservability } from '#shared/lambda.ts';
import { countWith, droppedChannels } from '#shared/metrics.ts';
import { logger, metrics } from '#shared/powertools.ts';

export const PickChannelAndSlotInput = z.object({
  runId: z.string().min(1),
  customerId: z.string().min(1),
  segment: z.object({
    segmentId: z.string().min(1),
    tone: ToneSchema,
    reasons: z.array(z.string()).default([]),
    /** When the journey segmented the customer (its first step): the trigger time of later steps. */
    decidedAt: z.iso.datetime({ offset: true }).optional(),
  }),
  step: JourneyStepSchema,
  /** When the journey was triggered; beats `segment.decidedAt`; without either, now. */
  triggeredAt: z.iso.datetime({ offset: true }).optional(),
});

/** The plan for one step; `channel: null` means the step sends nothing (`skipped` says why) and ends here. */
export interface StepPlan {
  step: z.infer<typeof JourneyStepSchema>;
  channel: Channel | null;
  fallbacks: Channel[];
  tone: 'friendly' | 'firm';
  /** The locale to write in (the segment's locale rules applied). */
  locale: string;
  sendAt: string | null;
  localSendAt: string | null;
  timezone: string | null;
  costUsd: number | null;
  skipped: SkipCode | null;
  reasons: string[];
}

export interface PickChannelAndSlotDeps {
  customers: Pick<CustomerRepository, 'getCustomer' | 'listEvents'>;
  suppressions: Pick<SuppressionRepository, 'isSuppressed'>;
  sends: ContactHistoryRepository;
  timeline: TimelineRepository;
  policy: Policy;
  clock: Clock;
}

const DAY_MS = 86_400_000;

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

/**
 * Decides one step for a customer already read: suppressions, recent behaviour and sends read, the
 * whole decision made (`decideStep`), recorded in the timeline with its reasons and counted; returns
 * the plan. Shared by pick-channel-and-slot and run-journey-step.
 */
export async function decideAndRecordStep(
  deps: Omit<PickChannelAndSlotDeps, 'customers' | 'clock'> & {
    customers: Pick<CustomerRepository, 'listEvents'>;
  },
  input: {
    runId: string;
    customer: CustomerProfile;
    segment: { segmentId: string; tone: Tone; reasons: readonly string[] };
    step: JourneyStep;
    now: Date;
    triggeredAt?: Date;
  },
): Promise<StepPlan> {
  const { step, now, customer } = input;
  const segment = deps.policy.segments.find((s) => s.id === input.segment.segmentId);
  if (!segment) throw new UnknownSegment(input.segment.segmentId);

  const pressureDays = deps.policy.contactPressure?.days ?? 0;
  const [suppressed, events, sent] = await Promise.all([
    suppressedChannels(customer, deps.suppressions),
    deps.customers.listEvents(customer.id, new Date(now.getTime() - ENGAGEMENT_LOOKBACK_DAYS * DAY_MS)),
    pressureDays > 0
      ? deps.sends.listSentMessages(customer.id, new Date(now.getTime() - pressureDays * DAY_MS))
      : [],
  ]);
  const decision = decideStep({
    customer,
    segment,
    tone: input.segment.tone,
    step,
    policy: deps.policy,
    now,
    ...(input.triggeredAt ? { triggeredAt: input.triggeredAt } : {}),
    suppressed,
    sent,
    engagement: summariseBehaviour(events, now).engagementTimes ?? [],
  });
  const reasons = [...input.segment.reasons, ...decision.reasons];

  await deps.timeline.appendTimeline({
    customerId: customer.id,
    at: now.toISOString(),
    kind: 'decision',
    summary: decision.channel
      ? `${step.journeyId}/${step.stepId}: ${decision.channel} at ${decision.localSendAt}`
      : `${step.journeyId}/${step.stepId}: skipped, ${decision.skipped}`,
    runId: input.runId,
    journeyId: step.journeyId,
    stepId: step.stepId,
    templateId: step.templateId,
    locale: decision.locale,
    ...(decision.channel ? { channel: decision.channel } : { outcome: 'skipped' as const }),
    reasons,
  });
  logger.info('channel and slot picked', {
    runId: input.runId,
    stepId: step.stepId,
    channel: decision.channel ?? 'none',
    skipped: decision.skipped ?? 'no',
  });
  metrics.addMetric(decision.channel ? 'StepsPlanned' : 'StepsSkipped', 'Count', 1);
  // Skips by reason and fallbacks per channel: the reasons are fixed phrases, free of personal data.
  const dropped = droppedChannels(decision.reasons);
  if (decision.channel && dropped.length > 0) {
    countWith('ChannelFallbacks', { channel: decision.channel, journeyId: step.journeyId });
  }
  for (const { channel: droppedChannel, why } of dropped) {
    countWith('ChannelsDropped', { channel: droppedChannel, reason: why });
  }
  if (decision.skipped) countWith('StepsSkipped', { reason: decision.skipped, journeyId: step.journeyId });

  return {
    step,
    channel: decision.channel,
    fallbacks: decision.fallbacks,
    tone: decision.variant,
    locale: decision.locale,
    sendAt: decision.sendAt,
    localSendAt: decision.localSendAt,
    timezone: decision.timezone,
    costUsd: decision.costUsd,
    skipped: decision.skipped,
    reasons,
  };
}

export function makeHandler(deps: PickChannelAndSlotDeps) {
  return withObservability(async (event: unknown, _context: Context): Promise<StepPlan> => {
    const input = PickChannelAndSlotInput.parse(event);
    const customer = await deps.customers.getCustomer(input.customerId);
    if (!customer) throw new CustomerNotFound();
    const trigger = input.triggeredAt ?? input.segment.decidedAt;
    return decideAndRecordStep(deps, {
      runId: input.runId,
      customer,
      segment: input.segment,
      step: input.step,
      now: deps.clock.now(),
      ...(trigger ? { triggeredAt: new Date(trigger) } : {}),
    });
  });
}

export const handler = wiredOnFirstUse(() => {
  const repository = createRepository();
  return makeHandler({
    customers: repository,
    suppressions: repository,
    sends: repository,
    timeline: repository,
    policy: loadPolicy(),
    clock: systemClock,
  });
});
