/**
 * The analysis record of one counted result event: the flat row the results pipeline keeps per
 * event, one JSON line each, in the stage's S3 bucket (`events/day=YYYY-MM-DD/`, read by its Glue
 * table and Athena) and locally under `.local/results-events/day=YYYY-MM-DD/`. Flat, with
 * snake_case names, so every field is a column Athena SQL can name as it is. It carries what the
 * event carries and nothing else: the customer only as the pseudonymous `customer_key`.
 */
import type { FlatResultEvent } from './results.ts';

export interface ResultEventRecord {
  event_id: string;
  /** ISO UTC time of the fact. */
  at: string;
  /** The partition: the event's UTC day, as its aggregate counts it. */
  day: string;
  kind: FlatResultEvent['kind'];
  journey_id: string;
  step_id: string;
  segment: string;
  channel: FlatResultEvent['channel'];
  variant: string;
  locale: string;
  experiment_id: string;
  arm: string;
  run_id: string;
  customer_key: string;
  reason: string | null;
  /** Micro-USD; 0 when the event priced nothing. */
  delivery_cost_micro_usd: number;
  orchestration_cost_micro_usd: number;
  goal_days: number | null;
  goal_event: string | null;
}

/** The record's partition key: a path segment (`day=…`), not a column of the files. */
export const RESULT_EVENT_PARTITION_KEY = 'day';

/**
 * Every column of the record but the partition, with its Glue (Hive) type. Keyed by the record's own
 * fields, so the table the stack declares cannot miss or misspell one.
 */
export const RESULT_EVENT_COLUMNS = {
  event_id: 'string',
  at: 'string',
  kind: 'string',
  journey_id: 'string',
  step_id: 'string',
  segment: 'string',
  channel: 'string',
  variant: 'string',
  locale: 'string',
  experiment_id: 'string',
  arm: 'string',
  run_id: 'string',
  customer_key: 'string',
  reason: 'string',
  delivery_cost_micro_usd: 'bigint',
  orchestration_cost_micro_usd: 'bigint',
  goal_days: 'int',
  goal_event: 'string',
} as const satisfies Record<Exclude<keyof ResultEventRecord, typeof RESULT_EVENT_PARTITION_KEY>, string>;

const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** Returns whether a day is a YYYY-MM-DD calendar day: the only text that may become a partition path. */
export function isResultDay(day: string): boolean {
  return DAY.test(day) && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day);
}

/**
 * Returns the analysis record of a counted event as its marker item holds it (`flatResultEvent`);
 * throws when its day cannot name a partition.
 */
export function resultEventRecordOf(event: FlatResultEvent): ResultEventRecord {
  if (!isResultDay(event.day)) throw new RangeError(`event ${event.eventId}: day is not YYYY-MM-DD`);
  return {
    event_id: event.eventId,
    at: event.at,
    day: event.day,
    kind: event.kind,
    journey_id: event.journeyId,
    step_id: event.stepId,
    segment: event.segment,
    channel: event.channel,
    variant: event.variant,
    locale: event.locale,
    experiment_id: event.experimentId,
    arm: event.arm,
    run_id: event.runId,
    customer_key: event.customerKey,
    reason: event.reason ?? null,
    delivery_cost_micro_usd: event.costDeliveryMicroUsd ?? 0,
    orchestration_cost_micro_usd: event.costOrchestrationMicroUsd ?? 0,
    goal_days: event.goalDays ?? null,
    goal_event: event.goalEvent ?? null,
  };
}

/** Returns the record as one line of a JSON-lines file (without the newline). */
export function resultEventLineOf(record: ResultEventRecord): string {
  return JSON.stringify(record);
}

/** Where a delivery stream puts what it is handed. */
export interface ResultEventStream {
  /**
   * Puts the records in as few calls as the stream allows; resolves, per record in order, whether
   * the stream took it. Throws when the stream could not be reached at all.
   */
  putRecords(records: readonly ResultEventRecord[]): Promise<readonly boolean[]>;
}
