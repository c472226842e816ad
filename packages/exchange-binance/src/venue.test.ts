import { describe, expect, it } from 'vitest';
import { createBinanceExchange } from './exchange.js';

describe('Binance venue description', () => {
  it('is the USDT venue with the regular 0.10 % fees', () => {
    const venue = createBinanceExchange().venue;
    expect(venue.quoteCurrency).toBe('USDT');
    expect(venue.fees).toEqual({ taker: 0.001, maker: 0.001 });
    expect(venue.marketRules('NOPE/USDT')).toBeUndefined();
  });

  it('takes tick, lot and minimum notional from the market list', () => {
    const venue = createBinanceExchange({
      markets: [
        {
          exchange: 'binance',
          symbol: 'BTC/USDT',
          nativeSymbol: 'BTCUSDT',
          base: 'BTC',
          quote: 'USDT',
          tickSize: 0.01,
          lotSize: 0.00001,
          minNotional: 5,
        },
      ],
    }).venue;
    const rules = venue.marketRules('BTC/USDT')!;
    expect(rules.tickSize(100_000)).toBe(0.01);
    expect(rules.lotSize).toBe(0.00001);
    expect(rules.minNotional).toBe(5);
  });
});
