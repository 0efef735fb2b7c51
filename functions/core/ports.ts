/**
 * The small interfaces between the pure core and the outside world. Adapters in
 * `functions/adapters/` implement them against AWS (and so against the local emulators);
 * tests implement them in memory.
 */
import type { BehaviourEvent } from './behaviour.ts';
import type { Channel, CustomerProfile } from './customer.ts';

export interface Clock {
  now(): Date;
}

export type TimelineKind = 'decision' | 'message' | 'journey' | 'event';

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
  outcome?: 'sent' | 'skipped' | 'failed' | 'goal-reached' | 'started' | 'completed';
  providerMessageId?: string;
  reasons?: string[];
  /** Rendered content, kept for the retention period only (TTL). */
  body?: { subject?: string; text: string };
}

export type JourneyRunStatus = 'running' | 'completed' | 'goal-reached' | 'failed';

export interface JourneyRun {
  runId: string;
  journeyId: string;
  customerId: string;
  subjectId?: string;
  executionArn: string;
  status: JourneyRunStatus;
  startedAt: string;
}

/** The business object a journey is about (an invoice) and whether its goal is reached. */
export interface SubjectState {
  customerId: string;
  subjectId: string;
  status: 'open' | 'paid' | 'cancelled';
  updatedAt: string;
}

/** The result of one send, recorded under its idempotency key so a retry returns it instead of sending again. */
export interface SendRecord {
  key: string;
  status: 'in-progress' | 'sent' | 'skipped';
  channel?: Channel;
  providerMessageId?: string;
  at: string;
}

export type ClaimResult = { claimed: true } | { claimed: false; existing: SendRecord };

export interface CustomerRepository {
  getCustomer(customerId: string): Promise<CustomerProfile | undefined>;
  putCustomer(customer: CustomerProfile, at: Date): Promise<void>;
  /** Behaviour events that happened at or after `since`, oldest first. */
  listEvents(customerId: string, since: Date): Promise<BehaviourEvent[]>;
  recordEvent(customerId: string, event: BehaviourEvent, eventId: string): Promise<void>;
  getSubject(customerId: string, subjectId: string): Promise<SubjectState | undefined>;
  putSubject(subject: SubjectState): Promise<void>;
}

export interface TimelineRepository {
  appendTimeline(entry: TimelineEntry): Promise<void>;
  /** Newest first. */
  listTimeline(customerId: string, limit?: number): Promise<TimelineEntry[]>;
}

export interface RunRepository {
  putRun(run: JourneyRun): Promise<void>;
  getRun(runId: string): Promise<JourneyRun | undefined>;
  setRunStatus(customerId: string, runId: string, status: JourneyRunStatus): Promise<void>;
}

export interface IdempotencyRepository {
  /** Conditional write: only the first caller for `key` gets `claimed: true`. */
  claimSend(customerId: string, key: string, at: Date): Promise<ClaimResult>;
  completeSend(customerId: string, record: SendRecord): Promise<void>;
}

export interface SuppressionRepository {
  isSuppressed(channel: Channel, address: string): Promise<boolean>;
  suppress(channel: Channel, address: string, reason: string, at: Date): Promise<void>;
}

/** Everything stored about one customer, for a GDPR (AVG) export. Suppressions hold no address and are not included. */
export interface CustomerDataExport {
  customerId: string;
  profile?: CustomerProfile;
  events: Array<BehaviourEvent & { eventId: string }>;
  /** Newest first; bodies only while within retention. */
  timeline: TimelineEntry[];
  subjects: SubjectState[];
  runs: JourneyRun[];
  sends: SendRecord[];
}

export interface PersonalDataRepository {
  exportCustomerData(customerId: string): Promise<CustomerDataExport>;
  /** Deletes every item of the customer; suppressions stay, so an opt-out outlives the erasure. */
  eraseCustomerData(customerId: string): Promise<{ deletedItems: number }>;
}

export interface OutboundEmail {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Provider tags (journey, step, template, stage): no personal data. */
  tags: Record<string, string>;
}

export interface OutboundSms {
  to: string;
  text: string;
  /** `Transactional` for service messages, `Promotional` for marketing. */
  smsType: 'Transactional' | 'Promotional';
}

export interface EmailSender {
  sendEmail(message: OutboundEmail): Promise<{ providerMessageId: string }>;
}

export interface SmsSender {
  sendSms(message: OutboundSms): Promise<{ providerMessageId: string }>;
}

export interface JourneyStarter {
  /** Starts an execution named `runId`; a repeat with the same name reports `alreadyStarted`. */
  startJourney(input: {
    stateMachineArn: string;
    runId: string;
    input: unknown;
  }): Promise<{ executionArn: string; alreadyStarted: boolean }>;
}
