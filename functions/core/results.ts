/**
 * The results model: what a journey achieved, counted per journey × step × segment × channel ×
 * variant × locale × experiment arm × day. Every code path that records the conversation also
 * records one `ResultEvent` per fact (planned, sent, delivered, goal reached, …) with an id that is
 * stable for the fact; the recorder adds it to its aggregate item exactly once.
 *
 * Storage (the stage table, `functions/adapters/dynamo/results.ts`):
 * - Aggregate items: partition `RESULTS#<journeyId>#<shard>`, sort key
 *   `<day>#<stepId>#<segment>#<channel>#<variant>#<locale>#<experimentId>#<arm>`. The dimensions are
 *   also plain attributes (set once with `if_not_exists`), and each counter is a number attribute
 *   kept current with an atomic ADD (`incrementsOf`). A report is one Query per shard on the sort key
 *   between two days (`aggregateDayRange`), the shards summed (`rowsFrom`): never a Scan.
 * - Marker items: partition `RESULTEVENT#<event key>`, sort key `RESULTEVENT`, written with a
 *   condition that none exists in the same transaction as the ADD, so a second record of the same
 *   event fails the condition and counts nothing. The attribute `event` holds the flat event
 *   (`FlatResultEvent`: the event with its dimensions at the top level), `expiresAt` its TTL. In the
 *   marker the event's `eventId` (the event key) and `runId` are keyed hashes (HMAC under the stage's
 *   pseudonym key) of the recorded ones, as `customerKey` is of the customer id: a run id may carry
 *   the customer's id, and an erasure must leave nothing that names them. The analysis pipeline reads
 *   these items (a stream filtered on `itemType = 'result-event'`), so the events it stores are
 *   exactly the counted ones, and it can still count per run and per customer.
 *
 * Pure: no I/O, no clock.
 */
import { type Channel, ChannelSchema } from './customer.ts';

/** Returns the channel a dimension names, or undefined for anything else. */
function channelOf(value: unknown): Channel | undefined {
  return (ChannelSchema.options as readonly unknown[]).includes(value) ? (value as Channel) : undefined;
}

/** The dimensions an aggregate is kept by. `'none'` where a dimension does not apply (a holdout has no channel). */
export interface ResultDims {
  journeyId: string;
  /** The message step (`'run'` for run-level outcomes with no message before them). */
  stepId: string;
  /** The policy segment at the step's decision. */
  segment: string;
  channel: Channel | 'none';
  /** The text variant: the tone (`friendly`, `firm`) or a named text variant; `'none'`. */
  variant: string;
  /** The locale the text was written in (`nl`, `en`, …); `'none'`. */
  locale: string;
  /** `'none'` when the step has no experiment. */
  experimentId: string;
  /** The arm id (`control`, `b`, `holdout`, …); `'none'`. */
  arm: string;
  /** UTC day of the event, YYYY-MM-DD. */
  day: string;
}

/** What one aggregate item counts (DynamoDB atomic ADD on numbers). */
export const RESULT_COUNTERS = [
  /** The step decided for this customer (assigned to this arm), whatever followed. */
  'planned',
  /** Total skipped; per reason in `skippedBy`. */
  'skipped',
  'sent',
  'delivered',
  'bounced',
  'opened',
  'clicked',
  'replied',
  'optedOut',
  'complained',
  /** Attributed to the last message before the goal (its step/channel/variant) and the run's arm. */
  'goalReached',
  'handedOver',
  'unreachable',
  'completedWithoutGoal',
] as const;

export type ResultCounter = (typeof RESULT_COUNTERS)[number];

export interface ResultRow extends ResultDims {
  counts: Record<ResultCounter, number>;
  /** Reason → count (reason codes, no personal data). */
  skippedBy: Record<string, number>;
  /**
   * Micro-USD (integers, so atomic ADD stays exact): delivery priced per unit as the policy's
   * channelCosts price it; orchestration from counted units (state transitions, Lambda
   * invocations/GB-s, DynamoDB writes).
   */
  costMicroUsd: { delivery: number; orchestration: number };
  /** Days from the run's start to its goal, as a histogram: '0'…'60', '61+' → count (median from it). */
  goalDays: Record<string, number>;
}

