/**
 * The report's statistics on generated customers with a known truth: each customer is assigned an arm
 * by the experiment code the journey step runs (`armOfRun`), planned, sent and (or not) reaching the
 * goal are recorded through the results recorder (the in-memory one, with the DynamoDB adapter's
 * items), and the report is built from what the reader returns. Seeded: the same customers every run.
 */
import { describe, expect, it } from 'vitest';
import { armOfRun, type Experiment } from '#core/experiment.ts';
import {
  outcomeEvent,
  type ResultEvent,
  type RunResultContext,
  resultDimsOf,
  runOutcomeOf,
} from '#core/results.ts';
import { resultsReport } from '#core/results-report.ts';
import { seededRandom } from '../bench/random.ts';
import { InMemoryResults } from '../fixtures/in-memory-results.ts';

const JOURNEY = 'payment-reminder';
const STEP = 'first-reminder';
const DAY = '2026-12-01';
/** Goals come within 15 days of the reminder. */
const LAST_DAY = '2026-12-31';

interface Truth {
  experiment: Experiment;
  /** The true conversion of each arm. */
  rates: Record<string, number>;
}

/**
 * Drives `customers` generated customers through assignment and recording; returns the recorder.
 * `deliveries: false` records only what conversion needs (planned, goal), for the many small runs.
 */
async function driveCustomers(
  truth: Truth,
  customers: number,
  seed: number,
  { deliveries = true } = {},
): Promise<InMemoryResults> {
  const random = seededRandom(seed);
  const results = new InMemoryResults();
  const startedAt = `${DAY}T08:00:00.000Z`;
  const decidedAt = `${DAY}T09:00:00.000Z`;
  for (let i = 0; i < customers; i++) {
    const customerId = `customer-${seed}-${i}`;
    const runId = `run-${seed}-${i}`;
    // The step's decision: the customer's arm, as the journey step assigns it.
    const { experimentId, arm } = armOfRun(truth.experiment, customerId, null);
    const customerKey = await results.customerKeyOf(customerId);
    const message = arm.holdout
      ? undefined
      : {
          stepId: STEP,
          channel: 'email' as const,
          variant: arm.variant ?? 'friendly',
          locale: 'nl',
          at: decidedAt,
        };
    const context: RunResultContext = {
      segment: 'default',
      experimentId,
      arm: arm.id,
      ...(message ? { lastMessage: message } : {}),
    };
    const dims = resultDimsOf(
      { journeyId: JOURNEY, stepId: STEP, ...context, ...(message ?? {}) },
      decidedAt,
    );
    const fact = (
      kind: ResultEvent['kind'],
      eventId: string,
      extra: Partial<ResultEvent> = {},
    ): ResultEvent => ({
      eventId,
      at: decidedAt,
      kind,
      dims,
      runId,
      customerKey,
      ...extra,
    });
    await results.record(fact('planned', `planned:${runId}#${STEP}`));
    if (message && deliveries) {
      await results.record(fact('sent', `sent:${runId}#${STEP}`, { costMicroUsd: { delivery: 120 } }));
      // A redelivered provider event: counted once.
      await results.record(fact('delivered', `delivered:${runId}`));
      await results.record(fact('delivered', `delivered:${runId}`));
    }
    if (random() < (truth.rates[arm.id] ?? 0)) {
      // The goal as the goal paths record it: the run's outcome, attributed to its last message and arm.
      const paidAt = new Date(Date.parse(decidedAt) + Math.floor(random() * 15 * 86_400_000)).toISOString();
      const outcome = runOutcomeOf('goal-reached', { startedAt }, context, paidAt, {
        goalEvent: 'invoice.paid',
      });
      const goal = outcomeEvent({ runId, journeyId: JOURNEY, customerKey }, context, outcome);
      await results.record(goal);
      if (deliveries) await results.record(goal);
    }
  }
  return results;
}

const abTest: Truth = {
  experiment: {
    id: 'first-reminder-text',
    arms: [
      { id: 'control', weight: 45 },
      { id: 'b', weight: 45, variant: 'firm' },
      { id: 'holdout', weight: 10, holdout: true },
    ],
  },
  // Arm B converts 5 points better than control, the holdout 10 points worse.
  rates: { control: 0.3, b: 0.35, holdout: 0.2 },
};

