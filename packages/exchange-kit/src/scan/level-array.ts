import type { BookEvent } from '../book/book-event.js';
import { skipPlainString } from './bytes.js';
import * as charCodes from './char-codes.js';
import { parseDecimal } from './decimal.js';

// Module constants, not imported bindings: see decimal.ts.
const { CLOSE_BRACKET, COMMA, OPEN_BRACKET, QUOTE } = charCodes;

/**
 * Reads a compact array of levels, `[["price","size"],…]`, each level followed by more plain
 * strings that are not read when `extraStrings` allows it (OKX's `"0"` and order count), straight
 * into `event`'s bids or asks. Returns the position after the array, or -1 when it is not exactly that shape, a price or
 * size is not a decimal string (the grammar of parseDecimal), or there are more than `maxLevels`:
 * the caller's JSON.parse path then decides what is wrong. Nothing is range-checked here.
 */
export function scanLevels(
  bytes: Uint8Array,
  start: number,
  event: BookEvent,
  bids: boolean,
  maxLevels: number,
  extraStrings = true,
): number {
  let pos = start;
  if (bytes[pos] !== OPEN_BRACKET) return -1;
  pos++;
  if (bytes[pos] === CLOSE_BRACKET) return pos + 1;
  const end = bytes.length;
  let count = 0;
  for (;;) {
    if (bytes[pos] !== OPEN_BRACKET || bytes[pos + 1] !== QUOTE) return -1;
    const priceStart = pos + 2;
    pos = priceStart;
    while (pos < end && bytes[pos] !== QUOTE) pos++;
    const priceEnd = pos;
    if (bytes[pos + 1] !== COMMA || bytes[pos + 2] !== QUOTE) return -1;
    const sizeStart = pos + 3;
    pos = sizeStart;
    while (pos < end && bytes[pos] !== QUOTE) pos++;
    const sizeEnd = pos;
    pos++;
    while (extraStrings && bytes[pos] === COMMA) {
      pos = skipPlainString(bytes, pos + 1);
      if (pos < 0) return -1;
    }
    if (bytes[pos] !== CLOSE_BRACKET) return -1;
    pos++;
    const price = parseDecimal(bytes, priceStart, priceEnd);
    const size = parseDecimal(bytes, sizeStart, sizeEnd);
    if (Number.isNaN(price) || Number.isNaN(size) || ++count > maxLevels) return -1;
    if (bids) event.pushBid(price, size);
    else event.pushAsk(price, size);
    const next = bytes[pos];
    if (next === COMMA) {
      pos++;
      continue;
    }
    return next === CLOSE_BRACKET ? pos + 1 : -1;
  }
}

/**
 * Whether every level of `event` is possible: prices in (0, maxPrice), sizes in [0, maxQuantity),
 * and, when `ordered` (a whole book), each side strictly sorted best first.
 */
export function levelsWithin(
  event: BookEvent,
  maxPrice: number,
  maxQuantity: number,
  ordered: boolean,
): boolean {
  return (
    sideWithin(event.bidPrices, event.bidSizes, event.bidCount, maxPrice, maxQuantity, ordered, true) &&
    sideWithin(event.askPrices, event.askSizes, event.askCount, maxPrice, maxQuantity, ordered, false)
  );
}

function sideWithin(
  prices: Float64Array,
  sizes: Float64Array,
  count: number,
  maxPrice: number,
  maxQuantity: number,
  ordered: boolean,
  bids: boolean,
): boolean {
  for (let i = 0; i < count; i++) {
    const price = prices[i]!;
    const size = sizes[i]!;
    if (!(price > 0 && price < maxPrice) || !(size >= 0 && size < maxQuantity)) return false;
    if (ordered && i > 0 && !(bids ? price < prices[i - 1]! : price > prices[i - 1]!)) return false;
  }
  return true;
}
