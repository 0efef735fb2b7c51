/**
 * The token in an email's reply address, `reply+<token>@<inbound domain>`: which customer, which
 * message and in which locale it was written — signed with HMAC-SHA256 (the unsubscribe key, under
 * its own prefix), so an inbound reply is trusted by its recipient address alone and never by its
 * `From` header, which anyone can write.
 *
 * An address's local part holds at most 64 characters (RFC 5321), so the token is bytes, not
 * text: a version byte (with how the customer id is stored), the expiry in days since 1970 (two
 * bytes), the message (the first 6 bytes of its conversation entry id's hash, `msg-<12 hex>…`: unique
 * among one customer's messages), the locale (a length byte and its letters) and the customer id
 * (its 16 bytes when it is a lower-case UUID, else its characters); then the MAC, truncated to 96
 * bits (NIST SP 800-107 allows truncation; forging one takes 2^96 tries at the mail server). All
 * base64url: 58 characters leave room for a locale and customer id of 21 characters together (a
 * UUID counts 16). A longer pair gets no token (`replyAddressFor` answers `undefined`).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface EmailReplyClaims {
  customerId: string;
  /** The conversation entry id of the message (`msg-` and hex), or its first 16 characters from a token. */
  messageId: string;
  locale: string;
  expiresAt: Date;
}

export type ReplyTokenProblem = 'malformed' | 'bad-signature' | 'expired';

export type VerifiedReplyToken =
  | { ok: true; claims: EmailReplyClaims }
  | { ok: false; problem: ReplyTokenProblem };

/**
 * A stage's reply settings: `inboundDomain` receives replies (SES receiving) and gets a signed
 * address per email; `address` is a plain mailbox, used without an inbound domain.
 */
export interface EmailReplies {
  address?: string;
  inboundDomain?: string;
}

/** How long a reply address works: a reminder answered months later still reaches a person. */
export const EMAIL_REPLY_TOKEN_DAYS = 180;

/** The local part's prefix: the inbound domain's other addresses are not replies. */
export const REPLY_LOCAL_PART_PREFIX = 'reply+';

const MAX_LOCAL_PART = 64;
const VERSION = 0x10;
const UUID_FORM = 0x01;
const MESSAGE_BYTES = 6;
const MAC_BYTES = 12;
const DAY_MS = 86_400_000;
const MESSAGE_ID = /^msg-([0-9a-f]{12})[0-9a-f]*$/;
const LOCALE = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,2}$/;
const CUSTOMER_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function macOf(payload: Buffer, key: string): Buffer {
  // The prefix keeps these MACs apart from the unsubscribe tokens signed with the same key.
  return createHmac('sha256', key)
    .update('klantreis-email-reply\n')
    .update(payload)
    .digest()
    .subarray(0, MAC_BYTES);
}

/** Returns the customer id as the token stores it: a UUID's 16 bytes, else its characters. */
function customerIdBytes(customerId: string): { form: number; bytes: Buffer } {
  return UUID.test(customerId)
    ? { form: UUID_FORM, bytes: Buffer.from(customerId.replaceAll('-', ''), 'hex') }
    : { form: 0, bytes: Buffer.from(customerId, 'latin1') };
}

