/**
 * Upbit KRW-market order price units (호가 단위), from the KRW market guide as revised on
 * 2025-07-31 (docs page updated 2026-05). Rows: [lowest price of the band, tick]. The rows below
 * 100 KRW were cut from the copy we have and are taken from the 2024 table.
 */
const KRW_TICKS: ReadonlyArray<readonly [number, number]> = [
  [2_000_000, 1000],
  [1_000_000, 1000],
  [500_000, 500],
  [100_000, 100],
  [50_000, 50],
  [10_000, 10],
  [5_000, 5],
  [1_000, 1],
  [100, 1],
  [10, 0.01],
  [1, 0.001],
  [0.1, 0.0001],
  [0.01, 0.00001],
  [0.001, 0.000001],
  [0.0001, 0.0000001],
  [0, 0.00000001],
];

/** Since 2025-03-21 USDT/KRW and USDC/KRW trade in 0.5 KRW steps between 1,000 and 10,000 KRW. */
const HALF_TICK_STABLECOINS = new Set(['USDT', 'USDC']);

/** The order price unit of an Upbit KRW market at `price`. */
export function upbitKrwTickSize(price: number, base: string): number {
  if (HALF_TICK_STABLECOINS.has(base) && price >= 1_000 && price < 10_000) return 0.5;
  for (const [floor, tick] of KRW_TICKS) {
    if (price >= floor) return tick;
  }
  return 0.00000001;
}
