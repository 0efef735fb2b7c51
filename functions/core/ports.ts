/**
 * The small interfaces between the pure core and the outside world. Adapters in
 * `functions/adapters/` implement them against AWS (and so against the local emulators);
 * tests implement them in memory.
 */
import type { BehaviourEvent } from './behaviour.ts';
import type { SentMessage } from './contact-pressure.ts';
import type { Channel, Consent, CustomerProfile } from './customer.ts';
import type { HandOver } from './hand-over.ts';
import type { HandOverRecord } from './hand-over-desk.ts';
import type { Hold } from './hold.ts';
import type { AttributedMessage, ResultEvent, ResultRow, RunOutcome, RunResultContext } from './results.ts';
import type { SendReference } from './send-tag.ts';
import type { SubjectState } from './subject-state.ts';

export interface Clock {
  now(): Date;
}

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

/**
 * `running` until the execution ends; then what it ended as (`completed`, `failed`, `aborted`,
 * `timed-out`: see `functions/core/run-status.ts`), or `goal-reached` when an exit event stopped it.
 */
export type JourneyRunStatus = 'running' | 'completed' | 'goal-reached' | 'failed' | 'aborted' | 'timed-out';

export interface JourneyRun {
  runId: string;
  journeyId: string;
  customerId: string;
  subjectId?: string;
  executionArn: string;
  status: JourneyRunStatus;
  startedAt: string;
  /** When the execution ended (UTC ISO), once it has. */
  endedAt?: string;
  /** The step the run visited last, as its step recorded it (`RunProgressRecorder`). */
  currentStep?: string;
  /** When the run wakes next (UTC ISO), as its last step visit planned it. */
  nextWakeAt?: string;
  /** The run's experiment arm, once a step with an experiment assigned it: what its goal is attributed to. */
  experiment?: { id: string; arm: string };
  /** How the run ended for its goal (first outcome recorded wins), once it has. */
  outcome?: RunOutcome;
}

/** Where a run is: its last step visit writes the step and the next wake onto the run item. */
export interface RunProgressRecorder {
  /**
   * Updates the run's `currentStep` and `nextWakeAt` (and its experiment arm, when the run has one); a run
   * that is not there (erased) stays absent.
   */
  recordRunProgress(
    customerId: string,
    runId: string,
    progress: { currentStep: string; nextWakeAt: string; experiment?: { id: string; arm: string } },
  ): Promise<void>;
}

/** Holds a person put on a customer's messages (`hold.ts`): a pause of every run, a hold of one run. */
export interface HoldRepository {
  /** Every hold of the customer (a consistent read), also ended ones not yet removed. */
  listHolds(customerId: string): Promise<Hold[]>;
  /** Stores the hold: the customer's pause, or the hold of `hold.runId`, replacing the one there. */
  putHold(customerId: string, hold: Hold): Promise<void>;
  /** Removes the customer's pause (no `runId`) or the hold of the run; nothing there is fine. */
  removeHold(customerId: string, runId?: string): Promise<void>;
}

/** A run item as its start claimed it: `pendingInput` is the execution input until the start is confirmed. */
export interface ClaimedRun extends JourneyRun {
  pendingInput?: string;
}

export type RunClaimResult = { claimed: true } | { claimed: false; existing: ClaimedRun };

/** The business object a journey is about (an invoice) and whether its goal is reached. */
export type { SubjectState } from './subject-state.ts';

/** The result of one send, recorded under its idempotency key so a retry returns it instead of sending again. */
export interface SendRecord {
  key: string;
  /**
   * `failed`: the provider refused it for good (the reason says why); `in-progress`: claimed, outcome
   * not recorded; `maybe-sent`: the provider gave no answer once connected, so it may have accepted
   * it: a provider event naming it makes it `sent`, none by `reconcileBy` lets the step send again.
   */
  status: 'in-progress' | 'sent' | 'skipped' | 'failed' | 'maybe-sent';
  channel?: Channel;
  providerMessageId?: string;
  at: string;
  /** Why it was skipped or failed: personal-data free. */
  reason?: string;
  /** The supporting channel the journey should try when this one did not go out. */
  fallback?: Channel;
  /** The provider call this record is about: 1, then 2 after a maybe-sent first went unconfirmed, … (absent: 1). */
  attempt?: number;
  /** A `maybe-sent` send's bound (ISO): no provider event naming it by then → it was not accepted. */
  reconcileBy?: string;
  /** Set by provider feedback, read by journeys (outcome-driven fallback) with a direct GetItem. */
  deliveryStatus?: DeliveryStatus;
  engagement?: Engagement;
}

