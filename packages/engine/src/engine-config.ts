import { ConfigError, type ExchangeId } from '@arbitrage/core';
import type { PremiumFees } from './premium.js';
import type { BaselineConfig } from './strategy/premium-baseline.js';
import {
  DIRECTIONS,
  type Direction,
  type EngineVenues,
  LEG_ROLES,
  type LegRole,
  type MarketRef,
  ROLE_QUOTE_CURRENCY,
  routeName,
  venuesOf,
} from './types.js';

export interface AssetConfig {
  /** Base asset traded on both venues: 'BTC' means BTC/KRW on the KRW venue and BTC/USDT on the USDT venue. */
  readonly asset: string;
  /** Quantity of the asset per hedged pair (base units, e.g. 0.01 BTC); the VWAPs are taken for it. */
  readonly tradeSize: number;
}

/**
 * How USDT is brought into KRW. 'usdt-book' (default) uses the KRW venue's USDT/KRW book — what
 * can actually be traded —; 'fx' uses a fixed rate in KRW per USDT (treating USDT as USD).
 */
export type ConversionConfig =
  | { readonly mode: 'usdt-book' }
  | { readonly mode: 'fx'; readonly usdKrw: number };

/** When a pair opens. */
export interface EntryRule {
  /**
   * Open only when the pair, closed at its convergence target, would return at least this after all
   * four taker fees and both spreads (a fraction of the KRW at stake: 0.001 = 0.1 %). At least 0, so
   * that no pair opens whose exit target cannot cover its round trip.
   */
  readonly minExpectedProfit: number;
}

/** When a pair closes: whichever comes first. */
export interface ExitRule {
  /** Converged: the mid premium is back within this of the reference (fraction, e.g. 0.002). */
  readonly convergenceBand: number;
  /** Stop: the mid premium has moved this far against the pair since it opened (fraction, e.g. 0.02). */
  readonly stopLoss: number;
  /** Time: the pair has been open this long, ms. */
  readonly maxHoldingMs: number;
}

export interface EngineConfig {
  readonly assets: readonly AssetConfig[];
  /** Default `DEFAULT_STRATEGY.entry`. */
  readonly entry?: EntryRule;
  /** Default `DEFAULT_STRATEGY.exit`. */
  readonly exit?: ExitRule;
  /** The reference premium pairs converge to, per asset. Default `DEFAULT_STRATEGY.baseline`. */
  readonly baseline?: BaselineConfig;
  /** Directions allowed to open; both by default. */
  readonly directions?: readonly Direction[];
  readonly conversion?: ConversionConfig;
  /**
   * Taker fees as fractions, overriding the venues' own `venue.fees.taker` (an account on a lower
   * tier, say); `krw` applies to every KRW venue, `usdt` to every USDT venue. `conversion` defaults
   * to 0: the USDT/KRW book values USDT, it is not traded.
   */
  readonly takerFees?: Partial<PremiumFees>;
}

/**
 * Where a careful user starts live paper trading: open when a pair would clear 0.3 % after the whole
 * round trip, converge to within 0.2 % of the premium's 2-hour rolling median (trusted after 10
 * minutes of history), stop at 2 points of adverse widening, hold at most 6 hours.
 */
export const DEFAULT_STRATEGY: {
  readonly entry: EntryRule;
  readonly exit: ExitRule;
  readonly baseline: BaselineConfig;
} = {
  entry: { minExpectedProfit: 0.003 },
  exit: { convergenceBand: 0.002, stopLoss: 0.02, maxHoldingMs: 6 * 3_600_000 },
  baseline: { mode: 'rolling', statistic: 'median', windowMs: 2 * 3_600_000, warmupMs: 10 * 60_000 },
};

/** One KRW venue paired with one USDT venue. */
export interface ResolvedRoute {
  /** `<krw>-<usdt>`, e.g. 'upbit-binance'. */
  readonly name: string;
  readonly krw: ExchangeId;
  readonly usdt: ExchangeId;
  /** The two venues' taker fees, with the config's overrides applied. */
  readonly fees: PremiumFees;
  /** The KRW venue's USDT/KRW market; present in 'usdt-book' mode only. */
  readonly conversionMarket: MarketRef | undefined;
}

/** An asset's two markets on one route. */
export interface ResolvedAssetRoute {
  readonly route: ResolvedRoute;
  readonly krw: MarketRef;
  readonly usdt: MarketRef;
}

export interface ResolvedAsset {
  readonly asset: string;
  readonly tradeSize: number;
  /** The asset on every route, in route order. */
  readonly routes: readonly ResolvedAssetRoute[];
}