/**
 * One recorded fact. `eventId` is stable for the fact, so a redelivered provider event or a retried
 * step counts once (e.g. `sent:<sendKey>`, `delivered:<providerMessageId>`, `opened:<providerMessageId>`
 * — first open only, `goal:<runId>`, `planned:<runId>#<stepId>`). No personal data: the customer
 * appears only as `customerKey`, an HMAC of the customer id under the stage's pseudonym key, so
 * analysis can count customers and an erasure leaves nothing that names them.
 */
export interface ResultEvent {
  eventId: string;
  /** ISO UTC. */
  at: string;
  kind: ResultCounter;
  dims: ResultDims;
  runId: string;
  customerKey: string;
  /** skipped: why; unreachable/handed over: why. */
  reason?: string;
  costMicroUsd?: { delivery?: number; orchestration?: number };
  /** goalReached: whole days from the run's start. */
  goalDays?: number;
  /** goalReached: the event type that reached it (`invoice.paid`), or `goal-check`. */
  goalEvent?: string;
}

/** A result event as its marker item holds it: the dimensions at the top level, for the analysis tables. */
export type FlatResultEvent = Omit<ResultEvent, 'dims' | 'costMicroUsd'> &
  ResultDims & { costDeliveryMicroUsd?: number; costOrchestrationMicroUsd?: number };

/** How many partitions one journey's aggregates are spread over, so one hot group spreads its writes. */
export const RESULT_SHARDS = 4;

/** The last bucket of the time-to-goal histogram: every run that took longer than this many days. */
export const GOAL_DAYS_MAX = 60;

/** The sort key of a marker item (its partition names the event). */
export const RESULT_EVENT_MARKER_SK = 'RESULTEVENT';

/** `itemType` of the items, so a stream consumer or an export can tell them apart. */
export const RESULT_ITEM_TYPE = { aggregate: 'result-aggregate', marker: 'result-event' } as const;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Returns the UTC day (YYYY-MM-DD) of an ISO timestamp. */
export function resultDayOf(at: string): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) throw new Error('result event: invalid timestamp');
  return date.toISOString().slice(0, 10);
}

/**
 * Returns the shard of a customer's events: FNV-1a of the pseudonymous customer key, mod
 * `RESULT_SHARDS`. Stable (the same customer always lands on the same shard) and spread evenly.
 */
export function shardOf(customerKey: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < customerKey.length; i++) {
    hash ^= customerKey.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % RESULT_SHARDS;
}

/** Escapes the key separator inside a dimension, so no two dimension tuples share a sort key. */
function keyPart(value: string): string {
  return value.replaceAll('%', '%25').replaceAll('#', '%23');
}

// Access pattern: every aggregate of a journey on one shard (Query pk, sk BETWEEN two days).
export function aggregatePartitionKey(journeyId: string, shard: number): string {
  return `RESULTS#${keyPart(journeyId)}#${shard}`;
}

// Access pattern: add one event to its aggregate (UpdateItem ADD, inside the recording transaction).
export function aggregateKey(dims: ResultDims, shard: number): { pk: string; sk: string } {
  const parts = [
    dims.day,
    dims.stepId,
    dims.segment,
    dims.channel,
    dims.variant,
    dims.locale,
    dims.experimentId,
    dims.arm,
  ];
  return { pk: aggregatePartitionKey(dims.journeyId, shard), sk: parts.map(keyPart).join('#') };
}

// Access pattern: a report's window, both days inclusive (Query sk BETWEEN from AND to; `~` sorts after the rest).
export function aggregateDayRange(fromDay: string, toDay: string): { from: string; to: string } {
  if (!DAY.test(fromDay) || !DAY.test(toDay)) throw new Error('results window: days must be YYYY-MM-DD');
  return { from: `${fromDay}#`, to: `${toDay}#~` };
}

// Access pattern: record an event once (conditional PutItem attribute_not_exists(pk)); read by the analysis stream.
export function resultEventMarkerKey(eventId: string): { pk: string; sk: string } {
  return { pk: `RESULTEVENT#${eventId}`, sk: RESULT_EVENT_MARKER_SK };
}

