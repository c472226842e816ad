import type { MarketRules, VenueDescription } from '@arbitrage/core';
import type { EngineVenues } from '../types.js';

/** Per-symbol rules for a test venue; a symbol without an entry is listed with no rules. */
export type TestRules = Readonly<
  Record<string, { readonly lotSize?: number; readonly minNotional?: number }>
>;

/** A venue quoting in `quoteCurrency` that lists every symbol, with `rules` where given. */
export function testVenue(quoteCurrency: string, taker: number, rules: TestRules = {}): VenueDescription {
  return {
    quoteCurrency,
    fees: { taker, maker: taker },
    marketRules: (symbol): MarketRules => ({
      tickSize: () => undefined,
      lotSize: rules[symbol]?.lotSize,
      minNotional: rules[symbol]?.minNotional,
    }),
  };
}

/** Ids 'upbit' and 'binance' with their standard taker fees (0.05 % and 0.10 %), no market rules. */
export const TEST_VENUES: EngineVenues = {
  krw: { id: 'upbit', venue: testVenue('KRW', 0.0005) },
  usdt: { id: 'binance', venue: testVenue('USDT', 0.001) },
};