export interface ResolvedEngineConfig {
  readonly assets: readonly ResolvedAsset[];
  readonly entry: EntryRule;
  readonly exit: ExitRule;
  readonly baseline: BaselineConfig;
  readonly directions: readonly Direction[];
  readonly conversion: ConversionConfig;
  /** Every KRW venue × every USDT venue, KRW venues outer, each in the order configured. */
  readonly routes: readonly ResolvedRoute[];
  /** Exchange ids of each leg's venues, in the order configured. */
  readonly exchanges: Readonly<Record<LegRole, readonly ExchangeId[]>>;
  /** Taker fee per exchange id, with the config's overrides applied (what the paper broker charges). */
  readonly takerFees: Readonly<Record<ExchangeId, number>>;
}

const ASSET_PATTERN = /^[A-Z0-9]+$/;

/**
 * Checks everything in `config` that needs no venue, e.g. before any exchange is opened. Throws
 * ConfigError naming the first bad field.
 */
export function checkEngineConfig(config: EngineConfig): void {
  if (!Array.isArray(config.assets) || config.assets.length === 0) {
    throw new ConfigError(
      'engine.assets must list at least one asset, e.g. [{ asset: "BTC", tradeSize: 0.01 }]',
    );
  }
  const seen = new Set<string>();
  config.assets.forEach((entry, index) => {
    const field = `engine.assets[${index}]`;
    if (!ASSET_PATTERN.test(entry.asset) || entry.asset === 'KRW' || entry.asset === 'USDT') {
      throw new ConfigError(
        `${field}.asset is "${entry.asset}"; expected an upper-case base asset such as "BTC"`,
      );
    }
    if (seen.has(entry.asset)) throw new ConfigError(`${field}.asset "${entry.asset}" is listed twice`);
    seen.add(entry.asset);
    requirePositive(`${field}.tradeSize`, entry.tradeSize);
  });
  refuseRetiredFields(config);
  checkStrategy(config);
  for (const direction of config.directions ?? DIRECTIONS) {
    if (!DIRECTIONS.includes(direction)) {
      throw new ConfigError(`engine.directions contains "${direction}"; expected ${DIRECTIONS.join(' or ')}`);
    }
  }
  const conversion = config.conversion ?? { mode: 'usdt-book' };
  if (conversion.mode === 'fx') requirePositive('engine.conversion.usdKrw', conversion.usdKrw);
  else if (conversion.mode !== 'usdt-book') {
    throw new ConfigError('engine.conversion.mode must be "usdt-book" or "fx"');
  }
  for (const [name, fee] of Object.entries(config.takerFees ?? {})) {
    if (fee !== undefined) requireFee(`engine.takerFees.${name}`, fee);
  }
}

/**
 * Validates `config` against the venues and fills defaults: every KRW venue paired with every USDT
 * venue (a route), each asset's markets on each route, the venues' taker fees unless overridden.
 * Throws ConfigError naming the first bad field, or the venue that cannot serve its leg (a KRW leg
 * on a venue quoting in USDT).
 */
export function resolveEngineConfig(config: EngineConfig, venues: EngineVenues): ResolvedEngineConfig {
  checkEngineConfig(config);
  const takerFees: Record<ExchangeId, number> = {};
  const exchanges: Record<LegRole, ExchangeId[]> = { krw: [], usdt: [] };
  for (const role of LEG_ROLES) {
    const list = venuesOf(venues, role);
    if (list.length === 0) throw new ConfigError(`the ${role} leg needs at least one venue`);
    for (const { id, venue } of list) {
      const expected = ROLE_QUOTE_CURRENCY[role];
      if (venue.quoteCurrency !== expected) {
        throw new ConfigError(
          `the ${role} leg needs a venue quoting in ${expected}, but exchange "${id}" quotes in ${venue.quoteCurrency}`,
        );
      }
      if (exchanges[role].includes(id)) throw new ConfigError(`exchange "${id}" is listed twice`);
      requireFee(`exchange "${id}" venue.fees.taker`, venue.fees.taker);
      exchanges[role].push(id);
      takerFees[id] = config.takerFees?.[role] ?? venue.fees.taker;
    }
  }
  const conversion = config.conversion ?? { mode: 'usdt-book' };
  const routes: ResolvedRoute[] = [];
  for (const krw of exchanges.krw) {
    for (const usdt of exchanges.usdt) {
      routes.push({
        name: routeName(krw, usdt),
        krw,
        usdt,
        fees: { krw: takerFees[krw]!, usdt: takerFees[usdt]!, conversion: config.takerFees?.conversion ?? 0 },
        conversionMarket: conversion.mode === 'usdt-book' ? { exchange: krw, symbol: 'USDT/KRW' } : undefined,
      });
    }
  }
  return {
    assets: config.assets.map((entry) => ({
      asset: entry.asset,
      tradeSize: entry.tradeSize,
      routes: routes.map((route) => ({
        route,
        krw: { exchange: route.krw, symbol: `${entry.asset}/KRW` },
        usdt: { exchange: route.usdt, symbol: `${entry.asset}/USDT` },
      })),
    })),
    entry: config.entry ?? DEFAULT_STRATEGY.entry,
    exit: config.exit ?? DEFAULT_STRATEGY.exit,
    baseline: config.baseline ?? DEFAULT_STRATEGY.baseline,
    directions: config.directions ?? DIRECTIONS,
    conversion,
    routes,
    exchanges,
    takerFees,
  };
}

