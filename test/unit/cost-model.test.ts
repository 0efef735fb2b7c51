/**
 * The cost model prices what it counts: the arithmetic against the dated price table, and one
 * customer down the email-only path through the local runtime, counted as a user would check it
 * (every reminder sent and delivered by email, their SES calls, transitions and request units).
 */
import { describe, expect, it } from 'vitest';
import { loadPrices, measurePath, PATHS, priceUsage, type Usage } from '../bench/cost-model.ts';

const nothing: Usage = {
  path: 'test',
  customers: 1000,
  transitions: 0,
  expressExecutions: 0,
  expressTransitions: 0,
  lambdaInvocations: 0,
  lambdaBilledMs: 0,
  readUnits: 0,
  writeUnits: 0,
  apiRequests: 0,
  schedulerInvocations: 0,
  sesCalls: 0,
  sesBytes: 0,
  smsCalls: 0,
  emailsDelivered: 0,
  smsDelivered: 0,
};

describe('cost model', () => {
  const prices = loadPrices();

  it('dates the price table and gives every price a source and the region', () => {
    expect(prices.region).toBe('eu-west-1');
    expect(prices.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const entry of Object.values(prices.prices)) {
      expect(entry.usd).toBeGreaterThan(0);
      expect(entry.source.length).toBeGreaterThan(20);
    }
  });

  it('prices 10 transitions, 2 emails and a 512 MB second per customer, per 1,000 customers', () => {
    const priced = priceUsage(
      { ...nothing, transitions: 10_000, sesCalls: 2000, emailsDelivered: 2000, lambdaBilledMs: 1_000_000 },
      prices,
    );
    expect(priced.orchestration.stepFunctions).toBeCloseTo(10_000 * 0.000025, 6);
    expect(priced.orchestration.lambdaDuration).toBeCloseTo(1000 * 0.5 * 0.0000133334, 6);
    expect(priced.delivery.email).toBeCloseTo(0.2, 6);
    expect(priced.orchestrationPer1000Messages).toBeCloseTo(priced.orchestration.total / 2, 6);
    expect(priced.designBPer1000Messages).toBeCloseTo(
      priced.orchestrationPer1000Messages - priced.orchestration.stepFunctions / 2 + 3 * 0.025,
      6,
    );
  });

  it('counts a real run: one customer, email only, every reminder by email', async () => {
    const path = PATHS.find((p) => p.name.includes('email only'));
    if (!path) throw new Error('no email-only path');
    const usage = await measurePath(path, 1);
    expect(usage.sesCalls).toBeGreaterThanOrEqual(2);
    expect(usage.emailsDelivered).toBe(usage.sesCalls);
    expect(usage.smsCalls).toBe(0);
    expect(usage.apiRequests).toBe(1);
    expect(usage.transitions).toBeGreaterThanOrEqual(10);
    expect(usage.lambdaInvocations).toBeGreaterThanOrEqual(usage.transitions / 4);
    // Two timeline entries with the rendered bodies alone are more than a kilobyte each.
    expect(usage.writeUnits).toBeGreaterThan(usage.sesCalls * 2);
    expect(usage.readUnits).toBeGreaterThan(0);
  });
});