/** Returns the histogram bucket of a time to goal: '0'…'60', then '61+'. */
export function goalDaysBucket(days: number): string {
  const whole = Math.max(0, Math.floor(days));
  return whole > GOAL_DAYS_MAX ? `${GOAL_DAYS_MAX + 1}+` : String(whole);
}

/** Returns whole days (floored) from a run's start to a moment, both ISO. */
export function wholeDaysBetween(startedAt: string, at: string): number {
  const ms = new Date(at).getTime() - new Date(startedAt).getTime();
  if (Number.isNaN(ms)) throw new Error('time to goal: invalid timestamp');
  return Math.max(0, Math.floor(ms / 86_400_000));
}

/** Attribute-name prefixes of the per-key counters on an aggregate item. */
const SKIPPED_BY = 'skippedBy#';
const GOAL_DAYS = 'goalDays#';
const COST_DELIVERY = 'costDeliveryMicroUsd';
const COST_ORCHESTRATION = 'costOrchestrationMicroUsd';

/** The dimension attributes of an aggregate item, written once with `if_not_exists`. */
export const DIMENSION_ATTRIBUTES = [
  'journeyId',
  'stepId',
  'segment',
  'channel',
  'variant',
  'locale',
  'experimentId',
  'arm',
  'day',
] as const satisfies ReadonlyArray<keyof ResultDims>;

