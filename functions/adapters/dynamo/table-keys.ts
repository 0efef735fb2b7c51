/**
 * Every key of the single table (`functions/catalog/table-design.ts`), each builder beside the access
 * pattern it serves. All of a customer's data lives in the partition `CUSTOMER#<id>`, so a GDPR
 * export or erasure is one Query on that partition. Suppressions and erasure records are the
 * exceptions: they must survive erasure, and are keyed by an HMAC under the stage's pseudonym key
 * (`pseudonym-key.ts`) of the address or id, so the table holds neither and nobody without the key
 * can test a guess against it.
 *
 * Timestamps in sort keys are normalised to UTC `toISOString()` form, so string order is time
 * order whatever offset the caller used.
 */
import { createHash, createHmac } from 'node:crypto';
import type { Channel } from '#core/customer.ts';

export interface TableKey {
  pk: string;
  sk: string;
}

export interface Gsi1Key {
  gsi1pk: string;
  gsi1sk: string;
}

/** Sort-key prefixes, for `begins_with` queries and for telling item kinds apart. */
export const SK_PREFIX = {
  event: 'EVENT#',
  timeline: 'TIMELINE#',
  subject: 'SUBJECT#',
  run: 'RUN#',
  send: 'SEND#',
  hold: 'HOLD#',
  handOver: 'HANDOVER#',
  shortLink: 'SHORTLINK#',
  letter: 'LETTER#',
} as const;

/** Suffix of the sort key of a timeline entry's body item (see `timelineBodyKey`). */
export const BODY_SUFFIX = '#BODY';

/** Sorts after every ISO timestamp (`~` is above every digit), closing an open-ended range. */
const RANGE_END = '~';

/** Returns the timestamp as UTC ISO with milliseconds, the form every sort key uses. */
export function isoKeyTime(at: Date | string): string {
  const date = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(date.getTime())) throw new Error('table key: invalid timestamp');
  return date.toISOString();
}

// Access pattern: everything stored about one customer (GDPR export and erasure: Query pk).
export function customerPartitionKey(customerId: string): string {
  return `CUSTOMER#${customerId}`;
}

// Access pattern: read and replace a customer's profile (GetItem / PutItem).
export function profileKey(customerId: string): TableKey {
  return { pk: customerPartitionKey(customerId), sk: 'PROFILE' };
}

// Access pattern: record one behaviour event (PutItem); ordered by when it happened.
export function eventKey(customerId: string, occurredAt: Date | string, eventId: string): TableKey {
  return {
    pk: customerPartitionKey(customerId),
    sk: `${SK_PREFIX.event}${isoKeyTime(occurredAt)}#${eventId}`,
  };
}

// Access pattern: a customer's behaviour events since a moment, oldest first (Query sk BETWEEN from AND to).
export function eventRange(since: Date): { from: string; to: string } {
  return { from: `${SK_PREFIX.event}${isoKeyTime(since)}`, to: `${SK_PREFIX.event}${RANGE_END}` };
}

// Access pattern: a customer's conversation, newest first (Query begins_with TIMELINE#, ScanIndexForward false).
export function timelineKey(customerId: string, at: Date | string, entryId: string): TableKey {
  return { pk: customerPartitionKey(customerId), sk: `${SK_PREFIX.timeline}${isoKeyTime(at)}#${entryId}` };
}

// Access pattern: a customer's conversation since a moment, oldest first — messages sent lately, for contact
// pressure (Query sk BETWEEN TIMELINE#<since> AND TIMELINE#~, filtered on kind and outcome).
export function timelineRange(since: Date): { from: string; to: string } {
  return { from: `${SK_PREFIX.timeline}${isoKeyTime(since)}`, to: `${SK_PREFIX.timeline}${RANGE_END}` };
}

// Access pattern: a timeline entry's message body, a separate item so TTL removes it and keeps the metadata;
// it sorts directly after its entry, so the same timeline Query returns both.
export function timelineBodyKey(customerId: string, at: Date | string, entryId: string): TableKey {
  const entry = timelineKey(customerId, at, entryId);
  return { pk: entry.pk, sk: `${entry.sk}${BODY_SUFFIX}` };
}

// Access pattern: the journey's goal check — the ASL's direct dynamodb:getItem reads exactly this key
// (`CUSTOMER#{customerId}` / `SUBJECT#{subjectId}`) and the string attribute `status`.
export function subjectKey(customerId: string, subjectId: string): TableKey {
  return { pk: customerPartitionKey(customerId), sk: `${SK_PREFIX.subject}${subjectId}` };
}

// Access pattern: write a journey run and update its status within the customer's partition.
export function runKey(customerId: string, runId: string): TableKey {
  return { pk: customerPartitionKey(customerId), sk: `${SK_PREFIX.run}${runId}` };
}

