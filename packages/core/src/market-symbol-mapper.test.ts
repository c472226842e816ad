import { describe, expect, it } from 'vitest';
import { UnknownSymbolError } from './errors.js';
import { MarketSymbolMapper } from './market-symbol-mapper.js';
import type { MarketInfo } from './types.js';

const spelling = {
  exchangeName: 'Upbit',
  nativePattern: /^[A-Z0-9]+-[A-Z0-9]+$/,
  canonicalExample: 'BTC/KRW',
  nativeExample: 'KRW-BTC',
};

function market(base: string): MarketInfo {
  return { exchange: 'upbit', symbol: `${base}/KRW`, nativeSymbol: `KRW-${base}`, base, quote: 'KRW' };
}

describe('MarketSymbolMapper', () => {
  it('maps both ways and looks markets up by either spelling', () => {
    const mapper = new MarketSymbolMapper(spelling, [market('BTC'), market('ETH')]);
    expect(mapper.toCanonical('KRW-BTC')).toBe('BTC/KRW');
    expect(mapper.toNative('ETH/KRW')).toBe('KRW-ETH');
    expect(mapper.has('KRW-ETH') && mapper.has('BTC/KRW')).toBe(true);
    expect(mapper.market('KRW-ETH')?.base).toBe('ETH');
    expect(mapper.markets().map((m) => m.nativeSymbol)).toEqual(['KRW-BTC', 'KRW-ETH']);
  });

  it('replaces the market list as a whole', () => {
    const mapper = new MarketSymbolMapper(spelling, [market('BTC')]);
    mapper.replace([market('XRP')]);
    expect(mapper.has('KRW-BTC')).toBe(false);
    expect(mapper.toCanonical('KRW-XRP')).toBe('XRP/KRW');
  });

  it('names the unknown symbol and hints at the fix', () => {
    const mapper = new MarketSymbolMapper(spelling, [market('BTC')]);
    expect(() => mapper.toCanonical('krw-btc')).toThrow(
      /Upbit has no market "krw-btc".*did you mean "KRW-BTC"/,
    );
    expect(() => mapper.toNative('DOGE/KRW')).toThrow(/Load the market list/);
    expect(() => mapper.toNative('nonsense')).toThrow(
      /such as "BTC\/KRW" or the Upbit spelling, such as "KRW-BTC"/,
    );
    expect(() => mapper.toNative('nonsense')).toThrow(UnknownSymbolError);
  });
});