/**
 * Every market the engine reads, each once, for subscribing providers: per asset both legs on every
 * route, then each KRW venue's USDT/KRW.
 */
export function requiredMarkets(config: ResolvedEngineConfig): readonly MarketRef[] {
  const markets: MarketRef[] = [];
  const seen = new Set<string>();
  const add = (market: MarketRef | undefined): void => {
    if (!market) return;
    const key = `${market.exchange}:${market.symbol}`;
    if (seen.has(key)) return;
    seen.add(key);
    markets.push(market);
  };
  for (const asset of config.assets) {
    for (const route of asset.routes) {
      add(route.krw);
      add(route.usdt);
    }
  }
  for (const route of config.routes) add(route.conversionMarket);
  return markets;
}

/** Engine fields of the threshold rules (before 0.x's round-trip rules), and what replaced each. */
export const RETIRED_ENGINE_FIELDS: Readonly<Record<string, string>> = {
  entryThreshold: 'entry.minExpectedProfit (the profit a pair must clear after the whole round trip)',
  exitThreshold: 'exit.convergenceBand (how close to its reference the premium must come back)',
  maxHoldingMs: 'exit.maxHoldingMs',
};

/** Configs written for the threshold rules get a pointer to what replaced each field. */
function refuseRetiredFields(config: EngineConfig): void {
  for (const [field, replacement] of Object.entries(RETIRED_ENGINE_FIELDS)) {
    if (Object.hasOwn(config, field)) {
      throw new ConfigError(
        `engine.${field} is no longer read: use engine.${replacement}; see the engine README, "Entry and exit"`,
      );
    }
  }
}

function checkStrategy(config: EngineConfig): void {
  const { entry, exit, baseline } = config;
  if (entry !== undefined) {
    requireFraction('engine.entry.minExpectedProfit', entry.minExpectedProfit, 0, 0.1);
  }
  if (exit !== undefined) {
    requireFraction('engine.exit.convergenceBand', exit.convergenceBand, 0, 0.1);
    requirePositive('engine.exit.stopLoss', exit.stopLoss);
    requireFraction('engine.exit.stopLoss', exit.stopLoss, 0, 1);
    requirePositive('engine.exit.maxHoldingMs', exit.maxHoldingMs);
  }
  if (baseline === undefined) return;
  if (baseline.mode === 'fixed') {
    requireFraction('engine.baseline.premium', baseline.premium, -0.5, 1);
  } else if (baseline.mode === 'rolling') {
    requirePositive('engine.baseline.windowMs', baseline.windowMs);
    requireFinite('engine.baseline.warmupMs', baseline.warmupMs);
    if (baseline.warmupMs < 0 || baseline.warmupMs > baseline.windowMs) {
      throw new ConfigError(
        `engine.baseline.warmupMs is ${baseline.warmupMs}; expected 0 to windowMs (${baseline.windowMs})`,
      );
    }
    const statistic = baseline.statistic ?? 'median';
    if (statistic !== 'median' && statistic !== 'mean') {
      throw new ConfigError(`engine.baseline.statistic is "${statistic}"; expected "median" or "mean"`);
    }
  } else {
    throw new ConfigError('engine.baseline.mode must be "rolling" or "fixed"');
  }
}

/** A finite number in [min, max). */
function requireFraction(field: string, value: number, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value >= max) {
    throw new ConfigError(
      `${field} is ${String(value)}; expected a fraction in [${min}, ${max}), e.g. 0.001`,
    );
  }
}

function requireFinite(field: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ConfigError(`${field} is ${String(value)}; expected a finite number`);
  }
}

function requirePositive(field: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError(`${field} is ${String(value)}; expected a number above 0`);
  }
}

function requireFee(field: string, fee: number): void {
  if (typeof fee !== 'number' || !Number.isFinite(fee) || fee < 0 || fee >= 0.1) {
    throw new ConfigError(`${field} is ${String(fee)}; expected a fraction in [0, 0.1), e.g. 0.0005`);
  }
}
