import {
  type Clock,
  ConfigError,
  type ExchangeFactory,
  type ExchangePlugin,
  type ExchangeTransport,
  type Logger,
  UnknownSymbolError,
  type WireTap,
} from '@arbitrage/core';
import {
  type EngineVenues,
  LEG_ROLES,
  type LegRole,
  type MarketRef,
  requiredMarkets,
  resolveEngineConfig,
} from '@arbitrage/engine';
import { isResolved } from '../config/asset-selection.js';
import type { ResolvedRunnerConfig, RunnerConfig } from '../config/schema.js';
import type { MarketHandle } from '../market/market.js';
import { exchangesOf } from './registry.js';

/** The open plugins of each leg: the KRW venue(s) and the USDT venue(s), in the order configured. */
export type ExchangeLegs = Readonly<Record<LegRole, readonly ExchangePlugin[]>>;

/** Each plugin once. */
export function legPlugins(legs: ExchangeLegs): ExchangePlugin[] {
  return [...new Set(LEG_ROLES.flatMap((role) => legs[role]))];
}

/**
 * Every market the engine reads (per asset both legs on every route, plus each KRW venue's USDT/KRW
 * by default), on the legs' venues.
 */
export function configuredMarkets(config: ResolvedRunnerConfig, venues: EngineVenues): readonly MarketRef[] {
  return requiredMarkets(resolveEngineConfig({ ...config.engine, assets: config.assets }, venues));
}

/**
 * Creates one plugin per configured exchange pointed at the market's endpoints, loads its market
 * list (a plugin keeps its built-in list when that fails), checks that each quotes in its leg's
 * currency and lists every configured market. Closes what it opened before throwing.
 */
export async function openExchanges(options: {
  readonly config: RunnerConfig;
  /** Factories by exchange name, as the registry loaded them. */
  readonly factories: ReadonlyMap<string, ExchangeFactory>;
  readonly market: MarketHandle;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Sees everything the exchanges send (recording). */
  readonly wireTap?: WireTap;
}): Promise<ExchangeLegs> {
  const byName = new Map<string, ExchangePlugin>();
  try {
    const open = (role: LegRole, name: string): ExchangePlugin => {
      let plugin = byName.get(name);
      if (!plugin) {
        const factory = options.factories.get(name);
        if (!factory) throw new ConfigError(`exchanges.${role}: no factory loaded for "${name}"`);
        plugin = factory({
          ...options.market.endpointsFor(name),
          clock: options.clock,
          logger: options.logger,
          ...(options.wireTap ? { wireTap: options.wireTap } : {}),
          ...transportOf(options.market, name),
        });
        byName.set(name, plugin);
      }
      return plugin;
    };
    const exchanges = options.config.exchanges;
    const legs: ExchangeLegs = {
      krw: exchangesOf(exchanges, 'krw').map((name) => open('krw', name)),
      usdt: exchangesOf(exchanges, 'usdt').map((name) => open('usdt', name)),
    };
    await Promise.all([...byName.values()].map((plugin) => plugin.loadMarkets()));
    // `assets: all` lists only what both legs list (resolveAllAssets): nothing to check.
    const config = options.config;
    if (isResolved(config)) checkListed(configuredMarkets(config, legs), legPlugins(legs));
    return legs;
  } catch (error) {
    await Promise.allSettled([...byName.values()].map((plugin) => plugin.close()));
    throw error;
  }
}

function checkListed(markets: readonly MarketRef[], plugins: readonly ExchangePlugin[]): void {
  const missing: string[] = [];
  for (const market of markets) {
    const plugin = plugins.find((candidate) => candidate.id === market.exchange);
    if (!plugin) {
      missing.push(`${market.exchange}:${market.symbol} (exchange not loaded)`);
      continue;
    }
    if (!plugin.symbols.has(market.symbol)) missing.push(`${market.exchange}:${market.symbol}`);
  }
  if (missing.length > 0) {
    throw new ConfigError(
      `assets: these markets are not listed by the exchanges: ${missing.join(', ')}; check the asset names`,
      { cause: new UnknownSymbolError(missing[0]!, `not listed: ${missing[0]}`) },
    );
  }
}

function transportOf(market: MarketHandle, exchange: string): { transport?: ExchangeTransport } {
  const transport = market.transportFor?.(exchange);
  return transport ? { transport } : {};
}
