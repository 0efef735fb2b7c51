/**
 * The token in every unsubscribe link: who (customer id), which channel, which purpose, until
 * when — signed with HMAC-SHA256 so the API can trust it without a lookup, and nobody can turn
 * one customer's link into another's. The key lives in Secrets Manager on AWS and never in a
 * template; locally a fixed development key is used.
 *
 * Format: `base64url(payload).base64url(mac)`, payload `2|<customerId>|<e|s>|<t|s|m>|<expiry>|<locale>`
 * with the expiry in epoch seconds, base 36, and the locale of the message the link is in (its pages
 * answer in that language). Tokens of version `1` (no locale) stay valid until they expire; their
 * pages follow the browser's `Accept-Language`. Short codes keep the link short enough for an SMS. The MAC
 * is truncated to 128 bits (NIST SP 800-107 allows truncation; 128 bits is far beyond guessing).
 * The customer id is readable in the token: it is a pseudonymous key, not a name or an address.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod/mini';
import type { Channel, Purpose } from './customer.ts';

export interface UnsubscribeClaims {
  customerId: string;
  channel: Channel;
  purpose: Purpose;
  expiresAt: Date;
  /** The locale of the message the link is in (e.g. `nl`, `nl-BE`); absent in tokens signed before it was carried. */
  locale?: string;
}

export type TokenProblem = 'malformed' | 'bad-signature' | 'expired';

/** An expired token's signature was checked, so its locale can still choose the page's language. */
export type VerifiedToken =
  | { ok: true; claims: UnsubscribeClaims }
  | { ok: false; problem: TokenProblem; locale?: string };

/** The query string of `GET` and `POST /unsubscribe` (the API document shows it). */
export const UnsubscribeQuerySchema = z.object({
  token: z.string().check(z.describe('The signed token from the link in the message')),
});

/** Where the key for signing tokens comes from: a secret on AWS, a constant locally. Cached by the adapter. */
export type UnsubscribeKeySource = () => Promise<string>;

/**
 * How long a link works. Emails are read late (a reminder found months later must still let the
 * customer out); after that the page points to the portal instead.
 */
export const UNSUBSCRIBE_TOKEN_DAYS = 180;

/** The development key of the local runtime and tests: public, so never valid on AWS. */
export const LOCAL_UNSUBSCRIBE_KEY = 'klantreis-local-development-key-do-not-use-on-aws';

const VERSION = '2';
/** Tokens signed before the locale was carried: still accepted, without a locale. */
const VERSION_WITHOUT_LOCALE = '1';
const MAC_BYTES = 16;
const CHANNEL_CODES: Record<Channel, string> = { email: 'e', sms: 's', letter: 'l', phone: 'p' };
const PURPOSE_CODES: Record<Purpose, string> = { transactional: 't', service: 's', marketing: 'm' };
const CUSTOMER_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** A BCP 47 tag as templates name locales: `nl`, `en`, `nl-BE`. */
const LOCALE = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,2}$/;

const decode = <T extends string>(codes: Record<T, string>, code: string | undefined): T | undefined =>
  (Object.keys(codes) as T[]).find((key) => codes[key] === code);

function macOf(payload: string, key: string): Buffer {
  // The prefix separates these MACs from any other token a future feature signs with the same key.
  return createHmac('sha256', key)
    .update(`klantreis-unsubscribe\n${payload}`)
    .digest()
    .subarray(0, MAC_BYTES);
}

/** Returns the signed token for the claims. */
export function signUnsubscribeToken(claims: UnsubscribeClaims, key: string): string {
  if (!CUSTOMER_ID.test(claims.customerId)) throw new Error('unsubscribe token: invalid customer id');
  if (key.length < 16) throw new Error('unsubscribe token: the signing key is too short');
  if (claims.locale !== undefined && !LOCALE.test(claims.locale)) {
    throw new Error('unsubscribe token: invalid locale');
  }
  const expiry = Math.floor(claims.expiresAt.getTime() / 1000).toString(36);
  const payload = [
    VERSION,
    claims.customerId,
    CHANNEL_CODES[claims.channel],
    PURPOSE_CODES[claims.purpose],
    expiry,
    claims.locale ?? '',
  ].join('|');
  return `${Buffer.from(payload).toString('base64url')}.${macOf(payload, key).toString('base64url')}`;
}

