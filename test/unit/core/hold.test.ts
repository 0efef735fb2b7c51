import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Hold, holdEndProblem, holdNow, promisedDateProblem, promiseWakeAt } from '#core/hold.ts';

const now = new Date('2026-12-07T10:00:00Z');
const pause: Hold = {
  kind: 'pause',
  until: '2026-12-20T00:00:00.000Z',
  by: 'aad-agent',
  at: '2026-12-07T09:00:00Z',
};
const promise: Hold = {
  kind: 'promise-to-pay',
  until: '2026-12-17T00:00:00.000Z',
  by: 'aad-agent',
  at: '2026-12-07T09:00:00Z',
  runId: 'run-1',
  promisedDate: '2026-12-15',
};

describe('holdNow', () => {
  it('holds every run of a paused customer, saying who paused until when', () => {
    const held = holdNow([pause], 'any-run', now);
    expect(held?.until.toISOString()).toBe('2026-12-20T00:00:00.000Z');
    expect(held?.reason).toBe('paused until 2026-12-20T00:00:00.000Z by a person (aad-agent)');
  });

  it('holds only its own run for a promise to pay', () => {
    expect(holdNow([promise], 'run-1', now)?.reason).toMatch(/^waits for the promise to pay on 2026-12-15/);
    expect(holdNow([promise], 'run-2', now)).toBeUndefined();
  });

  it('lets a message go once the hold has ended', () => {
    expect(holdNow([pause], 'run-1', new Date('2026-12-20T00:00:00Z'))).toBeUndefined();
  });

  it('waits for the hold that ends last', () => {
    expect(holdNow([promise, pause], 'run-1', now)?.until.toISOString()).toBe(pause.until);
  });

  it('property: a held run is never woken before any hold that applies to it has ended', () => {
    const hold = fc.record({
      kind: fc.constantFrom('pause' as const, 'promise-to-pay' as const, 'dispute' as const),
      until: fc
        .date({ min: new Date('2026-12-01'), max: new Date('2027-03-01'), noInvalidDate: true })
        .map((d) => d.toISOString()),
      by: fc.constant('p'),
      at: fc.constant('2026-12-01T00:00:00Z'),
      runId: fc.option(fc.constantFrom('run-1', 'run-2'), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(hold, { maxLength: 6 }), (holds) => {
        const held = holdNow(holds, 'run-1', now);
        const applying = holds.filter(
          (h) => (h.runId ?? 'run-1') === 'run-1' && Date.parse(h.until) > now.getTime(),
        );
        if (applying.length === 0) return held === undefined;
        return held !== undefined && applying.every((h) => Date.parse(h.until) <= held.until.getTime());
      }),
    );
  });
});

describe('a promise to pay', () => {
  it('lets the next reminder go from the start of the second day after the promised day', () => {
    expect(promiseWakeAt('2026-12-15').toISOString()).toBe('2026-12-17T00:00:00.000Z');
  });

  it('may be today or up to 90 days ahead, not before today', () => {
    expect(promisedDateProblem('2026-12-07', now)).toBeUndefined();
    expect(promisedDateProblem('2026-12-06', now)).toBe('must be today or later');
    expect(promisedDateProblem('2027-03-08', now)).toBe('must be at most 90 days ahead');
  });
});

describe('the end of a pause', () => {
  it('lies in the future and at most 90 days ahead', () => {
    expect(holdEndProblem(new Date('2026-12-20T00:00:00Z'), now)).toBeUndefined();
    expect(holdEndProblem(new Date('2026-12-07T09:59:59Z'), now)).toBe('must be in the future');
    expect(holdEndProblem(new Date('2027-03-08T10:00:01Z'), now)).toBe('must be at most 90 days ahead');
  });
});
