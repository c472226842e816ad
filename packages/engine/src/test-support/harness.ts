import { ManualClock, type PriceLevel } from '@arbitrage/core';
import { createPaperEngine, type PaperEngineOptions } from '../engine/create-paper-engine.js';
import type { EngineConfig } from '../engine-config.js';
import type { RiskLimits } from '../risk/risk-limits.js';
import { book, flatBook } from './books.js';
import { TEST_VENUES } from './venues.js';

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

/**
 * Pairs converge to a fixed reference of 0 (parity), so that tests need no warm-up: a sell-KRW pair
 * opens when closing it at a 0.5 % premium would still clear 0.5 % after the round trip (a mid
 * premium of about 1.3 %), and converges at 0.5 %.
 */
export const TEST_ENGINE = {
  assets: [{ asset: 'BTC', tradeSize: 0.01 }],
  entry: { minExpectedProfit: 0.005 },
  exit: { convergenceBand: 0.005, stopLoss: 0.05, maxHoldingMs: 60_000 },
  baseline: { mode: 'fixed', premium: 0 },
} as const satisfies EngineConfig;

export const TEST_BALANCES = {
  krw: { KRW: 100_000_000, BTC: 1 },
  usdt: { USDT: 100_000, BTC: 1 },
};

export interface Prices {
  /** BTC/KRW mid on the KRW venue ('upbit'). */
  readonly krw: number;
  /** BTC/USDT mid on the USDT venue ('binance'). */
  readonly usdt: number;
  /** USDT/KRW mid on the KRW venue. */
  readonly usdtKrw?: number;
}

/** A paper engine on a ManualClock with books pushed by hand. Latency 20 ms unless overridden. */
export function createHarness(overrides: Partial<PaperEngineOptions> = {}) {
  const clock = new ManualClock(START);
  const parts = createPaperEngine({
    engine: TEST_ENGINE,
    venues: TEST_VENUES,
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
    market.updateSnapshot(flatBook('binance', 'BTC/USDT', prices.usdt, now));
    engine.onSnapshot(flatBook('upbit', 'BTC/KRW', prices.krw, now));
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

/** KRW 2 % above USDT × USDT/KRW: a net premium of about 1.8 % selling in KRW. */
export const WIDE: Prices = { krw: 142_800_000, usdt: 100_000 };
/** KRW at parity: the premium has reverted. */
export const PARITY: Prices = { krw: 140_000_000, usdt: 100_000 };
/** KRW 0.9 % above: below entry, above exit for an open sell-KRW pair. */
export const MIDDLE: Prices = { krw: 141_260_000, usdt: 100_000 };