// Access pattern: find a journey run by its id alone (Query gsi1 on gsi1pk = RUN#<runId>).
export function runIndexKey(runId: string): Gsi1Key {
  return { gsi1pk: `${SK_PREFIX.run}${runId}`, gsi1sk: 'RUN' };
}

// Access pattern: open invoices due in a date range, across customers — the scheduled batch's selection
// (Query gsi1: gsi1pk = INVOICE-DUE#<yyyy-mm>, gsi1sk BETWEEN <from> AND <to>~, one Query per month).
// Sparse: only a subject item that is open and has a due date carries it, so paying or cancelling the
// invoice (which rewrites the item) drops it from the index. Monthly partitions spread the writes.
export function dueInvoiceIndexKey(dueDate: string, customerId: string, subjectId: string): Gsi1Key {
  return { gsi1pk: `${DUE_PREFIX}${dueDate.slice(0, 7)}`, gsi1sk: `${dueDate}#${customerId}#${subjectId}` };
}

const DUE_PREFIX = 'INVOICE-DUE#';

/** Returns the gsi1 key ranges covering due dates `fromDate`..`toDate` (ISO dates, inclusive), month by month. */
export function dueInvoiceRanges(
  fromDate: string,
  toDate: string,
): Array<{ gsi1pk: string; from: string; to: string }> {
  const ranges: Array<{ gsi1pk: string; from: string; to: string }> = [];
  if (fromDate > toDate) return ranges;
  let month = fromDate.slice(0, 7);
  const lastMonth = toDate.slice(0, 7);
  while (month <= lastMonth) {
    ranges.push({
      gsi1pk: `${DUE_PREFIX}${month}`,
      from: month === fromDate.slice(0, 7) ? fromDate : `${month}-01`,
      to: `${month === lastMonth ? toDate : `${month}-31`}#${RANGE_END}`,
    });
    const [year, m] = month.split('-').map(Number) as [number, number];
    month = m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
  }
  return ranges;
}

// Access pattern: claim and complete one send per idempotency key (conditional PutItem, consistent GetItem).
// The journey's outcome check reads it straight from the ASL: `CUSTOMER#{customerId}` /
// `SEND#{runId}#{stepId}`, attributes `deliveryStatus` and `engagement`.
// Access pattern: a journey Task waiting for its email to be read (`.waitForTaskToken`) keeps its callback on
// the same item, attribute `taskCallback` {taskToken, output}: run-journey-step sets it after the send
// (UpdateItem SET, returning the item so feedback that came first shows); the feedback handler, having
// recorded the outcome, reads it (consistent GetItem: gsi1 may lag the step's write), completes the Task and
// clears it (UpdateItem REMOVE, conditional on the same token). No extra item or index
// (`task-callbacks.ts`).
export function sendKey(customerId: string, key: string): TableKey {
  return { pk: customerPartitionKey(customerId), sk: `${SK_PREFIX.send}${key}` };
}

// Access pattern: find the send a provider event is about by the provider's message id (Query gsi1).
export function sendIndexKey(providerMessageId: string): Gsi1Key {
  return { gsi1pk: `MESSAGE#${providerMessageId}`, gsi1sk: 'SEND' };
}

// Access pattern: find the customers who gave a phone number, for an inbound SMS (Query gsi1 on gsi1pk);
// only a hash of the number is in the key.
export function phoneIndexKey(phone: string, customerId: string): Gsi1Key {
  return { gsi1pk: `PHONE#${addressHash('sms', phone)}`, gsi1sk: `PROFILE#${customerId}` };
}

// Access pattern: find the customers who gave an email address, for the console's lookup (Query gsi1 on
// gsi1pk). The profile item carries the phone's index key, so the address's is a small item of its own in
// the customer's partition (erased with it); only a hash of the normalised address is in the key.
export function emailIndexItemKey(customerId: string): TableKey {
  return { pk: customerPartitionKey(customerId), sk: 'PROFILE#EMAIL' };
}

export function emailIndexKey(email: string, customerId: string): Gsi1Key {
  return { gsi1pk: `EMAIL#${addressHash('email', email)}`, gsi1sk: `PROFILE#${customerId}` };
}

// Access pattern: the holds a person put on a customer's messages, read by every step visit (Query
// begins_with HOLD#): one pause of every run, one hold per run (a promise to pay, a dispute).
export function holdKey(customerId: string, runId?: string): TableKey {
  return {
    pk: customerPartitionKey(customerId),
    sk: runId ? `${SK_PREFIX.hold}RUN#${runId}` : `${SK_PREFIX.hold}PAUSE`,
  };
}

