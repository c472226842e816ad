import type { OrderBook } from '@arbitrage/core';
import type { BookFrame } from './book-frame.js';

/**
 * Replaces `book` with a validated frame's best `depth` levels per side. Levels go in worst first,
 * so every insert lands at the end of the side's array (no shifting, no allocation).
 */
export function applyFrame(book: OrderBook, frame: BookFrame, depth: number): void {
  book.clear();
  for (let i = Math.min(frame.askCount, depth) - 1; i >= 0; i--) {
    book.set('ask', frame.askPrices[i]!, frame.askSizes[i]!);
  }
  for (let i = Math.min(frame.bidCount, depth) - 1; i >= 0; i--) {
    book.set('bid', frame.bidPrices[i]!, frame.bidSizes[i]!);
  }
}
