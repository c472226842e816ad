import { UnknownSymbolError } from '@arbitrage/core';
import { describe, expect, it } from 'vitest';
import { BinanceSymbolMapper, fallbackMarkets, marketsFromExchangeInfo } from './symbols.js';

const EXCHANGE_INFO = {
  timezone: 'UTC',
  serverTime: 1565246363776,
  rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 }],
  symbols: [
    {
      symbol: 'ETHBTC',
      status: 'TRADING',
      baseAsset: 'ETH',
      quoteAsset: 'BTC',
      filters: [
        {
          filterType: 'PRICE_FILTER',
          minPrice: '0.00000100',
          maxPrice: '100000.00000000',
          tickSize: '0.00000100',
        },
        { filterType: 'LOT_SIZE', minQty: '0.00100000', maxQty: '100000.00000000', stepSize: '0.00010000' },
        { filterType: 'NOTIONAL', minNotional: '0.00010000', applyMinToMarket: true },
      ],
    },
    {
      symbol: '1000SATSUSDT',
      status: 'TRADING',
      baseAsset: '1000SATS',
      quoteAsset: 'USDT',
      filters: [
        { filterType: 'MIN_NOTIONAL', minNotional: '5.00000000' },
        { filterType: 'PRICE_FILTER', tickSize: '0.00000000' },
      ],
    },
    { symbol: 'BROKEN', baseAsset: 3 },
    'not an object',
  ],
};

describe('marketsFromExchangeInfo', () => {
  it('builds MarketInfo with tickSize, lotSize and minNotional from the filters', () => {
    const markets = marketsFromExchangeInfo(EXCHANGE_INFO);
    expect(markets).toEqual([
      {
        exchange: 'binance',
        symbol: 'ETH/BTC',
        nativeSymbol: 'ETHBTC',
        base: 'ETH',
        quote: 'BTC',
        tickSize: 0.000001,
        lotSize: 0.0001,
        minNotional: 0.0001,
      },
      // A zero tick size means "no constraint": left out.
      {
        exchange: 'binance',
        symbol: '1000SATS/USDT',
        nativeSymbol: '1000SATSUSDT',
        base: '1000SATS',
        quote: 'USDT',
        minNotional: 5,
      },
    ]);
  });

  it('rejects a body without a symbols array', () => {
    expect(() => marketsFromExchangeInfo({ code: -1121 })).toThrow(/no "symbols" array/);
    expect(() => marketsFromExchangeInfo(null)).toThrow(/no "symbols" array/);
  });
});

describe('BinanceSymbolMapper', () => {
  it('maps the built-in common markets before any market list is loaded', () => {
    const mapper = new BinanceSymbolMapper();
    expect(mapper.toNative('BTC/USDT')).toBe('BTCUSDT');
    expect(mapper.toCanonical('ETHUSDT')).toBe('ETH/USDT');
    expect(mapper.has('SOL/USDT')).toBe(true);
    expect(mapper.has('SOLUSDT')).toBe(true);
    expect(mapper.markets().length).toBe(fallbackMarkets().length);
  });

  it('uses exchangeInfo for the split, never a guess (1000SATSUSDT)', () => {
    const mapper = new BinanceSymbolMapper(marketsFromExchangeInfo(EXCHANGE_INFO));
    expect(mapper.toCanonical('1000SATSUSDT')).toBe('1000SATS/USDT');
    expect(mapper.toNative('ETH/BTC')).toBe('ETHBTC');
    expect(mapper.market('ETHBTC')?.tickSize).toBe(0.000001);
    expect(mapper.has('BTC/USDT')).toBe(false);
  });

  it('throws UnknownSymbolError naming the symbol, with a hint', () => {
    const mapper = new BinanceSymbolMapper();
    const error = (() => {
      try {
        mapper.toNative('NOPE/USDT');
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(UnknownSymbolError);
    expect((error as UnknownSymbolError).symbol).toBe('NOPE/USDT');
    expect((error as UnknownSymbolError).message).toMatch(/"NOPE\/USDT".*loadMarkets/);
    expect(() => mapper.toCanonical('btcusdt')).toThrow(/did you mean "BTCUSDT"/);
    expect(() => mapper.toNative('BTC-USDT')).toThrow(/canonical symbol such as "BTC\/USDT"/);
  });
});
