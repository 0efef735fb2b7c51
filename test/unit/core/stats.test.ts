import { describe, expect, it } from 'vitest';
import {
  compareWithControl,
  medianFromHistogram,
  sampleSizePerArm,
  verdictOf,
  wilsonInterval,
  zFor,
} from '#core/stats.ts';

describe('Wilson interval', () => {
  it('knows nothing without trials: [0, 1]', () => {
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });

  it('is not empty at 0/n and n/n, and touches the bound there', () => {
    const none = wilsonInterval(0, 20);
    expect(none.low).toBe(0);
    expect(none.high).toBeCloseTo(0.1611, 4);
    const all = wilsonInterval(20, 20);
    expect(all.high).toBe(1);
    expect(all.low).toBeCloseTo(1 - 0.1611, 4);
  });

  it('matches the published values (Newcombe 1998, table I)', () => {
    const a = wilsonInterval(81, 263);
    expect(a.low).toBeCloseTo(0.2553, 4);
    expect(a.high).toBeCloseTo(0.3662, 4);
    const b = wilsonInterval(15, 148);
    expect(b.low).toBeCloseTo(0.0624, 4);
    expect(b.high).toBeCloseTo(0.1605, 4);
    const c = wilsonInterval(1, 29);
    expect(c.low).toBeCloseTo(0.0061, 4);
    expect(c.high).toBeCloseTo(0.1718, 4);
  });

  it('uses the normal quantile: 1.96 for 95 %', () => {
    expect(zFor(0.95)).toBeCloseTo(1.959964, 6);
  });
});

describe('difference against control', () => {
  it('gives Newcombe’s hybrid score interval (1998, table II)', () => {
    const a = compareWithControl({ successes: 56, trials: 70 }, { successes: 48, trials: 80 });
    expect(a.difference).toBeCloseTo(0.2, 10);
    expect(a.interval.low).toBeCloseTo(0.0524, 4);
    expect(a.interval.high).toBeCloseTo(0.3339, 4);
    const d = compareWithControl({ successes: 5, trials: 56 }, { successes: 0, trials: 29 });
    expect(d.interval.low).toBeCloseTo(-0.0381, 4);
    expect(d.interval.high).toBeCloseTo(0.1926, 4);
  });

  it('tests with the pooled two-proportion z test', () => {
    // 50/100 against 30/100: pooled 0.4, z = 0.2 / sqrt(0.24 × 0.02) = 2.8868, p = 0.00389.
    const result = compareWithControl({ successes: 50, trials: 100 }, { successes: 30, trials: 100 });
    expect(result.z).toBeCloseTo(2.8868, 4);
    expect(result.pValue).toBeCloseTo(0.00389, 5);
    const reversed = compareWithControl({ successes: 30, trials: 100 }, { successes: 50, trials: 100 });
    expect(reversed.z).toBeCloseTo(-2.8868, 4);
    expect(reversed.pValue).toBeCloseTo(result.pValue, 12);
  });

  it('finds no evidence where there is nothing to compare', () => {
    expect(compareWithControl({ successes: 0, trials: 0 }, { successes: 5, trials: 10 }).pValue).toBe(1);
    expect(compareWithControl({ successes: 0, trials: 40 }, { successes: 0, trials: 50 }).pValue).toBe(1);
    expect(compareWithControl({ successes: 40, trials: 40 }, { successes: 50, trials: 50 }).pValue).toBe(1);
  });
});

describe('sample size per arm', () => {
  it('matches Fleiss’ formula without continuity correction', () => {
    // 50 % → 60 %, alpha 0.05 two-sided, power 0.8: 387.3 → 388.
    expect(sampleSizePerArm({ baseline: 0.5, minimumDetectableEffect: 0.1 })).toBe(388);
    // 10 % → 15 %: (1.95996 × √(2 × 0.125 × 0.875) + 0.84162 × √(0.09 + 0.1275))² / 0.05² = 685.6 → 686.
    expect(sampleSizePerArm({ baseline: 0.1, minimumDetectableEffect: 0.05 })).toBe(686);
  });

  it('needs more customers for a smaller effect, a stricter alpha or more power', () => {
    const base = sampleSizePerArm({ baseline: 0.3, minimumDetectableEffect: 0.05 });
    expect(sampleSizePerArm({ baseline: 0.3, minimumDetectableEffect: 0.02 })).toBeGreaterThan(base);
    expect(sampleSizePerArm({ baseline: 0.3, minimumDetectableEffect: 0.05, alpha: 0.01 })).toBeGreaterThan(
      base,
    );
    expect(sampleSizePerArm({ baseline: 0.3, minimumDetectableEffect: 0.05, power: 0.9 })).toBeGreaterThan(
      base,
    );
  });

  it('looks downwards where the baseline leaves no room above it', () => {
    expect(sampleSizePerArm({ baseline: 0.98, minimumDetectableEffect: 0.05 })).toBe(
      sampleSizePerArm({ baseline: 0.93, minimumDetectableEffect: 0.05 }),
    );
  });

  it('refuses an effect outside (0, 1)', () => {
    expect(() => sampleSizePerArm({ baseline: 0.5, minimumDetectableEffect: 0 })).toThrow(RangeError);
    expect(() => sampleSizePerArm({ baseline: 0.5, minimumDetectableEffect: 1 })).toThrow(RangeError);
  });
});

describe('fixed-horizon verdict', () => {
  const significantBetter = compareWithControl(
    { successes: 50, trials: 100 },
    { successes: 30, trials: 100 },
  );
  const notSignificant = compareWithControl({ successes: 32, trials: 100 }, { successes: 30, trials: 100 });

  it('declares no winner before both arms reach the required size, however clear the data', () => {
    expect(verdictOf(significantBetter, { arm: 100, control: 100, required: 101 })).toBe('no-winner-yet');
    expect(verdictOf(significantBetter, { arm: 200, control: 99, required: 100 })).toBe('no-winner-yet');
    expect(verdictOf(significantBetter, { arm: 100, control: 100, required: null })).toBe('no-winner-yet');
  });

  it('tests once the horizon is reached', () => {
    expect(verdictOf(significantBetter, { arm: 100, control: 100, required: 100 })).toBe('better');
    const worse = compareWithControl({ successes: 30, trials: 100 }, { successes: 50, trials: 100 });
    expect(verdictOf(worse, { arm: 100, control: 100, required: 100 })).toBe('worse');
    expect(verdictOf(notSignificant, { arm: 100, control: 100, required: 100 })).toBe('no-difference');
  });
});

describe('median from a days histogram', () => {
  it('is null for no goals', () => {
    expect(medianFromHistogram({})).toEqual({ days: null, orMore: false });
    expect(medianFromHistogram({ '3': 0 })).toEqual({ days: null, orMore: false });
  });

  it('takes the middle value, and the mean of the two middle values for an even count', () => {
    expect(medianFromHistogram({ '1': 1, '4': 1, '9': 1 })).toEqual({ days: 4, orMore: false });
    expect(medianFromHistogram({ '2': 2, '5': 2 })).toEqual({ days: 3.5, orMore: false });
    expect(medianFromHistogram({ '10': 5, '0': 1 })).toEqual({ days: 10, orMore: false });
  });

  it('says "or more" when the median lies in the open bucket', () => {
    expect(medianFromHistogram({ '2': 1, '61+': 2 })).toEqual({ days: 61, orMore: true });
  });
});
