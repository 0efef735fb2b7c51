/**
 * A run's end is kept whatever order and however often the status-change events arrive: the
 * latest end wins, a repeat changes nothing, and a run stopped at its goal stays `goal-reached`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JourneyRun, RunEnd } from '#core/ports.ts';
import { ENDED_EXECUTION_STATUSES, runEndOf, withRunEnd } from '#core/run-status.ts';

const running: JourneyRun = {
  runId: 'run-1',
  journeyId: 'payment-reminder',
  customerId: 'c-1',
  executionArn: 'arn:aws:states:eu-west-1:000000000000:execution:klantreis-dev-payment-reminder:run-1',
  status: 'running',
  startedAt: '2026-12-01T09:00:00.000Z',
};

/** Ends within a few milliseconds of each other, so equal times (ties) come up often. */
const runEndArb: fc.Arbitrary<RunEnd> = fc
  .tuple(fc.constantFrom(...ENDED_EXECUTION_STATUSES), fc.integer({ min: 0, max: 4 }))
  .map(([status, ms]) => runEndOf(status, Date.parse('2026-12-20T10:00:00Z') + ms));

/** The events as delivered: each at least once, in any order. */
const deliveriesArb = fc.array(runEndArb, { minLength: 1, maxLength: 6 }).chain((ends) =>
  fc
    .array(fc.constantFrom(...ends), { maxLength: 4 })
    .chain((repeats) =>
      fc.shuffledSubarray([...ends, ...repeats], { minLength: ends.length + repeats.length }),
    )
    .map((delivered) => ({ ends, delivered })),
);

const applyAll = (run: JourneyRun, ends: readonly RunEnd[]) => ends.reduce(withRunEnd, run);

describe('recording how a run ended', () => {
  it('keeps the same end whatever the order and however often each event arrives', () => {
    fc.assert(
      fc.property(deliveriesArb, ({ ends, delivered }) => {
        expect(applyAll(running, delivered)).toEqual(applyAll(running, ends));
      }),
      { numRuns: 2_000 },
    );
  });

  it('keeps the latest end', () => {
    fc.assert(
      fc.property(fc.array(runEndArb, { minLength: 1, maxLength: 6 }), (ends) => {
        const latest = ends.reduce((a, b) => (b.endedAt > a.endedAt ? b : a));
        const result = applyAll(running, ends);
        expect(result.endedAt).toBe(latest.endedAt);
        expect(result.status).not.toBe('running');
      }),
      { numRuns: 2_000 },
    );
  });

  it('never moves a run whose goal was reached', () => {
    fc.assert(
      fc.property(fc.array(runEndArb, { maxLength: 6 }), (ends) => {
        const exited: JourneyRun = { ...running, status: 'goal-reached' };
        expect(applyAll(exited, ends)).toBe(exited);
      }),
    );
  });

  it('maps each execution status to the API’s run status', () => {
    const at = Date.parse('2026-12-20T10:00:00Z');
    expect(ENDED_EXECUTION_STATUSES.map((status) => runEndOf(status, at).status)).toEqual([
      'completed',
      'failed',
      'timed-out',
      'aborted',
    ]);
    expect(runEndOf('SUCCEEDED', at).endedAt).toBe('2026-12-20T10:00:00.000Z');
  });
});
