import { describe, expect, it } from 'vitest';
import { callSummary, callUnanswered } from '#core/call-outcome.ts';
import type { TimelineEntry } from '#core/ports.ts';

const entry = (at: string, summary: string, runId = 'run-1', stepId = 'second-reminder'): TimelineEntry => ({
  customerId: 'c-1',
  at,
  kind: 'action',
  summary: `${summary} (by call.completed)`,
  runId,
  stepId,
});
const NO_ANSWER = callSummary('no-answer', undefined);

describe('reading a call’s outcome back from the conversation', () => {
  it('finds a no-answer for the run’s step', () => {
    expect(callUnanswered([entry('2026-12-01T10:05:00.000Z', NO_ANSWER)], 'run-1', 'second-reminder')).toBe(
      true,
    );
  });

  it('ignores another run, another step’s call, and a no-answer a later outcome overtook', () => {
    const at = '2026-12-01T10:05:00.000Z';
    expect(callUnanswered([entry(at, NO_ANSWER, 'run-2')], 'run-1', 'second-reminder')).toBe(false);
    expect(
      callUnanswered([entry(at, NO_ANSWER, 'run-1', 'second-reminder-retry')], 'run-1', 'second-reminder'),
    ).toBe(false);
    const later = [
      entry('2026-12-01T10:40:00.000Z', callSummary('promise-to-pay', '2026-12-10')),
      entry(at, NO_ANSWER),
    ];
    expect(callUnanswered(later, 'run-1', 'second-reminder')).toBe(false);
    expect(callUnanswered([], 'run-1', 'second-reminder')).toBe(false);
  });
});
