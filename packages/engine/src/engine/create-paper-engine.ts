import type { Clock, Logger, MarketInfo } from '@arbitrage/core';
import { type EngineConfig, resolveEngineConfig } from '../engine-config.js';
import { MarketView } from '../market-view.js';
import { PaperBroker } from '../paper/paper-broker.js';
import { RiskGuard } from '../risk/risk-guard.js';
import type { RiskLimits } from '../risk/risk-limits.js';
import { ArbitrageEngine } from './arbitrage-engine.js';

export interface PaperEngineOptions {
  readonly engine: EngineConfig;
  readonly limits: RiskLimits;
  readonly paper?: {
    /** Submission-to-fill delay, ms, one number or per exchange id. Default 50. */
    readonly latencyMs?: number | Readonly<Record<string, number>>;
    /** exchange → asset → amount. */
    readonly initialBalances?: Readonly<Record<string, Readonly<Record<string, number>>>>;
    /** Lot sizes and minimum notionals from the exchanges' market lists. */
    readonly markets?: readonly MarketInfo[];
    readonly maxFillHistory?: number;
  };
  readonly haltOnOrderRateBreach?: boolean;
  readonly dayOffsetMinutes?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

export interface PaperEngine {
  readonly engine: ArbitrageEngine;
  readonly market: MarketView;
  readonly broker: PaperBroker;
  readonly riskGuard: RiskGuard;
}

/**
 * Builds the paper-trading set: one MarketView that the books are handed to, a PaperBroker that
 * fills against that view at fill time with the engine's fee schedule, a RiskGuard, and the engine.
 */
export function createPaperEngine(options: PaperEngineOptions): PaperEngine {
  const config = resolveEngineConfig(options.engine);
  const market = new MarketView();
  const broker = new PaperBroker({
    bookSource: market.bookSource,
    takerFees: { [config.upbitExchange]: config.fees.upbit, [config.binanceExchange]: config.fees.binance },
    latencyMs: options.paper?.latencyMs,
    markets: options.paper?.markets,
    initialBalances: options.paper?.initialBalances,
    maxFillHistory: options.paper?.maxFillHistory,
    clock: options.clock,
    logger: options.logger?.child({ component: 'paper-broker' }),
  });
  const riskGuard = new RiskGuard({
    limits: options.limits,
    assets: config.assets.map((asset) => asset.asset),
    haltOnOrderRateBreach: options.haltOnOrderRateBreach,
    dayOffsetMinutes: options.dayOffsetMinutes,
    clock: options.clock,
    logger: options.logger?.child({ component: 'risk-guard' }),
  });
  const engine = new ArbitrageEngine({
    config: options.engine,
    market,
    broker,
    riskGuard,
    clock: options.clock,
    logger: options.logger?.child({ component: 'engine' }),
  });
  return { engine, market, broker, riskGuard };
}
