import { type AssetSpec, KNOWN_ASSETS } from '@arbitrage/simulator';

type Filters = AssetSpec['binance'];

const MID_PRICE: Filters = { tickSize: 0.01, stepSize: 0.001, minQty: 0.001, maxQty: 9000, minNotional: 5 };
const LOW_PRICE: Filters = {
  tickSize: 0.0001,
  stepSize: 0.1,
  minQty: 0.1,
  maxQty: 9_000_000,
  minNotional: 5,
};

/** Fifteen more listed assets (prices and filters shaped like real USDT pairs), for 20-symbol runs. */
const EXTRA: ReadonlyArray<[base: string, usdPrice: number, filters: Filters]> = [
  ['ADA', 0.7, LOW_PRICE],
  ['LINK', 18, MID_PRICE],
  ['DOT', 6, { ...LOW_PRICE, tickSize: 0.001, stepSize: 0.01 }],
  ['AVAX', 30, MID_PRICE],
  ['TRX', 0.25, LOW_PRICE],
  ['LTC', 90, MID_PRICE],
  ['BCH', 450, { ...MID_PRICE, stepSize: 0.0001 }],
  ['ATOM', 7, { ...LOW_PRICE, tickSize: 0.001, stepSize: 0.01 }],
  ['NEAR', 4, { ...LOW_PRICE, tickSize: 0.001, stepSize: 0.1 }],
  ['APT', 9, { ...LOW_PRICE, tickSize: 0.001, stepSize: 0.01 }],
  ['ARB', 0.6, LOW_PRICE],
  ['SUI', 3.5, LOW_PRICE],
  ['ETC', 25, MID_PRICE],
  ['FIL', 5, { ...LOW_PRICE, tickSize: 0.001, stepSize: 0.01 }],
  ['HBAR', 0.2, { ...LOW_PRICE, tickSize: 0.00001, stepSize: 1, minQty: 1 }],
];

/** The first `count` assets (at most 20): the simulator's five known ones, then the extra ones. */
export function benchAssets(count: number): AssetSpec[] {
  const known = ['BTC', 'ETH', 'XRP', 'SOL', 'DOGE'].map((base) => KNOWN_ASSETS[base]!);
  const extra: AssetSpec[] = EXTRA.map(([base, usdPrice, binance]) => ({
    base,
    englishName: base,
    koreanName: base,
    usdPrice,
    annualVolatility: 0.8,
    levelNotionalUsd: 1_000,
    binance,
  }));
  const all = [...known, ...extra];
  if (count < 1 || count > all.length) throw new Error(`benchAssets: count must be in [1, ${all.length}]`);
  return all.slice(0, count);
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * `count` assets for start-up runs, up to 676 more than the 20 above: the bench assets first, then
 * ZAA, ZAB, … (priced like a mid-price pair; the simulator lists whatever it is given).
 */
export function manyAssets(count: number): AssetSpec[] {
  if (count <= 20) return benchAssets(count);
  if (count > 20 + LETTERS.length ** 2) throw new Error(`manyAssets: at most ${20 + LETTERS.length ** 2}`);
  const out = benchAssets(20);
  for (let i = 0; out.length < count; i++) {
    const base = `Z${LETTERS[Math.floor(i / LETTERS.length)]}${LETTERS[i % LETTERS.length]}`;
    out.push({
      base,
      englishName: base,
      koreanName: base,
      usdPrice: 10,
      annualVolatility: 0.8,
      levelNotionalUsd: 1_000,
      binance: { ...MID_PRICE, tickSize: 0.001 },
    });
  }
  return out;
}
