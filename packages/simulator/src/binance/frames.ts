import type { BinanceSymbolBook, BinanceTrade } from '../model/binance-book.js';
import type { BookSide } from '../model/book-side.js';

/**
 * Binance JSON frames, written by hand: the hot path (diff depth) concatenates pre-formatted
 * strings instead of calling JSON.stringify on nested arrays.
 */

function levelList(
  book: BinanceSymbolBook,
  keys: readonly number[],
  lots: readonly number[],
  count: number,
): string {
  if (count === 0) return '[]';
  let out = '[';
  for (let i = 0; i < count; i++) {
    if (i > 0) out += ',';
    out += `["${book.formatPrice(keys[i]!)}","${book.formatQty(lots[i]!)}"]`;
  }
  return `${out}]`;
}

function sideList(book: BinanceSymbolBook, side: BookSide, count: number): string {
  if (count === 0) return '[]';
  let out = '[';
  for (let i = 0; i < count; i++) {
    if (i > 0) out += ',';
    out += `["${book.formatPrice(side.key(i)!)}","${book.formatQty(side.lots(i)!)}"]`;
  }
  return `${out}]`;
}

/** `depthUpdate` with U/u and absolute quantities; bids best first, asks best first. */
export function diffFrame(
  book: BinanceSymbolBook,
  eventTime: number,
  firstId: number,
  lastId: number,
  bidKeys: readonly number[],
  bidLots: readonly number[],
  askKeys: readonly number[],
  askLots: readonly number[],
): string {
  return `{"e":"depthUpdate","E":${eventTime},"s":"${book.symbol}","U":${firstId},"u":${lastId},"b":${levelList(
    book,
    bidKeys,
    bidLots,
    bidKeys.length,
  )},"a":${levelList(book, askKeys, askLots, askKeys.length)}}`;
}

/** Partial book depth: the top `levels` per side and the book's lastUpdateId (no e/E/s). */
export function partialFrame(book: BinanceSymbolBook, levels: number): string {
  const { bids, asks } = book.ladder;
  return `{"lastUpdateId":${book.lastUpdateId},"bids":${sideList(book, bids, Math.min(levels, bids.size))},"asks":${sideList(
    book,
    asks,
    Math.min(levels, asks.size),
  )}}`;
}

/** The REST depth body for `limit` levels per side. */
export function depthBody(book: BinanceSymbolBook, limit: number): string {
  return partialFrame(book, limit);
}

/** `<symbol>@bookTicker` (spot: no e/E fields). */
export function bookTickerFrame(book: BinanceSymbolBook): string {
  const { bids, asks } = book.ladder;
  return `{"u":${book.lastUpdateId},"s":"${book.symbol}","b":"${book.formatPrice(bids.key(0) ?? 0)}","B":"${book.formatQty(
    bids.lots(0) ?? 0,
  )}","a":"${book.formatPrice(asks.key(0) ?? 0)}","A":"${book.formatQty(asks.lots(0) ?? 0)}"}`;
}

/** The REST bookTicker object for one symbol. */
export function bookTickerBody(book: BinanceSymbolBook): string {
  const { bids, asks } = book.ladder;
  return `{"symbol":"${book.symbol}","bidPrice":"${book.formatPrice(bids.key(0) ?? 0)}","bidQty":"${book.formatQty(
    bids.lots(0) ?? 0,
  )}","askPrice":"${book.formatPrice(asks.key(0) ?? 0)}","askQty":"${book.formatQty(asks.lots(0) ?? 0)}"}`;
}

export function tradeFrame(book: BinanceSymbolBook, trade: BinanceTrade, eventTime: number): string {
  return `{"e":"trade","E":${eventTime},"s":"${book.symbol}","t":${trade.id},"p":"${book.formatPrice(trade.priceKey)}","q":"${book.formatQty(
    trade.lots,
  )}","T":${eventTime},"m":${trade.buyerIsMaker},"M":true}`;
}

export function aggTradeFrame(book: BinanceSymbolBook, trade: BinanceTrade, eventTime: number): string {
  return `{"e":"aggTrade","E":${eventTime},"s":"${book.symbol}","a":${trade.id},"p":"${book.formatPrice(trade.priceKey)}","q":"${book.formatQty(
    trade.lots,
  )}","f":${trade.id},"l":${trade.id},"T":${eventTime},"m":${trade.buyerIsMaker},"M":true}`;
}

export function serverShutdownFrame(eventTime: number): string {
  return `{"e":"serverShutdown","E":${eventTime}}`;
}

/** The `/stream` wrapper. */
export function combinedFrame(streamName: string, raw: string): string {
  return `{"stream":"${streamName}","data":${raw}}`;
}
