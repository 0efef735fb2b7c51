import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type EmailReplyClaims,
  isRepliedMessage,
  replyAddressFor,
  replyTokensOf,
  signEmailReplyToken,
  verifyEmailReplyToken,
} from '#core/email-reply-token.ts';

const key = 'a-test-key-that-is-long-enough-0123456789';
const now = new Date('2026-12-01T09:00:00Z');
const messageId = `msg-${'0123456789abcdef'.repeat(2)}01234567`;
const claims: EmailReplyClaims = {
  customerId: 'c-1001',
  messageId,
  locale: 'nl-BE',
  expiresAt: new Date('2027-01-01T00:00:00Z'),
};
const signed = (c: EmailReplyClaims = claims) => {
  const token = signEmailReplyToken(c, key);
  if (!token) throw new Error('no token');
  return token;
};

describe('email reply tokens', () => {
  it('name the customer, the message and its locale, and verify with the key', () => {
    const result = verifyEmailReplyToken(signed(), [key], now);
    expect(result).toEqual({
      ok: true,
      claims: { ...claims, messageId: messageId.slice(0, 16) },
    });
    expect(result.ok && isRepliedMessage(messageId, result.claims)).toBe(true);
    expect(result.ok && isRepliedMessage(`msg-${'f'.repeat(40)}`, result.claims)).toBe(false);
  });

  it('keep a UUID customer id with a regional locale in an address’s 64-character local part', () => {
    const uuid = '3f2b8c1e-9d4a-4e6b-8f00-1234567890ab';
    const address = replyAddressFor({
      replies: { inboundDomain: 'replies.example.com', address: 'service@example.com' },
      key,
      customerId: uuid,
      messageId,
      locale: 'nl-BE',
      now,
    });
    const local = address?.split('@')[0] ?? '';
    expect(local.length).toBeLessThanOrEqual(64);
    expect(address).toMatch(/^reply\+[A-Za-z0-9_-]+@replies\.example\.com$/);
    const [token] = replyTokensOf([address ?? ''], 'replies.example.com');
    const verified = verifyEmailReplyToken(token ?? '', [key], now);
    expect(verified.ok && verified.claims.customerId).toBe(uuid);
  });

  it('for any customer id and locale: a token fits the local part or there is none, and the plain address is used', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9._:-]{1,40}$/),
        fc.constantFrom('nl', 'en', 'nl-BE', 'en-GB', 'fr-BE'),
        (customerId, locale) => {
          const address = replyAddressFor({
            replies: { inboundDomain: 'replies.example.com', address: 'service@example.com' },
            key,
            customerId,
            messageId,
            locale,
            now,
          });
          if (address === 'service@example.com') return customerId.length + locale.length > 21;
          const [token] = replyTokensOf([address ?? ''], 'replies.example.com');
          const verified = verifyEmailReplyToken(token ?? '', [key], now);
          return (
            (address?.split('@')[0]?.length ?? 99) <= 64 &&
            verified.ok &&
            verified.claims.customerId === customerId &&
            verified.claims.locale === locale
          );
        },
      ),
    );
  });

  it('fail with another key, when expired, and when any single character is changed', () => {
    const token = signed();
    expect(verifyEmailReplyToken(token, ['another-key-that-is-long-enough-98765'], now)).toEqual({
      ok: false,
      problem: 'bad-signature',
    });
    expect(verifyEmailReplyToken(token, [key], new Date('2027-01-01T00:00:01Z'))).toEqual({
      ok: false,
      problem: 'expired',
    });
    for (let i = 0; i < token.length; i++) {
      const changed = token[i] === 'A' ? 'B' : 'A';
      const tampered = `${token.slice(0, i)}${changed}${token.slice(i + 1)}`;
      expect(verifyEmailReplyToken(tampered, [key], now).ok).toBe(false);
    }
    expect(verifyEmailReplyToken(token.toLowerCase(), [key], now).ok).toBe(false);
    expect(verifyEmailReplyToken('', [key], now)).toEqual({ ok: false, problem: 'malformed' });
  });

  it('Reply-To: the inbound domain’s signed address, else the plain mailbox, else none', () => {
    const base = { key, customerId: 'c-1', messageId, locale: 'nl', now };
    expect(replyAddressFor({ ...base, replies: { address: 'service@example.com' } })).toBe(
      'service@example.com',
    );
    expect(replyAddressFor({ ...base, replies: {} })).toBeUndefined();
  });

  it('are found among the recipients on the inbound domain only', () => {
    expect(
      replyTokensOf(
        [
          'Service <service@example.com>',
          'REPLY+AbC_-1@Replies.Example.com',
          'reply+x@elsewhere.com',
          'info@replies.example.com',
        ],
        'replies.example.com',
      ),
    ).toEqual(['AbC_-1']);
  });
});
