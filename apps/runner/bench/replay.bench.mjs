// Replay speed: a recording played N times in one process (the JIT warms up over the first runs),
// through the plugins, provider and engine (backtest), and through the plugins and provider alone.
// Usage: node apps/runner/bench/replay.bench.mjs <recording dir> [runs=6]
import 'reflect-metadata';
import { runBacktest } from '../dist/backtest/run-backtest.js';
import { loadConfig } from '../dist/config/load-config.js';

const dir = process.argv[2];
const runs = Number(process.argv[3] ?? 6);
if (!dir) throw new Error('usage: node apps/runner/bench/replay.bench.mjs <recording dir> [runs]');
const config = await loadConfig({ env: {} });

import { noopLogger as silent } from '@arbitrage/core';

for (let run = 1; run <= runs; run++) {
  const outcome = await runBacktest({ config, dir, logger: silent });
  const frames = Object.values(outcome.replay.exchanges).reduce((sum, stats) => sum + stats.frames, 0);
  const steady = outcome.steadyEntries / (outcome.steadyWallMs / 1000);
  console.log(
    `run ${run}: ${frames} frames over ${(outcome.replay.spanMs / 1000).toFixed(0)} s of recording in ${outcome.wallMs} ms ` +
      `(${(outcome.replay.spanMs / outcome.wallMs).toFixed(0)}× real time); after start-up ${Math.round(steady).toLocaleString('en-US')} entries/s; ` +
      `pairs ${outcome.summary.trades.opened}, PnL ${Math.round(outcome.summary.pnl.totalKrw)} KRW`,
  );
}

// The same recording through the plugins and the provider only (no engine, no paper broker): what
// the parsers, books and provider cost per frame.
const { openRecording } = await import('../dist/recording/index.js');
const { ReplayDriver } = await import('../dist/replay/replay-driver.js');
const { replayMarket } = await import('../dist/backtest/replay-market.js');
const { openExchanges, legPlugins, configuredMarkets } = await import('../dist/exchanges/open-exchanges.js');
const { loadExchangeFactories } = await import('../dist/exchanges/registry.js');
const { createProvider } = await import('../dist/providers/create-provider.js');
const { formatInstrumentId } = await import('@arbitrage/core');
const factories = await loadExchangeFactories(config.exchanges);
for (let run = 1; run <= runs; run++) {
  const recording = await openRecording(dir);
  const driver = new ReplayDriver(recording);
  const market = replayMarket(recording, driver);
  const startup = (async () => {
    const legs = await openExchanges({ config, factories, market, clock: driver.clock, logger: silent });
    const provider = createProvider({
      source: 'ws',
      exchanges: legPlugins(legs),
      instruments: configuredMarkets(config, legs).map((m) => formatInstrumentId(m.exchange, m.symbol)),
      feeds: config.feeds,
      clock: driver.clock,
      logger: silent,
    });
    let updates = 0;
    provider.onSnapshot?.(() => updates++);
    await provider.start();
    return { legs, provider, updates: () => updates };
  })();
  const started = performance.now();
  const stats = await driver.run(startup);
  const wall = performance.now() - started;
  const { legs, provider, updates } = await startup;
  await provider.stop();
  await Promise.all(legPlugins(legs).map((plugin) => plugin.close()));
  const frames = Object.values(stats.exchanges).reduce((sum, s) => sum + s.frames, 0);
  console.log(
    `plugins + provider only, run ${run}: ${frames} frames in ${wall.toFixed(0)} ms; after start-up ` +
      `${Math.round(driver.steadyEntries / (driver.steadyWallMs / 1000)).toLocaleString('en-US')} entries/s; ${updates()} book updates`,
  );
}
