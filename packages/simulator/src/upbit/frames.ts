import { formatTrimmed } from '../model/decimal.js';
import {
  UPBIT_SIZE_DECIMALS,
  type UpbitFrameState,
  type UpbitMarketBook,
  type UpbitTrade,
} from '../model/upbit-book.js';
import { isoDate, type UpbitTickerState } from '../model/upbit-ticker.js';

export type StreamType = 'SNAPSHOT' | 'REALTIME';

/** Units and totals of an orderbook message (shared by WebSocket and REST). */
function unitsAndTotals(
  book: UpbitMarketBook,
  state: UpbitFrameState,
  count: number,
  simple: boolean,
): string {
  let askTotal = 0;
  let bidTotal = 0;
  let units = '';
  const [ap, bp, as, bs] = simple
    ? ['ap', 'bp', 'as', 'bs']
    : ['ask_price', 'bid_price', 'ask_size', 'bid_size'];
  for (let i = 0; i < count; i++) {
    const askKey = state.askKeys[i] ?? 0;
    const bidKey = state.bidKeys[i] ?? 0;
    const askLots = state.askLots[i] ?? 0;
    const bidLots = state.bidLots[i] ?? 0;
    askTotal += askLots;
    bidTotal += bidLots;
    if (i > 0) units += ',';
    units += `{"${ap}":${book.formatPrice(askKey)},"${bp}":${book.formatPrice(bidKey)},"${as}":${book.formatSize(askLots)},"${bs}":${book.formatSize(bidLots)}}`;
  }
  const [tas, tbs, obu] = simple
    ? ['tas', 'tbs', 'obu']
    : ['total_ask_size', 'total_bid_size', 'orderbook_units'];
  return `"${tas}":${formatTrimmed(askTotal, UPBIT_SIZE_DECIMALS)},"${tbs}":${formatTrimmed(bidTotal, UPBIT_SIZE_DECIMALS)},"${obu}":[${units}]`;
}

/** A WebSocket orderbook message: a complete top-`count` book. */
export function orderbookFrame(
  book: UpbitMarketBook,
  state: UpbitFrameState,
  count: number,
  simple: boolean,
  streamType: StreamType,
): string {
  const body = unitsAndTotals(book, state, count, simple);
  return simple
    ? `{"ty":"orderbook","cd":"${book.code}","tms":${state.timestamp},${body},"st":"${streamType}","lv":0}`
    : `{"type":"orderbook","code":"${book.code}","timestamp":${state.timestamp},${body},"stream_type":"${streamType}","level":0}`;
}

/** One element of GET /v1/orderbook. */
export function orderbookRestItem(book: UpbitMarketBook, state: UpbitFrameState, count: number): string {
  return `{"market":"${book.code}","timestamp":${state.timestamp},${unitsAndTotals(book, state, count, false)},"level":0}`;
}

function utcDate(ms: number): string {
  return isoDate(ms).replaceAll('-', '');
}

function utcTime(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19).replaceAll(':', '');
}

const KST_OFFSET_MS = 9 * 3_600_000;

const TICKER_SIMPLE: Record<string, string> = {
  type: 'ty',
  code: 'cd',
  opening_price: 'op',
  high_price: 'hp',
  low_price: 'lp',
  trade_price: 'tp',
  prev_closing_price: 'pcp',
  change: 'c',
  change_price: 'cp',
  signed_change_price: 'scp',
  change_rate: 'cr',
  signed_change_rate: 'scr',
  trade_volume: 'tv',
  acc_trade_volume: 'atv',
  acc_trade_volume_24h: 'atv24h',
  acc_trade_price: 'atp',
  acc_trade_price_24h: 'atp24h',
  trade_date: 'tdt',
  trade_time: 'ttm',
  trade_timestamp: 'ttms',
  ask_bid: 'ab',
  acc_ask_volume: 'aav',
  acc_bid_volume: 'abv',
  highest_52_week_price: 'h52wp',
  highest_52_week_date: 'h52wdt',
  lowest_52_week_price: 'l52wp',
  lowest_52_week_date: 'l52wdt',
  market_state: 'ms',
  is_trading_suspended: 'its',
  delisting_date: 'dd',
  market_warning: 'mw',
  timestamp: 'tms',
  stream_type: 'st',
};

function round(value: number): number {
  return Math.round(value * 1e8) / 1e8;
}

