import { type AssetSpec, KNOWN_ASSETS } from './assets.js';
import { Rng } from './random.js';

/**
 * The size of the listed universe, as the exchanges list it (docs/protocols/arbitrage.md C4, dated):
 * about 250 Upbit KRW markets (KRW-USDT included), 400 Binance USDT symbols; OKX lists fewer.
 */
export const FULL_UNIVERSE = {
  /** Assets on both Upbit KRW and Binance USDT (the five named assets included). */
  both: 200,
  /** Assets only on Upbit KRW (Korean listings): with `both` and KRW-USDT, 250 Upbit markets. */
  upbitOnly: 49,
  /** Assets only on Binance USDT: with `both`, 400 Binance symbols. */
  binanceOnly: 200,
  /** OKX lists the first this many of the Binance-listed assets. */
  okx: 250,
} as const;

/** Rate tiers (a modelling choice, docs/protocols/arbitrage.md C4): updates per second. */
export const RATE_TIERS = {
  /** The most traded books: every 100 ms, like BTC. */
  busy: { count: 15, minRate: 10, maxRate: 10 },
  /** The middle: every 0.5–2 s. */
  middle: { minRate: 0.5, maxRate: 2 },
  /** The long quiet tail: every 3 s to 2 minutes. */
  quiet: { minRate: 1 / 120, maxRate: 1 / 3 },
} as const;

export type RateTier = 'busy' | 'middle' | 'quiet';

/** How many assets of each group are in the middle tier; the rest of the group is quiet. */
const MIDDLE_COUNT = { both: 85, upbitOnly: 10, binanceOnly: 50 } as const;

const NAMED = ['BTC', 'ETH', 'XRP', 'SOL', 'DOGE'] as const;
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * Every asset of the real-size universe, deterministic per seed: the five named assets first (their
 * specs untouched, so their books equal the default universe's), then synthetic assets with prices,
 * filters, volatility and update rates drawn from the seed. Names are the same for every seed.
 */
export function fullUniverse(seed: number): AssetSpec[] {
  const names = syntheticNames(FULL_UNIVERSE.both + FULL_UNIVERSE.upbitOnly + FULL_UNIVERSE.binanceOnly);
  const rng = new Rng(seed, 'universe');
  const out: AssetSpec[] = NAMED.map((base) => KNOWN_ASSETS[base]!);
  let next = 0;
  let binanceListed = NAMED.length;
  const add = (group: keyof typeof MIDDLE_COUNT, rank: number, upbit: boolean, binance: boolean) => {
    const tier = tierOf(group, rank);
    const okx = binance && binanceListed < FULL_UNIVERSE.okx;
    if (binance) binanceListed++;
    out.push(syntheticAsset(names[next++]!, tier, rng, { upbit, binance, okx }));
  };
  for (let rank = NAMED.length; rank < FULL_UNIVERSE.both; rank++) add('both', rank, true, true);
  for (let rank = 0; rank < FULL_UNIVERSE.upbitOnly; rank++) add('upbitOnly', rank, true, false);
  for (let rank = 0; rank < FULL_UNIVERSE.binanceOnly; rank++) add('binanceOnly', rank, false, true);
  return out;
}

/** The tier of the asset ranked `rank` in its group (named assets are ranks 0–4 of `both`). */
function tierOf(group: keyof typeof MIDDLE_COUNT, rank: number): RateTier {
  if (group === 'both' && rank < RATE_TIERS.busy.count) return 'busy';
  const middleStart = group === 'both' ? RATE_TIERS.busy.count : 0;
  return rank < middleStart + MIDDLE_COUNT[group] ? 'middle' : 'quiet';
}

function logUniform(rng: Rng, min: number, max: number): number {
  return Math.exp(Math.log(min) + rng.next() * (Math.log(max) - Math.log(min)));
}

function powerOfTen(exponent: number): number {
  return Number(`1e${exponent}`);
}

function syntheticAsset(
  base: string,
  tier: RateTier,
  rng: Rng,
  listedOn: { upbit: boolean; binance: boolean; okx: boolean },
): AssetSpec {
  const usdPrice = Number(logUniform(rng, 0.002, 2_000).toPrecision(4));
  const magnitude = Math.floor(Math.log10(usdPrice));
  // About 10^4–10^5 ticks in the price, as Binance sets PRICE_FILTER; steps worth cents.
  const tickSize = powerOfTen(Math.min(-2, Math.max(-8, magnitude - 4)));
  const stepSize = powerOfTen(Math.min(0, Math.max(-8, -magnitude - 2)));
  const { minRate, maxRate } = RATE_TIERS[tier];
  const rate = () => Number(logUniform(rng, minRate, maxRate).toPrecision(3));
  const level = tier === 'busy' ? 1_500 : tier === 'middle' ? 400 : 100;
  return {
    base,
    englishName: `Synthetic ${base}`,
    koreanName: `합성 ${base}`,
    usdPrice,
    annualVolatility: Number((0.6 + 0.9 * rng.next()).toFixed(2)),
    levelNotionalUsd: Math.round(level * (0.5 + rng.next())),
    binance: { tickSize, stepSize, minQty: stepSize, maxQty: 9_000_000, minNotional: 5 },
    listedOn,
    updatesPerSecond: { upbit: rate(), binance: rate(), okx: rate() },
  };
}

/** `count` distinct 3–5 letter tickers, none a named asset's, a quote's, or containing USD/KRW. */
function syntheticNames(count: number): string[] {
  const rng = new Rng(0, 'universe-names');
  const taken = new Set<string>([...Object.keys(KNOWN_ASSETS), 'USDT', 'USDC', 'BNB', 'OKB', 'KRW']);
  const names: string[] = [];
  while (names.length < count) {
    const length = 3 + Math.floor(rng.next() * 3);
    let name = '';
    for (let i = 0; i < length; i++) name += LETTERS[Math.floor(rng.next() * LETTERS.length)];
    if (taken.has(name) || name.includes('USD') || name.includes('KRW')) continue;
    taken.add(name);
    names.push(name);
  }
  return names;
}
