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
