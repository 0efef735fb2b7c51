/**
 * The hand-over desk: each hand-over to a person is also kept as a record a person works through —
 * open, taken by someone, closed with an outcome — so the console's inbox lists the open ones by
 * reason and age. The record is written by the same call that publishes the hand-over, under its
 * stable `handOverId`, so a retried step or feedback event stores it once.
 */
import * as z from 'zod/mini';
import type { HandOver, HandOverPublisher, HandOverReason } from './hand-over.ts';

export const HandOverStatusValues = ['open', 'taken', 'closed'] as const;
export type HandOverStatus = (typeof HandOverStatusValues)[number];

export const HandOverReasonValues = [
  'unreachable',
  'no-reaction',
  'complaint',
  'reply',
  'failed',
  'dispute',
] as const satisfies readonly HandOverReason[];

/** How a person closed a hand-over: a fixed list, so the record and its reports carry no free text. */
export const HandOverOutcomeValues = [
  'resolved',
  'promise-to-pay',
  'payment-plan',
  'dispute-upheld',
  'dispute-rejected',
  'no-contact',
  'referred',
] as const;
export type HandOverOutcome = (typeof HandOverOutcomeValues)[number];

export interface HandOverRecord {
  handOverId: string;
  customerId: string;
  reason: HandOverReason;
  /** When it was handed over (UTC ISO): the inbox's age. */
  at: string;
  journeyId?: string;
  runId?: string;
  subjectId?: string;
  status: HandOverStatus;
  takenBy?: string;
  takenAt?: string;
  closedBy?: string;
  closedAt?: string;
  outcome?: HandOverOutcome;
}

export const HandOverRecordSchema = z.object({
  handOverId: z.string(),
  customerId: z.string(),
  reason: z.enum(HandOverReasonValues),
  at: z.string(),
  journeyId: z.optional(z.string()),
  runId: z.optional(z.string()),
  subjectId: z.optional(z.string()),
  status: z.enum(HandOverStatusValues),
  takenBy: z.optional(z.string()),
  takenAt: z.optional(z.string()),
  closedBy: z.optional(z.string()),
  closedAt: z.optional(z.string()),
  outcome: z.optional(z.enum(HandOverOutcomeValues)),
});

/** Returns the open record of a hand-over as it is handed over. */
export function openRecordOf(handOver: HandOver): HandOverRecord {
  return {
    handOverId: handOver.handOverId,
    customerId: handOver.customerId,
    reason: handOver.reason,
    at: handOver.at,
    ...(handOver.journeyId ? { journeyId: handOver.journeyId } : {}),
    ...(handOver.runId ? { runId: handOver.runId } : {}),
    ...(handOver.subjectId ? { subjectId: handOver.subjectId } : {}),
    status: 'open',
  };
}

/** A change of the record, or why it cannot be made (a conflict the person should see as is). */
export type DeskChange =
  | { ok: true; record: HandOverRecord; changed: boolean }
  | { ok: false; problem: string };

/** Takes the hand-over for `actor`: again by the same person changes nothing; by another is refused. */
export function take(record: HandOverRecord, actor: string, at: Date): DeskChange {
  if (record.status === 'closed') return { ok: false, problem: 'this hand-over is closed already' };
  if (record.status === 'taken') {
    return record.takenBy === actor
      ? { ok: true, record, changed: false }
      : { ok: false, problem: `this hand-over is taken by ${record.takenBy ?? 'someone else'} already` };
  }
  return {
    ok: true,
    record: { ...record, status: 'taken', takenBy: actor, takenAt: at.toISOString() },
    changed: true,
  };
}

/** Closes the hand-over with its outcome; one nobody took is taken by whoever closes it. */
export function close(record: HandOverRecord, actor: string, at: Date, outcome: HandOverOutcome): DeskChange {
  if (record.status === 'closed') return { ok: false, problem: 'this hand-over is closed already' };
  const iso = at.toISOString();
  return {
    ok: true,
    record: {
      ...record,
      status: 'closed',
      takenBy: record.takenBy ?? actor,
      takenAt: record.takenAt ?? iso,
      closedBy: actor,
      closedAt: iso,
      outcome,
    },
    changed: true,
  };
}

/** Keeping hand-over records: the inbox of the console. */
export interface HandOverStore {
  /** Stores the open record once: a repeated `handOverId` leaves the stored one (maybe taken) as it is. */
  openHandOver(record: HandOverRecord): Promise<void>;
  getHandOver(handOverId: string): Promise<HandOverRecord | undefined>;
  /** Replaces the record while its status is still `expected`; false when another change came first. */
  saveHandOver(record: HandOverRecord, expected: HandOverStatus): Promise<boolean>;
  /**
   * Hand-overs of one status (and reason, when given), oldest first, at most `limit`; pass `next` to
   * continue. Reads the status's index partition, never the table.
   */
  listHandOvers(query: {
    status: HandOverStatus;
    reason?: HandOverReason;
    limit: number;
    next?: string;
  }): Promise<{ items: HandOverRecord[]; next?: string }>;
}

/**
 * Returns a publisher that stores the hand-over's open record before it publishes it: a failed publish
 * is retried with the same id and finds the record there, and nobody's inbox misses a published one.
 */
export function storedAndPublished(
  store: Pick<HandOverStore, 'openHandOver'>,
  publisher: HandOverPublisher,
): HandOverPublisher {
  return {
    async publish(handOver) {
      await store.openHandOver(openRecordOf(handOver));
      await publisher.publish(handOver);
    },
  };
}
