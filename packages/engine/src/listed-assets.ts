import type { MarketInfo } from '@arbitrage/core';

/**
 * Every base asset a scanner of "all assets" can trade: listed against KRW on every KRW venue and
 * against USDT on every USDT venue (each venue's `loadMarkets()` list), USDT itself left out (it is
 * the conversion market). Sorted, so a config built from it is stable.
 */
export function assetsListedOnBothLegs(
  krwVenues: ReadonlyArray<readonly MarketInfo[]>,
  usdtVenues: ReadonlyArray<readonly MarketInfo[]>,
): string[] {
  const bases = (markets: readonly MarketInfo[], quote: string): Set<string> =>
    new Set(markets.filter((market) => market.quote === quote).map((market) => market.base));
  const venues = [
    ...krwVenues.map((markets) => bases(markets, 'KRW')),
    ...usdtVenues.map((markets) => bases(markets, 'USDT')),
  ];
  if (krwVenues.length === 0 || usdtVenues.length === 0) return [];
  const [first, ...rest] = venues;
  return [...first!].filter((base) => base !== 'USDT' && rest.every((listed) => listed.has(base))).sort();
}
