/**
 * The statistics of a results report: Wilson intervals for a conversion rate, the difference of two
 * rates against control (Newcombe's interval, two-proportion z test), the sample size per arm a
 * minimum detectable effect needs, and the fixed-horizon verdict (`docs/decisions/fixed-horizon-verdict.md`).
 * Pure: the normal distribution comes from stdlib, never an approximation of our own.
 */
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';

/** The error rates the verdict is held to unless a report states others. */
export const DEFAULT_ALPHA = 0.05;
export const DEFAULT_POWER = 0.8;

/** What the report's `method` field says, so a reader knows how to read the verdict. */
export const VERDICT_METHOD = {
  name: 'fixed-horizon',
  test: 'two-proportion z test (pooled), two-sided',
  interval: 'Wilson score 95 % per arm; Newcombe hybrid score for the difference',
  rule:
    'No winner until every compared arm has reached the sample size the minimum detectable effect needs; ' +
    'then each arm is tested once against control at alpha. Read the verdict once the horizon is reached.',
} as const;

export interface Interval {
  low: number;
  high: number;
}

/** The standard normal quantile for a two-sided confidence level (1.96 for 0.95). */
export function zFor(confidence: number): number {
  return normalQuantile(1 - (1 - confidence) / 2, 0, 1);
}

/**
 * Wilson score interval of `successes` out of `trials`. No trials: nothing is known, so [0, 1].
 * Unlike the Wald interval it stays inside [0, 1] and is not empty at 0/n or n/n.
 */
export function wilsonInterval(successes: number, trials: number, confidence = 0.95): Interval {
  if (trials <= 0) return { low: 0, high: 1 };
  const z = zFor(confidence);
  const p = successes / trials;
  const z2 = z * z;
  const centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
  const half = (z / (1 + z2 / trials)) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  // At 0/n and n/n the closed form lands on the bound up to rounding: pin it there.
  return {
    low: successes <= 0 ? 0 : Math.max(0, centre - half),
    high: successes >= trials ? 1 : Math.min(1, centre + half),
  };
}

export interface Proportion {
  successes: number;
  trials: number;
}

export interface Comparison {
  /** Arm rate minus control rate. */
  difference: number;
  /** Newcombe's hybrid score interval of the difference (from both Wilson intervals). */
  interval: Interval;
  /** Two-sided p-value of the pooled two-proportion z test; 1 when either arm has no trials. */
  pValue: number;
  z: number;
}

/** Compares an arm with control: the difference, its interval and the z test's p-value. */
export function compareWithControl(arm: Proportion, control: Proportion, confidence = 0.95): Comparison {
  const p1 = arm.trials > 0 ? arm.successes / arm.trials : 0;
  const p0 = control.trials > 0 ? control.successes / control.trials : 0;
  const difference = p1 - p0;
  const w1 = wilsonInterval(arm.successes, arm.trials, confidence);
  const w0 = wilsonInterval(control.successes, control.trials, confidence);
  const interval = {
    low: difference - Math.sqrt((p1 - w1.low) ** 2 + (w0.high - p0) ** 2),
    high: difference + Math.sqrt((w1.high - p1) ** 2 + (p0 - w0.low) ** 2),
  };
  if (arm.trials <= 0 || control.trials <= 0) return { difference, interval, pValue: 1, z: 0 };
  const pooled = (arm.successes + control.successes) / (arm.trials + control.trials);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / arm.trials + 1 / control.trials));
  // Both arms all-or-nothing alike: no evidence of any difference.
  if (se === 0) return { difference, interval, pValue: 1, z: 0 };
  const z = difference / se;
  const pValue = Math.min(1, 2 * (1 - normalCdf(Math.abs(z), 0, 1)));
  return { difference, interval, pValue, z };
}

export interface SampleSizeInput {
  /** Control's conversion rate (0…1). */
  baseline: number;
  /** The smallest absolute difference worth detecting (0.05 = five percentage points). */
  minimumDetectableEffect: number;
  alpha?: number;
  power?: number;
}

/**
 * Customers per arm a two-sided two-proportion z test needs to detect the effect with the power
 * (Fleiss, without continuity correction). The effect is looked for upwards from the baseline, or
 * downwards where the baseline leaves no room above it.
 */
export function sampleSizePerArm(input: SampleSizeInput): number {
  const { baseline, minimumDetectableEffect: mde } = input;
  const alpha = input.alpha ?? DEFAULT_ALPHA;
  const power = input.power ?? DEFAULT_POWER;
  if (!(mde > 0 && mde < 1)) throw new RangeError('minimum detectable effect must be between 0 and 1');
  if (!(baseline >= 0 && baseline <= 1)) throw new RangeError('baseline must be between 0 and 1');
  const p1 = baseline;
  const p2 = baseline + mde <= 1 ? baseline + mde : baseline - mde;
  if (p2 < 0) throw new RangeError('minimum detectable effect is larger than the baseline allows');
  const mean = (p1 + p2) / 2;
  const zAlpha = normalQuantile(1 - alpha / 2, 0, 1);
  const zBeta = normalQuantile(power, 0, 1);
  const numerator =
    zAlpha * Math.sqrt(2 * mean * (1 - mean)) + zBeta * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  // Rounding noise (387.9999999) must not add a customer.
  return Math.ceil((numerator / mde) ** 2 - 1e-9);
}

export type Verdict = 'control' | 'no-winner-yet' | 'better' | 'worse' | 'no-difference';

/**
 * The fixed-horizon verdict of an arm against control: nothing until both have reached the required
 * size, then one test at alpha.
 */
export function verdictOf(
  comparison: Comparison,
  sizes: { arm: number; control: number; required: number | null },
  alpha = DEFAULT_ALPHA,
): Exclude<Verdict, 'control'> {
  const { arm, control, required } = sizes;
  if (required === null || arm < required || control < required) return 'no-winner-yet';
  if (comparison.pValue >= alpha) return 'no-difference';
  return comparison.difference > 0 ? 'better' : 'worse';
}

/** The histogram's open bucket: days from this value on. */
export const OPEN_DAYS_BUCKET = '61+';
const OPEN_DAYS_FROM = 61;

export interface HistogramMedian {
  /** The median in whole or half days; null for an empty histogram. */
  days: number | null;
  /** The median lies in the open bucket: `days` means that many days or more. */
  orMore: boolean;
}

/** Median of a days histogram (`'0'`…`'60'`, `'61+'` → count); the mean of the two middle values for an even count. */
export function medianFromHistogram(histogram: Readonly<Record<string, number>>): HistogramMedian {
  const buckets = Object.entries(histogram)
    .map(([key, count]) => ({ day: key === OPEN_DAYS_BUCKET ? OPEN_DAYS_FROM : Number(key), count }))
    .filter((b) => Number.isInteger(b.day) && b.day >= 0 && b.count > 0)
    .sort((a, b) => a.day - b.day);
  const total = buckets.reduce((sum, b) => sum + b.count, 0);
  if (total === 0) return { days: null, orMore: false };
  /** The value at 1-based position `rank` in the sorted sample. */
  const valueAt = (rank: number): number => {
    let seen = 0;
    for (const bucket of buckets) {
      seen += bucket.count;
      if (seen >= rank) return bucket.day;
    }
    return OPEN_DAYS_FROM;
  };
  const lower = valueAt(Math.ceil(total / 2));
  const upper = valueAt(Math.floor(total / 2) + 1);
  const days = total % 2 === 1 ? lower : (lower + upper) / 2;
  return { days, orMore: upper >= OPEN_DAYS_FROM };
}