/** A WebSocket ticker message. */
export function tickerFrame(
  code: string,
  ticker: UpbitTickerState,
  now: number,
  simple: boolean,
  streamType: StreamType,
): string {
  const fields: Record<string, unknown> = {
    type: 'ticker',
    code,
    opening_price: ticker.openingPrice,
    high_price: ticker.highPrice,
    low_price: ticker.lowPrice,
    trade_price: ticker.tradePrice,
    prev_closing_price: ticker.prevClosingPrice,
    change: ticker.change,
    change_price: round(Math.abs(ticker.signedChangePrice)),
    signed_change_price: round(ticker.signedChangePrice),
    change_rate: Math.abs(ticker.signedChangeRate),
    signed_change_rate: ticker.signedChangeRate,
    trade_volume: ticker.tradeVolume,
    acc_trade_volume: ticker.accTradeVolume,
    acc_trade_volume_24h: ticker.accTradeVolume24h,
    acc_trade_price: round(ticker.accTradePrice),
    acc_trade_price_24h: round(ticker.accTradePrice24h),
    trade_date: utcDate(ticker.tradeTimestamp),
    trade_time: utcTime(ticker.tradeTimestamp),
    trade_timestamp: ticker.tradeTimestamp,
    ask_bid: ticker.askBid,
    acc_ask_volume: ticker.accAskVolume,
    acc_bid_volume: ticker.accBidVolume,
    highest_52_week_price: ticker.highest52WeekPrice,
    highest_52_week_date: ticker.highest52WeekDate,
    lowest_52_week_price: ticker.lowest52WeekPrice,
    lowest_52_week_date: ticker.lowest52WeekDate,
    market_state: 'ACTIVE',
    is_trading_suspended: false,
    delisting_date: null,
    market_warning: 'NONE',
    timestamp: now,
    stream_type: streamType,
  };
  if (!simple) return JSON.stringify(fields);
  const renamed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) renamed[TICKER_SIMPLE[key] ?? key] = value;
  return JSON.stringify(renamed);
}

/** One element of GET /v1/ticker. */
export function tickerRestItem(code: string, ticker: UpbitTickerState, now: number): Record<string, unknown> {
  const ts = ticker.tradeTimestamp;
  return {
    market: code,
    trade_date: utcDate(ts),
    trade_time: utcTime(ts),
    trade_date_kst: utcDate(ts + KST_OFFSET_MS),
    trade_time_kst: utcTime(ts + KST_OFFSET_MS),
    trade_timestamp: ts,
    opening_price: ticker.openingPrice,
    high_price: ticker.highPrice,
    low_price: ticker.lowPrice,
    trade_price: ticker.tradePrice,
    prev_closing_price: ticker.prevClosingPrice,
    change: ticker.change,
    change_price: round(Math.abs(ticker.signedChangePrice)),
    change_rate: Math.abs(ticker.signedChangeRate),
    signed_change_price: round(ticker.signedChangePrice),
    signed_change_rate: ticker.signedChangeRate,
    trade_volume: ticker.tradeVolume,
    acc_trade_price: round(ticker.accTradePrice),
    acc_trade_price_24h: round(ticker.accTradePrice24h),
    acc_trade_volume: ticker.accTradeVolume,
    acc_trade_volume_24h: ticker.accTradeVolume24h,
    highest_52_week_price: ticker.highest52WeekPrice,
    highest_52_week_date: ticker.highest52WeekDate,
    lowest_52_week_price: ticker.lowest52WeekPrice,
    lowest_52_week_date: ticker.lowest52WeekDate,
    timestamp: now,
  };
}

/** A WebSocket trade message; `sequential_id` is written as digits (it exceeds 2^53). */
export function tradeFrame(
  book: UpbitMarketBook,
  trade: UpbitTrade,
  ticker: UpbitTickerState,
  simple: boolean,
  streamType: StreamType,
): string {
  const { bids, asks } = book.ladder;
  const price = book.formatPrice(trade.priceKey);
  const volume = book.formatSize(trade.lots);
  const date = isoDate(trade.timestamp);
  const time = new Date(trade.timestamp).toISOString().slice(11, 19);
  const change = ticker.change;
  const changePrice = round(Math.abs(book.priceOf(trade.priceKey) - ticker.prevClosingPrice));
  const bap = book.formatPrice(asks.key(0) ?? 0);
  const bas = book.formatSize(asks.lots(0) ?? 0);
  const bbp = book.formatPrice(bids.key(0) ?? 0);
  const bbs = book.formatSize(bids.lots(0) ?? 0);
  if (simple) {
    return `{"ty":"trade","cd":"${book.code}","tp":${price},"tv":${volume},"ab":"${trade.askBid}","pcp":${ticker.prevClosingPrice},"c":"${change}","cp":${changePrice},"td":"${date}","ttm":"${time}","ttms":${trade.timestamp},"tms":${trade.timestamp},"sid":${trade.sequentialId},"bap":${bap},"bas":${bas},"bbp":${bbp},"bbs":${bbs},"st":"${streamType}"}`;
  }
  return `{"type":"trade","code":"${book.code}","trade_price":${price},"trade_volume":${volume},"ask_bid":"${trade.askBid}","prev_closing_price":${ticker.prevClosingPrice},"change":"${change}","change_price":${changePrice},"trade_date":"${date}","trade_time":"${time}","trade_timestamp":${trade.timestamp},"timestamp":${trade.timestamp},"sequential_id":${trade.sequentialId},"best_ask_price":${bap},"best_ask_size":${bas},"best_bid_price":${bbp},"best_bid_size":${bbs},"stream_type":"${streamType}"}`;
}

export const STATUS_UP = '{"status":"UP"}';

export function errorFrame(name: string, message: string): string {
  return JSON.stringify({ error: { name, message } });
}
