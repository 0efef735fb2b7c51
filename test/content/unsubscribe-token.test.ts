import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  listUnsubscribeHeaders,
  signUnsubscribeToken,
  UNSUBSCRIBE_TOKEN_DAYS,
  type UnsubscribeClaims,
  unsubscribeLinkFor,
  verifyUnsubscribeToken,
} from '#core/unsubscribe-token.ts';

const key = 'a-test-key-that-is-long-enough-0123456789';
const now = new Date('2026-12-01T09:00:00Z');
const claims: UnsubscribeClaims = {
  customerId: 'c-1001',
  channel: 'email',
  purpose: 'service',
  expiresAt: new Date('2027-01-01T00:00:00Z'),
};

describe('unsubscribe tokens', () => {
  it('carry customer, channel, purpose and expiry, and verify with the key', () => {
    const token = signUnsubscribeToken(claims, key);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(verifyUnsubscribeToken(token, [key], now)).toEqual({ ok: true, claims });
  });

  it('fail with another key, and pass with an older key kept during a rotation', () => {
    const token = signUnsubscribeToken(claims, key);
    expect(verifyUnsubscribeToken(token, ['another-key-that-is-long-enough-98765'], now)).toEqual({
      ok: false,
      problem: 'bad-signature',
    });
    expect(verifyUnsubscribeToken(token, ['another-key-that-is-long-enough-98765', key], now).ok).toBe(true);
  });

  it('fail when expired', () => {
    const token = signUnsubscribeToken(claims, key);
    expect(verifyUnsubscribeToken(token, [key], new Date('2027-01-01T00:00:01Z'))).toEqual({
      ok: false,
      problem: 'expired',
    });
  });

  it('cannot be turned into another customer’s, channel’s or purpose’s token', () => {
    const token = signUnsubscribeToken(claims, key);
    const [payload, mac] = token.split('.');
    for (const forged of ['1|c-1002|e|s|', '1|c-1001|s|s|', '1|c-1001|e|m|']) {
      const expiry = Buffer.from(payload ?? '', 'base64url')
        .toString()
        .split('|')[4];
      const tampered = `${Buffer.from(`${forged}${expiry}`).toString('base64url')}.${mac}`;
      expect(verifyUnsubscribeToken(tampered, [key], now)).toEqual({ ok: false, problem: 'bad-signature' });
    }
    expect(verifyUnsubscribeToken('', [key], now)).toEqual({ ok: false, problem: 'malformed' });
    expect(verifyUnsubscribeToken('abc', [key], now)).toEqual({ ok: false, problem: 'malformed' });
  });

  it('fail when any single character is changed', () => {
    const token = signUnsubscribeToken(claims, key);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    fc.assert(
      fc.property(fc.nat(token.length - 1), fc.constantFrom(...alphabet), (at, char) => {
        fc.pre(token[at] !== char);
        const changed = token.slice(0, at) + char + token.slice(at + 1);
        expect(verifyUnsubscribeToken(changed, [key], now).ok).toBe(false);
      }),
    );
  });

  it('round-trip for any customer id, channel and purpose', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9._:-]{1,128}$/),
        fc.constantFrom('email' as const, 'sms' as const),
        fc.constantFrom('transactional' as const, 'service' as const, 'marketing' as const),
        (customerId, channel, purpose) => {
          const c = { customerId, channel, purpose, expiresAt: new Date('2027-06-01T00:00:00Z') };
          expect(verifyUnsubscribeToken(signUnsubscribeToken(c, key), [key], now)).toEqual({
            ok: true,
            claims: c,
          });
        },
      ),
    );
  });

  it('make a link that works for UNSUBSCRIBE_TOKEN_DAYS, and the one-click headers for it', () => {
    const link = unsubscribeLinkFor({
      baseUrl: 'https://api.example.com/unsubscribe',
      key,
      customerId: 'c-1001',
      channel: 'sms',
      purpose: 'service',
      now,
    });
    const token = new URL(link).searchParams.get('token') ?? '';
    expect(link.startsWith('https://api.example.com/unsubscribe?token=')).toBe(true);
    const verified = verifyUnsubscribeToken(token, [key], now);
    expect(verified.ok && verified.claims.expiresAt.getTime() - now.getTime()).toBe(
      UNSUBSCRIBE_TOKEN_DAYS * 86_400_000,
    );
    expect(listUnsubscribeHeaders(link)).toEqual({
      'List-Unsubscribe': `<${link}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });

  it('refuse to sign with a short key or an id the profile schema would not allow', () => {
    expect(() => signUnsubscribeToken(claims, 'short')).toThrow(/too short/);
    expect(() => signUnsubscribeToken({ ...claims, customerId: 'a|b' }, key)).toThrow(/customer id/);
  });
});

describe('unsubscribe tokens carry the message’s locale', () => {
  it('signs and verifies it, and refuses one that is not a language tag', () => {
    const token = signUnsubscribeToken({ ...claims, locale: 'nl-BE' }, key);
    expect(verifyUnsubscribeToken(token, [key], now)).toEqual({
      ok: true,
      claims: { ...claims, locale: 'nl-BE' },
    });
    expect(() => signUnsubscribeToken({ ...claims, locale: 'nl|x' }, key)).toThrow(/locale/);
    const link = unsubscribeLinkFor({
      baseUrl: 'https://api.example.com/unsubscribe',
      key,
      ...claims,
      now,
      locale: 'nl',
    });
    const linked = verifyUnsubscribeToken(new URL(link).searchParams.get('token') ?? '', [key], now);
    expect(linked.ok && linked.claims.locale).toBe('nl');
  });

  it('an expired token still names its locale, a tampered one does not verify', () => {
    const token = signUnsubscribeToken({ ...claims, locale: 'nl' }, key);
    expect(verifyUnsubscribeToken(token, [key], new Date('2027-02-01T00:00:00Z'))).toEqual({
      ok: false,
      problem: 'expired',
      locale: 'nl',
    });
    const [payload, mac] = token.split('.');
    const english = Buffer.from(
      Buffer.from(payload ?? '', 'base64url')
        .toString()
        .replace(/\|nl$/, '|en'),
    ).toString('base64url');
    expect(verifyUnsubscribeToken(`${english}.${mac}`, [key], now)).toEqual({
      ok: false,
      problem: 'bad-signature',
    });
  });
});
