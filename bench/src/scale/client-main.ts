import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import { createBinanceExchange } from '@arbitrage/exchange-binance';
import { createUpbitExchange } from '@arbitrage/exchange-upbit';
import { WebSocketMarketDataProvider } from '@arbitrage/provider-ws';
import { peakRssKb } from '../client/peak-rss.js';
import { quantile } from '../stats.js';
import type { ScaleClientConfig, ScaleClientResult } from './protocol.js';

/** Books updated at least this often in the steady window count as busy (the top tier: 10/s). */
const BUSY_UPDATES_PER_SECOND = 5;
/**
 * monitorEventLoopDelay samples with a timer of this period and (Node 20) records the whole period:
 * an idle loop reads about 10 ms. The delay is what exceeds the period.
 */
const RESOLUTION_MS = 10;
/** Idle time measured before anything starts: the machine's own scheduling noise. */
const BASELINE_MS = 2000;

/** The loop delay at percentile p, ms, the sampling period taken out. */
function delayMs(histogram: IntervalHistogram, p: number): number {
  return Math.max(0, histogram.percentile(p) / 1e6 - RESOLUTION_MS);
}

/**
 * The scale client (a child process, so its RSS and CPU are its own): WebSocketMarketDataProvider
 * over Upbit and Binance for every KRW and USDT market the simulator lists, measured from start to
 * all live and then over a steady-state window.
 */
async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as ScaleClientConfig;
  const loop = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  loop.enable();
  await new Promise((resolve) => setTimeout(resolve, BASELINE_MS));
  const baselineP99 = delayMs(loop, 99);
  loop.reset();
  const startedAt = performance.now();
  const cpuAtStart = process.cpuUsage();

  const upbit = createUpbitExchange(config.upbit);
  // The depth a scanner reads (20): Binance snapshots of 100 levels, weight 5 (exchange-binance README).
  const binance = createBinanceExchange({ ...config.binance, stream: { depth: 20 } });
  const [upbitMarkets, binanceMarkets] = await Promise.all([upbit.loadMarkets(), binance.loadMarkets()]);
  const upbitIds = upbitMarkets.filter((m) => m.quote === 'KRW').map((m) => `upbit:${m.symbol}`);
  const binanceIds = binanceMarkets.filter((m) => m.quote === 'USDT').map((m) => `binance:${m.symbol}`);
  const symbols = [...upbitIds, ...binanceIds];
  const provider = new WebSocketMarketDataProvider({ exchanges: [upbit, binance], symbols });

  const everLive = new Set<string>();
  const liveAtByExchange: Record<string, number> = {};
  let allLiveAt = Number.NaN;
  let markAllLive: () => void = () => {};
  const allLive = new Promise<void>((resolve) => {
    markAllLive = resolve;
  });
  provider.onHealthChange((health) => {
    if (health.state !== 'live' || everLive.has(health.instrument)) return;
    everLive.add(health.instrument);
    liveAtByExchange[health.exchange] = performance.now() - startedAt;
    if (everLive.size === symbols.length) {
      allLiveAt = performance.now() - startedAt;
      markAllLive();
    }
  });
  // Tracked here rather than read from provider.health() each second, so the sampling costs the
  // loop next to nothing: last update time, update count and state per instrument.
  const updatesByInstrument = new Map<string, number>();
  const lastUpdateAt = new Map<string, number>();
  const stateOf = new Map<string, string>();
  provider.onHealthChange((health) => stateOf.set(health.instrument, health.state));
  let updates = 0;
  provider.onBookUpdate((instrument) => {
    updates++;
    const id = instrument.id;
    lastUpdateAt.set(id, performance.now());
    updatesByInstrument.set(id, (updatesByInstrument.get(id) ?? 0) + 1);
  });
  await provider.start();
  let giveUp: NodeJS.Timeout | undefined;
  await Promise.race([
    allLive,
    new Promise((resolve) => (giveUp = setTimeout(resolve, config.liveTimeoutMs))),
  ]);
  clearTimeout(giveUp);
  const startupCpu = process.cpuUsage(cpuAtStart);
  const startupWallMs = performance.now() - startedAt;
  const startupLoopP99 = delayMs(loop, 99);

  loop.reset();
  updatesByInstrument.clear();
  const cpuAtSteady = process.cpuUsage();
  const steadyStart = performance.now();
  const updatesAtSteady = updates;
  const ages: Array<{ instrument: string; ageMs: number }> = [];
  let liveSamples = 0;
  let samples = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = performance.now();
      for (const instrument of symbols) {
        samples++;
        if (stateOf.get(instrument) === 'live') liveSamples++;
        const at = lastUpdateAt.get(instrument);
        if (at !== undefined) ages.push({ instrument, ageMs: Math.round(now - at) });
      }
      if (performance.now() - steadyStart >= config.steadyMs) {
        clearInterval(timer);
        resolve();
      }
    }, 1000);
  });
  const steadyCpu = process.cpuUsage(cpuAtSteady);
  const steadyWallMs = performance.now() - steadyStart;
  const steadyUpdates = updates - updatesAtSteady;
  const cpuUs = steadyCpu.user + steadyCpu.system;
  const busy = new Set(
    [...updatesByInstrument]
      .filter(([, count]) => count / (steadyWallMs / 1000) >= BUSY_UPDATES_PER_SECOND)
      .map(([id]) => id),
  );
  const allAges = ages.map((sample) => sample.ageMs).sort((a, b) => a - b);
  const busyAges = ages
    .filter((sample) => busy.has(sample.instrument))
    .map((sample) => sample.ageMs)
    .sort((a, b) => a - b);
  const result: ScaleClientResult = {
    books: symbols.length,
    upbitBooks: upbitIds.length,
    binanceBooks: binanceIds.length,
    allLiveMs: allLiveAt,
    booksLive: everLive.size,
    allLiveMsByExchange: liveAtByExchange,
    peakRssMb: peakRssKb() / 1024,
    cpuPercent: (cpuUs / 1000 / steadyWallMs) * 100,
    startupCpuPercent: ((startupCpu.user + startupCpu.system) / 1000 / startupWallMs) * 100,
    cpuPerUpdateUs: steadyUpdates > 0 ? cpuUs / steadyUpdates : Number.NaN,
    updatesPerSecond: steadyUpdates / (steadyWallMs / 1000),
    loopDelayP99Ms: delayMs(loop, 99),
    loopDelayMaxMs: Math.max(0, loop.max / 1e6 - RESOLUTION_MS),
    baselineLoopDelayP99Ms: baselineP99,
    startupLoopDelayP99Ms: startupLoopP99,
    bookAgeP50Ms: quantile(allAges, 0.5),
    bookAgeP99Ms: quantile(allAges, 0.99),
    busyBookAgeP99Ms: quantile(busyAges, 0.99),
    liveShare: samples > 0 ? liveSamples / samples : 0,
  };
  loop.disable();
  await provider.stop();
  await Promise.all([upbit.close(), binance.close()]);
  if (process.send) process.send(result);
  else process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(
  () => process.disconnect?.(),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
