/**
 * The single-table DynamoDB repository behind every storage port. Keys come from
 * `table-keys.ts`; every item carries an `entity` attribute so a partition read (GDPR export)
 * can tell the kinds apart, and every item read back is parsed, not cast.
 *
 * Message bodies: a timeline entry with a body is written as two items, the metadata
 * (`TIMELINE#<at>#<id>`, kept) and the body (`TIMELINE#<at>#<id>#BODY`, with `expiresAt`).
 * DynamoDB TTL deletes whole items, so only a separate item can expire the body while the
 * metadata stays. The body item sorts right after its entry, so the one timeline Query reads
 * both. TTL deletion lags (up to days on AWS; never on dynalite), so reads also drop bodies whose
 * `expiresAt` has passed.
 *
 * No TransactWriteItems: dynalite lacks it, and no write here needs more than one item to
 * change atomically (a body without its metadata is never read).
 */
import { randomUUID } from 'node:crypto';
import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { tableDesign } from '#catalog/table-design.ts';
import { type BehaviourEvent, BehaviourEventSchema } from '#core/behaviour.ts';
import type { SentMessage } from '#core/contact-pressure.ts';
import {
  type Channel,
  ChannelSchema,
  type Consent,
  type CustomerProfile,
  CustomerProfileSchema,
} from '#core/customer.ts';
import { type HandOverRecord, HandOverRecordSchema, type HandOverStore } from '#core/hand-over-desk.ts';
import { type Hold, HoldSchema } from '#core/hold.ts';
import type {
  ClaimResult,
  Clock,
  ConsentRepository,
  ContactHistoryRepository,
  ConversationPage,
  ConversationReader,
  CustomerDataExport,
  CustomerLookup,
  CustomerRepository,
  DeliveryRepository,
  DeliveryStatus,
  DueSubjectQuery,
  DueSubjectRef,
  Engagement,
  ErasureRecord,
  ErasureRepository,
  HoldRepository,
  IdempotencyRepository,
  JourneyRun,
  JourneyRunStatus,
  LocatedSend,
  PersonalDataRepository,
  RunClaimResult,
  RunEnd,
  RunLookup,
  RunProgressRecorder,
  RunRepository,
  RunStartRepository,
  RunStatusRepository,
  SendRecord,
  SendRecordReader,
  SubjectState,
  SuppressionRepository,
  TimelineEntry,
  TimelineRepository,
  UnansweredSend,
} from '#core/ports.ts';
import { RunOutcomeSchema } from '#core/run-outcome-schema.ts';
import { SubjectStateSchema } from '#core/subject-state.ts';
import { HAND_OVER_ENTITY, handOverInboxItem, handOverItem } from './hand-over-items.ts';
import { noPseudonymKey, type PseudonymKeySource } from './pseudonym-key-source.ts';
import { systemClock } from './system-clock.ts';
import {
  definedOnly,
  isConditionalCheckFailed,
  itemByGsi1,
  parseItem,
  type StoredItem,
} from './table-items.ts';
import {
  BODY_SUFFIX,
  customerPartitionKey,
  dueInvoiceIndexKey,
  dueInvoiceRanges,
  emailIndexItemKey,
  emailIndexKey,
  erasureKey,
  eventKey,
  eventRange,
  handOverKey,
  isoKeyTime,
  legacySuppressionKey,
  legacySuppressionOf,
  phoneIndexKey,
  profileKey,
  runIndexKey,
  runKey,
  SK_PREFIX,
  SUPPRESSION_PREFIX,
  sendIndexKey,
  sendKey,
  subjectKey,
  suppressionKey,
  suppressionKeyOfHash,
  timelineBodyKey,
  timelineKey,
  timelineRange,
} from './table-keys.ts';

export interface DynamoRepositoryOptions {
  /** Days a message body is kept after it was sent (stage config); 0 stores no bodies. Default 30. */
  bodyRetentionDays?: number;
  /**
   * Days an idempotency record is kept. Default 400: longer than a Standard Step Functions
   * execution can live (one year) plus its redrive window, so no retry can outlive its record.
   */
  idempotencyRetentionDays?: number;
  /** Decides which bodies count as expired on read; the local runtime passes its simulated clock. */
  clock?: Clock;
  /**
   * The stage's pseudonym key (`pseudonym-key.ts`): keys suppression entries and erasure records.
   * Without it those operations fail; the rest of the repository works.
   */
  pseudonymKey?: PseudonymKeySource;
  /** Days an erasure record is kept (the send pipeline refuses the customer meanwhile). Default 7. */
  erasureRetentionDays?: number;
}

const DEFAULT_BODY_RETENTION_DAYS = 30;
const DEFAULT_IDEMPOTENCY_RETENTION_DAYS = 400;
/** Longer than the scheduler's retries of the second pass (24 hours) and a week to redrive its dead letters. */
const DEFAULT_ERASURE_RETENTION_DAYS = 7;
const DEFAULT_TIMELINE_LIMIT = 50;
const SECONDS_PER_DAY = 86_400;
/** Letters, digits and `._:-` only: all sort above `#`, so a body item always sorts right after its entry. */
const ENTRY_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const Entity = {
  profile: 'profile',
  event: 'event',
  timeline: 'timeline',
  timelineBody: 'timeline-body',
  subject: 'subject',
  run: 'run',
  send: 'send',
  suppression: 'suppression',
  erasure: 'erasure',
  emailIndex: 'email-index',
  hold: 'hold',
  handOver: HAND_OVER_ENTITY.record,
  handOverInbox: HAND_OVER_ENTITY.inbox,
  /** The operators' watch on a run (`dynamo-run-moves.ts`): its position and wake, for the gsi1 lists. */
  runWatch: 'run-watch',
} as const;

