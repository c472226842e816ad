import type { MarketInfo, MarketRules, VenueDescription } from '@arbitrage/core';
import type { OkxMarketInfo } from './symbols.js';

/** OKX's rules for one market: the core rules plus the minimum order quantity (`minSz`). */
export interface OkxMarketRules extends MarketRules {
  readonly minSize: number | undefined;
}

/**
 * OKX spot as a venue: its USDT markets. Fees per docs/protocols/okx.md E8: 0.10 % taker and
 * 0.08 % maker at the regular tier. Tick size, lot size and minimum size are the instrument list's
 * `tickSz`, `lotSz` and `minSz` (E1), once `loadMarkets()` has read them (the built-in list has none).
 */
export function okxVenue(symbols: { market(symbol: string): MarketInfo | undefined }): VenueDescription {
  return {
    quoteCurrency: 'USDT',
    fees: { taker: 0.001, maker: 0.0008 },
    marketRules(symbol: string): OkxMarketRules | undefined {
      const market = symbols.market(symbol) as OkxMarketInfo | undefined;
      if (!market) return undefined;
      return {
        tickSize: () => market.tickSize,
        lotSize: market.lotSize,
        minNotional: undefined,
        minSize: market.minSize,
      };
    },
  };
}
