import { UnknownSymbolError } from '@arbitrage/core';
import { describe, expect, it } from 'vitest';
import { FALLBACK_KRW_BASES, marketFromCode, UpbitSymbolMapper } from './symbols.js';

describe('UpbitSymbolMapper', () => {
  it('maps KRW-BTC <-> BTC/KRW from the built-in fallback', () => {
    const mapper = new UpbitSymbolMapper();
    expect(mapper.toCanonical('KRW-BTC')).toBe('BTC/KRW');
    expect(mapper.toNative('BTC/KRW')).toBe('KRW-BTC');
    expect(mapper.has('ETH/KRW')).toBe(true);
    expect(mapper.has('KRW-ETH')).toBe(true);
    expect(mapper.markets()).toHaveLength(FALLBACK_KRW_BASES.length);
  });

  it('throws UnknownSymbolError naming the symbol, with a hint for lower case', () => {
    const mapper = new UpbitSymbolMapper();
    const error = (() => {
      try {
        mapper.toNative('btc/krw');
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(UnknownSymbolError);
    expect((error as UnknownSymbolError).symbol).toBe('btc/krw');
    expect((error as UnknownSymbolError).message).toContain('did you mean "BTC/KRW"');
    expect(() => mapper.toCanonical('KRW-NOPE')).toThrow(/Upbit has no market "KRW-NOPE"/);
    expect(() => mapper.toCanonical('krw-btc')).toThrow(/did you mean "KRW-BTC"/);
    expect(() => mapper.toNative('nonsense')).toThrow(/canonical symbol such as "BTC\/KRW"/);
  });

  it('is replaced by the loaded market list, BTC and USDT markets included', () => {
    const mapper = new UpbitSymbolMapper();
    mapper.replace(['KRW-BTC', 'BTC-ETH', 'USDT-XRP'].map((code) => marketFromCode(code)!));
    expect(mapper.toCanonical('BTC-ETH')).toBe('ETH/BTC');
    expect(mapper.toNative('XRP/USDT')).toBe('USDT-XRP');
    expect(mapper.has('SOL/KRW')).toBe(false);
    expect(mapper.markets().map((market) => market.symbol)).toEqual(['BTC/KRW', 'ETH/BTC', 'XRP/USDT']);
  });

  it('builds MarketInfo with quote-specific facts', () => {
    expect(marketFromCode('KRW-BTC')).toEqual({
      exchange: 'upbit',
      symbol: 'BTC/KRW',
      nativeSymbol: 'KRW-BTC',
      base: 'BTC',
      quote: 'KRW',
      minNotional: 5_000,
    });
    expect(marketFromCode('BTC-ETH')?.tickSize).toBe(0.00000001);
    expect(marketFromCode('krw-btc')).toBeUndefined();
    expect(marketFromCode('KRWBTC')).toBeUndefined();
  });
});
