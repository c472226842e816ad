import { ConfigError, type ExchangeId } from '@arbitrage/core';
import type { PremiumFees } from './premium.js';
import {
  DIRECTIONS,
  type Direction,
  type EngineVenues,
  LEG_ROLES,
  type LegRole,
  type MarketRef,
  ROLE_QUOTE_CURRENCY,
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

export interface EngineConfig {
  readonly assets: readonly AssetConfig[];
  /** Open a pair when its direction's net premium is at least this (fraction: 0.004 = 0.4 %). */
  readonly entryThreshold: number;
  /** Close a pair when its exit premium (see `exitPremium`) is at most this. Must be < entry. */
  readonly exitThreshold: number;
  /** Close a pair after it has been open this long, whatever the premium. */
  readonly maxHoldingMs: number;
  /** Directions allowed to open; both by default. */
  readonly directions?: readonly Direction[];
  readonly conversion?: ConversionConfig;
  /**
   * Taker fees as fractions, overriding the venues' own `venue.fees.taker` (an account on a lower
   * tier, say). `conversion` defaults to 0: the USDT/KRW book values USDT, it is not traded.
   */
  readonly takerFees?: Partial<PremiumFees>;
}

export interface ResolvedAsset {
  readonly asset: string;
  readonly tradeSize: number;
  readonly krw: MarketRef;
  readonly usdt: MarketRef;
}

export interface ResolvedEngineConfig {
  readonly assets: readonly ResolvedAsset[];
  readonly entryThreshold: number;
  readonly exitThreshold: number;
  readonly maxHoldingMs: number;
  readonly directions: readonly Direction[];
  readonly conversion: ConversionConfig;
  /** The KRW venue's USDT/KRW market; present in 'usdt-book' mode only. */
  readonly conversionMarket: MarketRef | undefined;
  /** The venues' taker fees, with the config's overrides applied. */
  readonly fees: PremiumFees;
  /** Exchange id of each leg's venue. */
  readonly exchanges: Readonly<Record<LegRole, ExchangeId>>;
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
  requireFinite('engine.entryThreshold', config.entryThreshold);
  requireFinite('engine.exitThreshold', config.exitThreshold);
  if (config.exitThreshold >= config.entryThreshold) {
    throw new ConfigError(
      `engine.exitThreshold (${config.exitThreshold}) must be below engine.entryThreshold (${config.entryThreshold}), or every pair would close as soon as it opened`,
    );
  }
  requirePositive('engine.maxHoldingMs', config.maxHoldingMs);
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
 * Validates `config` against the two venues and fills defaults: each leg's markets on its venue,
 * the venues' taker fees unless overridden. Throws ConfigError naming the first bad field, or the
 * venue that cannot serve its leg (a KRW leg on a venue quoting in USDT).
 */
export function resolveEngineConfig(config: EngineConfig, venues: EngineVenues): ResolvedEngineConfig {
  checkEngineConfig(config);
  for (const role of LEG_ROLES) {
    const { id, venue } = venues[role];
    const expected = ROLE_QUOTE_CURRENCY[role];
    if (venue.quoteCurrency !== expected) {
      throw new ConfigError(
        `the ${role} leg needs a venue quoting in ${expected}, but exchange "${id}" quotes in ${venue.quoteCurrency}`,
      );
    }
    requireFee(`exchange "${id}" venue.fees.taker`, venue.fees.taker);
  }
  const krw = venues.krw.id;
  const usdt = venues.usdt.id;
  const conversion = config.conversion ?? { mode: 'usdt-book' };
  return {
    assets: config.assets.map((entry) => ({
      asset: entry.asset,
      tradeSize: entry.tradeSize,
      krw: { exchange: krw, symbol: `${entry.asset}/KRW` },
      usdt: { exchange: usdt, symbol: `${entry.asset}/USDT` },
    })),
    entryThreshold: config.entryThreshold,
    exitThreshold: config.exitThreshold,
    maxHoldingMs: config.maxHoldingMs,
    directions: config.directions ?? DIRECTIONS,
    conversion,
    conversionMarket: conversion.mode === 'usdt-book' ? { exchange: krw, symbol: 'USDT/KRW' } : undefined,
    fees: {
      krw: config.takerFees?.krw ?? venues.krw.venue.fees.taker,
      usdt: config.takerFees?.usdt ?? venues.usdt.venue.fees.taker,
      conversion: config.takerFees?.conversion ?? 0,
    },
    exchanges: { krw, usdt },
  };
}

/** Every market the engine reads, for subscribing providers: per asset both legs, plus USDT/KRW. */
export function requiredMarkets(config: ResolvedEngineConfig): readonly MarketRef[] {
  const markets: MarketRef[] = [];
  for (const asset of config.assets) markets.push(asset.krw, asset.usdt);
  if (config.conversionMarket) markets.push(config.conversionMarket);
  return markets;
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
