/**
 * Hand-over to a person: when automated contact fails, a contact-centre or collections system
 * takes over. The event carries ids and a link to the conversation only, never personal data:
 * whoever picks it up reads the conversation through the API, with its own authorization.
 */
import type { TimelineRepository } from './ports/timeline.ts';

/**
 * `unreachable`: no channel may or can reach the customer; `no-reaction`: the journey's last message
 * went unanswered (a payment reminder's final notice, an onboarding still not activated); `complaint`: the customer marked a message as spam; `reply`: an SMS reply a person
 * should answer; `failed`: a journey step failed for good (its retries spent), the run ends as failed;
 * `dispute`: the customer disputes the claim on a call (recorded in the console).
 */
export type HandOverReason = 'unreachable' | 'no-reaction' | 'complaint' | 'reply' | 'failed' | 'dispute';

export interface HandOver {
  /** Stable per cause (e.g. run id + step), so a retried hand-over is recognisable downstream. */
  handOverId: string;
  customerId: string;
  reason: HandOverReason;
  /** ISO timestamp of the hand-over. */
  at: string;
  /** `GET /customers/{id}/conversation` on the stage's API: the whole conversation. */
  conversationUrl: string;
  /** The customer's page in the stage's console, for the person who takes it (when the stage has a console). */
  consoleUrl?: string;
  journeyId?: string;
  runId?: string;
  subjectId?: string;
}

/** Where hand-overs to a person go: EventBridge on AWS, an outbox locally. */
export interface HandOverPublisher {
  publish(handOver: HandOver): Promise<void>;
}

/** EventBridge `source` and `detail-type` of a hand-over: what a rule matches on. */
export const HAND_OVER_SOURCE = 'klantreis';
export const HAND_OVER_DETAIL_TYPE = 'Klantreis Hand-over';

/** Returns the conversation's address on the API whose base URL (ending in `/` or not) is given. */
export function conversationUrlOf(apiBaseUrl: string, customerId: string): string {
  return `${apiBaseUrl.replace(/\/+$/, '')}/customers/${encodeURIComponent(customerId)}/conversation`;
}

/** Returns the customer's page on the console whose base URL (ending in `/` or not) is given. */
export function consoleUrlOf(consoleBaseUrl: string, customerId: string): string {
  return `${consoleBaseUrl.replace(/\/+$/, '')}/customers/${encodeURIComponent(customerId)}`;
}

/** Where a hand-over's links point: the stage's API, and its console when it has one. */
export interface HandOverLinkBases {
  apiBaseUrl: string;
  consoleBaseUrl?: string;
}

/** Returns a hand-over's links for the customer: the API's conversation, and the console page when there is a console. */
export function handOverLinksOf(
  bases: HandOverLinkBases,
  customerId: string,
): Pick<HandOver, 'conversationUrl' | 'consoleUrl'> {
  return {
    conversationUrl: conversationUrlOf(bases.apiBaseUrl, customerId),
    ...(bases.consoleBaseUrl ? { consoleUrl: consoleUrlOf(bases.consoleBaseUrl, customerId) } : {}),
  };
}

/**
 * Publishes the hand-over, then records it in the conversation (kind `journey`, outcome
 * `escalated`); returns the hand-over. Publish first: a retry after a failed timeline write sends
 * the same `handOverId` again, which the receiver can drop; a lost event would leave nobody acting.
 */
export async function handOver(
  deps: { publisher: HandOverPublisher; timeline: TimelineRepository },
  event: HandOver,
): Promise<HandOver> {
  await deps.publisher.publish(event);
  await deps.timeline.appendTimeline({
    id: event.handOverId,
    customerId: event.customerId,
    at: event.at,
    kind: 'journey',
    summary: `${event.journeyId ? `${event.journeyId}: ` : ''}handed over to a person (${event.reason})`,
    outcome: 'escalated',
    reasons: [`hand-over: ${event.reason}`],
    ...(event.runId ? { runId: event.runId } : {}),
    ...(event.journeyId ? { journeyId: event.journeyId } : {}),
  });
  return event;
}
