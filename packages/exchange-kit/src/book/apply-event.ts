import type { OrderBook } from '@arbitrage/core';

/** Levels in parallel arrays, best first per side: what a parser leaves (BookEvent, or a plugin's own frame). */
export interface BookLevels {
  readonly bidCount: number;
  readonly askCount: number;
  readonly bidPrices: ArrayLike<number>;
  readonly bidSizes: ArrayLike<number>;
  readonly askPrices: ArrayLike<number>;
  readonly askSizes: ArrayLike<number>;
}

/** Sets every level of a delta (size 0 removes the level). */
export function applyDelta(book: OrderBook, event: BookLevels): void {
  const bidPrices = event.bidPrices;
  const bidSizes = event.bidSizes;
  for (let i = 0; i < event.bidCount; i++) book.set('bid', bidPrices[i]!, bidSizes[i]!);
  const askPrices = event.askPrices;
  const askSizes = event.askSizes;
  for (let i = 0; i < event.askCount; i++) book.set('ask', askPrices[i]!, askSizes[i]!);
}

/**
 * Replaces the book with a full book's best `depth` levels per side (best first in the event).
 * Levels go in worst first, so every insert lands at the busy end of the side: no shifting.
 */
export function replaceBook(book: OrderBook, event: BookLevels, depth = Number.POSITIVE_INFINITY): void {
  book.clear();
  for (let i = Math.min(event.askCount, depth) - 1; i >= 0; i--) {
    book.set('ask', event.askPrices[i]!, event.askSizes[i]!);
  }
  for (let i = Math.min(event.bidCount, depth) - 1; i >= 0; i--) {
    book.set('bid', event.bidPrices[i]!, event.bidSizes[i]!);
  }
}

/** Best bid >= best ask in a full book's levels (NaN-safe: an empty side is never crossed). */
export function crossedLevels(event: BookLevels): { bid: number; ask: number } | undefined {
  if (event.bidCount === 0 || event.askCount === 0) return undefined;
  const bid = event.bidPrices[0]!;
  const ask = event.askPrices[0]!;
  return bid >= ask ? { bid, ask } : undefined;
}