import { DeliveryStatusValues, EngagementValues, TimelineEntrySchema } from '#core/timeline.ts';

// Schemas of the items as stored: zod strips the key attributes on parse.
const ProfileItemSchema = z.object({ profile: CustomerProfileSchema });
const EventItemSchema = z.object({ eventId: z.string().check(z.minLength(1)), event: BehaviourEventSchema });
const DeliveryStatusSchema = z.enum(DeliveryStatusValues);
const EngagementSchema = z.enum(EngagementValues);
const TimelineItemSchema = z.extend(z.omit(TimelineEntrySchema, { id: true, body: true }), {
  entryId: z.string().check(z.minLength(1)),
});
const SentMessageItemSchema = z.object({
  at: z.string().check(z.minLength(1)),
  channel: ChannelSchema,
  journeyId: z.optional(z.string()),
  stepId: z.optional(z.string()),
});
const TimelineBodyItemSchema = z.object({
  subject: z.optional(z.string()),
  text: z.string(),
  expiresAt: z.number(),
});
const SubjectItemSchema = SubjectStateSchema;
const DueSubjectItemSchema = z.object({
  customerId: z.string().check(z.minLength(1)),
  subjectId: z.string().check(z.minLength(1)),
  invoice: z.object({ dueDate: z.string() }),
});
/** Where `listDueSubjects` resumes: the month range and DynamoDB's own start key in it. */
const DueCursorSchema = z.object({
  range: z.number().check(z.int(), z.gte(0)),
  key: z.optional(z.record(z.string(), z.unknown())),
});
const RunStatusSchema = z.enum(['running', 'completed', 'goal-reached', 'failed', 'aborted', 'timed-out']);
const RunItemSchema = z.object({
  runId: z.string().check(z.minLength(1)),
  journeyId: z.string().check(z.minLength(1)),
  customerId: z.string().check(z.minLength(1)),
  subjectId: z.optional(z.string()),
  executionArn: z.string(),
  status: RunStatusSchema,
  startedAt: z.string().check(z.minLength(1)),
  endedAt: z.optional(z.string()),
  currentStep: z.optional(z.string()),
  nextWakeAt: z.optional(z.string()),
  experiment: z.optional(z.object({ id: z.string(), arm: z.string() })),
  outcome: z.optional(RunOutcomeSchema),
});
/** The run item with its start's execution input, which only the start reads. */
const ClaimedRunItemSchema = z.extend(RunItemSchema, { pendingInput: z.optional(z.string()) });
const SendItemSchema = z.object({
  key: z.string().check(z.minLength(1)),
  status: z.enum(['in-progress', 'sent', 'skipped', 'failed', 'maybe-sent']),
  channel: z.optional(ChannelSchema),
  providerMessageId: z.optional(z.string()),
  at: z.string().check(z.minLength(1)),
  reason: z.optional(z.string()),
  fallback: z.optional(ChannelSchema),
  attempt: z.optional(z.number().check(z.int(), z.positive())),
  reconcileBy: z.optional(z.string()),
  deliveryStatus: z.optional(DeliveryStatusSchema),
  engagement: z.optional(EngagementSchema),
});
const ErasureItemSchema = z.object({
  erasedAt: z.string().check(z.minLength(1)),
  secondPassAt: z.string().check(z.minLength(1)),
  secondPass: z.optional(
    z.object({
      ranAt: z.string().check(z.minLength(1)),
      removedItems: z.number().check(z.int(), z.gte(0)),
      stoppedRuns: z.number().check(z.int(), z.gte(0)),
    }),
  ),
});
const SuppressionItemSchema = z.object({
  channel: ChannelSchema,
  reason: z.string(),
  at: z.string(),
});
/** Condition: the send record is about this attempt (a first attempt's record may not say). */
function attemptIs(attempt: number): string {
  return attempt === 1 ? '(attribute_not_exists(attempt) OR attempt = :attempt)' : 'attempt = :attempt';
}
/** A profile item keeps at most this many consent records (the profile schema's limit). */
const MAX_CONSENTS = 100;
const CONSENT_WRITE_ATTEMPTS = 3;
/** Guarded profile writes retry this often when other writes keep coming first. */
const PROFILE_WRITE_ATTEMPTS = 5;

/** Returns epoch seconds `days` after `from`, the unit DynamoDB TTL expects. */
function expiresAfter(from: Date | string, days: number): number {
  return Math.floor(new Date(isoKeyTime(from)).getTime() / 1000) + days * SECONDS_PER_DAY;
}

/**
 * Returns timeline entries from items in newest-first sort-key order, each with its body when the
 * body item exists and has not expired. A body item comes right before its entry in this order.
 */
function assembleTimeline(
  itemsNewestFirst: StoredItem[],
  nowSeconds: number,
  limit: number,
): TimelineEntry[] {
  const bodies = new Map<string, TimelineEntry['body']>();
  const entries: TimelineEntry[] = [];
  for (const item of itemsNewestFirst) {
    if (entries.length >= limit) break;
    const sk = String(item.sk);
    if (item.entity === Entity.timelineBody) {
      const body = parseItem(TimelineBodyItemSchema, item, 'timeline body');
      if (body.expiresAt > nowSeconds) {
        bodies.set(sk.slice(0, -BODY_SUFFIX.length), definedOnly({ subject: body.subject, text: body.text }));
      }
      continue;
    }
    const { entryId, ...entry } = parseItem(TimelineItemSchema, item, 'timeline');
    const body = bodies.get(sk);
    entries.push(definedOnly({ id: entryId, ...entry, body }));
  }
  return entries;
}

