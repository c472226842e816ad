import type { BookSide, PriceLevel, VwapResult } from './types.js';

/** Read access to a local order book. Implemented by OrderBook; handed to consumers without copying. */
export interface ReadonlyOrderBook {
  /** Increases by one on every change; equal versions mean equal contents. */
  readonly version: number;
  /** Number of levels on a side. */
  depth(side: BookSide): number;
  /** Best price on a side, or NaN when the side is empty. Allocates nothing. */
  bestPrice(side: BookSide): number;
  /** Size at the best price, or NaN when the side is empty. */
  bestSize(side: BookSide): number;
  bestBid(): PriceLevel | undefined;
  bestAsk(): PriceLevel | undefined;
  /** The best `n` levels of a side, best first. */
  top(side: BookSide, n: number): PriceLevel[];
  /**
   * Walks `side` from its best level for `size` (base units): the average price a taker would get.
   * A taker buy walks 'ask', a taker sell walks 'bid'.
   */
  vwap(side: BookSide, size: number): VwapResult;
  /** Best bid >= best ask. An empty side is never crossed. */
  isCrossed(): boolean;
}
