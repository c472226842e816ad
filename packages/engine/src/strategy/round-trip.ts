import { directionQuote, exitPremium, type PremiumFees, type PremiumQuote } from '../premium.js';
import type { Direction } from '../types.js';

/**
 * The mid premium as a pair of `direction` sees it: how much dearer the asset is on the venue the
 * pair sells on. For a sell-KRW pair that is the premium itself; for a buy-KRW pair, 1 / (1 + p) − 1.
 */
export function pairPremium(direction: Direction, midPremium: number): number {
  return direction === 'sell_krw_buy_usdt' ? midPremium : 1 / (1 + midPremium) - 1;
}

/**
 * The mid premium at which a pair of `direction` has converged: the reference moved by `band`
 * towards the side the pair opened on (above it for sell-KRW pairs, below it for buy-KRW pairs).
 */
export function convergenceTarget(direction: Direction, reference: number, band: number): number {
  return direction === 'sell_krw_buy_usdt' ? reference + band : reference - band;
}

/**
 * What unwinding a pair of `direction` would cost now beyond the mid, in its premium's terms: the
 * unwind's two taker fees, half of both spreads and any depth walked for the size.
 */
export function unwindCost(quote: PremiumQuote, direction: Direction): number {
  return exitPremium(quote, direction) - pairPremium(direction, quote.midPremium);
}

/** What opening a pair of `direction` costs now beyond the mid: both taker fees, half of both spreads, depth. */
export function entryCost(quote: PremiumQuote, direction: Direction): number {
  return pairPremium(direction, quote.midPremium) - directionQuote(quote, direction).netPremium;
}

/**
 * The return of opening a pair of `direction` now and closing it when the mid premium reaches
 * `target`, net of all four taker fees and both spreads, assuming the unwind then costs what it
 * costs now (engine README, "Entry and exit"):
 * ```
 * expectedExit   = pairPremium(target) + unwindCost
 * expectedProfit = (1 + entryNet) / (1 + expectedExit) − 1
 * ```
 */
export function expectedProfit(quote: PremiumQuote, direction: Direction, target: number): number {
  const entryNet = directionQuote(quote, direction).netPremium;
  const expectedExit = pairPremium(direction, target) + unwindCost(quote, direction);
  return (1 + entryNet) / (1 + expectedExit) - 1;
}

/**
 * A premium taken at a USDT/KRW rate of `from`, re-stated at `to` with the KRW and USDT prices
 * unchanged. A pair has no USDT/KRW leg, so a move of the rate alone changes the premium without
 * changing what the pair earns: targets and stops set at entry are re-stated at the current rate.
 */
export function repriced(premium: number, from: number, to: number): number {
  return ((1 + premium) * from) / to - 1;
}

/**
 * The premium move a pair of `direction` needs to break even at the quote's size, if it opened and
 * closed on books like these: all four fees plus both spreads (and depth). Opening and unwinding at
 * once loses exactly this.
 */
export function breakEvenMove(quote: PremiumQuote, direction: Direction): number {
  return (1 + exitPremium(quote, direction)) / (1 + directionQuote(quote, direction).netPremium) - 1;
}

/** The part of any round trip that is fees alone: two taker fees on each venue (and the conversion leg's, if traded). */
export function roundTripFees(fees: PremiumFees): number {
  const kept = (1 - fees.krw) * (1 - fees.usdt) * (1 - fees.conversion);
  const paid = (1 + fees.krw) * (1 + fees.usdt) * (1 + fees.conversion);
  return paid / kept - 1;
}

/**
 * The mid premium at which a pair of `direction` would open, on books shaped like the quote's
 * (same spreads and depth): where `expectedProfit` reaches `minProfit` for `target`. `pairPremium`
 * is its own inverse, which turns the pair's view back into a premium.
 */
export function openingPremium(
  quote: PremiumQuote,
  direction: Direction,
  target: number,
  minProfit: number,
): number {
  const expectedExit = pairPremium(direction, target) + unwindCost(quote, direction);
  return pairPremium(direction, (1 + minProfit) * (1 + expectedExit) - 1 + entryCost(quote, direction));
}