export class DynamoRepository
  implements
    CustomerRepository,
    TimelineRepository,
    ContactHistoryRepository,
    RunRepository,
    IdempotencyRepository,
    SuppressionRepository,
    PersonalDataRepository,
    DeliveryRepository,
    CustomerLookup,
    ConsentRepository,
    ConversationReader,
    DueSubjectQuery,
    RunLookup,
    RunStartRepository,
    RunStatusRepository,
    SendRecordReader,
    ErasureRepository,
    Pick<HoldRepository, 'listHolds'>,
    Pick<HandOverStore, 'openHandOver'>,
    RunProgressRecorder
{
  readonly #doc: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #bodyRetentionDays: number;
  readonly #idempotencyRetentionDays: number;
  readonly #clock: Clock;
  readonly #pseudonymKey: PseudonymKeySource;
  readonly #erasureRetentionDays: number;

  constructor(doc: DynamoDBDocumentClient, tableName: string, options: DynamoRepositoryOptions = {}) {
    this.#doc = doc;
    this.#tableName = tableName;
    this.#bodyRetentionDays = options.bodyRetentionDays ?? DEFAULT_BODY_RETENTION_DAYS;
    this.#idempotencyRetentionDays = options.idempotencyRetentionDays ?? DEFAULT_IDEMPOTENCY_RETENTION_DAYS;
    this.#clock = options.clock ?? systemClock;
    this.#pseudonymKey = options.pseudonymKey ?? noPseudonymKey;
    this.#erasureRetentionDays = options.erasureRetentionDays ?? DEFAULT_ERASURE_RETENTION_DAYS;
  }

  // --- CustomerRepository

  async getCustomer(customerId: string): Promise<CustomerProfile | undefined> {
    const item = await this.#get(profileKey(customerId));
    return item && parseItem(ProfileItemSchema, item, 'profile').profile;
  }

  async putCustomer(customer: CustomerProfile, at: Date): Promise<void> {
    await this.#put(this.#profileItem(customer, at));
    await this.#indexEmail(customer);
  }

  async updateCustomer(
    customerId: string,
    change: (stored: CustomerProfile | undefined) => CustomerProfile | undefined,
    at: Date,
  ): Promise<{ profile: CustomerProfile | undefined; created: boolean }> {
    // Guarded like `recordConsents`: the write only lands if the profile is still the one read.
    for (let attempt = 1; ; attempt += 1) {
      const item = await this.#get(profileKey(customerId));
      const stored = item && parseItem(ProfileItemSchema, item, 'profile').profile;
      const updated = change(stored);
      if (!updated) return { profile: stored, created: false };
      if (updated.id !== customerId) throw new Error('updateCustomer: the profile must keep its id');
      try {
        await this.#doc.send(
          new PutCommand({
            TableName: this.#tableName,
            Item: definedOnly(this.#profileItem(updated, at)),
            ...(item
              ? {
                  ConditionExpression: 'updatedAt = :seen',
                  ExpressionAttributeValues: { ':seen': item.updatedAt },
                }
              : { ConditionExpression: 'attribute_not_exists(pk)' }),
          }),
        );
        if (updated.email !== stored?.email) await this.#indexEmail(updated);
        return { profile: updated, created: !item };
      } catch (error) {
        if (!isConditionalCheckFailed(error) || attempt >= PROFILE_WRITE_ATTEMPTS) throw error;
      }
    }
  }

  async customerIdsByPhone(phone: string): Promise<string[]> {
    const index = phoneIndexKey(phone, '');
    const ids: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.#doc.send(
        new QueryCommand({
          TableName: this.#tableName,
          IndexName: tableDesign.gsi1.indexName,
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': index.gsi1pk },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        if (item.entity === Entity.profile)
          ids.push(parseItem(ProfileItemSchema, item, 'profile').profile.id);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return ids;
  }

  async recordConsents(customerId: string, consents: Consent[], at: Date): Promise<boolean> {
    // Read-modify-write guarded by `updatedAt`: a concurrent profile upsert makes us read again
    // rather than overwrite it.
    for (let attempt = 1; ; attempt += 1) {
      const item = await this.#get(profileKey(customerId));
      if (!item) return false;
      const { profile } = parseItem(ProfileItemSchema, item, 'profile');
      const existing = profile.consents ?? [];
      // A redelivered event records nothing new.
      const fresh = consents.filter(
        (c) =>
          !existing.some(
            (e) =>
              e.channel === c.channel &&
              e.purpose === c.purpose &&
              e.granted === c.granted &&
              e.at === c.at &&
              e.source === c.source,
          ),
      );
      if (fresh.length === 0) return true;
      const updated = { ...profile, consents: [...existing, ...fresh].slice(-MAX_CONSENTS) };
      try {
        await this.#doc.send(
          new PutCommand({
            TableName: this.#tableName,
            Item: definedOnly(this.#profileItem(updated, at)),
            ConditionExpression: 'updatedAt = :seen',
            ExpressionAttributeValues: { ':seen': item.updatedAt },
          }),
        );
        return true;
      } catch (error) {
        if (!isConditionalCheckFailed(error) || attempt >= CONSENT_WRITE_ATTEMPTS) throw error;
      }
    }
  }

  async listEvents(customerId: string, since: Date): Promise<BehaviourEvent[]> {
    const range = eventRange(since);
    const items = await this.#queryAll({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': customerPartitionKey(customerId),
        ':from': range.from,
        ':to': range.to,
      },
    });
    return items.map((item) => parseItem(EventItemSchema, item, 'event').event);
  }

  async recordEvent(customerId: string, event: BehaviourEvent, eventId: string): Promise<void> {
    await this.#put({
      ...eventKey(customerId, event.occurredAt, eventId),
      entity: Entity.event,
      eventId,
      event,
    });
  }

  async getSubject(customerId: string, subjectId: string): Promise<SubjectState | undefined> {
    const item = await this.#get(subjectKey(customerId, subjectId));
    return item && parseItem(SubjectItemSchema, item, 'subject');
  }

  async putSubject(subject: SubjectState): Promise<void> {
    // `status` stays a top-level string: the journey's goal check reads it straight from the ASL.
    const due = subject.status === 'open' ? subject.invoice?.dueDate : undefined;
    await this.#put({
      ...subjectKey(subject.customerId, subject.subjectId),
      ...(due ? dueInvoiceIndexKey(due, subject.customerId, subject.subjectId) : {}),
      entity: Entity.subject,
      ...subject,
    });
  }

  // --- DueSubjectQuery

  /** Reads through gsi1 (eventually consistent): callers re-read the subject before acting on it. */
  async listDueSubjects(
    fromDate: string,
    toDate: string,
    page: { limit: number; next?: string },
  ): Promise<{ items: DueSubjectRef[]; next?: string }> {
    const ranges = dueInvoiceRanges(fromDate, toDate);
    const cursor = page.next
      ? DueCursorSchema.parse(JSON.parse(Buffer.from(page.next, 'base64url').toString('utf8')))
      : { range: 0 };
    const items: DueSubjectRef[] = [];
    let rangeIndex = cursor.range;
    let startKey = cursor.key;
    while (rangeIndex < ranges.length && items.length < page.limit) {
      const range = ranges[rangeIndex] as (typeof ranges)[number];
      const result = await this.#doc.send(
        new QueryCommand({
          TableName: this.#tableName,
          IndexName: tableDesign.gsi1.indexName,
          KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': range.gsi1pk, ':from': range.from, ':to': range.to },
          ProjectionExpression: 'customerId, subjectId, invoice.dueDate',
          Limit: page.limit - items.length,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of result.Items ?? []) {
        const parsed = parseItem(DueSubjectItemSchema, item, 'due subject');
        items.push({
          customerId: parsed.customerId,
          subjectId: parsed.subjectId,
          dueDate: parsed.invoice.dueDate,
        });
      }
      startKey = result.LastEvaluatedKey;
      if (!startKey) rangeIndex += 1;
    }
    if (rangeIndex >= ranges.length) return { items };
    const next = Buffer.from(JSON.stringify({ range: rangeIndex, key: startKey }), 'utf8').toString(
      'base64url',
    );
    return { items, next };
  }

  // --- RunLookup

  async listRuns(customerId: string): Promise<JourneyRun[]> {
    const items = await this.#queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': customerPartitionKey(customerId), ':prefix': SK_PREFIX.run },
    });
    return items.map((item) => parseItem(RunItemSchema, item, 'run'));
  }

  // --- TimelineRepository

  async appendTimeline(entry: TimelineEntry): Promise<void> {
    const { id, body, ...metadata } = entry;
    const entryId = id ?? randomUUID();
    if (!ENTRY_ID.test(entryId)) throw new Error('timeline entry id: letters, digits and . _ : - only');
    // Body first: a crash in between leaves an unreferenced body that expires, never an entry whose body is lost.
    if (body && this.#bodyRetentionDays > 0) {
      await this.#put({
        ...timelineBodyKey(entry.customerId, entry.at, entryId),
        entity: Entity.timelineBody,
        ...body,
        expiresAt: expiresAfter(entry.at, this.#bodyRetentionDays),
      });
    }
    await this.#put({
      ...timelineKey(entry.customerId, entry.at, entryId),
      entity: Entity.timeline,
      entryId,
      ...metadata,
    });
  }

  async listTimeline(customerId: string, limit = DEFAULT_TIMELINE_LIMIT): Promise<TimelineEntry[]> {
    if (limit < 1) return [];
    const items: StoredItem[] = [];
    let entries = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      // At most one body per entry, so twice the missing count usually fills the page in one call.
      const page = await this.#doc.send(
        new QueryCommand({
          TableName: this.#tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: {
            ':pk': customerPartitionKey(customerId),
            ':prefix': SK_PREFIX.timeline,
          },
          ScanIndexForward: false,
          Limit: (limit - entries) * 2,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        items.push(item);
        if (item.entity === Entity.timeline) entries += 1;
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey && entries < limit);
    return assembleTimeline(items, this.#nowSeconds(), limit);
  }

  // --- ConversationReader

  async readConversation(
    customerId: string,
    page: { limit: number; after?: string },
  ): Promise<ConversationPage> {
    const pk = customerPartitionKey(customerId);
    if (page.after !== undefined && !page.after.startsWith(SK_PREFIX.timeline)) {
      throw new Error('conversation position must be a timeline key');
    }
    const items: StoredItem[] = [];
    let entries = 0;
    let lastEntrySk: string | undefined;
    let more = false;
    let startKey: Record<string, unknown> | undefined = page.after ? { pk, sk: page.after } : undefined;
    while (entries < page.limit) {
      const result = await this.#doc.send(
        new QueryCommand({
          TableName: this.#tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': SK_PREFIX.timeline },
          ScanIndexForward: false,
          // At most one body per entry; one extra item tells whether anything follows.
          Limit: (page.limit - entries) * 2 + 1,
          ExclusiveStartKey: startKey,
        }),
      );
      const found = result.Items ?? [];
      let index = 0;
      for (; index < found.length && entries < page.limit; index += 1) {
        const item = found[index] as StoredItem;
        items.push(item);
        if (item.entity === Entity.timeline) {
          entries += 1;
          lastEntrySk = String(item.sk);
        }
      }
      startKey = result.LastEvaluatedKey;
      if (index < found.length || (entries >= page.limit && startKey)) {
        more = true;
        break;
      }
      if (!startKey) break;
    }
    const assembled = assembleTimeline(items, this.#nowSeconds(), page.limit);
    return more && lastEntrySk ? { entries: assembled, next: lastEntrySk } : { entries: assembled };
  }

  // --- ContactHistoryRepository

  async listSentMessages(customerId: string, since: Date): Promise<SentMessage[]> {
    const range = timelineRange(since);
    // Body items sort inside the range too; they have no `kind`, so the filter drops them.
    const items = await this.#queryAll({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      FilterExpression: '#kind = :message AND #outcome = :sent AND attribute_exists(#channel)',
      ProjectionExpression: '#at, #channel, journeyId, stepId',
      ExpressionAttributeNames: {
        '#kind': 'kind',
        '#outcome': 'outcome',
        '#at': 'at',
        '#channel': 'channel',
      },
      ExpressionAttributeValues: {
        ':pk': customerPartitionKey(customerId),
        ':from': range.from,
        ':to': range.to,
        ':message': 'message',
        ':sent': 'sent',
      },
    });
    return items.map((item) => definedOnly(parseItem(SentMessageItemSchema, item, 'sent message')));
  }

  // --- RunRepository

  async putRun(run: JourneyRun): Promise<void> {
    await this.#put(this.#runItem(run));
  }

  /** Reads through gsi1, so a run written a moment ago may not be visible yet (GSIs are eventually consistent). */
  async getRun(runId: string): Promise<JourneyRun | undefined> {
    const item = await itemByGsi1(this.#doc, this.#tableName, runIndexKey(runId));
    return item && parseItem(RunItemSchema, item, 'run');
  }

  async setRunStatus(customerId: string, runId: string, status: JourneyRunStatus): Promise<void> {
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: runKey(customerId, runId),
          UpdateExpression: 'SET #status = :status',
          // Without it, a status for an unknown run would create a stub item.
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': RunStatusSchema.parse(status) },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new Error(`journey run ${runId} not found`);
      throw error;
    }
  }

  // --- RunStartRepository

  async claimRun(run: JourneyRun, executionInput: string): Promise<RunClaimResult> {
    try {
      await this.#doc.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: definedOnly({ ...this.#runItem(run), pendingInput: executionInput }),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { claimed: true };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    const existing = await this.#get(runKey(run.customerId, run.runId));
    // Only possible if the customer was erased between the failed put and this read.
    if (!existing) throw new Error('run claim lost: the run vanished after a failed claim, retry');
    return { claimed: false, existing: definedOnly(parseItem(ClaimedRunItemSchema, existing, 'run')) };
  }

  async confirmRunStarted(customerId: string, runId: string): Promise<void> {
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: runKey(customerId, runId),
          UpdateExpression: 'REMOVE pendingInput',
          // Never recreate a run erased meanwhile.
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  async releaseRunClaim(customerId: string, runId: string): Promise<void> {
    try {
      await this.#doc.send(
        new DeleteCommand({
          TableName: this.#tableName,
          Key: runKey(customerId, runId),
          ConditionExpression: 'attribute_exists(pendingInput)',
        }),
      );
    } catch (error) {
      // Confirmed meanwhile: a started run is never released.
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  // --- RunStatusRepository

  /** The rule of `endReplaces` (`#core/run-status.ts`) as one conditional update. */
  async recordRunEnded(customerId: string, runId: string, end: RunEnd): Promise<'recorded' | 'unchanged'> {
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: runKey(customerId, runId),
          UpdateExpression: 'SET #status = :status, endedAt = :endedAt',
          // attribute_exists: an end never creates a run (one erased meanwhile stays erased).
          ConditionExpression:
            'attribute_exists(pk) AND #status <> :goalReached AND (attribute_not_exists(endedAt) OR endedAt < :endedAt OR (endedAt = :endedAt AND #status < :status))',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': RunStatusSchema.parse(end.status),
            ':endedAt': isoKeyTime(end.endedAt),
            ':goalReached': 'goal-reached',
          },
        }),
      );
      return 'recorded';
    } catch (error) {
      if (isConditionalCheckFailed(error)) return 'unchanged';
      throw error;
    }
  }

  // --- IdempotencyRepository

  async claimSend(customerId: string, key: string, at: Date): Promise<ClaimResult> {
    const record: SendRecord = { key, status: 'in-progress', at: at.toISOString() };
    const claimId = randomUUID();
    try {
      await this.#doc.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: { ...this.#sendItem(customerId, record), claimId },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { claimed: true, claimId };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    const existing = await this.#get(sendKey(customerId, key));
    // Only possible if the record expired between the failed put and this read.
    if (!existing) throw new Error('send claim lost: record vanished after a failed claim, retry');
    return { claimed: false, existing: definedOnly(parseItem(SendItemSchema, existing, 'send')) };
  }

  async completeSend(customerId: string, record: SendRecord): Promise<void> {
    await this.#put({
      ...this.#sendItem(customerId, record),
      ...(record.providerMessageId ? sendIndexKey(record.providerMessageId) : {}),
    });
  }

  // --- SendRecordReader

  async getSend(customerId: string, key: string): Promise<SendRecord | undefined> {
    const item = await this.#get(sendKey(customerId, key));
    return item ? definedOnly(parseItem(SendItemSchema, item, 'send')) : undefined;
  }

  async releaseSend(customerId: string, key: string, claimId?: string): Promise<void> {
    try {
      await this.#doc.send(
        new DeleteCommand({
          TableName: this.#tableName,
          Key: sendKey(customerId, key),
          ConditionExpression: claimId ? '#status = :claimed AND claimId = :claimId' : '#status = :claimed',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':claimed': 'in-progress',
            ...(claimId ? { ':claimId': claimId } : {}),
          },
        }),
      );
    } catch (error) {
      // Already completed, or another attempt's claim: not ours to release.
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  async settleUnanswered(customerId: string, record: SendRecord, expected: UnansweredSend): Promise<boolean> {
    const { claimId } = expected;
    try {
      await this.#doc.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: { ...this.#sendItem(customerId, record), ...(claimId ? { claimId } : {}) },
          ConditionExpression: `#status = :expected AND ${attemptIs(expected.attempt)}${claimId ? ' AND claimId = :claimId' : ''}`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':expected': expected.status,
            ':attempt': expected.attempt,
            ...(claimId ? { ':claimId': claimId } : {}),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async retakeSend(customerId: string, key: string, attempt: number, at: Date): Promise<ClaimResult> {
    const claimId = randomUUID();
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: sendKey(customerId, key),
          UpdateExpression:
            'SET #status = :claimed, attempt = :next, claimId = :claimId, #at = :at REMOVE reconcileBy',
          ConditionExpression: `#status = :maybe AND ${attemptIs(attempt)}`,
          ExpressionAttributeNames: { '#status': 'status', '#at': 'at' },
          ExpressionAttributeValues: {
            ':claimed': 'in-progress',
            ':maybe': 'maybe-sent',
            ':attempt': attempt,
            ':next': attempt + 1,
            ':claimId': claimId,
            ':at': at.toISOString(),
          },
        }),
      );
      return { claimed: true, claimId };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    const existing = await this.getSend(customerId, key);
    if (!existing) throw new Error('send claim lost: record vanished while retaking it, retry');
    return { claimed: false, existing };
  }

  // --- DeliveryRepository

  async linkSend(
    customerId: string,
    key: string,
    link: { attempt: number; providerMessageId: string },
  ): Promise<SendRecord | undefined> {
    const index = sendIndexKey(link.providerMessageId);
    try {
      const result = await this.#doc.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: sendKey(customerId, key),
          UpdateExpression:
            'SET #status = :sent, providerMessageId = :id, gsi1pk = :gsi1pk, gsi1sk = :gsi1sk REMOVE reconcileBy',
          ConditionExpression: `attribute_exists(pk) AND #status IN (:claimed, :maybe) AND ${attemptIs(link.attempt)}`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':sent': 'sent',
            ':claimed': 'in-progress',
            ':maybe': 'maybe-sent',
            ':attempt': link.attempt,
            ':id': link.providerMessageId,
            ':gsi1pk': index.gsi1pk,
            ':gsi1sk': index.gsi1sk,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return result.Attributes
        ? definedOnly(parseItem(SendItemSchema, result.Attributes, 'send'))
        : undefined;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    return this.getSend(customerId, key);
  }

  /** Reads through gsi1 (eventually consistent): a send recorded a moment ago may not be found yet. */
  async findSendByProviderMessageId(providerMessageId: string): Promise<LocatedSend | undefined> {
    const item = await itemByGsi1(this.#doc, this.#tableName, sendIndexKey(providerMessageId));
    if (!item) return undefined;
    const customerId = String(item.pk).slice(customerPartitionKey('').length);
    return { customerId, record: definedOnly(parseItem(SendItemSchema, item, 'send')) };
  }

  async recordDeliveryOutcome(
    customerId: string,
    key: string,
    outcome: { deliveryStatus?: DeliveryStatus; engagement?: Engagement; at: string },
  ): Promise<void> {
    const at = isoKeyTime(outcome.at);
    const updates: Array<{ set: string; condition: string; values: Record<string, unknown> }> = [];
    if (outcome.deliveryStatus) {
      updates.push({
        set: 'deliveryStatus = :status, deliveryStatusAt = :at',
        // Events arrive out of order: an older one never overwrites a newer status.
        condition: 'attribute_not_exists(deliveryStatusAt) OR deliveryStatusAt <= :at',
        values: { ':status': DeliveryStatusSchema.parse(outcome.deliveryStatus), ':at': at },
      });
    }
    if (outcome.engagement) {
      const engagement = EngagementSchema.parse(outcome.engagement);
      updates.push({
        set: 'engagement = :engagement, engagedAt = :at',
        condition:
          engagement === 'clicked'
            ? 'attribute_not_exists(engagement) OR engagement = :opened'
            : 'attribute_not_exists(engagement)',
        values: {
          ':engagement': engagement,
          ':at': at,
          ...(engagement === 'clicked' ? { ':opened': 'opened' } : {}),
        },
      });
    }
    for (const update of updates) {
      try {
        await this.#doc.send(
          new UpdateCommand({
            TableName: this.#tableName,
            Key: sendKey(customerId, key),
            UpdateExpression: `SET ${update.set}`,
            ConditionExpression: `attribute_exists(pk) AND (${update.condition})`,
            ExpressionAttributeValues: update.values,
          }),
        );
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
      }
    }
  }

  // --- SuppressionRepository

  async isSuppressed(channel: Channel, address: string): Promise<boolean> {
    const key = await this.#pseudonymKey();
    // The legacy (plain SHA-256) key is read too, so an entry not yet migrated keeps suppressing.
    const found = await Promise.all([
      this.#get(suppressionKey(channel, address, key)),
      this.#get(legacySuppressionKey(channel, address)),
    ]);
    return found.some((item) => item !== undefined);
  }

  async suppress(channel: Channel, address: string, reason: string, at: Date): Promise<void> {
    // Only the key's keyed hash identifies the address; `reason` must be free of personal data.
    await this.#put({
      ...suppressionKey(channel, address, await this.#pseudonymKey()),
      entity: Entity.suppression,
      channel,
      reason,
      at: at.toISOString(),
    });
  }

  /**
   * Converts every suppression entry keyed by the plain SHA-256 of its address to the keyed hash
   * (HMAC of that SHA-256, so no address is needed), keeping its reason and time, and deletes the
   * plain one. A one-off Scan, run by an operator (`klantreis migrate-suppressions`); safe to repeat.
   */
  async migrateLegacySuppressions(): Promise<{ migrated: number; keyed: number }> {
    const key = await this.#pseudonymKey();
    let migrated = 0;
    let keyed = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.#doc.send(
        new ScanCommand({
          TableName: this.#tableName,
          FilterExpression: 'begins_with(pk, :prefix)',
          ExpressionAttributeValues: { ':prefix': SUPPRESSION_PREFIX },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const legacy = legacySuppressionOf(String(item.pk));
        if (!legacy) {
          keyed += 1;
          continue;
        }
        const entry = parseItem(SuppressionItemSchema, item, 'suppression');
        try {
          await this.#doc.send(
            new PutCommand({
              TableName: this.#tableName,
              Item: {
                ...suppressionKeyOfHash(legacy.channel, legacy.sha256Hex, key),
                entity: Entity.suppression,
                ...entry,
              },
              // A keyed entry written since (the same address suppressed again) is newer: it stays.
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          );
        } catch (error) {
          if (!isConditionalCheckFailed(error)) throw error;
        }
        await this.#doc.send(
          new DeleteCommand({ TableName: this.#tableName, Key: { pk: item.pk, sk: item.sk } }),
        );
        migrated += 1;
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return { migrated, keyed };
  }

  // --- ErasureRepository

  async markErased(customerId: string, erasure: { erasedAt: Date; secondPassAt: Date }): Promise<void> {
    await this.#put({
      ...erasureKey(customerId, await this.#pseudonymKey()),
      entity: Entity.erasure,
      erasedAt: erasure.erasedAt.toISOString(),
      secondPassAt: erasure.secondPassAt.toISOString(),
      expiresAt: expiresAfter(erasure.secondPassAt, this.#erasureRetentionDays),
    });
  }

  async isErased(customerId: string): Promise<boolean> {
    return (await this.getErasure(customerId)) !== undefined;
  }

  async getErasure(customerId: string): Promise<ErasureRecord | undefined> {
    const item = await this.#get(erasureKey(customerId, await this.#pseudonymKey()));
    // TTL deletion lags: an expired record no longer counts.
    if (!item || (typeof item.expiresAt === 'number' && item.expiresAt <= this.#nowSeconds()))
      return undefined;
    return definedOnly(parseItem(ErasureItemSchema, item, 'erasure'));
  }

  async recordSecondPass(
    customerId: string,
    pass: { ranAt: Date; removedItems: number; stoppedRuns: number },
  ): Promise<boolean> {
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: erasureKey(customerId, await this.#pseudonymKey()),
          UpdateExpression: 'SET secondPass = :pass',
          // Without it, a pass for an unknown erasure would create a stub record.
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: {
            ':pass': {
              ranAt: pass.ranAt.toISOString(),
              removedItems: pass.removedItems,
              stoppedRuns: pass.stoppedRuns,
            },
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  // --- PersonalDataRepository

  async exportCustomerData(customerId: string): Promise<CustomerDataExport> {
    const items = await this.#queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': customerPartitionKey(customerId) },
    });
    const result: CustomerDataExport = {
      customerId,
      events: [],
      timeline: [],
      subjects: [],
      runs: [],
      sends: [],
      holds: [],
      handOvers: [],
    };
    const timelineItems: StoredItem[] = [];
    for (const item of items) {
      switch (item.entity) {
        case Entity.profile:
          result.profile = parseItem(ProfileItemSchema, item, 'profile').profile;
          break;
        case Entity.event: {
          const { eventId, event } = parseItem(EventItemSchema, item, 'event');
          result.events.push({ ...event, eventId });
          break;
        }
        case Entity.timeline:
        case Entity.timelineBody:
          timelineItems.push(item);
          break;
        case Entity.subject:
          result.subjects.push(parseItem(SubjectItemSchema, item, 'subject'));
          break;
        case Entity.run:
          result.runs.push(parseItem(RunItemSchema, item, 'run'));
          break;
        case Entity.send:
          result.sends.push(definedOnly(parseItem(SendItemSchema, item, 'send')));
          break;
        case Entity.hold:
          result.holds.push(definedOnly(parseItem(HoldSchema, item, 'hold')));
          break;
        case Entity.handOver:
          result.handOvers.push(definedOnly(parseItem(HandOverRecordSchema, item, 'hand-over')));
          break;
        // Copies for the indexes: the profile and the hand-overs hold what they say.
        case Entity.emailIndex:
        case Entity.handOverInbox:
        case Entity.runWatch:
          break;
        default:
          throw new Error(`stored item of unknown entity under ${String(item.sk)}`);
      }
    }
    result.timeline = assembleTimeline(timelineItems.reverse(), this.#nowSeconds(), Number.POSITIVE_INFINITY);
    return result;
  }

  async eraseCustomerData(customerId: string): Promise<{ deletedItems: number }> {
    const items = await this.#queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': customerPartitionKey(customerId) },
      ProjectionExpression: 'pk, sk',
    });
    for (let start = 0; start < items.length; start += 25) {
      const deletes = items
        .slice(start, start + 25)
        .map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } }));
      await this.#batchWrite(deletes);
    }
    return { deletedItems: items.length };
  }

  // --- HoldRepository (reading; `DynamoDeskRepository` writes them)

  async listHolds(customerId: string): Promise<Hold[]> {
    const items = await this.#queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': customerPartitionKey(customerId), ':prefix': SK_PREFIX.hold },
    });
    return items.map((item) => definedOnly(parseItem(HoldSchema, item, 'hold')));
  }

  // --- HandOverStore (opening; `DynamoDeskRepository` reads, changes and lists them)

  async openHandOver(record: HandOverRecord): Promise<void> {
    let stored = record;
    try {
      await this.#doc.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: definedOnly(handOverItem(record)),
          // A retried hand-over leaves the record as a person may have changed it.
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      const existing = await this.#get(handOverKey(record.customerId, record.handOverId));
      if (existing) stored = definedOnly(parseItem(HandOverRecordSchema, existing, 'hand-over'));
    }
    try {
      await this.#doc.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: definedOnly(handOverInboxItem(stored)),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  // --- RunProgressRecorder

  async recordRunProgress(
    customerId: string,
    runId: string,
    progress: { currentStep: string; nextWakeAt: string; experiment?: { id: string; arm: string } },
  ): Promise<void> {
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: runKey(customerId, runId),
          UpdateExpression: `SET currentStep = :step, nextWakeAt = :wake${progress.experiment ? ', experiment = :experiment' : ''}`,
          // Never recreates a run erased meanwhile.
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: {
            ':step': progress.currentStep,
            ':wake': isoKeyTime(progress.nextWakeAt),
            ...(progress.experiment
              ? { ':experiment': { id: progress.experiment.id, arm: progress.experiment.arm } }
              : {}),
          },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  // --- helpers

  /** The email address's index item, or its removal from the index when the profile has none. */
  async #indexEmail(customer: CustomerProfile): Promise<void> {
    if (customer.email) {
      await this.#put({
        ...emailIndexItemKey(customer.id),
        ...emailIndexKey(customer.email, customer.id),
        entity: Entity.emailIndex,
        customerId: customer.id,
      });
      return;
    }
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: emailIndexItemKey(customer.id),
          UpdateExpression: 'REMOVE gsi1pk, gsi1sk',
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  #nowSeconds(): number {
    return Math.floor(this.#clock.now().getTime() / 1000);
  }

  #profileItem(customer: CustomerProfile, at: Date): StoredItem {
    return {
      ...profileKey(customer.id),
      ...(customer.phone ? phoneIndexKey(customer.phone, customer.id) : {}),
      entity: Entity.profile,
      profile: customer,
      updatedAt: at.toISOString(),
    };
  }

  #sendItem(customerId: string, record: SendRecord): StoredItem {
    return {
      ...sendKey(customerId, record.key),
      entity: Entity.send,
      ...record,
      expiresAt: expiresAfter(record.at, this.#idempotencyRetentionDays),
    };
  }

  #runItem(run: JourneyRun): StoredItem {
    return { ...runKey(run.customerId, run.runId), ...runIndexKey(run.runId), entity: Entity.run, ...run };
  }

  /** Strongly consistent: profile, subject, claim and suppression reads decide whether a message goes out. */
  async #get(key: { pk: string; sk: string }): Promise<StoredItem | undefined> {
    const result = await this.#doc.send(
      new GetCommand({ TableName: this.#tableName, Key: key, ConsistentRead: true }),
    );
    return result.Item;
  }

  async #put(item: StoredItem): Promise<void> {
    await this.#doc.send(new PutCommand({ TableName: this.#tableName, Item: definedOnly(item) }));
  }

  /** Returns every item matching the query, in sort-key order, following pagination. */
  async #queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<StoredItem[]> {
    const items: StoredItem[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.#doc.send(
        new QueryCommand({
          ...input,
          TableName: this.#tableName,
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  /** Writes one batch, retrying unprocessed requests with a short backoff. */
  async #batchWrite(requests: Array<{ DeleteRequest: { Key: Record<string, unknown> } }>): Promise<void> {
    let pending = requests;
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt > 0) {
        if (attempt > 8) throw new Error('batch write: requests still unprocessed after retries');
        await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
      const result = await this.#doc.send(
        new BatchWriteCommand({ RequestItems: { [this.#tableName]: pending } }),
      );
      pending = (result.UnprocessedItems?.[this.#tableName] ?? []) as typeof pending;
    }
  }
}
