import { describe, expect, it } from 'vitest';
import {
  AmbiguousSymbolError,
  ArbitrageError,
  ConfigError,
  CrossedBookError,
  ExchangeApiError,
  InvalidInstrumentError,
  InvalidLevelError,
  InvalidMessageError,
  isArbitrageError,
  MarketDataError,
  NetworkError,
  RateLimitError,
  SequenceGapError,
  TimeoutError,
  UnknownSymbolError,
} from './errors.js';

describe('error hierarchy', () => {
  const cause = new Error('socket hang up');
  const cases: Array<
    [ArbitrageError, string, string, readonly (abstract new (...args: never[]) => Error)[]]
  > = [
    [new ConfigError('bad port', { cause }), 'ConfigError', 'CONFIG_INVALID', []],
    [new InvalidInstrumentError('bad id'), 'InvalidInstrumentError', 'INSTRUMENT_INVALID', []],
    [new UnknownSymbolError('FOO/BAR', 'unknown FOO/BAR'), 'UnknownSymbolError', 'SYMBOL_UNKNOWN', []],
    [new AmbiguousSymbolError('BTC', ['a:BTC/X', 'b:BTC/Y']), 'AmbiguousSymbolError', 'SYMBOL_AMBIGUOUS', []],
    [new MarketDataError('CUSTOM', 'custom'), 'MarketDataError', 'CUSTOM', [MarketDataError]],
    [
      new InvalidMessageError('upbit', 'json', 'bad frame', { cause }),
      'InvalidMessageError',
      'MESSAGE_INVALID',
      [MarketDataError],
    ],
    [new InvalidLevelError('bid', Number.NaN, 1), 'InvalidLevelError', 'LEVEL_INVALID', [MarketDataError]],
    [
      new SequenceGapError('binance', 'BTC/USDT', 101, 103),
      'SequenceGapError',
      'SEQUENCE_GAP',
      [MarketDataError],
    ],
    [
      new CrossedBookError('binance', 'BTC/USDT', 101, 100),
      'CrossedBookError',
      'BOOK_CROSSED',
      [MarketDataError],
    ],
    [
      new RateLimitError('binance', 429, 1_000, 'slow down'),
      'RateLimitError',
      'RATE_LIMITED',
      [MarketDataError],
    ],
    [
      new RateLimitError('binance', 418, 60_000, 'banned'),
      'RateLimitError',
      'RATE_LIMIT_BANNED',
      [MarketDataError],
    ],
    [
      new ExchangeApiError('binance', 400, -1121, 'Invalid symbol.'),
      'ExchangeApiError',
      'EXCHANGE_API_ERROR',
      [MarketDataError],
    ],
    [new TimeoutError('GET /depth', 5_000, { cause }), 'TimeoutError', 'TIMEOUT', []],
    [new NetworkError('refused', { cause }), 'NetworkError', 'NETWORK', [MarketDataError]],
  ];

  it.each(cases)('%s has its name, code and the whole instanceof chain', (error, name, code, parents) => {
    expect(error.name).toBe(name);
    expect(error.code).toBe(code);
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(ArbitrageError);
    for (const parent of parents) expect(error).toBeInstanceOf(parent);
    expect(isArbitrageError(error)).toBe(true);
    expect(error.stack).toContain(name);
    expect(String(error)).toBe(`${name}: ${error.message}`);
  });

  it('keeps the cause when given one, and has none otherwise', () => {
    expect(new NetworkError('refused', { cause }).cause).toBe(cause);
    expect(new TimeoutError('GET /depth', 5_000, { cause }).cause).toBe(cause);
    expect(new InvalidInstrumentError('bad', { cause }).cause).toBe(cause);
    expect('cause' in new NetworkError('refused')).toBe(false);
    expect(new ArbitrageError('X', 'y', { cause: 0 }).cause).toBe(0);
  });

  it('writes messages that say what happened and what to do', () => {
    expect(new SequenceGapError('binance', 'BTC/USDT', 101, 103).message).toBe(
      'binance BTC/USDT: expected update id 101, got 103; the book is being resynced',
    );
    expect(new AmbiguousSymbolError('BTC', ['upbit:BTC/KRW', 'binance:BTC/USDT']).message).toBe(
      '"BTC" matches upbit:BTC/KRW, binance:BTC/USDT; pass an instrument id such as "upbit:BTC/KRW"',
    );
    expect(new AmbiguousSymbolError('BTC', []).message).not.toContain('undefined');
    expect(new TimeoutError('GET /depth', 5_000).message).toBe('GET /depth did not complete within 5000 ms');
    expect(new InvalidLevelError('ask', -1, 2, 3).message).toMatch(
      /ask level #3 \[-1, 2\] rejected: price must be/,
    );
  });

  it('carries structured fields for handlers', () => {
    const gap = new SequenceGapError('binance', 'BTC/USDT', 101, 103);
    expect([gap.exchange, gap.symbol, gap.expected, gap.received]).toEqual(['binance', 'BTC/USDT', 101, 103]);
    const limited = new RateLimitError('upbit', 429, 1_500, 'too many');
    expect(limited.retryAfterMs).toBe(1_500);
    expect(new InvalidLevelError('bid', 0, 1).index).toBeUndefined();
  });

  it('isArbitrageError is false for foreign errors and non-errors', () => {
    expect(isArbitrageError(new Error('x'))).toBe(false);
    expect(isArbitrageError({ code: 'TIMEOUT', message: 'fake' })).toBe(false);
    expect(isArbitrageError(undefined)).toBe(false);
  });
});
