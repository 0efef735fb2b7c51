import { describe, expect, it } from 'vitest';
import { gte } from '#application/semver-gte.ts';

describe('semver stand-in (gte)', () => {
  it('compares major, minor and patch as numbers, as the X-Ray SDK’s v2 version check needs', () => {
    expect(gte('2.7.15', '2.7.15')).toBe(true);
    expect(gte('2.10.0', '2.7.15')).toBe(true);
    expect(gte('3.0.0', '2.7.15')).toBe(true);
    expect(gte('2.7.9', '2.7.15')).toBe(false);
    expect(gte('1.99.99', '2.7.15')).toBe(false);
    expect(gte('2.1692.0', '2.7.15')).toBe(true);
  });
});
