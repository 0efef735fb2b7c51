import { describe, expect, it } from 'vitest';
import { statutoryCollectionCosts } from '#core/collection-costs.ts';

const costs = (principal: string) => statutoryCollectionCosts(principal).costs;

describe('statutory collection costs (Besluit vergoeding voor buitengerechtelijke incassokosten, art. 2)', () => {
  it('charges the minimum of € 40 up to the principal where 15 % reaches it (€ 266.67)', () => {
    expect(costs('0.01')).toBe('40.00');
    expect(costs('125.50')).toBe('40.00');
    expect(costs('266.66')).toBe('40.00');
    expect(costs('266.67')).toBe('40.00');
    // 15 % of 266.70 is 40.005: half a cent rounds up.
    expect(costs('266.70')).toBe('40.01');
    expect(costs('300.00')).toBe('45.00');
  });

  it('charges 15 % over the first € 2,500', () => {
    expect(costs('1234.56')).toBe('185.18');
    expect(costs('2499.99')).toBe('375.00');
    expect(costs('2500.00')).toBe('375.00');
  });

  it('charges 10 % over the next € 2,500 (to € 5,000)', () => {
    expect(costs('2510.00')).toBe('376.00');
    expect(costs('3000.00')).toBe('425.00');
    expect(costs('5000.00')).toBe('625.00');
  });

  it('charges 5 % over the next € 5,000 (to € 10,000)', () => {
    expect(costs('5010.00')).toBe('625.50');
    expect(costs('10000.00')).toBe('875.00');
  });

  it('charges 1 % over the next € 190,000 (to € 200,000)', () => {
    expect(costs('10100.00')).toBe('876.00');
    expect(costs('200000.00')).toBe('2775.00');
  });

  it('charges 0.5 % above € 200,000, at most € 6,775 (reached at € 1,000,000)', () => {
    expect(costs('200200.00')).toBe('2776.00');
    expect(costs('999999.99')).toBe('6775.00');
    expect(costs('1000000.00')).toBe('6775.00');
    expect(costs('1000000.01')).toBe('6775.00');
    expect(costs('25000000.00')).toBe('6775.00');
  });

  it('adds VAT on the costs only when asked (art. 2 lid 3), rounded to the cent', () => {
    expect(statutoryCollectionCosts('125.50')).toEqual({ costs: '40.00', vat: '0.00', total: '40.00' });
    expect(statutoryCollectionCosts('125.50', 21)).toEqual({ costs: '40.00', vat: '8.40', total: '48.40' });
    expect(statutoryCollectionCosts('1234.56', 21)).toEqual({
      costs: '185.18',
      vat: '38.89',
      total: '224.07',
    });
    expect(statutoryCollectionCosts('2000000', 21)).toEqual({
      costs: '6775.00',
      vat: '1422.75',
      total: '8197.75',
    });
  });

  it('refuses an amount that is not euro with at most two decimals', () => {
    expect(() => costs('12.505')).toThrow(/2 decimals/);
    expect(() => costs('-5')).toThrow();
  });
});
