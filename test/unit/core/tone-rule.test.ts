import { describe, expect, it } from 'vitest';
import { NO_BEHAVIOUR } from '#core/behaviour.ts';
import { segmentOf } from '#core/segment.ts';
import { requiredTextVariants, textVariantsOfStep, tonesSegmentationGives } from '#core/tone-rule.ts';
import { testPolicy } from './test-policy.ts';

const allFriendly = {
  segments: testPolicy.segments.map((segment) => ({ ...segment, tone: 'friendly' as const })),
};

describe('the tone rule', () => {
  it('gives the segments’ tones, and firm for a repeat late payer even when no segment is firm', () => {
    expect(tonesSegmentationGives(allFriendly).sort()).toEqual(['firm', 'friendly']);
    // The same firm tone the segmentation gives such a customer.
    const late = segmentOf({
      customer: { id: 'c-1', locale: 'nl-NL', country: 'NL' },
      behaviour: { ...NO_BEHAVIOUR, latePaymentsLastYear: 2 },
      policy: { ...testPolicy, ...allFriendly },
      now: new Date('2026-12-01T09:00:00Z'),
    });
    expect(late.tone).toBe('firm');
  });

  it('asks a step that forces a tone for that tone only, plus its experiment arms’ variants', () => {
    const tones = tonesSegmentationGives(testPolicy);
    expect(textVariantsOfStep({ templateId: 'notice', tone: 'firm' }, tones)).toEqual(['firm']);
    expect(textVariantsOfStep({ templateId: 'notice' }, tones).sort()).toEqual(['firm', 'friendly']);
    expect(
      textVariantsOfStep({ templateId: 'notice', tone: 'friendly', armVariants: ['direct'] }, tones),
    ).toEqual(['friendly', 'direct']);
  });

  it('collects per template what any step using it can pick', () => {
    const required = requiredTextVariants(
      [
        { templateId: 'final-notice', tone: 'firm' },
        { templateId: 'reminder', tone: 'firm' },
        { templateId: 'reminder', armVariants: ['direct'] },
      ],
      testPolicy,
    );
    expect(Object.fromEntries(required)).toEqual({
      'final-notice': ['firm'],
      reminder: ['direct', 'firm', 'friendly'],
    });
  });
});
