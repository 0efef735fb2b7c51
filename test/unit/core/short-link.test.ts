import { describe, expect, it } from 'vitest';
import {
  PREVIEW_LINK_BASE,
  placeholderShortLinks,
  SHORT_LINK_CODE_PATTERN,
  SHORT_LINK_DAYS,
  type ShortLink,
  shortLinkAnswer,
  shortLinkCode,
  shortLinkExpiry,
  shortLinkUrl,
} from '#core/short-link.ts';
import { expiredShortLinkPage, unknownShortLinkPage } from '#core/short-link-pages.ts';

describe('short links', () => {
  it('joins base, path and code, whatever slashes the base ends with', () => {
    expect(shortLinkUrl('https://go.example.nl/', 'AbCdEfGhIj-_')).toBe(
      'https://go.example.nl/s/AbCdEfGhIj-_',
    );
    expect(shortLinkUrl('https://go.example.nl', 'AbCdEfGhIj-_')).toBe(
      'https://go.example.nl/s/AbCdEfGhIj-_',
    );
  });

  it('replaces every link by one as long as a real short link on the preview base', () => {
    const real = shortLinkUrl(PREVIEW_LINK_BASE, 'AbCdEfGhIj-_');
    const placeholders = placeholderShortLinks({
      pay: 'https://pay.example.com/i/INV-1?t=abc',
      unsubscribe: 'x',
    });
    expect(Object.keys(placeholders)).toEqual(['pay', 'unsubscribe']);
    for (const link of Object.values(placeholders)) {
      expect(link).toHaveLength(real.length);
      expect(SHORT_LINK_CODE_PATTERN.test(link.slice(-12))).toBe(true);
    }
  });
});

const stored = (over: Partial<ShortLink> = {}): ShortLink => ({
  code: 'AbCdEfGhIj-_',
  link: 'pay',
  target: 'https://pay.example.com/i/INV-1',
  customerId: 'c-1',
  runId: 'run-1',
  journeyId: 'payment-reminder',
  stepId: 'first-reminder',
  channel: 'sms',
  messageId: 'msg-1',
  locale: 'nl-NL',
  expiresAt: '2027-01-30T10:00:00.000Z',
  ...over,
});

describe('short link codes', () => {
  const secret = 'a-stage-secret-of-enough-length';
  it('are 12 base64url characters, the same for the same message and link', () => {
    const code = shortLinkCode(secret, { sendKey: 'run-1#first-reminder', link: 'pay' });
    expect(code).toMatch(SHORT_LINK_CODE_PATTERN);
    expect(shortLinkCode(secret, { sendKey: 'run-1#first-reminder', link: 'pay' })).toBe(code);
  });

  it('differ by link, by message and by stage secret', () => {
    const codes = [
      shortLinkCode(secret, { sendKey: 'run-1#first-reminder', link: 'pay' }),
      shortLinkCode(secret, { sendKey: 'run-1#first-reminder', link: 'unsubscribe' }),
      shortLinkCode(secret, { sendKey: 'run-2#first-reminder', link: 'pay' }),
      shortLinkCode(`${secret}-other`, { sendKey: 'run-1#first-reminder', link: 'pay' }),
    ];
    expect(new Set(codes).size).toBe(4);
  });

  it('expire with their target when it has an expiry, else after the default days', () => {
    const now = new Date('2026-12-01T10:00:00Z');
    expect(shortLinkExpiry(now).toISOString()).toBe('2027-01-30T10:00:00.000Z');
    expect(shortLinkExpiry(now, 7).toISOString()).toBe('2026-12-08T10:00:00.000Z');
    const token = new Date('2027-05-30T10:00:00Z');
    expect(shortLinkExpiry(now, SHORT_LINK_DAYS, token)).toBe(token);
  });
});

describe('what the redirect route answers', () => {
  const before = new Date('2027-01-30T09:59:59Z');
  it('redirects a stored link before its expiry, first click until it was followed', () => {
    expect(shortLinkAnswer([stored()], before)).toEqual({
      kind: 'redirect',
      link: stored(),
      firstClick: true,
    });
    const followed = stored({ clickedAt: '2026-12-02T08:00:00Z' });
    expect(shortLinkAnswer([followed], before)).toMatchObject({ kind: 'redirect', firstClick: false });
  });

  it('answers expired from its expiry on, also while the item is still stored', () => {
    expect(shortLinkAnswer([stored()], new Date('2027-01-30T10:00:00Z')).kind).toBe('expired');
  });

  it('answers unknown for no link, and for two under one code (never another customer’s target)', () => {
    expect(shortLinkAnswer([], before).kind).toBe('unknown');
    expect(shortLinkAnswer([stored(), stored({ customerId: 'c-2' })], before).kind).toBe('unknown');
  });
});

describe('short link pages', () => {
  it('say an expired link has expired in the message’s language', () => {
    expect(expiredShortLinkPage('nl-BE')).toContain('<html lang="nl">');
    expect(expiredShortLinkPage('nl-BE')).toContain('Deze link is verlopen');
    expect(expiredShortLinkPage('de-DE')).toContain('This link has expired');
  });

  it('say an unknown link does not work in the browser’s language', () => {
    expect(unknownShortLinkPage('nl-NL,nl;q=0.9,en;q=0.8')).toContain('Deze link werkt niet');
    expect(unknownShortLinkPage(undefined)).toContain('This link does not work');
  });
});
