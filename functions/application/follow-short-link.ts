/**
 * Following a short link from an SMS (`GET /s/{code}`): the stored target, or why not; the first
 * click of each link of a message is the customer's engagement with it.
 *
 * One click per link per message is recorded — the `sms.clicked` behaviour event and a `clicked`
 * entry in the conversation, both on the message — and a repeat only redirects: as with an email's
 * opens and clicks, a second visit tells nothing new, and link previews or a customer tapping twice
 * would otherwise inflate the counts the segment rules read. The results count one `clicked` per
 * message (`clicked:<message>`: a second link of the same SMS counts nothing more), as an email's
 * clicks are counted once per message; a visit of the unsubscribe link is no engagement and counts
 * as none.
 */
import { logger, metrics } from '#adapters/powertools.ts';
import { feedbackEntryId } from '#application/feedback-entry-id.ts';
import { recordFeedbackResults } from '#application/feedback-results.ts';
import type { ResultsPorts } from '#application/results-recording.ts';
import type {
  Clock,
  CustomerRepository,
  ResultEventLookup,
  ShortLinkReader,
  TimelineRepository,
} from '#core/ports.ts';
import { SHORT_LINK_CODE_PATTERN, type ShortLinkAnswer, shortLinkAnswer } from '#core/short-link.ts';

export interface FollowShortLinkDeps {
  shortLinks: ShortLinkReader;
  customers: Pick<CustomerRepository, 'recordEvent'>;
  timeline: Pick<TimelineRepository, 'appendTimeline'>;
  clock: Clock;
  /** Where the message's `clicked` result goes; none counted when absent. */
  results?: ResultsPorts & ResultEventLookup;
}

/** The link whose visit is an opt-out, not engagement with the message. */
const UNSUBSCRIBE_LINK = 'unsubscribe';

/** Returns what to answer for a code, having recorded the link's first click. */
export async function followShortLink(deps: FollowShortLinkDeps, code: string): Promise<ShortLinkAnswer> {
  // A malformed code is not looked up.
  if (!SHORT_LINK_CODE_PATTERN.test(code)) return { kind: 'unknown' };
  const now = deps.clock.now();
  const answer = shortLinkAnswer(await deps.shortLinks.findShortLinks(code), now);
  if (answer.kind === 'redirect' && answer.firstClick) {
    const first = await deps.shortLinks.markShortLinkFollowed(answer.link, now);
    if (first) await recordClick(deps, answer.link, now);
    return { ...answer, firstClick: first };
  }
  return answer;
}

/** Records the first click of a link: a behaviour event and a conversation entry on its message. */
async function recordClick(
  deps: FollowShortLinkDeps,
  link: Extract<ShortLinkAnswer, { kind: 'redirect' }>['link'],
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  // One id per link of a message: recording it again overwrites.
  const entryId = feedbackEntryId('short-link', 'clicked', link.messageId, link.link);
  await deps.customers.recordEvent(
    link.customerId,
    { type: 'sms.clicked', occurredAt: at, data: { channel: 'sms', link: link.link } },
    entryId,
  );
  await deps.timeline.appendTimeline({
    id: entryId,
    customerId: link.customerId,
    at,
    kind: 'delivery',
    summary: `${link.journeyId}/${link.stepId}: sms clicked (${link.link})`,
    channel: 'sms',
    outcome: 'clicked',
    runId: link.runId,
    journeyId: link.journeyId,
    stepId: link.stepId,
    locale: link.locale,
  });
  // The link's name, journey and step only: never the target (its query) or the customer.
  logger.info('short link followed first', {
    link: link.link,
    journeyId: link.journeyId,
    stepId: link.stepId,
  });
  metrics.addMetric('SmsLinkClicks', 'Count', 1);
  if (link.link === UNSUBSCRIBE_LINK) return;
  // Counted in the dimensions of the message's `sent` event; a failure is logged and counted, never the redirect's.
  await recordFeedbackResults(
    deps.results,
    {
      customerId: link.customerId,
      runId: link.runId,
      stepId: link.stepId,
      channel: 'sms',
      sentEventId: `sent:${link.messageId}`,
      journeyId: link.journeyId,
    },
    { counters: ['clicked'], eventKey: `sms:${link.messageId}`, at },
  );
}
