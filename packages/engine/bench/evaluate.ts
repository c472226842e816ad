/**
 * Evaluation cost per book update. Run: pnpm --filter @arbitrage/engine bench
 *
 * Three assets on 15-level books (Upbit's depth), the KRW-USDT conversion book, paper fills on a
 * manual clock. Snapshots are generated up front, as a provider would hand them over, so the
 * numbers are the engine's own: storing the snapshot, routing it, checking legs, six VWAP walks,
 * both premiums, the lifecycle and, now and then, sending or closing a pair.
 */
import { ManualClock, type OrderBookSnapshot, type PriceLevel } from '@arbitrage/core';
import { createPaperEngine, type EngineSummary, type EngineVenue } from '@arbitrage/engine';
import { seededRandom } from '@arbitrage/test-support';

interface BenchAsset {
  readonly asset: string;
  readonly tradeSize: number;
  readonly usdt: number;
}

const NAMED_ASSETS: readonly BenchAsset[] = [
  { asset: 'BTC', tradeSize: 0.01, usdt: 100_000 },
  { asset: 'ETH', tradeSize: 0.2, usdt: 3_000 },
  { asset: 'XRP', tradeSize: 500, usdt: 0.6 },
];

/** The named assets, then synthetic ones (A003, A004, …) priced between 0.01 and 1000 USDT. */
function benchAssets(count: number): BenchAsset[] {
  const out = NAMED_ASSETS.slice(0, count);
  for (let i = out.length; i < count; i++) {
    const usdt = 10 ** (-2 + ((i * 7) % 50) / 10);
    out.push({ asset: `A${String(i).padStart(3, '0')}`, tradeSize: 1_000 / usdt, usdt });
  }
  return out;
}
const LEVELS = 15;
const UPDATES = 300_000;
/** Distinct books generated up front: one full premium cycle; the feed replays them with fresh times. */
const POOL = 21_000;
const WARMUP = 50_000;
const HEAP_BASELINE_AT = 100_000;

function side(best: number, step: number, size: number, rand: () => number): PriceLevel[] {
  const levels: PriceLevel[] = [];
  for (let i = 0; i < LEVELS; i++) levels.push([best + i * step, size * (0.5 + rand())]);
  return levels;
}

function snapshot(
  exchange: string,
  symbol: string,
  mid: number,
  size: number,
  at: number,
  rand: () => number,
) {
  const tick = mid * 0.0001;
  return {
    exchange,
    symbol,
    nativeSymbol: symbol,
    bids: side(mid - tick, -tick, size, rand),
    asks: side(mid + tick, tick, size, rand),
    exchangeTime: at,
    receivedAt: at,
    source: 'ws',
  } satisfies OrderBookSnapshot;
}

/** A venue with the given taker fee and no lot or minimum-notional rules. */
function benchVenue(id: string, quoteCurrency: string, taker: number): EngineVenue {
  return {
    id,
    venue: {
      quoteCurrency,
      fees: { taker, maker: taker },
      marketRules: () => ({ tickSize: () => undefined, lotSize: undefined, minNotional: undefined }),
    },
  };
}

/** 100 000 trade sizes of every asset on each venue: balances never bind. */
function holdings(assets: readonly BenchAsset[]): Record<string, number> {
  return Object.fromEntries(assets.map(({ asset, tradeSize }) => [asset, tradeSize * 100_000]));
}

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
}

/**
 * `premiumAmplitude` sets how far Upbit strays from parity: 0.005 never trades, 0.03 trades often.
 * With several USDT venues, each asset has a route per venue; the second venue's price drifts
 * ±0.2 % against the first, so the better route changes.
 */
