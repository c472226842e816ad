import type { PriceLevel } from '@arbitrage/core';
import { FULL_FILL_TOLERANCE } from '../vwap.js';

export interface FillableSize {
  /** How much of the size the book (and the quote budget) allows. */
  readonly size: number;
  /** What stopped the walk short of the size, if anything. */
  readonly limitedBy: 'none' | 'depth' | 'balance';
}

/**
 * How much of `size` a taker can take from `levels` (best first) when each unit at price p costs
 * p × (1 + feeRate) out of `quoteBudget` (pass Infinity for sells, whose balance limit is on the
 * base asset and applied before the walk).
 */
export function fillableSize(
  levels: readonly PriceLevel[],
  size: number,
  quoteBudget: number,
  feeRate: number,
): FillableSize {
  let remaining = size;
  let budget = quoteBudget;
  for (let i = 0; i < levels.length && remaining > size * FULL_FILL_TOLERANCE; i++) {
    const [price, available] = levels[i]!;
    const unitCost = price * (1 + feeRate);
    const affordable = budget / unitCost;
    const take = Math.max(0, Math.min(remaining, available, affordable));
    remaining -= take;
    budget -= take * unitCost;
    if (affordable < Math.min(remaining + take, available)) {
      return { size: size - remaining, limitedBy: 'balance' };
    }
  }
  if (remaining > size * FULL_FILL_TOLERANCE) return { size: size - remaining, limitedBy: 'depth' };
  return { size, limitedBy: 'none' };
}
