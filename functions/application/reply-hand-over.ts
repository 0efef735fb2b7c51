/**
 * A customer's reply a person should read, handed over the same way whichever channel it came by
 * (an SMS reply, an email reply): on the hand-over desk and in the conversation.
 */
import { handOver, handOverLinksOf } from '#core/hand-over.ts';
import type { FeedbackDeps } from './feedback-deps.ts';

/** Hands the reply recorded as `entryId` over; linked to the run it answers when that is known. */
export async function handOverReply(
  deps: Pick<FeedbackDeps, 'handOvers' | 'timeline'>,
  reply: {
    entryId: string;
    customerId: string;
    at: string;
    answered?: { journeyId?: string; runId?: string };
  },
): Promise<void> {
  if (!deps.handOvers) return;
  const { answered } = reply;
  await handOver(
    { publisher: deps.handOvers.publisher, timeline: deps.timeline },
    {
      handOverId: `${reply.entryId}.hand-over`,
      customerId: reply.customerId,
      reason: 'reply',
      at: reply.at,
      ...(answered?.journeyId ? { journeyId: answered.journeyId } : {}),
      ...(answered?.runId ? { runId: answered.runId } : {}),
      ...handOverLinksOf(deps.handOvers, reply.customerId),
    },
  );
}
