import type { Clock, Logger } from '@arbitrage/core';
import { type EngineConfig, resolveEngineConfig } from '../engine-config.js';
import { MarketView } from '../market-view.js';
import { PaperBroker } from '../paper/paper-broker.js';
import { RiskGuard } from '../risk/risk-guard.js';
import type { RiskLimits } from '../risk/risk-limits.js';
import { type EngineVenues, LEG_ROLES, type PerRole } from '../types.js';
import { ArbitrageEngine } from './arbitrage-engine.js';

export interface PaperEngineOptions {
  readonly engine: EngineConfig;
  /** The venue of each leg (an ExchangePlugin is one): exchange ids, fees and market rules. */
  readonly venues: EngineVenues;
  readonly limits: RiskLimits;
  readonly paper?: {
    /** Submission-to-fill delay, ms, one number or per leg. Default 50. */
    readonly latencyMs?: number | PerRole<number>;
    /** Starting balances per leg: asset → amount, e.g. `{ krw: { KRW: 1e8, BTC: 1 } }`. */
    readonly initialBalances?: PerRole<Readonly<Record<string, number>>>;
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
 * fills against that view at fill time with the venues' fees and market rules, a RiskGuard, and the
 * engine. Every per-leg setting is given by role and keyed here by the venues' exchange ids.
 */
export function createPaperEngine(options: PaperEngineOptions): PaperEngine {
  const { venues } = options;
  const config = resolveEngineConfig(options.engine, venues);
  const byExchange = <T>(values: PerRole<T> | undefined): Record<string, T> => {
    const keyed: Record<string, T> = {};
    for (const role of LEG_ROLES) {
      const value = values?.[role];
      if (value !== undefined) keyed[venues[role].id] = value;
    }
    return keyed;
  };
  const latencyMs = options.paper?.latencyMs;
  const market = new MarketView();
  const broker = new PaperBroker({
    bookSource: market.bookSource,
    venues: byExchange({ krw: venues.krw.venue, usdt: venues.usdt.venue }),
    takerFees: byExchange({ krw: config.fees.krw, usdt: config.fees.usdt }),
    latencyMs: typeof latencyMs === 'number' || latencyMs === undefined ? latencyMs : byExchange(latencyMs),
    initialBalances: byExchange(options.paper?.initialBalances),
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
    venues,
    market,
    broker,
    riskGuard,
    clock: options.clock,
    logger: options.logger?.child({ component: 'engine' }),
  });
  return { engine, market, broker, riskGuard };
}
