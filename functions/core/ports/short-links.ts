/** Short links of SMS messages: stored when the message is rendered, found by code when followed. */
import type { ShortLink } from '../short-link.ts';

/** What the journey step writes: one item per link of a message, beside the customer's other data. */
export interface ShortLinkWriter {
  /** Stores the link unless its code is stored already (a retried step keeps the first). */
  putShortLink(link: ShortLink): Promise<void>;
}

/** What the redirect route reads and marks. */
export interface ShortLinkReader {
  /** Every stored link with this code: one, or none (more would be a collision, answered as unknown). */
  findShortLinks(code: string): Promise<ShortLink[]>;
  /** Marks the link followed at `at`; returns false when an earlier click marked it already. */
  markShortLinkFollowed(link: Pick<ShortLink, 'customerId' | 'code'>, at: Date): Promise<boolean>;
}
