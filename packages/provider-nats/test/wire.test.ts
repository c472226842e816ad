import { describe, expect, it } from 'vitest';
import {
  type BookMessage,
  decodeBook,
  decodeHealth,
  decodeSnapshotReply,
  encode,
  instrumentFromTokens,
  instrumentSubjects,
  WIRE_VERSION,
} from '../src/index.js';

const BOOK: BookMessage = {
  v: WIRE_VERSION,
  feed: 'a1b2c3',
  instrument: 'binance:BTC/USDT',
  nativeSymbol: 'BTCUSDT',
  seq: 7,
  bids: [[100, 1]],
  asks: [[101, 2]],
  exchangeSeq: 12345,
  exchangeTime: 1_700_000_000_000,
  receivedAt: 1_700_000_000_010,
  publishedAt: 1_700_000_000_011,
  source: 'ws',
};

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe('wire format', () => {
  it('names subjects by exchange and canonical symbol, subject-safe, and reads them back', () => {
    expect(instrumentSubjects('md', 'upbit:BTC/KRW')).toEqual({
      book: 'md.book.upbit.BTC_KRW',
      health: 'md.health.upbit.BTC_KRW',
      snapshot: 'md.snap.upbit.BTC_KRW',
    });
    expect(instrumentFromTokens('upbit', 'BTC_KRW')).toBe('upbit:BTC/KRW');
    expect(instrumentFromTokens('upbit', 'BTC.KRW')).toBeUndefined();
    expect(instrumentFromTokens('Upbit', 'BTC_KRW')).toBeUndefined();
  });

  it('round-trips a book and a health message', () => {
    expect(decodeBook(encode(BOOK), 'binance:BTC/USDT')).toEqual({ ok: true, value: BOOK });
    const health = {
      v: 1,
      feed: 'a1b2c3',
      instrument: 'binance:BTC/USDT',
      seq: 0,
      state: 'connecting',
      publishedAt: 1,
    } as const;
    expect(decodeHealth(encode(health))).toEqual({ ok: true, value: health });
    expect(
      decodeSnapshotReply(encode({ v: 1, health: { ...health, seq: 7 }, book: BOOK }), 'binance:BTC/USDT'),
    ).toMatchObject({ ok: true });
  });

  it.each([
    ['not JSON', new TextEncoder().encode('{"v":1,')],
    ['another version', bytes({ ...BOOK, v: 2 })],
    ['a crossed book', bytes({ ...BOOK, bids: [[102, 1]] })],
    [
      'unsorted levels',
      bytes({
        ...BOOK,
        asks: [
          [101, 1],
          [100.5, 1],
        ],
      }),
    ],
    ['a zero size', bytes({ ...BOOK, bids: [[100, 0]] })],
    ['a string price', bytes({ ...BOOK, bids: [['100', 1]] })],
    ['sequence 0', bytes({ ...BOOK, seq: 0 })],
    ['a fractional sequence', bytes({ ...BOOK, seq: 1.5 })],
    ['an unknown source', bytes({ ...BOOK, source: 'fix' })],
    ['a bad instrument', bytes({ ...BOOK, instrument: 'BTCUSDT' })],
    [
      'too many levels',
      bytes({ ...BOOK, bids: Array.from({ length: 1001 }, (_, i) => [100 - i * 0.01, 1]) }),
    ],
    ['not an object', bytes([BOOK])],
  ])('rejects a book with %s', (_, data) => {
    const decoded = decodeBook(data);
    expect(decoded.ok).toBe(false);
  });

  it("rejects a book on another instrument's subject, a bad state, and a reply whose book and health disagree", () => {
    expect(decodeBook(encode(BOOK), 'upbit:BTC/KRW')).toEqual({
      ok: false,
      error: 'instrument binance:BTC/USDT on the subject of upbit:BTC/KRW',
    });
    expect(
      decodeHealth(
        bytes({ v: 1, feed: 'f', instrument: 'upbit:BTC/KRW', seq: 1, state: 'great', publishedAt: 1 }),
      ).ok,
    ).toBe(false);
    const health = {
      v: 1,
      feed: 'a1b2c3',
      instrument: 'binance:BTC/USDT',
      seq: 6,
      state: 'live',
      publishedAt: 1,
    };
    expect(decodeSnapshotReply(bytes({ v: 1, health, book: BOOK }), 'binance:BTC/USDT')).toEqual({
      ok: false,
      error: 'book and health of the reply disagree',
    });
  });
});
