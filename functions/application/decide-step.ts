/**
 * One step's decision, made and recorded: what run-journey-step does before it renders and sends.
 */

import { countryTables } from '#adapters/country-tables.ts';
import { logger, metrics } from '#adapters/powertools.ts';
import { UnknownSegment } from '#application/errors.ts';
import { countWith, droppedChannels } from '#application/metrics.ts';
import { ENGAGEMENT_LOOKBACK_DAYS, summariseBehaviour } from '#core/behaviour-summary.ts';
import type { Channel, CustomerProfile } from '#core/customer.ts';
import { decideStep, type SkipCode, stepTextOf } from '#core/decision.ts';
import type { ArmAssignment } from '#core/experiment.ts';
import type { JourneyStep, JourneySubject } from '#core/journey-step.ts';
import type { Policy, Segment, TextVariant, Tone } from '#core/policy.ts';
import type {
  ContactHistoryRepository,
  CustomerRepository,
  SuppressionRepository,
  TimelineRepository,
} from '#core/ports.ts';
import type { SmsForm } from '#core/sms-limit.ts';
import { type SmsLengthDeps, smsLengthFor } from './sms-length.ts';

/** The plan for one step; `channel: null` means the step sends nothing (`skipped` says why) and ends here. */
export interface StepPlan {
  step: JourneyStep;
  channel: Channel | null;
  fallbacks: Channel[];
  /** The text variant: the tone, or the named variant of the customer's experiment arm. */
  tone: TextVariant;
  /** The locale to write in (the segment's locale rules applied). */
  locale: string;
  sendAt: string | null;
  localSendAt: string | null;
  timezone: string | null;
  costUsd: number | null;
  skipped: SkipCode | null;
  reasons: string[];
  /** When the customer opened or clicked an email (epoch ms): what the slot was picked with (send-time optimisation). */
  engagement: readonly number[];
  /** The experiment and the customer's arm, when the step has one. */
  experiment?: { id: string; arm: string };
  /** An SMS counted before the decision: the text to render, the short one when the full is over the limit. */
  smsForm?: SmsForm;
  /** A letter: the day of receipt and when on it (UTC ISO); the next step's wait counts from it. */
  arrival?: { on: string; at: string };
}

/** What deciding a step reads (the customer's events, suppressions, recent sends) and where it records. */
export interface DecideStepDeps {
  customers: Pick<CustomerRepository, 'listEvents'>;
  suppressions: Pick<SuppressionRepository, 'isSuppressed'>;
  sends: ContactHistoryRepository;
  timeline: TimelineRepository;
  policy: Policy;
  /** The templates: the step's SMS is counted for the customer before the choice. */
  catalog?: SmsLengthDeps['catalog'];
  /** The stage's short-link base: the SMS is counted with links of its length. */
  shortLinks?: { base: string };
  subjects?: SmsLengthDeps['subjects'];
  smsTwoWay?: boolean;
}

const DAY_MS = 86_400_000;

async function suppressedChannels(
  customer: CustomerProfile,
  suppressions: DecideStepDeps['suppressions'],
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
 * the plan.
 */
export async function decideAndRecordStep(
  deps: DecideStepDeps,
  input: {
    runId: string;
    customer: CustomerProfile;
    segment: { segmentId: string; tone: Tone; reasons: readonly string[] };
    step: JourneyStep;
    now: Date;
    triggeredAt?: Date;
    /** The slot planned for this step before (the journey waited for it): kept while still open. */
    planned?: Date;
    /** The customer's arm of the step's experiment. */
    arm?: ArmAssignment;
    /** When the step woke (the same on every visit): an arm's send-time delay counts from it. */
    wokenAt?: Date;
    /** The run's subject: with the templates, the step's SMS is rendered and its parts counted first. */
    subject?: JourneySubject;
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
  const engagement = summariseBehaviour(events, now).engagementTimes ?? [];
  const sms = smsLengthOf(deps, { ...input, segment, tone: input.segment.tone });
  const decision = decideStep({
    customer,
    segment,
    tone: input.segment.tone,
    step,
    policy: deps.policy,
    countries: countryTables,
    now,
    ...(input.triggeredAt ? { triggeredAt: input.triggeredAt } : {}),
    suppressed,
    sent,
    engagement,
    ...(input.planned ? { planned: input.planned } : {}),
    ...(input.arm ? { arm: input.arm } : {}),
    ...(input.wokenAt ? { wokenAt: input.wokenAt } : {}),
    ...(sms ? { sms } : {}),
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
    ...(decision.experiment ? { experimentId: decision.experiment.id, arm: decision.experiment.arm } : {}),
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
    engagement,
    ...(decision.experiment ? { experiment: decision.experiment } : {}),
    ...(decision.smsForm ? { smsForm: decision.smsForm } : {}),
    ...(decision.arrival ? { arrival: decision.arrival } : {}),
  };
}

/** Returns the parts of the step's SMS for the customer, when the templates and the subject are known. */
function smsLengthOf(
  deps: DecideStepDeps,
  input: {
    customer: CustomerProfile;
    segment: Segment;
    step: JourneyStep;
    arm?: ArmAssignment;
    subject?: JourneySubject;
  } & { tone: Tone },
) {
  if (!deps.catalog || !input.subject) return undefined;
  const text = stepTextOf({ ...input, policy: deps.policy });
  return smsLengthFor(
    {
      catalog: deps.catalog,
      policy: deps.policy,
      ...(deps.shortLinks ? { smsLinkBase: deps.shortLinks.base } : {}),
      ...(deps.subjects ? { subjects: deps.subjects } : {}),
      ...(deps.smsTwoWay ? { smsTwoWay: deps.smsTwoWay } : {}),
    },
    {
      customer: input.customer,
      step: input.step,
      tone: text.variant,
      locale: text.locale.locale,
      subject: input.subject,
      isMobileNumber: countryTables.isMobileNumber,
    },
  );
}
