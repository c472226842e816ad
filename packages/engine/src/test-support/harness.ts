import { ManualClock, type PriceLevel } from '@arbitrage/core';
import { createPaperEngine, type PaperEngineOptions } from '../engine/create-paper-engine.js';
import type { EngineConfig } from '../engine-config.js';
import type { RiskLimits } from '../risk/risk-limits.js';
import { book, flatBook } from './books.js';

export const START = 1_700_000_000_000;

export const TEST_LIMITS: RiskLimits = {
  maxNotionalUsd: 10_000,
  maxOpenTrades: 3,
  /** One pair of 0.01 BTC at a time: the engine scales in up to this. */
  maxPositionPerAsset: 0.01,
  maxBookAgeMs: 200,
  maxOrdersPerSecond: 10,
  dailyLossLimitUsd: 1_000,
};

export const TEST_ENGINE: EngineConfig = {
  assets: [{ asset: 'BTC', tradeSize: 0.01 }],
  entryThreshold: 0.01,
  exitThreshold: 0.005,
  maxHoldingMs: 60_000,
};

export const TEST_BALANCES = {
  upbit: { KRW: 100_000_000, BTC: 1 },
  binance: { USDT: 100_000, BTC: 1 },
};

export interface Prices {
  /** Upbit BTC/KRW mid. */
  readonly upbit: number;
  /** Binance BTC/USDT mid. */
  readonly binance: number;
  /** Upbit USDT/KRW mid. */
  readonly usdtKrw?: number;
}

/** A paper engine on a ManualClock with books pushed by hand. Latency 20 ms unless overridden. */
export function createHarness(overrides: Partial<PaperEngineOptions> = {}) {
  const clock = new ManualClock(START);
  const parts = createPaperEngine({
    engine: TEST_ENGINE,
    limits: TEST_LIMITS,
    paper: { latencyMs: 20, initialBalances: TEST_BALANCES },
    clock,
    ...overrides,
  });
  const { engine, market } = parts;

  /** Hands in fresh one-level books for the three markets, then evaluates once; returns the decision for BTC. */
  const pushAll = (prices: Prices) => {
    const now = clock.now();
    market.updateSnapshot(flatBook('upbit', 'USDT/KRW', prices.usdtKrw ?? 1_400, now));
    market.updateSnapshot(flatBook('binance', 'BTC/USDT', prices.binance, now));
    engine.onSnapshot(flatBook('upbit', 'BTC/KRW', prices.upbit, now));
    return engine.lastDecision('BTC')!;
  };

  const push = (
    exchange: string,
    symbol: string,
    bids: readonly PriceLevel[],
    asks: readonly PriceLevel[],
  ) => {
    engine.onSnapshot(book(exchange, symbol, bids, asks, clock.now()));
    return engine.lastDecision(symbol.split('/')[0]!);
  };

  return { clock, ...parts, pushAll, push };
}

/** Upbit 2 % above Binance × USDT/KRW: a net premium of about 1.8 % selling on Upbit. */
export const WIDE: Prices = { upbit: 142_800_000, binance: 100_000 };
/** Upbit at parity: the premium has reverted. */
export const PARITY: Prices = { upbit: 140_000_000, binance: 100_000 };
/** Upbit 0.9 % above: below entry, above exit for an open sell-Upbit pair. */
export const MIDDLE: Prices = { upbit: 141_260_000, binance: 100_000 };