function run(
  label: string,
  premiumAmplitude: number,
  usdtVenues: readonly string[] = ['binance'],
  assets: readonly BenchAsset[] = NAMED_ASSETS,
): void {
  const clock = new ManualClock(1_700_000_000_000);
  const rand = seededRandom(7);
  const { engine } = createPaperEngine({
    engine: {
      assets: assets.map(({ asset, tradeSize }) => ({ asset, tradeSize })),
      entry: { minExpectedProfit: 0.004 },
      exit: { convergenceBand: 0.003, stopLoss: 0.05, maxHoldingMs: 30_000 },
      baseline: { mode: 'fixed', premium: 0 },
    },
    venues: {
      krw: benchVenue('upbit', 'KRW', 0.0005),
      usdt: usdtVenues.map((id) => benchVenue(id, 'USDT', 0.001)),
    },
    limits: {
      maxNotionalUsd: 5_000,
      maxOpenTrades: 6,
      maxPositionPerAsset: 1_000_000,
      maxBookAgeMs: 2_000,
      maxOrdersPerSecond: 100,
      dailyLossLimitUsd: 1e9,
    },
    paper: {
      latencyMs: 20,
      initialBalances: {
        krw: { KRW: 1e12, ...holdings(assets) },
        usdt: { USDT: 1e9, ...holdings(assets) },
      },
      maxFillHistory: 1_000,
    },
    clock,
  });

  // One update per millisecond, round robin over the markets (7 with one USDT venue), the premium on a 21 s cycle.
  const pool: OrderBookSnapshot[] = [];
  const perAsset = 1 + usdtVenues.length;
  const markets = assets.length * perAsset + 1;
  for (let i = 0; i < POOL; i++) {
    const at = 0;
    const which = i % markets;
    const wave = premiumAmplitude * Math.sin((2 * Math.PI * i) / POOL) + (rand() - 0.5) * 0.002;
    if (which === markets - 1) {
      pool.push(snapshot('upbit', 'USDT/KRW', 1_400 * (1 + (rand() - 0.5) * 0.001), 300, at, rand));
      continue;
    }
    const asset = assets[Math.floor(which / perAsset)]!;
    const leg = which % perAsset;
    // About 0.4 trade sizes per level: each VWAP walks two to four levels.
    const size = asset.tradeSize * 0.4;
    // A period unrelated to the premium's, so the cheaper venue at entry changes from cycle to cycle.
    const drift = leg > 1 ? 0.002 * Math.sin((2 * Math.PI * i) / 997) : 0;
    pool.push(
      leg === 0
        ? snapshot('upbit', `${asset.asset}/KRW`, asset.usdt * 1_400 * (1 + wave), size, at, rand)
        : snapshot(usdtVenues[leg - 1]!, `${asset.asset}/USDT`, asset.usdt * (1 + drift), size, at, rand),
    );
  }

  const external = new Float64Array(UPDATES - WARMUP);
  let heapBefore = 0;
  for (let i = 0; i < UPDATES; i++) {
    if (i === WARMUP) engine.resetEvaluationStats();
    if (i === HEAP_BASELINE_AT) {
      collectGarbage();
      heapBefore = process.memoryUsage().heapUsed;
    }
    clock.advance(1);
    // A provider allocates a fresh snapshot per update too; this one is made outside the timing.
    const update: OrderBookSnapshot = {
      ...pool[i % POOL]!,
      receivedAt: clock.now(),
      exchangeTime: clock.now(),
    };
    const started = process.hrtime.bigint();
    engine.onSnapshot(update);
    const elapsed = Number(process.hrtime.bigint() - started);
    if (i >= WARMUP) external[i - WARMUP] = elapsed;
  }
  collectGarbage();
  const heapAfter = process.memoryUsage().heapUsed;
  // Keeps the pool alive up to here, so the heap difference is the engine's, not the pool's release.
  if (pool.length !== POOL) throw new Error('pool changed during the run');
  engine.stop();
  external.sort();
  const pct = (p: number) =>
    (external[Math.min(external.length - 1, Math.floor(p * external.length))]! / 1_000).toFixed(2);
  const summary: EngineSummary = engine.summary();
  const e = summary.evaluations;
  console.log(
    [
      `${label}:`,
      `  evaluations ${e.count} (after ${WARMUP} warm-up updates): p50 ${e.p50Us} µs, p90 ${e.p90Us} µs, p99 ${e.p99Us} µs, max ${e.maxUs} µs, mean ${e.meanUs} µs`,
      `  per update incl. storing and routing (${external.length}): p50 ${pct(0.5)} µs, p99 ${pct(0.99)} µs, p99.9 ${pct(0.999)} µs`,
      `  trades opened ${summary.trades.opened}, closed ${summary.trades.closed} (${Object.entries(
        summary.trades.byRoute,
      )
        .map(([route, trades]) => `${route} ${trades.opened}`)
        .join(', ')}); skips ${JSON.stringify(summary.skipReasons)}`,
      `  heap growth over the last ${UPDATES - HEAP_BASELINE_AT} updates: ${((heapAfter - heapBefore) / 1e6).toFixed(2)} MB`,
    ].join('\n'),
  );
}

console.log(
  `node ${process.version}, ${UPDATES} updates per scenario, 3 assets unless named, ${LEVELS}-level books`,
);
run('quiet market (premium never reaches entry)', 0.004);
run('busy market (premium crosses entry and exit repeatedly)', 0.03);
run('busy market, two USDT venues (routes upbit-binance and upbit-okx)', 0.03, ['binance', 'okx']);
// Cost per update as the universe grows: it should stay flat, since an update evaluates only the
// assets its book belongs to (all of them only for the KRW-USDT conversion book).
for (const count of [7, 100, 250]) {
  run(`busy market, ${count} assets (${count * 2 + 1} books)`, 0.03, ['binance'], benchAssets(count));
}
