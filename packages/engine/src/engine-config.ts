import { ConfigError } from '@arbitrage/core';
import type { PremiumFees } from './premium.js';
import { DIRECTIONS, type Direction, type MarketRef } from './types.js';

export interface AssetConfig {
  /** Base asset traded on both venues: 'BTC' means Upbit KRW-BTC and Binance BTCUSDT. */
  readonly asset: string;
  /** Quantity of the asset per hedged pair (base units, e.g. 0.01 BTC); the VWAPs are taken for it. */
  readonly tradeSize: number;
}

/**
 * How USDT is brought into KRW. 'usdt-book' (default) uses Upbit's KRW-USDT book — what can
 * actually be traded —; 'fx' uses a fixed rate in KRW per USDT (treating USDT as USD).
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
  /** Taker fees as fractions. Defaults: Upbit 0.0005, Binance 0.001, conversion 0 (not traded). */
  readonly takerFees?: Partial<PremiumFees>;
  /** Exchange ids of the two venues, if a plugin registers them under other names. */
  readonly exchanges?: { readonly upbit?: string; readonly binance?: string };
}

export interface ResolvedAsset {
  readonly asset: string;
  readonly tradeSize: number;
  readonly upbit: MarketRef;
  readonly binance: MarketRef;
}

export interface ResolvedEngineConfig {
  readonly assets: readonly ResolvedAsset[];
  readonly entryThreshold: number;
  readonly exitThreshold: number;
  readonly maxHoldingMs: number;
  readonly directions: readonly Direction[];
  readonly conversion: ConversionConfig;
  /** Upbit's KRW-USDT market; present in 'usdt-book' mode only. */
  readonly conversionMarket: MarketRef | undefined;
  readonly fees: PremiumFees;
  readonly upbitExchange: string;
  readonly binanceExchange: string;
}

export const DEFAULT_TAKER_FEES: PremiumFees = { upbit: 0.0005, binance: 0.001, conversion: 0 };

const ASSET_PATTERN = /^[A-Z0-9]+$/;

/** Validates `config` and fills defaults. Throws ConfigError naming the first bad field. */
export function resolveEngineConfig(config: EngineConfig): ResolvedEngineConfig {
  const upbitExchange = config.exchanges?.upbit ?? 'upbit';
  const binanceExchange = config.exchanges?.binance ?? 'binance';
  if (!Array.isArray(config.assets) || config.assets.length === 0) {
    throw new ConfigError(
      'engine.assets must list at least one asset, e.g. [{ asset: "BTC", tradeSize: 0.01 }]',
    );
  }
  const seen = new Set<string>();
  const assets = config.assets.map((entry, index): ResolvedAsset => {
    const field = `engine.assets[${index}]`;
    if (!ASSET_PATTERN.test(entry.asset) || entry.asset === 'KRW' || entry.asset === 'USDT') {
      throw new ConfigError(
        `${field}.asset is "${entry.asset}"; expected an upper-case base asset such as "BTC"`,
      );
    }
    if (seen.has(entry.asset)) throw new ConfigError(`${field}.asset "${entry.asset}" is listed twice`);
    seen.add(entry.asset);
    requirePositive(`${field}.tradeSize`, entry.tradeSize);
    return {
      asset: entry.asset,
      tradeSize: entry.tradeSize,
      upbit: { exchange: upbitExchange, symbol: `${entry.asset}/KRW` },
      binance: { exchange: binanceExchange, symbol: `${entry.asset}/USDT` },
    };
  });
  requireFinite('engine.entryThreshold', config.entryThreshold);
  requireFinite('engine.exitThreshold', config.exitThreshold);
  if (config.exitThreshold >= config.entryThreshold) {
    throw new ConfigError(
      `engine.exitThreshold (${config.exitThreshold}) must be below engine.entryThreshold (${config.entryThreshold}), or every pair would close as soon as it opened`,
    );
  }
  requirePositive('engine.maxHoldingMs', config.maxHoldingMs);
  const directions = config.directions ?? DIRECTIONS;
  for (const direction of directions) {
    if (!DIRECTIONS.includes(direction)) {
      throw new ConfigError(`engine.directions contains "${direction}"; expected ${DIRECTIONS.join(' or ')}`);
    }
  }
  const conversion = config.conversion ?? { mode: 'usdt-book' };
  if (conversion.mode === 'fx') requirePositive('engine.conversion.usdKrw', conversion.usdKrw);
  else if (conversion.mode !== 'usdt-book') {
    throw new ConfigError('engine.conversion.mode must be "usdt-book" or "fx"');
  }
  const fees: PremiumFees = { ...DEFAULT_TAKER_FEES, ...config.takerFees };
  for (const [name, fee] of Object.entries(fees)) {
    if (!Number.isFinite(fee) || fee < 0 || fee >= 0.1) {
      throw new ConfigError(
        `engine.takerFees.${name} is ${fee}; expected a fraction in [0, 0.1), e.g. 0.0005`,
      );
    }
  }
  return {
    assets,
    entryThreshold: config.entryThreshold,
    exitThreshold: config.exitThreshold,
    maxHoldingMs: config.maxHoldingMs,
    directions,
    conversion,
    conversionMarket:
      conversion.mode === 'usdt-book' ? { exchange: upbitExchange, symbol: 'USDT/KRW' } : undefined,
    fees,
    upbitExchange,
    binanceExchange,
  };
}

/** Every market the engine reads, for subscribing providers: per asset both legs, plus USDT/KRW. */
export function requiredMarkets(config: ResolvedEngineConfig): readonly MarketRef[] {
  const markets: MarketRef[] = [];
  for (const asset of config.assets) markets.push(asset.upbit, asset.binance);
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
