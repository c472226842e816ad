import { upbitKrwTickSize } from '@arbitrage/core';

/**
 * Upbit's price grids for the USDT and BTC markets, per its market-info pages (as of 2024-08-19).
 * Prices are `[lowerBound, tick]` rows, highest band first: a price in [lowerBound, next higher
 * lowerBound) moves in steps of `tick`. The KRW table is core's `upbitKrwTickSize`, the one copy
 * the simulator quotes on too. For orders, GET /v1/orderbook/instruments (`tick_size`) is
 * authoritative.
 */
const USDT_BANDS: ReadonlyArray<readonly [lowerBound: number, tick: number]> = [
  [10, 0.01],
  [1, 0.001],
  [0.1, 0.0001],
  [0.01, 0.00001],
  [0.001, 0.000001],
  [0.0001, 0.0000001],
];
const USDT_SMALLEST_TICK = 0.00000001;

/** The BTC market has one tick for every price. */
export const BTC_MARKET_TICK = 0.00000001;

function lookup(bands: ReadonlyArray<readonly [number, number]>, smallest: number, price: number): number {
  if (!Number.isFinite(price) || price < 0) {
    throw new RangeError(`tick size needs a finite, non-negative price; got ${price}`);
  }
  for (const [lowerBound, tick] of bands) {
    if (price >= lowerBound) return tick;
  }
  return smallest;
}

/**
 * Upbit KRW-market tick for `price` (KRW): `krwTickSize(116_539_000) === 1000`. Pass the base asset
 * to apply the USDT/USDC exception. The same function as core's `upbitKrwTickSize`.
 */
export const krwTickSize: (price: number, base?: string) => number = upbitKrwTickSize;

/** Upbit USDT-market tick for `price` (USDT). */
export function usdtTickSize(price: number): number {
  return lookup(USDT_BANDS, USDT_SMALLEST_TICK, price);
}

/** Tick for `price` on a market QUOTE-BASE ('KRW', 'BTC', 'USDT' quotes); undefined for other quotes. */
export function upbitTickSize(quote: string, price: number, base?: string): number | undefined {
  switch (quote) {
    case 'KRW':
      return krwTickSize(price, base);
    case 'USDT':
      return usdtTickSize(price);
    case 'BTC':
      return BTC_MARKET_TICK;
    default:
      return undefined;
  }
}

/** Smallest order value per quote currency (KRW 5,000; BTC 0.00005; USDT 0.5). */
export const MIN_ORDER_VALUE: Readonly<Record<string, number>> = { KRW: 5_000, BTC: 0.00005, USDT: 0.5 };