/**
 * Returns the claims of a token signed with one of `keys` (the current key first, then older
 * ones during a rotation) that has not expired at `now`; otherwise why not. The signature is
 * checked before anything in the payload is believed.
 */
export function verifyUnsubscribeToken(token: string, keys: readonly string[], now: Date): VerifiedToken {
  const match = /^([A-Za-z0-9_-]{1,400})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!match?.[1] || !match[2]) return { ok: false, problem: 'malformed' };
  const payloadBytes = Buffer.from(match[1], 'base64url');
  const mac = Buffer.from(match[2], 'base64url');
  // Only the canonical encoding: base64's spare bits would otherwise give one token several spellings.
  if (payloadBytes.toString('base64url') !== match[1] || mac.toString('base64url') !== match[2]) {
    return { ok: false, problem: 'malformed' };
  }
  const payload = payloadBytes.toString('utf8');
  const signed = keys.some((key) => {
    const expected = macOf(payload, key);
    return expected.length === mac.length && timingSafeEqual(expected, mac);
  });
  if (!signed) return { ok: false, problem: 'bad-signature' };

  const [version, customerId, channelCode, purposeCode, expiry, ...rest] = payload.split('|');
  const channel = decode(CHANNEL_CODES, channelCode);
  const purpose = decode(PURPOSE_CODES, purposeCode);
  const expiresAt = new Date(Number.parseInt(expiry ?? '', 36) * 1000);
  const [locale = '', ...extra] = version === VERSION ? rest : ['', ...rest];
  if (
    (version !== VERSION && version !== VERSION_WITHOUT_LOCALE) ||
    (version === VERSION && rest.length === 0) ||
    extra.length > 0 ||
    (locale !== '' && !LOCALE.test(locale)) ||
    !customerId ||
    !CUSTOMER_ID.test(customerId) ||
    !channel ||
    !purpose ||
    Number.isNaN(expiresAt.getTime())
  ) {
    return { ok: false, problem: 'malformed' };
  }
  const localeClaim = locale ? { locale } : {};
  if (now.getTime() > expiresAt.getTime()) return { ok: false, problem: 'expired', ...localeClaim };
  return { ok: true, claims: { customerId, channel, purpose, expiresAt, ...localeClaim } };
}

/** Returns the unsubscribe link: the API's `/unsubscribe` address with the token as query parameter. */
export function unsubscribeLink(baseUrl: string, token: string): string {
  // The token is base64url and `.`: nothing to encode. Concatenation, not URL parsing, per message.
  return `${baseUrl}${baseUrl.includes('?') ? '&' : '?'}token=${token}`;
}

/**
 * Returns the headers that let a mail client offer "unsubscribe" next to the sender and unsubscribe
 * with one POST, without opening a page (RFC 2369 and RFC 8058; required by Gmail and Yahoo for bulk
 * senders). The link must be https: RFC 8058 one-click needs it.
 */
export function listUnsubscribeHeaders(link: string): Record<string, string> {
  return { 'List-Unsubscribe': `<${link}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

/**
 * Returns the signed unsubscribe link for one customer, channel and purpose, valid for
 * `UNSUBSCRIBE_TOKEN_DAYS` from `now`; its pages answer in `locale`, the message's.
 */
export function unsubscribeLinkFor(input: {
  baseUrl: string;
  key: string;
  customerId: string;
  channel: Channel;
  purpose: Purpose;
  now: Date;
  locale?: string;
}): string {
  const expiresAt = new Date(input.now.getTime() + UNSUBSCRIBE_TOKEN_DAYS * 86_400_000);
  const token = signUnsubscribeToken(
    {
      customerId: input.customerId,
      channel: input.channel,
      purpose: input.purpose,
      expiresAt,
      ...(input.locale ? { locale: input.locale } : {}),
    },
    input.key,
  );
  return unsubscribeLink(input.baseUrl, token);
}
