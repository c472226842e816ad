import type { PriceLevel, VwapResult } from './types.js';

/**
 * Walks levels best first for a requested size. Shared by OrderBook.vwap (over its typed arrays) and
 * vwapLevels (over snapshot arrays) so both give identical answers for identical levels.
 *
 * A requested size that is not a positive number (0, negative, NaN) fills nothing; Infinity walks the
 * whole side. When the walk fills the request, `filledSize` is exactly the requested size (no float
 * residue from summing partial fills).
 */
export class VwapWalk {
  private remaining: number;
  private filled = 0;
  private notional = 0;
  private worstPrice = Number.NaN;
  private levels = 0;

  constructor(private readonly requested: number) {
    this.remaining = Math.max(requested, 0);
  }

  /** Whether more size is wanted. */
  get wanting(): boolean {
    return this.remaining > 0;
  }

  /** Takes what it needs from one level. Levels of size <= 0 are ignored. */
  take(price: number, available: number): void {
    if (!(available > 0)) return;
    const take = Math.min(available, this.remaining);
    this.notional += take * price;
    this.filled += take;
    this.remaining -= take;
    this.worstPrice = price;
    this.levels++;
  }

  result(): VwapResult {
    const filledSize = this.requested > 0 && this.remaining === 0 ? this.requested : this.filled;
    return {
      averagePrice: filledSize > 0 ? this.notional / filledSize : Number.NaN,
      filledSize,
      notional: this.notional,
      worstPrice: this.worstPrice,
      levels: this.levels,
    };
  }
}

/**
 * The volume-weighted price of walking `levels` (best first, as in an OrderBookSnapshot) for `size`
 * base units. Walk `snapshot.asks` for a taker buy and `snapshot.bids` for a taker sell.
 */
export function vwapLevels(levels: readonly PriceLevel[], size: number): VwapResult {
  const walk = new VwapWalk(size);
  for (let i = 0; i < levels.length && walk.wanting; i++) {
    const level = levels[i]!;
    walk.take(level[0], level[1]);
  }
  return walk.result();
}
