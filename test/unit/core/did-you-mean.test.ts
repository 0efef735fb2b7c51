import { describe, expect, it } from 'vitest';
import { editDistance, nearestName } from '#core/did-you-mean.ts';

describe('did you mean', () => {
  it('counts insertions, deletions, substitutions and swapped neighbours as one edit each', () => {
    expect(editDistance('nxt', 'next')).toBe(1);
    expect(editDistance('nexxt', 'next')).toBe(1);
    expect(editDistance('nest', 'next')).toBe(1);
    expect(editDistance('nxet', 'next')).toBe(1);
    expect(editDistance('', 'next')).toBe(4);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests the nearest name only when the slip is small, case aside', () => {
    const keys = ['stepId', 'templateId', 'next', 'notBefore', 'notAfter'];
    expect(nearestName('nxt', keys)).toBe('next');
    expect(nearestName('templateID', keys)).toBe('templateId');
    expect(nearestName('notAftr', keys)).toBe('notAfter');
    expect(nearestName('colour', keys)).toBeUndefined();
    expect(nearestName('next', keys)).toBeUndefined();
  });
});
