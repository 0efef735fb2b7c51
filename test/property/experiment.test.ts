/**
 * Arm assignment over many customers: deterministic, and each arm's share within a chi-square bound of
 * its weight, for any weights that sum to 100.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignArm, type Experiment } from '#core/experiment.ts';

/** Weights of 2–5 arms, each at least 1, summing to 100. */
const weightsArb = fc
  .uniqueArray(fc.integer({ min: 1, max: 99 }), { minLength: 1, maxLength: 4 })
  .map((cuts) => {
    const sorted = [...cuts].sort((a, b) => a - b);
    return [...sorted, 100].map((cut, i) => cut - (i === 0 ? 0 : (sorted[i - 1] as number)));
  });

const experimentOf = (id: string, weights: number[]): Experiment => ({
  id,
  arms: weights.map((weight, i) => ({
    id: `arm-${i}`,
    weight,
    ...(i === 0 ? { holdout: true as const } : {}),
  })),
});

// Chi-square critical values at p = 0.001 for 1–4 degrees of freedom: a fair split fails once in a thousand.
const CHI2_999 = [10.83, 13.82, 16.27, 18.47];

describe('arm assignment over 20,000 customers', () => {
  it('matches the weights (chi-square, p = 0.001) for any weights and experiment id', () => {
    fc.assert(
      fc.property(weightsArb, fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/), (weights, id) => {
        const experiment = experimentOf(id, weights);
        const n = 20_000;
        const counts = new Map<string, number>();
        for (let i = 0; i < n; i++) {
          const arm = assignArm(experiment, `cust-${i}`).arm.id;
          counts.set(arm, (counts.get(arm) ?? 0) + 1);
        }
        const chi2 = experiment.arms.reduce((sum, arm) => {
          const expected = (n * arm.weight) / 100;
          const observed = counts.get(arm.id) ?? 0;
          return sum + (observed - expected) ** 2 / expected;
        }, 0);
        expect(chi2).toBeLessThan(CHI2_999[weights.length - 2] as number);
      }),
      { numRuns: 20, seed: 17 },
    );
  });

  it('the demo split: 45 / 45 / 10 within two points each, holdout the only arm that sends nothing', () => {
    const demo: Experiment = {
      id: 'first-reminder-text',
      arms: [
        { id: 'control', weight: 45, variant: 'friendly' },
        { id: 'direct', weight: 45, variant: 'direct' },
        { id: 'holdout', weight: 10, holdout: true },
      ],
    };
    const counts: Record<string, number> = {};
    for (let i = 0; i < 20_000; i++) {
      const { arm } = assignArm(demo, `c-${String(i).padStart(4, '0')}`);
      counts[arm.id] = (counts[arm.id] ?? 0) + 1;
    }
    expect(Math.abs((counts.control ?? 0) / 200 - 45)).toBeLessThan(2);
    expect(Math.abs((counts.direct ?? 0) / 200 - 45)).toBeLessThan(2);
    expect(Math.abs((counts.holdout ?? 0) / 200 - 10)).toBeLessThan(2);
  });

  it('is deterministic: the same (experiment, customer) gives the same arm', () => {
    fc.assert(
      fc.property(weightsArb, fc.string({ minLength: 1 }), (weights, customerId) => {
        const experiment = experimentOf('exp', weights);
        expect(assignArm(experiment, customerId)).toEqual(assignArm(structuredClone(experiment), customerId));
      }),
      { numRuns: 500 },
    );
  });
});
