import type * as z from 'zod/mini';
import type { TimelineEntrySchema } from '#core/timeline.ts';
import { customerPath } from './customers.ts';

/** One line of a customer's conversation, as `GET /customers/{id}/conversation` answers it. */
export type ConversationItem = Omit<z.infer<typeof TimelineEntrySchema>, 'customerId'> & {
  /** Who acted, on a console action: the agent's user name or `system:…`. */
  actor?: string;
  /** A rendered email's HTML, when the server keeps it. */
  body?: { subject?: string; text: string; html?: string };
};

export interface ConversationPage {
  customerId: string;
  items: ConversationItem[];
  nextCursor: string | null;
}

export const conversationPath = (customerId: string, cursor?: string | null): string =>
  `${customerPath(customerId)}/conversation?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;

/** The segment the customer's latest decision placed them in, with its reason and when. */
export interface SegmentSeen {
  segment: string;
  why: string;
  at: string;
}

/**
 * Reads the segment from the newest decision's reasons (`segment default: catch-all`; the segments
 * it passed over say `skipped`): the segment the engine used last, in its own words.
 */
export function segmentAtLastDecision(items: readonly ConversationItem[]): SegmentSeen | undefined {
  for (const item of items) {
    if (item.kind !== 'decision') continue;
    for (const reason of item.reasons ?? []) {
      const match = /^segment (\S+): (.+)$/.exec(reason);
      if (match?.[1] && match[2]) return { segment: match[1], why: match[2], at: item.at };
    }
  }
  return undefined;
}
