import type { MarketInfo } from '@arbitrage/core';
import { describe, expect, it } from 'vitest';
import { assetsListedOnBothLegs } from './listed-assets.js';

function markets(exchange: string, quote: string, bases: readonly string[]): MarketInfo[] {
  return bases.map((base) => ({
    exchange,
    symbol: `${base}/${quote}`,
    nativeSymbol: `${base}${quote}`,
    base,
    quote,
  }));
}

describe('assetsListedOnBothLegs', () => {
  it('keeps the assets listed on the KRW venue and every USDT venue, without USDT, sorted', () => {
    const upbit = [
      ...markets('upbit', 'KRW', ['XRP', 'BTC', 'USDT', 'KOREA']),
      ...markets('upbit', 'BTC', ['ETH']),
    ];
    const binance = markets('binance', 'USDT', ['BTC', 'ETH', 'XRP', 'SOL']);
    const okx = markets('okx', 'USDT', ['BTC', 'XRP']);
    expect(assetsListedOnBothLegs([upbit], [binance])).toEqual(['BTC', 'XRP']);
    expect(assetsListedOnBothLegs([upbit], [binance, okx])).toEqual(['BTC', 'XRP']);
    expect(assetsListedOnBothLegs([upbit], [okx.slice(0, 1)])).toEqual(['BTC']);
    expect(assetsListedOnBothLegs([upbit], [])).toEqual([]);
  });
});
