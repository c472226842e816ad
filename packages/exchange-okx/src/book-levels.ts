import type { PriceLevel } from '@arbitrage/core';
import { type BookEvent, parseDecimalString } from '@arbitrage/exchange-kit';

/** Prices at or above this are impossible on OKX spot and reject the message. */
export const MAX_PRICE = 1e12;
/** Quantities at or above this are impossible on OKX spot and reject the message. */
export const MAX_QUANTITY = 1e15;
/** More levels per side than OKX ever sends (400 on REST, E1): a larger message is refused. */
export const MAX_LEVELS = 5_000;

/**
 * Reads one side of an OKX book into `event`: `[price, size, "0", orderCount]`, all strings
 * (docs/protocols/okx.md E1, E4); a size of "0" removes the level. Only price and size are read.
 * `ordered`: a whole book must be strictly sorted, best first. Returns the problem, or undefined.
 */
export function readSide(
  value: unknown,
  side: 'bids' | 'asks',
  event: BookEvent,
  ordered: boolean,
): string | undefined {
  if (!Array.isArray(value)) return `"${side}" is not an array`;
  if (value.length > MAX_LEVELS) return `"${side}" has ${value.length} levels (more than ${MAX_LEVELS})`;
  let previous = Number.NaN;
  for (let i = 0; i < value.length; i++) {
    const level: unknown = value[i];
    if (
      !Array.isArray(level) ||
      level.length < 2 ||
      typeof level[0] !== 'string' ||
      typeof level[1] !== 'string'
    )
      return `${side}[${i}] is not a [price, size, …] array of strings`;
    const price = parseDecimalString(level[0]);
    const size = parseDecimalString(level[1]);
    if (!(price > 0 && price < MAX_PRICE))
      return `${side}[${i}] price ${level[0]} is out of range (0, ${MAX_PRICE})`;
    if (!(size >= 0 && size < MAX_QUANTITY))
      return `${side}[${i}] size ${level[1]} is out of range [0, ${MAX_QUANTITY})`;
    if (ordered && i > 0 && !(side === 'bids' ? price < previous : price > previous))
      return `${side}[${i}] price ${level[0]} is out of order`;
    previous = price;
    if (side === 'bids') event.pushBid(price, size);
    else event.pushAsk(price, size);
  }
  return undefined;
}

/** One side of an event as `[price, size]` pairs (a snapshot to keep). */
export function levelsOf(prices: Float64Array, sizes: Float64Array, count: number): PriceLevel[] {
  const levels: PriceLevel[] = new Array(count);
  for (let i = 0; i < count; i++) levels[i] = [prices[i]!, sizes[i]!];
  return levels;
}
