/**
 * The result events of provider feedback (delivered, bounced, opened, clicked, complained, opted
 * out, replied), counted in the same dimensions as the message they are about: the dimensions of its
 * counted `sent` event (its marker), on the feedback's own day. A message whose `sent` event is no
 * longer kept is counted by what its send record and the event tell (journey, step, channel).
 */
import type { ResultEventLookup, TimelineEntry, TimelineRepository } from '#core/ports.ts';
import { type ResultCounter, type ResultDims, resultDayOf, resultDimsOf } from '#core/results.ts';
import { stepIdOf } from './journey-step/step-results.ts';
import { type ResultFact, type ResultsPorts, recordResults } from './results-recording.ts';
import { messageEntryId } from './send-step.ts';

/** What is known of the message a feedback event is about. */
export interface FeedbackMessage {
  customerId: string;
  runId: string;
  stepId: string;
  channel: 'email' | 'sms';
  /** The id of the message's `sent` event (`sentEventIdOf`). */
  sentEventId: string;
  /** The journey, when known without the `sent` event (an email's tags, the conversation entry). */
  journeyId?: string;
}

/** Returns what is known of the message of a send record (key `<runId>#<stepId>[#occurrence]`). */
export function messageOfSend(
  customerId: string,
  key: string,
  channel: 'email' | 'sms',
  journeyId?: string,
): FeedbackMessage {
  const [runId = 'unknown', stepId = 'run'] = key.split('#');
  return {
    customerId,
    runId,
    stepId,
    channel,
    sentEventId: `sent:${messageEntryId(key)}`,
    ...(journeyId ? { journeyId } : {}),
  };
}

/**
 * Records the counters of a feedback event about a message, each under `<counter>:<eventKey>` (the
 * provider's message id, or the inbound message's): a redelivered event counts nothing more.
 * Returns false when a record failed (logged and counted).
 */
export async function recordFeedbackResults(
  results: (ResultsPorts & ResultEventLookup) | undefined,
  message: FeedbackMessage,
  feedback: { counters: readonly ResultCounter[]; eventKey: string; at: string; reason?: string },
): Promise<boolean> {
  if (!results || feedback.counters.length === 0) return true;
  let dims: ResultDims | undefined;
  try {
    const sent = await results.getResultEvent(message.sentEventId);
    dims = sent ? { ...sent.dims, day: resultDayOf(feedback.at) } : undefined;
  } catch {
    dims = undefined;
  }
  const journeyId = dims?.journeyId ?? message.journeyId;
  // Without its journey a count has no aggregate to go to.
  if (!journeyId) return true;
  const facts: ResultFact[] = feedback.counters.map((kind) => ({
    eventId: `${kind}:${feedback.eventKey}`,
    at: feedback.at,
    kind,
    dims:
      dims ??
      resultDimsOf(
        { journeyId, stepId: stepIdOf({ stepId: message.stepId }), channel: message.channel },
        feedback.at,
      ),
    runId: message.runId,
    ...(feedback.reason ? { reason: feedback.reason } : {}),
  }));
  return recordResults(results, message.customerId, facts);
}

/** Returns the customer's latest SMS message of a journey run (newest first within `limit` entries), if any. */
export async function latestSmsMessage(
  timeline: Pick<TimelineRepository, 'listTimeline'>,
  customerId: string,
  limit = 50,
): Promise<(TimelineEntry & { runId: string; stepId: string }) | undefined> {
  const entries = await timeline.listTimeline(customerId, limit);
  return entries.find(
    (entry): entry is TimelineEntry & { runId: string; stepId: string } =>
      entry.kind === 'message' &&
      entry.outcome === 'sent' &&
      entry.channel === 'sms' &&
      entry.runId !== undefined &&
      entry.stepId !== undefined,
  );
}
