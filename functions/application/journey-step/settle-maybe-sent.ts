/**
 * A visit of a step that deferred for its own maybe-sent message (the provider's answer was lost)
 * settles that message before it decides anything: its provider's event may have linked it meanwhile,
 * and then the message went out when it was sent, whatever the slot would say now (a bound that falls
 * after the window closes would otherwise move the run on only at the next window). Only such a visit
 * reads the send record here: the deferral says so (`Visit.maybeSent`).
 */

import { logger, metrics } from '#adapters/powertools.ts';
import { messageEntryId, sendKey } from '#application/send-step.ts';
import { ENGAGEMENT_LOOKBACK_DAYS, summariseBehaviour } from '#core/behaviour-summary.ts';
import type { Channel, CustomerProfile } from '#core/customer.ts';
import type { MaybeSentMessage } from '#core/journey-control.ts';
import type { MessageStepConfig, RunJourneyStepInput } from '#core/journey-step-run.ts';
import type { RunJourneyStepDeps } from './deps.ts';

/** A maybe-sent message the provider's event linked: when it went out, where, and its supporting channel. */
export interface LinkedMessage {
  /** The step's own send, or its supporting channel's (`<stepId>-fallback`). */
  stepId: string;
  supporting: boolean;
  channel: Channel;
  /** When the step sent it (ISO): the step is done as of then. */
  at: string;
  fallback: Channel | null;
}

/**
 * Returns the step's maybe-sent message when a provider event has linked it (its record is `sent`),
 * after saying so in the conversation (the entry that said "may have been sent" now says sent, as the
 * send pipeline writes it); null when it is not linked (still maybe-sent, or settled otherwise): the
 * visit goes on as any visit does, and the send pipeline sends it again in its slot or takes the
 * supporting channel.
 */
export async function linkedMaybeSent(
  deps: Pick<RunJourneyStepDeps, 'sendRecords' | 'timeline'>,
  input: RunJourneyStepInput,
  step: MessageStepConfig,
  message: MaybeSentMessage,
): Promise<LinkedMessage | null> {
  const stepId = message.supporting ? `${step.stepId}-fallback` : step.stepId;
  const key = sendKey(input.runId, stepId, step.occurrence);
  const record = await deps.sendRecords.getSend(input.customerId, key);
  if (record?.status !== 'sent' || !record.channel) return null;
  await deps.timeline.appendTimeline({
    id: messageEntryId(key),
    customerId: input.customerId,
    at: record.at,
    kind: 'message',
    runId: input.runId,
    journeyId: input.journeyId,
    stepId,
    channel: record.channel,
    templateId: step.templateId,
    locale: message.locale,
    tone: message.tone,
    summary: `${input.journeyId}/${stepId}: ${record.channel} sent`,
    outcome: 'sent',
    ...(record.providerMessageId ? { providerMessageId: record.providerMessageId } : {}),
  });
  logger.info('maybe-sent message found linked: the step moves on from it', {
    runId: input.runId,
    stepId,
    attempt: record.attempt ?? 1,
  });
  metrics.addMetric('MaybeSentSettledLinked', 'Count', 1);
  return {
    stepId,
    supporting: message.supporting,
    channel: record.channel,
    at: record.at,
    fallback: record.fallback ?? null,
  };
}

/**
 * Returns when the customer opened or clicked an email (epoch ms), read as deciding the step reads it:
 * the next step's wake is planned in their engaged hour, as after any send.
 */
export async function engagementOf(
  deps: Pick<RunJourneyStepDeps, 'customers'>,
  customer: CustomerProfile,
  now: Date,
): Promise<readonly number[]> {
  const since = new Date(now.getTime() - ENGAGEMENT_LOOKBACK_DAYS * 86_400_000);
  const events = await deps.customers.listEvents(customer.id, since);
  return summariseBehaviour(events, now).engagementTimes ?? [];
}
