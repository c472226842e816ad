import { DEFAULT_EXCHANGES } from '../exchanges/registry.js';
import type { RunnerConfig } from './schema.js';

/**
 * Defaults, tuned so that a 10-second paper run on the embedded simulator (its default premium:
 * ~2 % over USD/KRW, ~1.5 % on KRW-USDT, so ~0.5 % over the USDT leg, mean-reverting with a
 * 5-minute half-life) both opens and closes pairs:
 * - entry at a net premium of 0.25 %: the simulator's sell-KRW net premium starts around 0.3–0.45 %
 *   (the mid premium less 0.15 % of fees and ~0.05 % of spread), so pairs open within a second;
 * - exit when the pair's exit premium falls to 0.05 %, or after 4 s: a revert of 0.3 % or more is
 *   rare within seconds, so in a short demo pairs close on the holding time. Raise `maxHoldingMs`
 *   for real use.
 */
export const DEFAULT_CONFIG: RunnerConfig = {
  mode: 'paper',
  market: 'sim',
  source: 'failover',
  exchanges: { ...DEFAULT_EXCHANGES },
  assets: [
    { asset: 'BTC', tradeSize: 0.01 },
    { asset: 'ETH', tradeSize: 0.25 },
    { asset: 'XRP', tradeSize: 400 },
  ],
  engine: {
    entryThreshold: 0.0025,
    exitThreshold: 0.0005,
    maxHoldingMs: 4_000,
    conversion: { mode: 'usdt-book' },
    takerFees: { conversion: 0 },
  },
  limits: {
    maxNotionalUsd: 2_000,
    maxOpenTrades: 3,
    maxPositionPerAsset: { BTC: 0.02, ETH: 0.5, XRP: 800 },
    maxBookAgeMs: 2_000,
    maxOrdersPerSecond: 20,
    dailyLossLimitUsd: 200,
  },
  paper: {
    latencyMs: { krw: 30, usdt: 50 },
    initialBalances: {
      krw: { KRW: 100_000_000, BTC: 0.1, ETH: 2, XRP: 4_000 },
      usdt: { USDT: 50_000, BTC: 0.1, ETH: 2, XRP: 4_000 },
    },
  },
  feeds: {
    staleAfterMs: 3_000,
    failoverAfterMs: 2_000,
    switchBackAfterMs: 3_000,
    pollIntervalMs: 1_000,
    depth: 15,
  },
  runner: {
    statusIntervalMs: 3_000,
    tickIntervalMs: 250,
    metricsHost: '127.0.0.1',
    logLevel: 'info',
  },
  simulator: { seed: 1, faults: [] },
};
