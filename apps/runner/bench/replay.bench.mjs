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
