import { InvalidMessageError, type OrderBookSnapshot, type PriceLevel } from '@arbitrage/core';
import { BookFrame } from './book-frame.js';
import { UPBIT_EXCHANGE_ID } from './symbols.js';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(reason: string, message: string): InvalidMessageError {
  return new InvalidMessageError(
    UPBIT_EXCHANGE_ID,
    reason,
    `upbit REST order book rejected (${reason}): ${message}`,
  );
}

const frame = new BookFrame();

/**
 * Validates one element of GET /v1/orderbook with the same rules as the WebSocket path (zero padding
 * dropped; negative, non-finite, unsorted or crossed units rejected) and builds a 'rest' snapshot.
 * `toCanonical` maps the market code; it is only called for well-formed entries.
 */
export function restOrderBook(
  value: unknown,
  toCanonical: (code: string) => string,
  receivedAt: number,
): OrderBookSnapshot | InvalidMessageError {
  if (!isObject(value)) return invalid('not-an-object', 'array element is not an object');
  const market = value.market;
  if (typeof market !== 'string' || market.length === 0)
    return invalid('missing-field', 'element without market');
  const timestamp = value.timestamp;
  if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp) || timestamp < 0) {
    return invalid('wrong-type', `${market}: timestamp ${String(timestamp)}`);
  }
  const units = value.orderbook_units;
  if (!Array.isArray(units)) return invalid('missing-field', `${market}: no orderbook_units array`);
  frame.beginUnits();
  for (let i = 0; i < units.length; i++) {
    const unit: unknown = units[i];
    if (!isObject(unit)) return invalid('wrong-type', `${market}: unit ${i} is not an object`);
    const { ask_price, ask_size, bid_price, bid_size } = unit;
    if (
      typeof ask_price !== 'number' ||
      typeof ask_size !== 'number' ||
      typeof bid_price !== 'number' ||
      typeof bid_size !== 'number'
    ) {
      return invalid(
        'missing-field',
        `${market}: unit ${i} lacks a numeric ask_price/ask_size/bid_price/bid_size`,
      );
    }
    if (!frame.pushUnit(ask_price, ask_size, bid_price, bid_size)) {
      return invalid('too-many-units', `${market}: ${units.length} units`);
    }
  }
  if (!frame.finish()) return invalid(frame.rejection ?? 'wrong-type', `${market}: ${frame.rejectionDetail}`);
  const bids: PriceLevel[] = new Array(frame.bidCount);
  for (let i = 0; i < frame.bidCount; i++) bids[i] = [frame.bidPrices[i]!, frame.bidSizes[i]!];
  const asks: PriceLevel[] = new Array(frame.askCount);
  for (let i = 0; i < frame.askCount; i++) asks[i] = [frame.askPrices[i]!, frame.askSizes[i]!];
  return {
    exchange: UPBIT_EXCHANGE_ID,
    symbol: toCanonical(market),
    nativeSymbol: market,
    bids,
    asks,
    exchangeTime: timestamp,
    receivedAt,
    source: 'rest',
  };
}
