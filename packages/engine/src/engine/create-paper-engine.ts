import type { Clock, Logger, VenueDescription } from '@arbitrage/core';
import { type EngineConfig, resolveEngineConfig } from '../engine-config.js';
import { MarketView } from '../market-view.js';
import { PaperBroker } from '../paper/paper-broker.js';
import { RiskGuard } from '../risk/risk-guard.js';
import type { RiskLimits } from '../risk/risk-limits.js';
import { type EngineVenues, LEG_ROLES, type PerRole, venuesOf } from '../types.js';
import { ArbitrageEngine } from './arbitrage-engine.js';

export interface PaperEngineOptions {
  readonly engine: EngineConfig;
  /**
   * The venues of each leg, one or a list per role (an ExchangePlugin is one): exchange ids, fees and
   * market rules. Every KRW venue is paired with every USDT venue.
   */
  readonly venues: EngineVenues;
  readonly limits: RiskLimits;
  readonly paper?: {
    /**
     * Submission-to-fill delay, ms: one number, or per leg role (each venue of the role), with
     * `exchanges` overriding single venues: `{ krw: 30, usdt: 50, exchanges: { okx: 80 } }`. Default 50.
     */
    readonly latencyMs?: number | PerExchange<number>;
    /**
     * Starting balances, asset → amount, per leg role: every venue of the role starts with its own
     * copy (two USDT venues hold separate USDT and coins); `exchanges` replaces a venue's entirely.
     * E.g. `{ krw: { KRW: 1e8, BTC: 1 }, usdt: { USDT: 1e5, BTC: 1 }, exchanges: { okx: { USDT: 5e4 } } }`.
     */
    readonly initialBalances?: PerExchange<Readonly<Record<string, number>>>;
    readonly maxFillHistory?: number;
  };
  readonly haltOnOrderRateBreach?: boolean;
  readonly dayOffsetMinutes?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/** A value per leg role, applying to every venue of that role, with per-exchange values winning. */
export type PerExchange<T> = PerRole<T> & { readonly exchanges?: Readonly<Record<string, T>> };

export interface PaperEngine {
  readonly engine: ArbitrageEngine;
  readonly market: MarketView;
  readonly broker: PaperBroker;
  readonly riskGuard: RiskGuard;
}

/**
 * Builds the paper-trading set: one MarketView that the books are handed to, a PaperBroker that
 * fills against that view at fill time with the venues' fees and market rules, a RiskGuard, and the
 * engine. Per-leg settings are given by role and keyed here by exchange id, one entry per venue, so
 * that each exchange has balances of its own.
 */
export function createPaperEngine(options: PaperEngineOptions): PaperEngine {
  const { venues } = options;
  const config = resolveEngineConfig(options.engine, venues);
  const byExchange = <T>(values: PerExchange<T> | undefined): Record<string, T> => {
    const keyed: Record<string, T> = {};
    for (const role of LEG_ROLES) {
      for (const { id } of venuesOf(venues, role)) {
        const value = values?.exchanges?.[id] ?? values?.[role];
        if (value !== undefined) keyed[id] = value;
      }
    }
    return keyed;
  };
  const venueById: Record<string, VenueDescription> = {};
  for (const role of LEG_ROLES) for (const { id, venue } of venuesOf(venues, role)) venueById[id] = venue;
  const latencyMs = options.paper?.latencyMs;
  const market = new MarketView();
  const broker = new PaperBroker({
    bookSource: market.bookSource,
    venues: venueById,
    takerFees: config.takerFees,
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
