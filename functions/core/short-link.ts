/**
 * Short links for SMS: every link an SMS carries (pay, portal, appointment, survey, unsubscribe) goes
 * out as `<link base>/s/<code>`, a code of 12 base64url characters (72 random bits) that the stage's
 * redirect route resolves to the stored target. A full signed link is ~120 characters, most of an SMS
 * part; a short one is about 35.
 */
import { createHmac } from 'node:crypto';

/** Characters in a short link's code: 12 base64url characters carry 72 bits. */
export const SHORT_LINK_CODE_LENGTH = 12;

/** The path the redirect route answers under, before the code. */
export const SHORT_LINK_PATH = '/s/';

/** A code as the redirect route accepts it (anything else is a plain 404 without a lookup). */
export const SHORT_LINK_CODE_PATTERN = /^[A-Za-z0-9_-]{12}$/;

/**
 * The base validation, the preview and the simulator count SMS parts with, where no stage is known:
 * as long as a short link domain should be (a longer stage link domain can push a text over its limit,
 * which the send step then handles).
 */
export const PREVIEW_LINK_BASE = 'https://klnt.example';

/** Returns the short link for a code on a link base (`https://go.example.nl`, no trailing slash). */
export function shortLinkUrl(base: string, code: string): string {
  return `${base.replace(/\/+$/, '')}${SHORT_LINK_PATH}${code}`;
}

/**
 * Returns the links as an SMS would carry them, each replaced by a short link of the real length
 * with a placeholder code: what counting parts needs where nothing is stored.
 */
export function placeholderShortLinks(
  links: Readonly<Record<string, string>>,
  base: string = PREVIEW_LINK_BASE,
): Record<string, string> {
  return Object.fromEntries(
    Object.keys(links).map((name) => [name, shortLinkUrl(base, 'x'.repeat(SHORT_LINK_CODE_LENGTH))]),
  );
}

/** Days a short link works when its target sets no expiry of its own (the unsubscribe token does). */
export const SHORT_LINK_DAYS = 60;

/**
 * One stored short link: what the redirect route answers a code with, and what a click is recorded on
 * (`short-link-schema.ts` parses it where it is read back).
 */
export interface ShortLink {
  code: string;
  /** The link's name in the template (`pay`, `portal`, `unsubscribe`, …). */
  link: string;
  /** Where the code redirects to: the only URLs the route ever sends anyone to. */
  target: string;
  customerId: string;
  runId: string;
  journeyId: string;
  stepId: string;
  channel: 'sms';
  /** The message's conversation entry (`messageEntryId` of its send key): a click is recorded on it. */
  messageId: string;
  /** The locale the message was written in: the expired page speaks its language. */
  locale: string;
  /** When the link stops working (ISO); the stored item's TTL follows it. */
  expiresAt: string;
  /** When it was first followed (ISO), once it was. */
  clickedAt?: string;
}

/**
 * Returns the code of one link of one message. An HMAC of the message's send key and the link's name
 * under the stage's secret, not a random draw: a retried or replayed step renders the same text with
 * the same code and finds its link already stored, so a message sent twice after a lost answer carries
 * the links of the first. Without the secret a code is 72 unguessable bits, and it tells nothing of
 * the customer or the message. The prefix keeps these MACs apart from the unsubscribe tokens' under
 * the same key.
 */
export function shortLinkCode(secret: string, message: { sendKey: string; link: string }): string {
  return createHmac('sha256', secret)
    .update(`klantreis-short-link\n${message.sendKey}\n${message.link}`)
    .digest()
    .subarray(0, (SHORT_LINK_CODE_LENGTH * 6) / 8)
    .toString('base64url');
}

/** Returns the link's expiry: the target's own when it has one (the unsubscribe token's), else `days` from now. */
export function shortLinkExpiry(now: Date, days: number = SHORT_LINK_DAYS, targetExpiry?: Date): Date {
  return targetExpiry ?? new Date(now.getTime() + days * 86_400_000);
}

/** What the redirect route answers a code with. */
export type ShortLinkAnswer =
  | { kind: 'redirect'; link: ShortLink; firstClick: boolean }
  | { kind: 'expired'; link: ShortLink }
  | { kind: 'unknown' };

/**
 * Returns what to answer for a code: unknown (malformed, not stored, or — never expected, 72 bits —
 * stored twice, which must not send anyone to another customer's target), expired (past its expiry
 * even while DynamoDB's TTL has not removed it yet), or the redirect to its stored target.
 */
export function shortLinkAnswer(found: readonly ShortLink[], now: Date): ShortLinkAnswer {
  const [link, ...others] = found;
  if (!link || others.length > 0) return { kind: 'unknown' };
  if (now.getTime() >= Date.parse(link.expiresAt)) return { kind: 'expired', link };
  return { kind: 'redirect', link, firstClick: link.clickedAt === undefined };
}
