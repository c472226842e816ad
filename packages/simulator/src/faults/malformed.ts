import type { BinanceSymbolBook } from '../model/binance-book.js';
import type { OkxInstrumentBook } from '../model/okx-book.js';
import type { UpbitMarketBook } from '../model/upbit-book.js';

/** Kinds of bad frame the faults API can send. */
export type MalformedKind =
  | 'invalid-json'
  | 'wrong-types'
  | 'negative-size'
  | 'nan-string'
  | 'unknown-event'
  | 'invalid-utf8';

export const MALFORMED_KINDS: readonly MalformedKind[] = [
  'invalid-json',
  'wrong-types',
  'negative-size',
  'nan-string',
  'unknown-event',
  'invalid-utf8',
];

/** Bytes that are not UTF-8 (a lone continuation byte and an overlong encoding). */
const INVALID_UTF8 = Buffer.from([0x7b, 0x22, 0x65, 0x22, 0x3a, 0x22, 0x80, 0xc0, 0xaf, 0x22, 0x7d]);

/**
 * A malformed Binance frame for `book`. Frames that look like diff events carry the next update id
 * (U = u = lastUpdateId + 1) so a client that skips validation would apply them.
 */
export function malformedBinance(
  kind: MalformedKind,
  book: BinanceSymbolBook,
  eventTime: number,
): string | Buffer {
  const next = book.lastUpdateId + 1;
  const head = `{"e":"depthUpdate","E":${eventTime},"s":"${book.symbol}","U":${next},"u":${next}`;
  const bid = book.formatPrice(book.ladder.bids.key(0) ?? 1);
  switch (kind) {
    case 'invalid-json':
      return `${head},"b":[["${bid}","1.0000`;
    case 'wrong-types':
      return `{"e":"depthUpdate","E":"soon","s":42,"U":"${next}","u":null,"b":{"price":"${bid}"},"a":"none"}`;
    case 'negative-size':
      return `${head},"b":[["${bid}","-1.50000000"]],"a":[]}`;
    case 'nan-string':
      return `${head},"b":[["NaN","1.00000000"]],"a":[["${bid}","NaN"]]}`;
    case 'unknown-event':
      return `{"e":"mysteryEvent","E":${eventTime},"s":"${book.symbol}"}`;
    case 'invalid-utf8':
      return INVALID_UTF8;
  }
}

/** A malformed Upbit frame for `book` (sent as a binary frame like every Upbit frame). */
export function malformedUpbit(kind: MalformedKind, book: UpbitMarketBook, timestamp: number): Buffer {
  const ask = book.formatPrice(book.ladder.asks.key(0) ?? 1);
  const bid = book.formatPrice(book.ladder.bids.key(0) ?? 1);
  const head = `{"type":"orderbook","code":"${book.code}","timestamp":${timestamp}`;
  let text: string;
  switch (kind) {
    case 'invalid-json':
      text = `${head},"total_ask_size":1.5,"orderbook_units":[{"ask_price":${ask},`;
      break;
    case 'wrong-types':
      text = `{"type":"orderbook","code":7,"timestamp":"now","total_ask_size":"many","total_bid_size":null,"orderbook_units":"none","stream_type":"REALTIME","level":0}`;
      break;
    case 'negative-size':
      text = `${head},"total_ask_size":1,"total_bid_size":1,"orderbook_units":[{"ask_price":${ask},"bid_price":${bid},"ask_size":-1.5,"bid_size":1}],"stream_type":"REALTIME","level":0}`;
      break;
    case 'nan-string':
      text = `${head},"total_ask_size":"NaN","total_bid_size":1,"orderbook_units":[{"ask_price":"NaN","bid_price":${bid},"ask_size":"NaN","bid_size":1}],"stream_type":"REALTIME","level":0}`;
      break;
    case 'unknown-event':
      text = `{"type":"mystery","code":"${book.code}","timestamp":${timestamp},"stream_type":"REALTIME"}`;
      break;
    case 'invalid-utf8':
      return INVALID_UTF8;
  }
  return Buffer.from(text);
}

/**
 * A malformed OKX `books` frame for `book` (a text frame). Frames that look like updates link to the
 * book (prevSeqId = its seqId) so a client that skips validation would apply them.
 */
export function malformedOkx(kind: MalformedKind, book: OkxInstrumentBook, ts: number): string | Buffer {
  const arg = `"arg":{"channel":"books","instId":"${book.instId}"}`;
  const head = `{${arg},"action":"update","data":[{`;
  const tail = `"ts":"${ts}","checksum":0,"prevSeqId":${book.seqId},"seqId":${book.seqId + 1}}]}`;
  const ask = book.formatPrice(book.ladder.asks.key(0) ?? 1);
  const bid = book.formatPrice(book.ladder.bids.key(0) ?? 1);
  switch (kind) {
    case 'invalid-json':
      return `${head}"asks":[["${ask}","1.5`;
    case 'wrong-types':
      return `{${arg},"action":"update","data":[{"asks":"none","bids":{"price":"${bid}"},"ts":42,"checksum":"zero","prevSeqId":null,"seqId":"soon"}]}`;
    case 'negative-size':
      return `${head}"asks":[],"bids":[["${bid}","-1.5","0","1"]],${tail}`;
    case 'nan-string':
      return `${head}"asks":[["${ask}","NaN","0","1"]],"bids":[["NaN","1","0","1"]],${tail}`;
    case 'unknown-event':
      return `{${arg},"action":"mystery","data":[{"asks":[],"bids":[],${tail}`;
    case 'invalid-utf8':
      return INVALID_UTF8;
  }
}
