/**
 * The cost model prices what it counts: the arithmetic against the dated price table, one customer
 * down the email-only path through the local runtime, counted as a user would check it (every
 * reminder sent and delivered by email, their SES calls, transitions and request units), and a
 * hand-over, metered as the event EventBridge bills.
 */
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '#adapters/policy-file.ts';
import {
  loadPrices,
  measurePath,
  PATHS,
  priceUsage,
  type Usage,
  unconfirmedPrices,
} from '../bench/cost-model.ts';

const nothing: Usage = {
  journeyId: 'payment-reminder',
  path: 'test',
  customers: 1000,
  transitions: 0,
  expressExecutions: 0,
  expressTransitions: 0,
  lambdaInvocations: 0,
  lambdaBilledMs: 0,
  readUnits: 0,
  writeUnits: 0,
  rateLimitedSends: 0,
  apiRequests: 0,
  eventBridgeEvents: 0,
  schedulerInvocations: 0,
  sesCalls: 0,
  sesBytes: 0,
  smsCalls: 0,
  smsParts: 0,
  emailsDelivered: 0,
  smsDelivered: 0,
  letters: 0,
  lettersUsd: 0,
  calls: 0,
  callsUsd: 0,
};

describe('cost model', () => {
  const prices = loadPrices();

  it('dates the price table and gives every price its unit, region, pricing page and source', () => {
    expect(prices.region).toBe('eu-west-1');
    expect(prices.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const [name, entry] of Object.entries(prices.prices)) {
      expect(entry.usd, name).toBeGreaterThan(0);
      expect(entry.unit.length, name).toBeGreaterThan(3);
      expect(entry.region, name).toMatch(/eu-west-1|us-east-1|Netherlands|United States/);
      expect(entry.page, name).toMatch(/^https:\/\/aws\.amazon\.com\/[a-z-]+\/pricing\//);
      expect(entry.source.length, name).toBeGreaterThan(20);
      expect(entry.sourceUrl, name).toMatch(/^https:\/\//);
      expect(typeof entry.check, name).toBe('boolean');
    }
  });

  it('marks a price confirmed only with an eu-west-1 source (and its date where it states one), and says what was searched for the rest', () => {
    for (const [name, entry] of Object.entries(prices.prices)) {
      if (entry.check) {
        expect(entry.searched?.length ?? 0, name).toBeGreaterThan(10);
      } else {
        expect(entry.region, name).toBe('eu-west-1');
        expect(entry.sourceDate, name).toMatch(/^\d{4}-\d{2}-\d{2}$|^not stated/);
      }
    }
    // The prices that carry most of the bill are confirmed.
    for (const name of [
      'stepFunctionsStandardPerTransition',
      'lambdaArmPerGbSecond',
      'dynamoDbOnDemandPerWriteUnit',
    ]) {
      expect(prices.prices[name]?.check, name).toBe(false);
    }
    expect(unconfirmedPrices(prices)).toContain('smsPerMessageNL');
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
  });

  it('prices SMS per part: 1,000 messages of 3 parts cost three times 1,000 single-part ones', () => {
    const single = priceUsage({ ...nothing, smsCalls: 1000, smsParts: 1000, smsDelivered: 1000 }, prices);
    const long = priceUsage({ ...nothing, smsCalls: 1000, smsParts: 3000, smsDelivered: 1000 }, prices);
    expect(single.delivery.smsNL).toBeCloseTo(1000 * (prices.prices.smsPerMessageNL?.usd ?? Number.NaN), 6);
    expect(long.delivery.smsNL).toBeCloseTo(3 * single.delivery.smsNL, 6);
    expect(long.delivery.smsUS).toBeCloseTo(3 * single.delivery.smsUS, 6);
  });

  it('prices letters and calls at the policy’s unit prices, and counts them as messages', () => {
    const priced = priceUsage(
      { ...nothing, letters: 2000, lettersUsd: 3500, calls: 1000, callsUsd: 3200 },
      prices,
    );
    expect(priced.delivery.letter).toBeCloseTo(3500, 6);
    expect(priced.delivery.phone).toBeCloseTo(3200, 6);
    expect(priced.messages).toBe(3000);
    expect(priced.orchestration.total).toBe(0);
  });

  it("prices a hand-over event per customer at EventBridge's price, and no message as no yardstick", () => {
    const priced = priceUsage({ ...nothing, eventBridgeEvents: 1000 }, prices);
    expect(priced.orchestration.eventBridge).toBeCloseTo(1000 * 0.000001, 9);
    expect(priced.orchestration.total).toBeCloseTo(priced.orchestration.eventBridge, 9);
    expect(priced.orchestrationPer1000Messages).toBe(0);
  });

  it('counts a real run: one customer, email only, every reminder by email', async () => {
    const path = PATHS.find((p) => p.name.includes('email only'));
    if (!path) throw new Error('no email-only path');
    const usage = await measurePath(path, 1);
    expect(usage.sesCalls).toBeGreaterThanOrEqual(2);
    expect(usage.emailsDelivered).toBe(usage.sesCalls);
    expect(usage.smsCalls).toBe(0);
    expect(usage.apiRequests).toBe(1);
    // Three messages and the hand-over: the first Wait, Task + Wait per message, the hand-over's Task (the read
    // check is a callback the step completes itself when nothing is to be checked).
    expect(usage.transitions).toBeGreaterThanOrEqual(8);
    expect(usage.lambdaInvocations).toBeGreaterThanOrEqual(usage.transitions / 4);
    // Two timeline entries with the rendered bodies alone are more than a kilobyte each.
    expect(usage.writeUnits).toBeGreaterThan(usage.sesCalls * 2);
    expect(usage.readUnits).toBeGreaterThan(0);
    // Never paid: after the final notice the run hands the invoice over to a person.
    expect(usage.eventBridgeEvents).toBe(1);
  });

  it('counts a senior reached on paper and by phone: two letters and a call at the policy’s Dutch prices', async () => {
    const path = PATHS.find((p) => p.name.includes('letters and a call'));
    if (!path) throw new Error('no letters-and-a-call path');
    const usage = await measurePath(path, 1);
    const policy = loadPolicy();
    expect(usage).toMatchObject({ letters: 2, calls: 1, sesCalls: 0, smsCalls: 0 });
    expect(usage.lettersUsd).toBeCloseTo(2 * (policy.channelCosts.letter?.byCountry.NL ?? Number.NaN), 6);
    expect(usage.callsUsd).toBeCloseTo(policy.channelCosts.phone?.byCountry.NL ?? Number.NaN, 6);
    // The call task and the hand-over after the final notice: two events on the stage's bus.
    expect(usage.eventBridgeEvents).toBe(2);
  });

  it('counts a run its exit event stops mid-wait: the confirmation only, no hand-over', async () => {
    const path = PATHS.find((p) => p.journeyId === 'appointment' && p.event);
    if (!path) throw new Error('no appointment path with an event');
    const usage = await measurePath(path, 1);
    expect(usage.sesCalls).toBe(1);
    expect(usage.smsCalls).toBe(0);
    // The start and the cancellation.
    expect(usage.apiRequests).toBe(2);
    expect(usage.eventBridgeEvents).toBe(0);
  });

  it('counts the hand-over of a customer it cannot reach as one EventBridge event, sending nothing', async () => {
    const path = PATHS.find((p) => p.journeyId === 'onboarding' && p.name.includes('hand-over'));
    if (!path) throw new Error('no onboarding hand-over path');
    const usage = await measurePath(path, 1);
    expect(usage.eventBridgeEvents).toBe(1);
    expect(usage.sesCalls + usage.smsCalls).toBe(0);
    expect(usage.transitions).toBeGreaterThan(0);
  });
});
