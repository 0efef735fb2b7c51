/**
 * The statutory scale for any principal: never below € 40 nor above € 6,775, never less for a larger
 * principal, a cent more principal costs at most a cent more (the steepest band is 15 %), and VAT is
 * the costs' share at the rate, to the cent.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { statutoryCollectionCosts } from '#core/collection-costs.ts';
import { amountOfMinorUnits } from '#core/money.ts';

const centsArb = fc.oneof(
  fc.bigInt({ min: 1n, max: 2_000_000n }),
  fc.bigInt({ min: 1n, max: 150_000_000n }),
  fc.bigInt({ min: 1n, max: 100_000_000_000_000n }),
);
const cents = (amount: string) => BigInt(amount.replace('.', ''));

describe('statutory collection costs (property)', () => {
  it('stay between the minimum and the maximum', () => {
    fc.assert(
      fc.property(centsArb, (principal) => {
        const costs = cents(statutoryCollectionCosts(amountOfMinorUnits(principal, 2)).costs);
        expect(costs).toBeGreaterThanOrEqual(4_000n);
        expect(costs).toBeLessThanOrEqual(677_500n);
      }),
    );
  });

  it('never fall as the principal grows, and a cent more costs at most a cent more', () => {
    fc.assert(
      fc.property(centsArb, fc.bigInt({ min: 0n, max: 5_000_000n }), (principal, more) => {
        const at = (c: bigint) => cents(statutoryCollectionCosts(amountOfMinorUnits(c, 2)).costs);
        expect(at(principal + more)).toBeGreaterThanOrEqual(at(principal));
        expect(at(principal + 1n) - at(principal)).toBeLessThanOrEqual(1n);
      }),
    );
  });

  it('add VAT at the rate on the costs, to the cent, and total both', () => {
    fc.assert(
      fc.property(centsArb, fc.integer({ min: 0, max: 30 }), (principal, rate) => {
        const charged = statutoryCollectionCosts(amountOfMinorUnits(principal, 2), rate);
        const exactVatTimes100 = cents(charged.costs) * BigInt(rate);
        expect(cents(charged.vat) * 100n - exactVatTimes100).toBeLessThanOrEqual(50n);
        expect(exactVatTimes100 - cents(charged.vat) * 100n).toBeLessThan(50n);
        expect(cents(charged.total)).toBe(cents(charged.costs) + cents(charged.vat));
      }),
    );
  });
});