// Access pattern: read and change one hand-over by its id alone (Query gsi1 on gsi1pk = HANDOVER#<id>);
// kept in the customer's partition, so an erasure removes it.
export function handOverKey(customerId: string, handOverId: string): TableKey {
  return { pk: customerPartitionKey(customerId), sk: `${SK_PREFIX.handOver}${handOverId}` };
}

export function handOverIndexKey(handOverId: string): Gsi1Key {
  return { gsi1pk: `${SK_PREFIX.handOver}${handOverId}`, gsi1sk: 'HANDOVER' };
}

// Access pattern: the inbox — hand-overs of one status, oldest first (Query gsi1 on gsi1pk = HANDOVERS#<status>,
// filtered on reason). A second item beside the record, as one item has one gsi1 key; a change of status
// rewrites it under the new partition. One partition per status: hand-overs are a few a day per thousand
// runs, far below a partition's write limit.
export function handOverInboxItemKey(customerId: string, handOverId: string): TableKey {
  const record = handOverKey(customerId, handOverId);
  return { pk: record.pk, sk: `${record.sk}${INBOX_SUFFIX}` };
}

export function handOverInboxIndexKey(status: string, at: Date | string, handOverId: string): Gsi1Key {
  return { gsi1pk: `HANDOVERS#${status}`, gsi1sk: `${isoKeyTime(at)}#${handOverId}` };
}

/** Suffix of the sort key of a hand-over's inbox item (see `handOverInboxItemKey`). */
export const INBOX_SUFFIX = '#INBOX';

// Access pattern: the short links of a customer's SMS messages, in their partition (so an erasure removes them
// and the export lists them); each carries its TTL (`expiresAt`, the link's own expiry).
export function shortLinkKey(customerId: string, code: string): TableKey {
  return { pk: customerPartitionKey(customerId), sk: `${SK_PREFIX.shortLink}${code}` };
}

// Access pattern: follow a short link by its code alone (Query gsi1 on gsi1pk = SHORTLINK#<code>).
export function shortLinkIndexKey(code: string): Gsi1Key {
  return { gsi1pk: `${SK_PREFIX.shortLink}${code}`, gsi1sk: 'SHORTLINK' };
}

// Access pattern: a letter to post, in the customer's partition (an erasure deletes it with the rest, the
// export lists it); the letters recorded on a day and not yet posted (Query gsi1 on gsi1pk =
// LETTERS-TO-POST#<day>): the posting run removes the index key once the letter is posted.
export function letterKey(customerId: string, letterId: string): TableKey {
  return { pk: customerPartitionKey(customerId), sk: `${SK_PREFIX.letter}${letterId}` };
}

export function letterToPostIndexKey(day: string, recordedAt: string, letterId: string): Gsi1Key {
  return { gsi1pk: `LETTERS-TO-POST#${day}`, gsi1sk: `${isoKeyTime(recordedAt)}#${letterId}` };
}

// Access pattern: count the sends of one channel in one second, account-wide (conditional UpdateItem ADD).
// One partition per channel: fine up to DynamoDB's 1,000 writes per second per partition, far above
// SES and SMS account rates.
export function rateKey(channel: Channel, epochSecond: number): TableKey {
  return { pk: `RATE#${channel}`, sk: String(epochSecond) };
}

// Access pattern: how many calls the contact centre has planned in an hour (conditional UpdateItem).
export function callHourKey(hour: string): TableKey {
  return { pk: `CALLHOUR#${hour}`, sk: 'calls' };
}

// Access pattern: the call one step (its send key, `<runId>#<stepId>`) reserved, so that a retried step
// keeps it and counts no hour twice (conditional Put, in one transaction with the hour's counter).
export function callReservationKey(sendKey: string): TableKey {
  return { pk: `CALLSLOT#${sendKey}`, sk: 'call' };
}

// Access pattern: is this address suppressed on this channel (GetItem), across all customers. Only a keyed
// hash is stored (`keyedAddressHash`): without the stage's pseudonym key nobody can test a guessed address.
export function suppressionKey(channel: Channel, address: string, pseudonymKey: string): TableKey {
  return suppressionKeyOfHash(channel, addressHash(channel, address), pseudonymKey);
}

/** The suppression key of an address known only by its plain SHA-256 (`addressHash`): how legacy keys migrate. */
export function suppressionKeyOfHash(channel: Channel, sha256Hex: string, pseudonymKey: string): TableKey {
  return {
    pk: `${SUPPRESSION_PREFIX}${channel}#${KEYED}${keyedHash(sha256Hex, pseudonymKey)}`,
    sk: 'SUPPRESSION',
  };
}

