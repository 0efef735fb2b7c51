import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readDataFile } from '#adapters/data-file.ts';
import {
  microUsd,
  type OrchestrationPrices,
  orchestrationMicroUsd,
  TRANSITIONS_PER_VISIT,
  visitUnits,
} from '#core/result-cost.ts';

const runtimePrices = readDataFile('orchestration-prices.json') as OrchestrationPrices & { region: string };
const bench = JSON.parse(readFileSync(new URL('../../bench/prices.json', import.meta.url), 'utf8')) as {
  region: string;
  prices: Record<string, { usd: number }>;
};

describe('the cost of a result', () => {
  it('prices a step visit with the benchmark’s prices, in the same region', () => {
    expect(runtimePrices.region).toBe(bench.region);
    for (const name of [
      'stepFunctionsStandardPerTransition',
      'lambdaPerRequest',
      'lambdaArmPerGbSecond',
      'dynamoDbOnDemandPerWriteUnit',
    ] as const) {
      expect(runtimePrices[name], name).toBe(bench.prices[name]?.usd);
    }
  });

  it('counts a visit’s transitions, invocation, GB-seconds and writes, in whole micro-USD', () => {
    const units = visitUnits(300, 512, 10);
    expect(units).toEqual({
      transitions: TRANSITIONS_PER_VISIT,
      lambdaInvocations: 1,
      lambdaGbSeconds: 0.15,
      dynamoDbWrites: 10,
    });
    // 2 × 25 + 0.2 + 0.15 × 13.3334 + 10 × 0.705 micro-USD = 59.25…
    expect(orchestrationMicroUsd(units, runtimePrices)).toBe(59);
    expect(microUsd(0.095)).toBe(95_000);
    expect(microUsd(0.0001)).toBe(100);
  });
});
