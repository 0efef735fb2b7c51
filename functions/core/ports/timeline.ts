/** A customer's conversation: what was decided, sent, delivered and done, in time order; and the recent messages contact pressure counts. */
import type { SentMessage } from '../contact-pressure.ts';
import type { Channel } from '../customer.ts';

/**
 * `delivery`: what the provider reported about a message; `reply`: what the customer sent back;
 * `action`: what a person did in the console (stopped a run, paused messages, recorded a call), with its `actor`.
 */
export type TimelineKind = 'decision' | 'message' | 'journey' | 'event' | 'delivery' | 'reply' | 'action';

/** What happened to a message after it left: provider feedback, recorded on its send record and in the timeline. */
export type DeliveryStatus = 'delivered' | 'bounced' | 'complained' | 'rejected' | 'delayed' | 'failed';

/** Whether the customer engaged with an email; a click implies an open. */
export type Engagement = 'opened' | 'clicked';

export type TimelineOutcome =
  | 'sent'
  | 'skipped'
  | 'failed'
  | 'goal-reached'
  | 'started'
  | 'completed'
  /**
   * The provider may or may not have accepted it (no answer, or an attempt crashed in between): the
   * send waits for the provider's events until its bound, then goes again (see `send-step.ts`).
   */
  | 'unknown'
  | DeliveryStatus
  | Engagement
  | 'opted-out'
  /** A reply a person should read. */
  | 'escalated';

/** One line of a customer's conversation: decisions, messages, journey milestones and events, in time order. */
export interface TimelineEntry {
  /**
   * Stable id (letters, digits, `._:-`), e.g. derived from run and step, so a retried append of
   * the same entry (same id and `at`) overwrites instead of duplicating; generated when missing.
   */
  id?: string;
  customerId: string;
  /** ISO timestamp (UTC) of when it happened. */
  at: string;
  kind: TimelineKind;
  /** Short, personal-data-free description, e.g. `payment-reminder/first-reminder: sent`. */
  summary: string;
  runId?: string;
  journeyId?: string;
  stepId?: string;
  channel?: Channel;
  templateId?: string;
  locale?: string;
  /** The content variant (tone) of a message. */
  tone?: string;
  /** The experiment of the step this entry is about, and the customer's arm of it (`./experiment.ts`). */
  experimentId?: string;
  arm?: string;
  outcome?: TimelineOutcome;
  providerMessageId?: string;
  reasons?: string[];
  /** Who did it (kind `action`): a console user name or `system:<principal>`, never personal data. */
  actor?: string;
  /** Rendered content, kept for the retention period only (TTL). */
  body?: { subject?: string; text: string };
}

export interface TimelineRepository {
  appendTimeline(entry: TimelineEntry): Promise<void>;
  /** Newest first. */
  listTimeline(customerId: string, limit?: number): Promise<TimelineEntry[]>;
}

/** What was sent to a customer lately: contact pressure caps messages per channel across journeys. */
export interface ContactHistoryRepository {
  /** Messages sent to the customer at or after `since` (timeline entries of kind `message`, outcome `sent`), oldest first. */
  listSentMessages(customerId: string, since: Date): Promise<SentMessage[]>;
}

/** One page of a customer's conversation, newest first; `next` continues after its last entry. */
export interface ConversationPage {
  entries: TimelineEntry[];
  next?: string;
}

export interface ConversationReader {
  /** Returns up to `limit` entries older than the position `after` (from a previous page's `next`). */
  readConversation(customerId: string, page: { limit: number; after?: string }): Promise<ConversationPage>;
}