// Access pattern: the suppression entries written before they were keyed (plain SHA-256 of the address):
// still read, so they keep suppressing until `klantreis migrate-suppressions` has converted them.
export function legacySuppressionKey(channel: Channel, address: string): TableKey {
  return { pk: `${SUPPRESSION_PREFIX}${channel}#${addressHash(channel, address)}`, sk: 'SUPPRESSION' };
}

/** Returns the channel and plain hash of a legacy suppression key, or undefined for any other key. */
export function legacySuppressionOf(pk: string): { channel: Channel; sha256Hex: string } | undefined {
  const match = /^SUPPRESSION#(email|sms)#([0-9a-f]{64})$/.exec(pk);
  return match ? { channel: match[1] as Channel, sha256Hex: match[2] as string } : undefined;
}

/** Every suppression key starts so (a migration's Scan filter). */
export const SUPPRESSION_PREFIX = 'SUPPRESSION#';
/** Marks a keyed suppression hash apart from a legacy plain one. */
const KEYED = 'hmac:';

// Access pattern: was this customer erased (GetItem) — the send pipeline's check, and the erasure's audit
// record. Keyed by a keyed hash of the customer id, outside the customer's partition, so the erasure
// deletes everything else and the id itself is not kept.
export function erasureKey(customerId: string, pseudonymKey: string): TableKey {
  return { pk: `ERASURE#${keyedHash(`customer\n${customerId}`, pseudonymKey)}`, sk: 'ERASURE' };
}

/** Returns HMAC-SHA256 (hex) of `value` under the stage's pseudonym key. */
export function keyedHash(value: string, pseudonymKey: string): string {
  return createHmac('sha256', pseudonymKey).update(value).digest('hex');
}

/** Returns the SHA-256 (hex) of the normalised address: the phone index's key, and the input of the keyed hash. */
export function addressHash(channel: Channel, address: string): string {
  return createHash('sha256').update(normaliseAddress(channel, address)).digest('hex');
}

/**
 * Returns the address in the one form that is hashed, so `Jan@Example.nl ` and `jan@example.nl`
 * (or `+31 6 1234 5678` and `+31612345678`) hit the same suppression.
 */
export function normaliseAddress(channel: Channel, address: string): string {
  const trimmed = address.trim();
  // `(0)` is the national trunk prefix people write inside international numbers: +31 (0)6 … is +316….
  if (channel === 'sms') return trimmed.replace(/\(0\)/g, '').replace(/[\s().-]/g, '');
  // A postal address line: case and runs of spaces do not make it another address.
  return trimmed.toLowerCase().replace(/\s+/g, ' ');
}

// Access pattern: how many running runs of a journey are at each position now (`#core/run-positions.ts`):
// one Query per shard on `RUNS-AT#<journeyId>#<shard>`, each item a position's count (atomic ADD, moved in
// the transaction that moves the run item's `currentStep`).
export function positionCounterKey(journeyId: string, shard: number, position: string): TableKey {
  return { pk: positionCountersPartition(journeyId, shard), sk: position };
}

export function positionCountersPartition(journeyId: string, shard: number): string {
  return `RUNS-AT#${journeyId}#${shard}`;
}

// Access pattern: the operators' watch on one run, beside its run item (so an erasure deletes it with the
// partition): written with each move and at the run's end. Sparse on gsi1 while it means something to an
// operator: a running run by its next wake (`runWakingIndexKey`), a failed run by its end (`runFailedIndexKey`).
export function runWatchKey(customerId: string, runId: string): TableKey {
  return { pk: customerPartitionKey(customerId), sk: `RUNWATCH#${runId}` };
}

// Access pattern: running runs whose next wake is before a moment, across customers (Query gsi1 per shard:
// gsi1pk = RUNS-WAKING#<shard>, gsi1sk < <moment>), oldest wake first.
export function runWakingIndexKey(shard: number, nextWakeAt: string, runId: string): Gsi1Key {
  return { gsi1pk: `${RUNS_WAKING}${shard}`, gsi1sk: `${isoKeyTime(nextWakeAt)}#${runId}` };
}

export const RUNS_WAKING = 'RUNS-WAKING#';

// Access pattern: runs that failed (or timed out) on a UTC day, across customers (Query gsi1 per day:
// gsi1pk = RUNS-FAILED#<yyyy-mm-dd>), newest first. Failed runs are few: one partition per day.
export function runFailedIndexKey(endedAt: string, runId: string): Gsi1Key {
  const at = isoKeyTime(endedAt);
  return { gsi1pk: `${RUNS_FAILED}${at.slice(0, 10)}`, gsi1sk: `${at}#${runId}` };
}

export const RUNS_FAILED = 'RUNS-FAILED#';
