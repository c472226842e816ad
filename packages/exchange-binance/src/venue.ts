import type { MarketInfo, MarketRules, VenueDescription } from '@arbitrage/core';

/**
 * Binance spot as a venue: its USDT markets. Fees per docs/protocols/arbitrage.md C2: 0.10 % taker
 * and 0.10 % maker at the regular (VIP 0) tier; paying fees in BNB or a higher tier costs less.
 * Tick size, lot size and minimum notional are the PRICE_FILTER, LOT_SIZE and (MIN_)NOTIONAL filters
 * of exchangeInfo, once `loadMarkets()` has read them (the built-in market list has none).
 */
export function binanceVenue(symbols: { market(symbol: string): MarketInfo | undefined }): VenueDescription {
  return {
    quoteCurrency: 'USDT',
    fees: { taker: 0.001, maker: 0.001 },
    marketRules(symbol: string): MarketRules | undefined {
      const market = symbols.market(symbol);
      if (!market) return undefined;
      return { tickSize: () => market.tickSize, lotSize: market.lotSize, minNotional: market.minNotional };
    },
  };
}
