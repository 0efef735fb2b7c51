import { describe, expect, it } from 'vitest';
import { callSummary, callUnansweredSince } from '#core/call-outcome.ts';
import type { TimelineEntry } from '#core/ports.ts';

const entry = (at: string, summary: string, runId = 'run-1'): TimelineEntry => ({
  customerId: 'c-1',
  at,
  kind: 'action',
  summary: `${summary} (by call.completed)`,
  runId,
});
const CALLED = '2026-12-01T10:00:00.000Z';

describe('reading a call’s outcome back from the conversation', () => {
  it('finds a no-answer for the run after the call', () => {
    const entries = [entry('2026-12-01T10:05:00.000Z', callSummary('no-answer', undefined))];
    expect(callUnansweredSince(entries, 'run-1', CALLED)).toBe(true);
  });

  it('ignores another run, an outcome before the call, and a no-answer a later outcome overtook', () => {
    const noAnswer = callSummary('no-answer', undefined);
    expect(callUnansweredSince([entry('2026-12-01T10:05:00.000Z', noAnswer, 'run-2')], 'run-1', CALLED)).toBe(
      false,
    );
    expect(callUnansweredSince([entry('2026-12-01T09:00:00.000Z', noAnswer)], 'run-1', CALLED)).toBe(false);
    const later = [
      entry('2026-12-01T10:40:00.000Z', callSummary('promise-to-pay', '2026-12-10')),
      entry('2026-12-01T10:05:00.000Z', noAnswer),
    ];
    expect(callUnansweredSince(later, 'run-1', CALLED)).toBe(false);
    expect(callUnansweredSince([], 'run-1', CALLED)).toBe(false);
  });
});