function uuidOf(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Returns the signed token, or `undefined` when the claims do not fit in an address's local part
 * (or are not what a token carries: then the email gets the plain reply address).
 */
export function signEmailReplyToken(claims: EmailReplyClaims, key: string): string | undefined {
  const message = MESSAGE_ID.exec(claims.messageId)?.[1];
  if (!message || !LOCALE.test(claims.locale) || !CUSTOMER_ID.test(claims.customerId)) return undefined;
  const customer = customerIdBytes(claims.customerId);
  const days = Math.ceil(claims.expiresAt.getTime() / DAY_MS);
  const payload = Buffer.concat([
    Buffer.from([VERSION | customer.form, days >> 8, days & 0xff]),
    Buffer.from(message, 'hex'),
    Buffer.from([claims.locale.length]),
    Buffer.from(claims.locale, 'latin1'),
    customer.bytes,
  ]);
  const token = Buffer.concat([payload, macOf(payload, key)]).toString('base64url');
  return REPLY_LOCAL_PART_PREFIX.length + token.length <= MAX_LOCAL_PART ? token : undefined;
}

/**
 * Returns the claims of a token signed with one of `keys` that has not expired at `now`, otherwise
 * why not. The signature is checked before anything in the payload is believed.
 */
export function verifyEmailReplyToken(token: string, keys: readonly string[], now: Date): VerifiedReplyToken {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(token)) return { ok: false, problem: 'malformed' };
  const bytes = Buffer.from(token, 'base64url');
  // Only the canonical encoding: base64's spare bits would otherwise give one token several spellings.
  if (bytes.toString('base64url') !== token || bytes.length < 10 + MAC_BYTES) {
    return { ok: false, problem: 'malformed' };
  }
  const payload = bytes.subarray(0, bytes.length - MAC_BYTES);
  const mac = bytes.subarray(bytes.length - MAC_BYTES);
  if (!keys.some((key) => timingSafeEqual(macOf(payload, key), mac))) {
    return { ok: false, problem: 'bad-signature' };
  }
  const [flags = 0, high = 0, low = 0] = payload;
  const localeLength = payload[9] ?? 0;
  const locale = payload.subarray(10, 10 + localeLength).toString('latin1');
  const idBytes = payload.subarray(10 + localeLength);
  const form = flags & 0x0f;
  const customerId = form === UUID_FORM ? uuidOf(idBytes) : idBytes.toString('latin1');
  if (
    (flags & 0xf0) !== VERSION ||
    (form === UUID_FORM && idBytes.length !== 16) ||
    (form !== UUID_FORM && form !== 0) ||
    !CUSTOMER_ID.test(customerId) ||
    !LOCALE.test(locale)
  ) {
    return { ok: false, problem: 'malformed' };
  }
  const expiresAt = new Date(((high << 8) | low) * DAY_MS);
  if (now.getTime() > expiresAt.getTime()) return { ok: false, problem: 'expired' };
  const messageId = `msg-${payload.subarray(3, 3 + MESSAGE_BYTES).toString('hex')}`;
  return { ok: true, claims: { customerId, messageId, locale, expiresAt } };
}

/** Returns whether a conversation entry id is the message a verified token names (its first 16 characters). */
export function isRepliedMessage(
  entryId: string | undefined,
  claims: Pick<EmailReplyClaims, 'messageId'>,
): boolean {
  return entryId?.startsWith(claims.messageId) === true;
}

/**
 * Returns the Reply-To of an email: `reply+<token>@<domain>` with the stage's inbound domain, else
 * the stage's plain reply address; `undefined` when the stage has neither. A customer id and locale
 * too long for a token fall back to the plain address.
 */
export function replyAddressFor(input: {
  replies: EmailReplies;
  key: string;
  customerId: string;
  messageId: string;
  locale: string;
  now: Date;
}): string | undefined {
  const domain = input.replies.inboundDomain;
  if (domain) {
    const token = signEmailReplyToken(
      {
        customerId: input.customerId,
        messageId: input.messageId,
        locale: input.locale,
        expiresAt: new Date(input.now.getTime() + EMAIL_REPLY_TOKEN_DAYS * DAY_MS),
      },
      input.key,
    );
    if (token) return `${REPLY_LOCAL_PART_PREFIX}${token}@${domain}`;
  }
  return input.replies.address;
}

/**
 * Returns the reply tokens among the recipient addresses on `domain` (`reply+<token>@<domain>`,
 * any case of the domain and prefix; the token's own case is kept).
 */
export function replyTokensOf(addresses: readonly string[], domain: string): string[] {
  const suffix = `@${domain.toLowerCase()}`;
  return addresses.flatMap((address) => {
    const trimmed = address.trim();
    const at = trimmed.lastIndexOf('@');
    if (at < 0 || trimmed.slice(at).toLowerCase() !== suffix) return [];
    const local = trimmed.slice(0, at);
    return local.toLowerCase().startsWith(REPLY_LOCAL_PART_PREFIX)
      ? [local.slice(REPLY_LOCAL_PART_PREFIX.length)]
      : [];
  });
}