/** Checks an event before it is counted: the errors a caller can make, named by field. */
export function checkResultEvent(event: ResultEvent): void {
  const costs = [event.costMicroUsd?.delivery ?? 0, event.costMicroUsd?.orchestration ?? 0];
  const field = !/^[A-Za-z0-9._:#@/+=-]{1,400}$/.test(event.eventId)
    ? 'eventId'
    : !RESULT_COUNTERS.includes(event.kind)
      ? 'kind'
      : !DAY.test(event.dims.day)
        ? 'dims.day'
        : costs.some((cost) => !Number.isInteger(cost) || cost < 0)
          ? 'costMicroUsd'
          : DIMENSION_ATTRIBUTES.filter((name) => !event.dims[name]).map((name) => `dims.${name}`)[0];
  // Costs are whole micro-USD (so the ADD stays exact), every dimension is named ('none' when absent).
  if (field) throw new Error(`result event: invalid ${field}`);
}

/** Returns the numbers one event ADDs to its aggregate item, by attribute name. */
export function incrementsOf(event: ResultEvent): Record<string, number> {
  const increments: Record<string, number> = { [event.kind]: 1 };
  if (event.kind === 'skipped') increments[`${SKIPPED_BY}${event.reason ?? 'unknown'}`] = 1;
  if (event.kind === 'goalReached' && event.goalDays !== undefined) {
    increments[`${GOAL_DAYS}${goalDaysBucket(event.goalDays)}`] = 1;
  }
  const { delivery, orchestration } = event.costMicroUsd ?? {};
  if (delivery) increments[COST_DELIVERY] = delivery;
  if (orchestration) increments[COST_ORCHESTRATION] = orchestration;
  return increments;
}

/** Returns the event as the marker item's `event` attribute holds it. */
export function flatResultEvent(event: ResultEvent): FlatResultEvent {
  const { dims, costMicroUsd, ...rest } = event;
  return {
    ...rest,
    ...dims,
    ...(costMicroUsd?.delivery !== undefined ? { costDeliveryMicroUsd: costMicroUsd.delivery } : {}),
    ...(costMicroUsd?.orchestration !== undefined
      ? { costOrchestrationMicroUsd: costMicroUsd.orchestration }
      : {}),
  };
}

/** Returns the counts of a row with nothing counted yet. */
export function emptyCounts(): Record<ResultCounter, number> {
  return Object.fromEntries(RESULT_COUNTERS.map((name) => [name, 0])) as Record<ResultCounter, number>;
}

function numberOf(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function addTo(target: Record<string, number>, key: string, value: number): void {
  if (value) target[key] = (target[key] ?? 0) + value;
}

/**
 * Returns the rows of aggregate items as read from every shard: items with the same dimensions
 * (one per shard) summed into one row, ordered by day and then the other dimensions. Items that are
 * not aggregates are ignored.
 */
export function rowsFrom(items: ReadonlyArray<Record<string, unknown>>): ResultRow[] {
  const rows = new Map<string, ResultRow>();
  for (const item of items) {
    if (item.itemType !== RESULT_ITEM_TYPE.aggregate) continue;
    const dims = dimsOfItem(item);
    if (!dims) continue;
    const id = aggregateKey(dims, 0).sk;
    let row = rows.get(id);
    if (!row) {
      row = {
        ...dims,
        counts: emptyCounts(),
        skippedBy: {},
        costMicroUsd: { delivery: 0, orchestration: 0 },
        goalDays: {},
      };
      rows.set(id, row);
    }
    for (const name of RESULT_COUNTERS) row.counts[name] += numberOf(item[name]);
    row.costMicroUsd.delivery += numberOf(item[COST_DELIVERY]);
    row.costMicroUsd.orchestration += numberOf(item[COST_ORCHESTRATION]);
    for (const [name, value] of Object.entries(item)) {
      if (name.startsWith(SKIPPED_BY)) addTo(row.skippedBy, name.slice(SKIPPED_BY.length), numberOf(value));
      else if (name.startsWith(GOAL_DAYS)) addTo(row.goalDays, name.slice(GOAL_DAYS.length), numberOf(value));
    }
  }
  return [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}

function dimsOfItem(item: Record<string, unknown>): ResultDims | undefined {
  const values: Record<string, string> = {};
  for (const name of DIMENSION_ATTRIBUTES) {
    const value = item[name];
    if (typeof value !== 'string') return undefined;
    values[name] = value;
  }
  const channel = values.channel;
  const known = channel === 'none' ? 'none' : channelOf(channel);
  if (!known) return undefined;
  return { ...(values as unknown as ResultDims), channel: known };
}

/** Returns the dimensions as an aggregate item's attributes hold them. */
export function dimensionAttributesOf(
  dims: ResultDims,
): Record<(typeof DIMENSION_ATTRIBUTES)[number], string> {
  return Object.fromEntries(DIMENSION_ATTRIBUTES.map((name) => [name, dims[name]])) as Record<
    (typeof DIMENSION_ATTRIBUTES)[number],
    string
  >;
}

/** The last message of a run before a moment: what its outcome is attributed to. */
export interface AttributedMessage {
  stepId: string;
  channel: Channel;
  variant: string;
  locale: string;
  /** When it went out (ISO UTC). */
  at: string;
}

/**
 * What the run item keeps for attributing the run's later events (its goal, its end): the segment
 * and experiment arm of its decisions and the last message it sent. No personal data.
 */
export interface RunResultContext {
  segment?: string;
  experimentId?: string;
  arm?: string;
  lastMessage?: AttributedMessage;
}

/**
 * How a run ended, kept on the run item: the first outcome recorded wins (a goal reached after a
 * hand-over does not replace it). `goalEvent` is the event type that reached it (`invoice.paid`) or
 * `goal-check` (the journey's own check found the subject done); `daysToGoal` whole days from the run's
 * start; `lastMessage` the run's last message before the outcome, null when none went out.
 */
export interface RunOutcome {
  kind: 'goal-reached' | 'handed-over' | 'unreachable' | 'completed-without-goal';
  at: string;
  goalEvent?: string;
  daysToGoal?: number;
  reason?: string;
  lastMessage: AttributedMessage | null;
}

/**
 * The result counter of a run's outcome. A run ends `unreachable` only by handing the customer over
 * (the step's `onUnreachable: "hand-over"`): it counts as a hand-over, since the step's decision
 * counted `unreachable` already.
 */
export const OUTCOME_COUNTER: Record<RunOutcome['kind'], ResultCounter> = {
  'goal-reached': 'goalReached',
  'handed-over': 'handedOver',
  unreachable: 'handedOver',
  'completed-without-goal': 'completedWithoutGoal',
};

/** The eventId of a run's outcome: one per run, whichever path records it. */
export function outcomeEventId(runId: string, outcome: RunOutcome['kind']): string {
  return `${OUTCOME_COUNTER[outcome]}:${runId}`;
}

/** Returns the dimensions of an event from what is known of it, `'none'` for what is not. */
export function resultDimsOf(
  known: Partial<Omit<ResultDims, 'day' | 'channel'>> & {
    journeyId: string;
    channel?: string | null;
  },
  at: string,
): ResultDims {
  const channel = channelOf(known.channel) ?? 'none';
  const or = (value: string | undefined) => (value && value.length > 0 ? value : 'none');
  return {
    journeyId: known.journeyId,
    stepId: known.stepId && known.stepId.length > 0 ? known.stepId : 'run',
    segment: or(known.segment),
    channel,
    variant: or(known.variant),
    locale: or(known.locale),
    experimentId: or(known.experimentId),
    arm: or(known.arm),
    day: resultDayOf(at),
  };
}

/**
 * Returns the event of a run's outcome, attributed to the run's last message before it (its step,
 * channel, variant and locale) and the run's segment and arm; a run-level row (`stepId: 'run'`) when no
 * message went out.
 */
export function outcomeEvent(
  run: { runId: string; journeyId: string; customerKey: string },
  context: RunResultContext | undefined,
  outcome: RunOutcome,
): ResultEvent {
  const last = outcome.lastMessage;
  return {
    eventId: outcomeEventId(run.runId, outcome.kind),
    at: outcome.at,
    kind: OUTCOME_COUNTER[outcome.kind],
    dims: resultDimsOf(
      {
        journeyId: run.journeyId,
        ...(last
          ? { stepId: last.stepId, channel: last.channel, variant: last.variant, locale: last.locale }
          : {}),
        ...(context?.segment ? { segment: context.segment } : {}),
        ...(context?.experimentId ? { experimentId: context.experimentId } : {}),
        ...(context?.arm ? { arm: context.arm } : {}),
      },
      outcome.at,
    ),
    runId: run.runId,
    customerKey: run.customerKey,
    ...(outcome.reason ? { reason: outcome.reason } : {}),
    ...(outcome.daysToGoal !== undefined ? { goalDays: outcome.daysToGoal } : {}),
    ...(outcome.goalEvent ? { goalEvent: outcome.goalEvent } : {}),
  };
}

/** Returns the run's outcome as recorded now: the last message from its context, if it went out before. */
export function runOutcomeOf(
  kind: RunOutcome['kind'],
  run: { startedAt: string },
  context: RunResultContext | undefined,
  at: string,
  detail: { goalEvent?: string; reason?: string } = {},
): RunOutcome {
  const last = context?.lastMessage;
  const before = last && Date.parse(last.at) <= Date.parse(at) ? last : null;
  return {
    kind,
    at,
    lastMessage: before,
    ...(kind === 'goal-reached' ? { daysToGoal: wholeDaysBetween(run.startedAt, at) } : {}),
    ...(detail.goalEvent ? { goalEvent: detail.goalEvent } : {}),
    ...(detail.reason ? { reason: detail.reason } : {}),
  };
}

/** Returns the event a marker item's `event` attribute holds (`flatResultEvent` undone). */
export function resultEventFromFlat(flat: Record<string, unknown>): ResultEvent | undefined {
  const dims = dimsOfItem(flat);
  const { eventId, at, kind, runId, customerKey } = flat;
  if (!dims || typeof eventId !== 'string' || typeof at !== 'string' || typeof runId !== 'string')
    return undefined;
  if (typeof customerKey !== 'string' || !RESULT_COUNTERS.includes(kind as ResultCounter)) return undefined;
  const delivery = flat.costDeliveryMicroUsd;
  const orchestration = flat.costOrchestrationMicroUsd;
  const cost = {
    ...(typeof delivery === 'number' ? { delivery } : {}),
    ...(typeof orchestration === 'number' ? { orchestration } : {}),
  };
  return {
    eventId,
    at,
    kind: kind as ResultCounter,
    dims,
    runId,
    customerKey,
    ...(typeof flat.reason === 'string' ? { reason: flat.reason } : {}),
    ...(Object.keys(cost).length > 0 ? { costMicroUsd: cost } : {}),
    ...(typeof flat.goalDays === 'number' ? { goalDays: flat.goalDays } : {}),
    ...(typeof flat.goalEvent === 'string' ? { goalEvent: flat.goalEvent } : {}),
  };
}
