/**
 * The Dutch statutory scale of extrajudicial collection costs ("buitengerechtelijke incassokosten"),
 * exactly, in euro cents. Sources (checked against the texts):
 * - Besluit vergoeding voor buitengerechtelijke incassokosten (Besluit van 27 maart 2012, Stb. 2012,
 *   141, https://zoek.officielebekendmakingen.nl/stb-2012-141.html), art. 2 lid 1: 15 % of the principal ("hoofdsom") over the first € 2,500, 10 % over
 *   the next € 2,500, 5 % over the next € 5,000, 1 % over the next € 190,000, 0.5 % over the rest, with
 *   a maximum of € 6,775; lid 2: at least € 40; lid 3: raised by the VAT percentage (art. 9 lid 1 Wet
 *   op de omzetbelasting 1968) when the creditor cannot deduct the VAT it pays on the collection.
 * - Art. 6:96 lid 5 BW: the scale binds when the debtor is a consumer (lid 6: only after the fourteen-day
 *   notice, `./payment-term.ts`).
 * Rounding: the scale is summed exactly in tenths of a percent of cents, then rounded to whole cents half
 * up (the law states no rounding; half up never lowers the amount by more than half a cent); the VAT is
 * rounded the same way on the rounded costs. The principal is the invoice's amount in euro: interest is
 * not part of it.
 */
import { amountOfMinorUnits, minorUnitsOf } from './money.ts';

/** A band of the scale: its width in cents (null: the rest) and its rate in tenths of a percent. */
interface Band {
  widthCents: bigint | null;
  perMille: bigint;
}

const SCALE: readonly Band[] = [
  { widthCents: 250_000n, perMille: 150n },
  { widthCents: 250_000n, perMille: 100n },
  { widthCents: 500_000n, perMille: 50n },
  { widthCents: 19_000_000n, perMille: 10n },
  { widthCents: null, perMille: 5n },
];

/** Art. 2 lid 2: the costs are at least € 40. */
export const MINIMUM_COSTS = '40.00';
/** Art. 2 lid 1: the costs are at most € 6,775 (reached from a principal of € 1,000,000). */
export const MAXIMUM_COSTS = '6775.00';
const MINIMUM_CENTS = 4_000n;
const MAXIMUM_CENTS = 677_500n;

/** The costs as a notice states them: euro decimal strings with two decimals. */
export interface CollectionCosts {
  /** The scale's costs, before VAT: between € 40 and € 6,775. */
  costs: string;
  /** The VAT added on them ("0.00" when the policy adds none). */
  vat: string;
  /** Costs plus VAT: what is charged when the term runs out unpaid. */
  total: string;
}

/** Returns `numerator / denominator` rounded to a whole number half up (both positive). */
function roundHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (denominator * 2n);
}

/** Returns the scale's costs in cents for a principal in cents, before the minimum and the maximum. */
function scaleCents(principalCents: bigint): bigint {
  let rest = principalCents;
  let perMilleCents = 0n;
  for (const band of SCALE) {
    if (rest <= 0n) break;
    const inBand = band.widthCents === null || rest < band.widthCents ? rest : band.widthCents;
    perMilleCents += inBand * band.perMille;
    rest -= inBand;
  }
  return roundHalfUp(perMilleCents, 1_000n);
}

/**
 * Returns the statutory collection costs of a principal in euro (a decimal string with at most two
 * decimals, e.g. `"125.50"`), with VAT at `vatRatePercent` added when given (art. 2 lid 3), else none.
 * Throws on an amount that is not such a decimal.
 */
export function statutoryCollectionCosts(principal: string, vatRatePercent?: number): CollectionCosts {
  const cents = minorUnitsOf(principal, 2);
  const raw = scaleCents(cents);
  const costs = raw < MINIMUM_CENTS ? MINIMUM_CENTS : raw > MAXIMUM_CENTS ? MAXIMUM_CENTS : raw;
  const vat = vatRatePercent ? roundHalfUp(costs * BigInt(vatRatePercent), 100n) : 0n;
  return {
    costs: amountOfMinorUnits(costs, 2),
    vat: amountOfMinorUnits(vat, 2),
    total: amountOfMinorUnits(costs + vat, 2),
  };
}
