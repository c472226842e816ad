import type { VenueDescription } from '@arbitrage/core';
import type { EngineVenues } from '@arbitrage/engine';

/** A venue quoting in `quoteCurrency` that lists every symbol, with no order rules. */
export function testVenue(quoteCurrency: string, taker: number): VenueDescription {
  return {
    quoteCurrency,
    fees: { taker, maker: taker },
    marketRules: () => ({ tickSize: () => undefined, lotSize: undefined, minNotional: undefined }),
  };
}

/** The default legs' ids with Upbit's and Binance's standard taker fees, for engines built without plugins. */
export const TEST_VENUES: EngineVenues = {
  krw: { id: 'upbit', venue: testVenue('KRW', 0.0005) },
  usdt: { id: 'binance', venue: testVenue('USDT', 0.001) },
};
