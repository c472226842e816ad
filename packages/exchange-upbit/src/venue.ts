import type { MarketInfo, MarketRules, VenueDescription } from '@arbitrage/core';
import { upbitTickSize } from './tick-size.js';

/**
 * Upbit as a venue: its KRW markets. Fees per docs/protocols/arbitrage.md C2: 0.05 % taker and
 * 0.05 % maker on KRW markets (the rates `GET /v1/orders/chance` reports for a standard account;
 * promotions may lower them). Ticks follow Upbit's price grid, which depends on the price; Upbit
 * publishes no lot size; the minimum order value comes with each market.
 */
export function upbitVenue(symbols: { market(symbol: string): MarketInfo | undefined }): VenueDescription {
  return {
    quoteCurrency: 'KRW',
    fees: { taker: 0.0005, maker: 0.0005 },
    marketRules(symbol: string): MarketRules | undefined {
      const market = symbols.market(symbol);
      if (!market) return undefined;
      return {
        tickSize: (price) => market.tickSize ?? upbitTickSize(market.quote, price, market.base),
        lotSize: market.lotSize,
        minNotional: market.minNotional,
      };
    },
  };
}
