/**
 * An SMS never goes out over its template's part limit (`smsMaxSegments`): the step counts the parts
 * of the customer's text before it chooses a channel. Over the limit, the template's short text is
 * sent when it fits; else the step's supporting channel takes the message, or the step is skipped.
 */
import type { Channel } from './customer.ts';
import type { Reason } from './reasons.ts';

/** The parts of a step's SMS for one customer, counted as it would go out, and its template's limit. */
export interface SmsLength {
  /** Parts of the full text. */
  parts: number;
  /** Most parts the template allows. */
  limit: number;
  /** Parts of the template's short text; null when the template has none (or it was not counted). */
  shortParts: number | null;
}

/** Which text the SMS is rendered from: the template's own, or its short variant (`renderMessage`'s `smsForm`). */
export type SmsForm = 'normal' | 'short';

/** What the step does with an SMS of this length. */
export type SmsLengthOutcome =
  | { kind: 'send'; form: SmsForm; parts: number; reason: Reason | null }
  | { kind: 'supporting'; channel: Channel; reason: Reason }
  | { kind: 'skip'; skipped: 'sms-too-long'; reason: Reason };

/** Returns whether an SMS of this length can be sent within its limit (full or short), and in how many parts. */
export function smsWithinLimit(length: SmsLength): { form: SmsForm; parts: number } | null {
  if (length.parts <= length.limit) return { form: 'normal', parts: length.parts };
  if (length.shortParts !== null && length.shortParts <= length.limit) {
    return { form: 'short', parts: length.shortParts };
  }
  return null;
}

/**
 * Returns what happens to the step's SMS: within the limit it goes as it is; over it, the short text
 * when that fits; else the supporting channel (`supporting`, a channel other than SMS that can reach
 * the customer), or without one the step is skipped (`sms-too-long`). The reason says which, e.g.
 * `sms: 4 parts over the limit of 2: short text used`.
 */
export function smsLengthOutcome(length: SmsLength, supporting: Channel | null): SmsLengthOutcome {
  const within = smsWithinLimit(length);
  if (within?.form === 'normal') return { kind: 'send', form: 'normal', parts: within.parts, reason: null };
  const over = `sms: ${length.parts} parts over the limit of ${length.limit}`;
  if (within) {
    return { kind: 'send', form: 'short', parts: within.parts, reason: `${over}: short text used` };
  }
  const short = length.shortParts === null ? 'no short text' : `short text ${length.shortParts} parts too`;
  if (supporting && supporting !== 'sms') {
    return { kind: 'supporting', channel: supporting, reason: `${over} (${short}): ${supporting} instead` };
  }
  return { kind: 'skip', skipped: 'sms-too-long', reason: `${over} (${short}): not sent` };
}