/** A journey Task's callback, kept with the message it waits on: its task token and the result to complete it with. */
export interface TaskCallbackHold {
  taskToken: string;
  /** The Task's result once the message is read (JSON text): the step's progress. No personal data. */
  output: string;
}

/** A send whose provider answer is missing, as a conditional write expects to find it. */
export interface UnansweredSend {
  status: 'in-progress' | 'maybe-sent';
  attempt: number;
  claimId?: string;
}

export type ClaimResult = { claimed: true; claimId?: string } | { claimed: false; existing: SendRecord };

export interface CustomerRepository {
  getCustomer(customerId: string): Promise<CustomerProfile | undefined>;
  putCustomer(customer: CustomerProfile, at: Date): Promise<void>;
  /**
   * Read-modify-write of one profile that loses no write made in between (an SMS STOP, a complaint,
   * another API call): `change` gets the stored profile (undefined when there is none) and returns
   * the one to store, or undefined to store nothing; it runs again on the fresh profile when another
   * write came first. Returns what is stored afterwards and whether this call created it.
   */
  updateCustomer(
    customerId: string,
    change: (stored: CustomerProfile | undefined) => CustomerProfile | undefined,
    at: Date,
  ): Promise<{ profile: CustomerProfile | undefined; created: boolean }>;
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

/** What was sent to a customer lately: contact pressure caps messages per channel across journeys. */
export interface ContactHistoryRepository {
  /** Messages sent to the customer at or after `since` (timeline entries of kind `message`, outcome `sent`), oldest first. */
  listSentMessages(customerId: string, since: Date): Promise<SentMessage[]>;
}

export interface RunRepository {
  putRun(run: JourneyRun): Promise<void>;
  getRun(runId: string): Promise<JourneyRun | undefined>;
  setRunStatus(customerId: string, runId: string, status: JourneyRunStatus): Promise<void>;
}

/**
 * The start of a run, decided by one conditional write: the run item is the claim on its id, so of
 * identical starts at the same moment exactly one wins. The item keeps the execution input until
 * the start is confirmed, so a request after a crash in between can finish the same start.
 */
export interface RunStartRepository {
  /** Writes the run with its execution input if no run with this id exists for the customer; else returns that one. */
  claimRun(run: JourneyRun, executionInput: string): Promise<RunClaimResult>;
  /** The execution exists and the run is in the conversation: the claim drops its input. */
  confirmRunStarted(customerId: string, runId: string): Promise<void>;
  /** Deletes a claim whose start has not been confirmed (its id belongs to another start). */
  releaseRunClaim(customerId: string, runId: string): Promise<void>;
}

/** How an execution ended, as its status-change event says: applied to the run at most once, latest end wins. */
export interface RunEnd {
  status: Exclude<JourneyRunStatus, 'running' | 'goal-reached'>;
  /** When the execution stopped (UTC ISO). */
  endedAt: string;
}

export interface RunStatusRepository {
  /**
   * Records how the run's execution ended, unless the run already holds this end or a later one, its
   * goal was reached (an exit event stopped it) or there is no such run (never claimed, or erased).
   */
  recordRunEnded(customerId: string, runId: string, end: RunEnd): Promise<'recorded' | 'unchanged'>;
}

export interface IdempotencyRepository {
  /** Conditional write: only the first caller for `key` gets `claimed: true`. */
  claimSend(customerId: string, key: string, at: Date): Promise<ClaimResult>;
  completeSend(customerId: string, record: SendRecord): Promise<void>;
  /**
   * Deletes a claim that is still `in-progress` (and, given its `claimId`, still this attempt's), so
   * a retry can send: only for failures where the provider certainly did not accept the message.
   */
  releaseSend(customerId: string, key: string, claimId?: string): Promise<void>;
  /**
   * Replaces a send whose provider answer is missing with `record` (`maybe-sent` with its bound, or
   * `failed` once no event confirmed it), only while it is still as `expected` (status, attempt and,
   * given, the claim); false when something came first: a provider event linked it meanwhile.
   */
  settleUnanswered(customerId: string, record: SendRecord, expected: UnansweredSend): Promise<boolean>;
  /**
   * Claims a `maybe-sent` send again for its next attempt (`attempt` + 1, `in-progress`), only while it
   * is still that attempt's `maybe-sent`: the first caller wins, a linked or retaken one is returned.
   */
  retakeSend(customerId: string, key: string, attempt: number, at: Date): Promise<ClaimResult>;
}

/** Reading a step's send record, e.g. whether its email was opened (run-journey-step's follow-up). */
export interface SendRecordReader {
  /** Returns the send recorded under `key` (`<runId>#<stepId>`), if any. */
  getSend(customerId: string, key: string): Promise<SendRecord | undefined>;
}

/** The callbacks of journey Tasks that wait for a message's feedback, kept on its send record. */
export interface TaskCallbackRepository {
  /**
   * Keeps the callback on the send record `key` and returns the record's feedback as it is then, so
   * feedback that arrived first shows (its handler found no callback to complete). Undefined: no such record.
   */
  holdTaskCallback(
    customerId: string,
    key: string,
    hold: TaskCallbackHold,
  ): Promise<Pick<SendRecord, 'deliveryStatus' | 'engagement'> | undefined>;
  /** Returns the callback kept on the send record `key`, if any (a consistent read). */
  getTaskCallback(customerId: string, key: string): Promise<TaskCallbackHold | undefined>;
  /** Clears the callback once used, only while it is still this token's. */
  releaseTaskCallback(customerId: string, key: string, taskToken: string): Promise<void>;
}

/** Completing a journey Task that waits for a callback (`.waitForTaskToken`): Step Functions on AWS. */
export interface JourneyTaskCallbacks {
  /**
   * Completes the waiting Task with `output` as its result. Returns false when the Task no longer
   * waits (its run stopped, it timed out, it was completed already) or the token is not valid.
   */
  succeed(taskToken: string, output: unknown): Promise<boolean>;
  /** Fails the waiting Task with this error name and a personal-data-free cause; returns as `succeed`. */
  fail(taskToken: string, failure: { error: string; cause: string }): Promise<boolean>;
}

/** A send record found by the provider's message id, with the customer it belongs to. */
export interface LocatedSend {
  customerId: string;
  record: SendRecord;
}

/** Provider feedback (delivery events, opens, clicks) on the send records journeys read. */
export interface DeliveryRepository {
  /** Returns the send with this provider message id, if Klantreis recorded one. */
  findSendByProviderMessageId(providerMessageId: string): Promise<LocatedSend | undefined>;
  /** Returns the send recorded under `key` (a consistent read), if any. */
  getSend(customerId: string, key: string): Promise<SendRecord | undefined>;
  /**
   * Links a provider event to the send attempt it names (`sent`, with the provider's message id),
   * while that attempt is still `in-progress` or `maybe-sent`; returns the record as it is then
   * (undefined: no such record).
   */
  linkSend(
    customerId: string,
    key: string,
    link: { attempt: number; providerMessageId: string },
  ): Promise<SendRecord | undefined>;
  /**
   * Records a delivery status and/or engagement on the send record. An older event never
   * overwrites a newer status, and `opened` never overwrites `clicked`.
   */
  recordDeliveryOutcome(
    customerId: string,
    key: string,
    outcome: { deliveryStatus?: DeliveryStatus; engagement?: Engagement; at: string },
  ): Promise<void>;
}

/** Finding customers by an address they gave, for replies that arrive without any other reference. */
export interface CustomerLookup {
  /** Returns the ids of the customers with this phone number (a number may be shared). */
  customerIdsByPhone(phone: string): Promise<string[]>;
}

/** Finding customers by their email address, for a person at the console. */
export interface EmailLookup {
  /** Returns the ids of the customers with this email address (eventually consistent: an index). */
  customerIdsByEmail(email: string): Promise<string[]>;
}

export interface ConsentRepository {
  /**
   * Appends consent records to the customer's profile (oldest dropped beyond the profile's limit);
   * returns false when the customer does not exist.
   */
  recordConsents(customerId: string, consents: Consent[], at: Date): Promise<boolean>;
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

/** Per-second sending budget of a channel, shared by every send of the account. */
export interface RateLimiter {
  /** Takes one send from the current second's budget; returns false when that second is used up. */
  tryAcquire(channel: Channel, at: Date): Promise<boolean>;
}

/**
 * The erasure record of a customer: written before anything of theirs is deleted, so every writer
 * that could bring their data back (a journey step in flight) sees it and stops; kept (keyed by a
 * keyed hash of the id, no personal data) until well after the erasure's second pass.
 */
export interface ErasureRecord {
  erasedAt: string;
  /** When the second pass (which removes anything written after the erasure) is scheduled. */
  secondPassAt: string;
  /** What the second pass did, once it ran. */
  secondPass?: { ranAt: string; removedItems: number; stoppedRuns: number };
}

/** Whether a customer was erased: the send pipeline asks at the claim and again just before the provider. */
export interface ErasureCheck {
  isErased(customerId: string): Promise<boolean>;
}

export interface ErasureRepository extends ErasureCheck {
  markErased(customerId: string, erasure: { erasedAt: Date; secondPassAt: Date }): Promise<void>;
  getErasure(customerId: string): Promise<ErasureRecord | undefined>;
  /** Records the second pass on the erasure record; false when there is none (expired). */
  recordSecondPass(
    customerId: string,
    pass: { ranAt: Date; removedItems: number; stoppedRuns: number },
  ): Promise<boolean>;
}

/** Runs the erasure's second pass by itself at `at`: EventBridge Scheduler on AWS, the simulated clock locally. */
export interface ErasurePassScheduler {
  scheduleSecondPass(customerId: string, at: Date): Promise<void>;
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
  /** Holds a person put on the customer's messages (a pause, a promise to pay). */
  holds: Hold[];
  /** Hand-overs to a person, with who took and closed them. */
  handOvers: HandOverRecord[];
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
  /** The send attempt it is: the sender tags the email with it, so its events name it (`send-tag.ts`). */
  send?: SendReference;
  /** Extra message headers, e.g. `List-Unsubscribe` and `List-Unsubscribe-Post` (RFC 8058). */
  headers?: Record<string, string>;
}

export interface OutboundSms {
  to: string;
  text: string;
  /** `Transactional` for service messages, `Promotional` for marketing. */
  smsType: 'Transactional' | 'Promotional';
  /**
   * The send attempt it is. SNS `Publish` cannot carry it into delivery events; End User Messaging
   * SMS `SendTextMessage` carries it as the message's context (see `SmsSender.linksEvents`).
   */
  send?: SendReference;
}

export interface EmailSender {
  sendEmail(message: OutboundEmail): Promise<{ providerMessageId: string }>;
}

export interface SmsSender {
  /**
   * True when the provider's delivery events name the send (`OutboundSms.send`), even one whose
   * answer was lost: such a maybe-sent SMS is reconciled by its events and sent again once, as an
   * email is. False (SNS `Publish`): it goes to the supporting channel after its bound.
   */
  readonly linksEvents: boolean;
  /** Names the provider in the reasons a refusal is recorded with (e.g. `SNS`). */
  readonly providerName: string;
  sendSms(message: OutboundSms): Promise<{ providerMessageId: string }>;
}

export interface JourneyStarter {
  /**
   * Starts an execution named `runId`; the same name and input while it runs answers that execution
   * again (not `alreadyStarted`), a closed one or another input reports `alreadyStarted`.
   */
  startJourney(input: {
    stateMachineArn: string;
    runId: string;
    input: unknown;
  }): Promise<{ executionArn: string; alreadyStarted: boolean }>;
}

export interface ExecutionInputReader {
  /** Returns the input (JSON) an existing execution was started with, or undefined when there is none. */
  inputOf(executionArn: string): Promise<string | undefined>;
}

/** Step Functions' own view of a run: its status now (the run item follows it once the execution ends). */
export interface ExecutionView {
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';
  startDate?: string;
  stopDate?: string;
  /** The state the execution is in (the last state entered), while it runs. */
  currentState?: string;
  /** Error name only: a cause may carry data from the execution. */
  error?: string;
}

export interface JourneyExecutions {
  /** Returns the execution's status, or undefined when Step Functions does not know it. */
  describe(executionArn: string): Promise<ExecutionView | undefined>;
  /** Stops a running execution; an unknown or finished one is left as it is. */
  stop(executionArn: string, reason: string): Promise<void>;
}

/** An open invoice as the scheduled batch finds it: through the due-date index, no personal data. */
export interface DueSubjectRef {
  customerId: string;
  subjectId: string;
  dueDate: string;
}

export interface DueSubjectQuery {
  /**
   * Open invoices due on a day from `fromDate` to `toDate` (ISO dates, inclusive), oldest due first,
   * at most `limit` per call; pass the returned `next` to continue.
   */
  listDueSubjects(
    fromDate: string,
    toDate: string,
    page: { limit: number; next?: string },
  ): Promise<{ items: DueSubjectRef[]; next?: string }>;
}

export interface RunLookup {
  /** Every run recorded for the customer (any status), in run-id order. */
  listRuns(customerId: string): Promise<JourneyRun[]>;
}

/** Where hand-overs to a person go: EventBridge on AWS, an outbox locally. */
export interface HandOverPublisher {
  publish(handOver: HandOver): Promise<void>;
}

/** Adds each result event to its aggregate (`functions/core/results.ts`). */
export interface ResultsRecorder {
  /** Adds the event to its aggregate once: a second call with the same eventId changes nothing. */
  record(event: ResultEvent): Promise<void>;
}

export interface ResultsReader {
  /** Every aggregate row of the journey whose day is in [fromDay, toDay], shards summed. Never scans. */
  readResults(journeyId: string, fromDay: string, toDay: string): Promise<ResultRow[]>;
}

/** The pseudonymous key result events carry instead of the customer id (an HMAC under the stage's pseudonym key). */
export interface CustomerKeys {
  customerKeyOf(customerId: string): Promise<string>;
}

/** What a run's later events are attributed with, kept on its run item (`functions/core/results.ts`). */
export interface RunResultsRepository {
  /** The run's start, journey and result context; undefined when there is no such run (never claimed, erased). */
  getRunResults(
    customerId: string,
    runId: string,
  ): Promise<
    { journeyId: string; startedAt: string; context: RunResultContext; outcome?: RunOutcome } | undefined
  >;
  /**
   * Keeps the segment and arm of the run's decisions and its latest message (a later message
   * replaces an earlier one, never the reverse). Nothing when the run does not exist.
   */
  noteRunResults(
    customerId: string,
    runId: string,
    note: { segment?: string; experimentId?: string; arm?: string; message?: AttributedMessage },
  ): Promise<void>;
  /** Records the run's outcome unless it has one; returns the outcome it holds afterwards (undefined: no run). */
  recordRunOutcome(customerId: string, runId: string, outcome: RunOutcome): Promise<RunOutcome | undefined>;
}

/** A counted result event (its marker), while kept: provider feedback finds its message's dims there. */
export interface ResultEventLookup {
  getResultEvent(eventId: string): Promise<ResultEvent | undefined>;
}
