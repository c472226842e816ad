import type { PriceLevel } from './types.js';

/** What makes a book unusable, or undefined when it is sound. */
export interface BookDefect {
  readonly kind: 'crossed' | 'invalid';
  readonly detail: string;
}

function sideDefect(levels: readonly PriceLevel[], side: 'bid' | 'ask'): string | undefined {
  for (let i = 0; i < levels.length; i++) {
    const [price, size] = levels[i]!;
    if (!(Number.isFinite(price) && price > 0 && Number.isFinite(size) && size > 0)) {
      return `${side} level ${i} is [${price}, ${size}]`;
    }
    if (i > 0) {
      const previous = levels[i - 1]![0];
      if (side === 'bid' ? price >= previous : price <= previous) {
        return `${side} prices are not strictly ${side === 'bid' ? 'descending' : 'ascending'} at level ${i}`;
      }
    }
  }
  return undefined;
}

/**
 * Checks a whole book taken from outside (a REST snapshot): positive finite levels, each side sorted
 * best first, best bid below best ask. Streams check each delta as they apply it; this is for books
 * that arrive whole and would otherwise be served unchecked.
 */
export function bookDefect(book: {
  readonly bids: readonly PriceLevel[];
  readonly asks: readonly PriceLevel[];
}): BookDefect | undefined {
  const detail = sideDefect(book.bids, 'bid') ?? sideDefect(book.asks, 'ask');
  if (detail !== undefined) return { kind: 'invalid', detail };
  const bestBid = book.bids[0]?.[0];
  const bestAsk = book.asks[0]?.[0];
  if (bestBid !== undefined && bestAsk !== undefined && bestBid >= bestAsk) {
    return { kind: 'crossed', detail: `crossed: best bid ${bestBid} >= best ask ${bestAsk}` };
  }
  return undefined;
}
