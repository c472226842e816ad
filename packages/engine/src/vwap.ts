import type { PriceLevel } from '@arbitrage/core';

/** Relative tolerance under which a walk counts as having filled the whole size (float residue). */
export const FULL_FILL_TOLERANCE = 1e-9;

/**
 * The volume-weighted price for taking exactly `size` from `levels`, or NaN when the side cannot
 * fill all of it. Allocation-free: this is the hot-path form of core's `vwapLevels`.
 */
export function fullFillPrice(levels: readonly PriceLevel[], size: number): number {
  if (!(size > 0)) return Number.NaN;
  let remaining = size;
  let notional = 0;
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]!;
    const take = Math.min(remaining, level[1]);
    if (take <= 0) continue;
    notional += take * level[0];
    remaining -= take;
    if (remaining <= size * FULL_FILL_TOLERANCE) return notional / (size - remaining);
  }
  return Number.NaN;
}
