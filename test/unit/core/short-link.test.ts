import { describe, expect, it } from 'vitest';
import {
  PREVIEW_LINK_BASE,
  placeholderShortLinks,
  SHORT_LINK_CODE_PATTERN,
  shortLinkUrl,
} from '#core/short-link.ts';

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
