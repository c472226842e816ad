import type { BookEvent } from '@arbitrage/exchange-kit';

/** Prices at or above this are impossible on Binance spot and reject the message. */
export const MAX_PRICE = 1e12;
/** Quantities at or above this are impossible on Binance spot and reject the message. */
export const MAX_QUANTITY = 1e15;

function sideProblem(
  side: 'bids' | 'asks',
  prices: Float64Array,
  sizes: Float64Array,
  count: number,
  ordered: boolean,
): string | undefined {
  for (let i = 0; i < count; i++) {
    const price = prices[i]!;
    const size = sizes[i]!;
    if (!(price > 0 && price < MAX_PRICE))
      return `${side}[${i}] price ${price} is out of range (0, ${MAX_PRICE})`;
    if (!(size >= 0 && size < MAX_QUANTITY)) {
      return `${side}[${i}] quantity ${size} is out of range [0, ${MAX_QUANTITY})`;
    }
    if (ordered && i > 0) {
      const previous = prices[i - 1]!;
      const inOrder = side === 'bids' ? price < previous : price > previous;
      if (!inOrder) return `${side}[${i}] price ${price} is out of order (previous ${previous})`;
    }
  }
  return undefined;
}

/**
 * Checks what the grammar cannot: prices in (0, MAX_PRICE), quantities in [0, MAX_QUANTITY),
 * U <= u, and for partial depth (a snapshot) strictly ordered sides. Returns the reason a message is
 * impossible, or undefined when it may be applied. Both parse paths run it, so they agree.
 */
export function depthEventProblem(event: BookEvent): string | undefined {
  if (event.firstId > event.finalId)
    return `first update id U=${event.firstId} > final update id u=${event.finalId}`;
  const ordered = event.kind === 'full';
  return (
    sideProblem('bids', event.bidPrices, event.bidSizes, event.bidCount, ordered) ??
    sideProblem('asks', event.askPrices, event.askSizes, event.askCount, ordered)
  );
}
