import { DEFAULT_STRATEGY } from '@arbitrage/engine';
import { DEFAULT_EXCHANGES } from '../exchanges/registry.js';
import type { RunnerConfig } from './schema.js';

/**
 * Defaults are the ones to start live paper trading with (the engine's DEFAULT_STRATEGY): open a
 * pair only when closing it at the premium's own 2-hour median would clear 0.1 % after all four fees
 * and both spreads; close on convergence, a 2-point adverse move or 6 hours. The simulator's 'demo'
 * preset runs market time 60× faster and the runner scales these windows with it (see
 * `strategyForMarket`), so a one-minute run shows a spike being traded.
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
  tradeNotionalUsd: 100,
  engine: {
    ...DEFAULT_STRATEGY,
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
  simulator: { preset: 'demo', seed: 1, faults: [] },
};
