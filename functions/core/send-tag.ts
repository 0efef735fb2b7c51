/**
 * The send a provider event is about, carried by the message itself: SES copies an email's message
 * tags into every event of it, so an event links to its send record even when the step never got
 * the provider's answer (and so never learnt the message id).
 *
 * Tag values keep to the alphabet every SES tag accepts (ASCII letters, digits, `_` and `-`, at most
 * 256 characters). Any other character is written `_` and two hex digits per UTF-8 byte (`#` →
 * `_23`, `_` → `_5F`), so the value reads back exactly: `run-1#first-reminder` → `run-1_23first-reminder`.
 */

/** The tag names, fixed: the feedback handler reads them back. */
export const SEND_TAG = {
  customer: 'klantreis-customer',
  send: 'klantreis-send',
  attempt: 'klantreis-attempt',
} as const;

const TAG_MAX_LENGTH = 256;
const KEPT = /[A-Za-z0-9-]/;

/** Returns the text in the tag alphabet, reversibly (see the module comment). */
export function encodeTagValue(text: string): string {
  let out = '';
  for (const char of text) {
    if (KEPT.test(char)) out += char;
    else
      for (const byte of new TextEncoder().encode(char))
        out += `_${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Returns the text an `encodeTagValue` value stands for, or undefined when it is not one. */
export function decodeTagValue(value: string): string | undefined {
  if (!/^(?:[A-Za-z0-9-]|_[0-9A-F]{2})*$/.test(value)) return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < value.length; ) {
    if (value[i] === '_') {
      bytes.push(Number.parseInt(value.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      bytes.push(value.charCodeAt(i));
      i += 1;
    }
  }
  const text = new TextDecoder('utf-8', { fatal: true });
  try {
    return text.decode(new Uint8Array(bytes));
  } catch {
    return undefined;
  }
}

/** One send attempt of a customer's step: what the tags name. */
export interface SendReference {
  customerId: string;
  /** The send record's key (`<runId>#<stepId>[#<occurrence>]`). */
  key: string;
  /** 1 for the first provider call of the step, 2 for the one after a maybe-sent first went unconfirmed, … */
  attempt: number;
}

/** Returns the tags naming the send, or undefined when a value would not fit a tag (then no event can name it). */
export function sendTagsOf(send: SendReference): Record<string, string> | undefined {
  const tags = {
    [SEND_TAG.customer]: encodeTagValue(send.customerId),
    [SEND_TAG.send]: encodeTagValue(send.key),
    [SEND_TAG.attempt]: String(send.attempt),
  };
  return Object.values(tags).every((v) => v.length > 0 && v.length <= TAG_MAX_LENGTH) ? tags : undefined;
}

/** Returns the send an event's tags name (SES event `mail.tags`: name → values), if they name one. */
export function sendOfTags(tags: Record<string, readonly string[]>): SendReference | undefined {
  const customer = tags[SEND_TAG.customer]?.[0];
  const send = tags[SEND_TAG.send]?.[0];
  const attempt = Number(tags[SEND_TAG.attempt]?.[0] ?? '1');
  if (!customer || !send || !Number.isInteger(attempt) || attempt < 1) return undefined;
  const customerId = decodeTagValue(customer);
  const key = decodeTagValue(send);
  return customerId && key ? { customerId, key, attempt } : undefined;
}