describe('results statistics on 20,000 generated customers', () => {
  it('recovers each arm’s conversion and each effect against control inside its interval', async () => {
    const results = await driveCustomers(abTest, 20_000, 1);
    const report = resultsReport(await results.readResults(JOURNEY, DAY, LAST_DAY), {
      journeyId: JOURNEY,
      from: DAY,
      to: LAST_DAY,
      by: ['arm'],
    });
    const [experiment] = report.experiments;
    expect(experiment?.stepId).toBe(STEP);
    const arm = (id: string) => experiment?.arms.find((a) => a.arm === id);
    const planned = ['control', 'b', 'holdout'].map((id) => arm(id)?.planned ?? 0);
    expect(planned.reduce((a, b) => a + b, 0)).toBe(20_000);
    // The hash splits by the weights: 45 / 45 / 10 within a percent point.
    expect(planned.map((n) => Math.round(n / 200))).toEqual([45, 45, 10]);

    for (const [id, rate] of Object.entries(abTest.rates)) {
      const { interval } = arm(id) ?? { interval: { low: 1, high: 0 } };
      expect(interval.low, `${id} interval`).toBeLessThanOrEqual(rate);
      expect(interval.high, `${id} interval`).toBeGreaterThanOrEqual(rate);
    }
    const b = arm('b')?.versusControl;
    expect(b?.interval.low).toBeLessThanOrEqual(0.05);
    expect(b?.interval.high).toBeGreaterThanOrEqual(0.05);
    const holdout = arm('holdout')?.versusControl;
    expect(holdout?.interval.low).toBeLessThanOrEqual(-0.1);
    expect(holdout?.interval.high).toBeGreaterThanOrEqual(-0.1);

    // With 9,000 customers per arm the horizon of a five-point effect is reached, and both effects are found.
    expect(experiment?.requiredPerArm).toBeLessThan(arm('control')?.planned ?? 0);
    expect(arm('b')?.verdict).toBe('better');
    expect(arm('holdout')?.verdict).toBe('worse');

    // Redelivered events counted once: one delivery per message sent, one goal per run.
    const sent = report.groups.reduce((sum, g) => sum + g.counts.sent, 0);
    const delivered = report.groups.reduce((sum, g) => sum + g.counts.delivered, 0);
    expect(delivered).toBe(sent);
    expect(report.totals.counts.goalReached).toBe(results.eventsOf('goalReached').length);
    // The holdout sends nothing, so its goals cost nothing in delivery.
    expect(arm('holdout')?.costUsd.delivery).toBe(0);
    expect(arm('control')?.costPerGoalUsd).toBeCloseTo(
      ((arm('control')?.planned ?? 0) * 120) / (arm('control')?.goalReached ?? 1) / 1_000_000,
      12,
    );
  });

  it('declares a winner in an A/A experiment no more often than its error rate, over repeated seeds', async () => {
    const aa: Truth = {
      experiment: {
        id: 'first-reminder-aa',
        arms: [
          { id: 'control', weight: 50 },
          { id: 'b', weight: 50 },
        ],
      },
      rates: { control: 0.3, b: 0.3 },
    };
    const seeds = 200;
    const customersPerSeed = 700;
    // A twelve-point effect needs about 250 customers per arm from a 30 % baseline: each seed's 350 reach it.
    const minimumDetectableEffect = 0.12;
    const verdicts: string[] = [];
    for (let seed = 1; seed <= seeds; seed++) {
      const results = await driveCustomers(aa, customersPerSeed, 10_000 + seed, { deliveries: false });
      const report = resultsReport(await results.readResults(JOURNEY, DAY, LAST_DAY), {
        journeyId: JOURNEY,
        from: DAY,
        to: LAST_DAY,
        by: [],
        minimumDetectableEffect,
      });
      verdicts.push(report.experiments[0]?.arms.find((a) => a.arm === 'b')?.verdict ?? 'missing');
    }
    // Every seed is tested (none stays short of the horizon), so the count below measures the test.
    expect(verdicts.filter((v) => v === 'no-winner-yet' || v === 'missing')).toEqual([]);
    const winners = verdicts.filter((v) => v === 'better' || v === 'worse').length;
    const alpha = 0.05;
    // At most alpha, plus three standard deviations of a binomial count over the seeds.
    const tolerance = 3 * Math.sqrt(seeds * alpha * (1 - alpha));
    expect(winners).toBeLessThanOrEqual(seeds * alpha + tolerance);
  });
});
