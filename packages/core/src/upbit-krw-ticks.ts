/**
 * Upbit's published KRW-market order price units (호가 단위), as revised on 2025-07-31
 * (docs/protocols/upbit.md A10). Kept in core, not in the Upbit plugin, because the simulator must
 * quote on the same grid and depends only on core: one table, one function for both. Rows are
 * `[lowest price of the band, tick]`, highest band first.
 */
const KRW_BANDS: ReadonlyArray<readonly [lowerBound: number, tick: number]> = [
  [1_000_000, 1_000], // 2,000,000+ and 1,000,000-2,000,000 both move in 1,000
  [500_000, 500],
  [100_000, 100],
  [50_000, 50],
  [10_000, 10],
  [5_000, 5],
  [100, 1], // 1,000-5,000 and 100-1,000 both move in 1
  [10, 0.1],
  [1, 0.01],
  [0.1, 0.001],
  [0.01, 0.0001],
  [0.001, 0.00001],
  [0.0001, 0.000001],
  [0.00001, 0.0000001],
];
const KRW_SMALLEST_TICK = 0.00000001;

/** USDT/KRW and USDC/KRW move in 0.5 KRW between 1,000 and 10,000 KRW (since 2025-03-21). */
const HALF_WON_BASES: ReadonlySet<string> = new Set(['USDT', 'USDC']);

/**
 * The order price unit of an Upbit KRW market at `price` (KRW): `upbitKrwTickSize(116_539_000)`
 * is 1,000. Pass the base asset to apply the USDT/USDC exception. For placing orders,
 * `GET /v1/orderbook/instruments` (`tick_size`) is authoritative per pair.
 */
export function upbitKrwTickSize(price: number, base?: string): number {
  if (!Number.isFinite(price) || price < 0) {
    throw new RangeError(`an Upbit KRW tick needs a finite, non-negative price; got ${price}`);
  }
  if (base !== undefined && HALF_WON_BASES.has(base) && price >= 1_000 && price < 10_000) return 0.5;
  for (const [lowerBound, tick] of KRW_BANDS) {
    if (price >= lowerBound) return tick;
  }
  return KRW_SMALLEST_TICK;
}
