import {
  type Clock,
  ConfigError,
  type ExchangeFactory,
  type ExchangePlugin,
  type Logger,
  UnknownSymbolError,
} from '@arbitrage/core';
import { type MarketRef, requiredMarkets, resolveEngineConfig } from '@arbitrage/engine';
import type { RunnerConfig } from '../config/schema.js';
import type { MarketHandle } from '../market/market.js';

/** Every market the engine reads, from the config (per asset both legs, plus USDT/KRW by default). */
export function configuredMarkets(config: RunnerConfig): readonly MarketRef[] {
  return requiredMarkets(resolveEngineConfig({ ...config.engine, assets: config.assets }));
}

/**
 * Creates each exchange plugin pointed at the market's endpoints, loads its market list (a plugin
 * keeps its built-in list when that fails) and checks that every configured market is listed.
 * Closes what it opened before throwing.
 */
export async function openExchanges(options: {
  readonly config: RunnerConfig;
  readonly factories: ReadonlyMap<string, ExchangeFactory>;
  readonly market: MarketHandle;
  readonly clock: Clock;
  readonly logger: Logger;
}): Promise<ExchangePlugin[]> {
  const plugins: ExchangePlugin[] = [];
  try {
    for (const [name, factory] of options.factories) {
      plugins.push(
        factory({
          ...options.market.endpointsFor(name),
          clock: options.clock,
          logger: options.logger,
        }),
      );
    }
    await Promise.all(plugins.map((plugin) => plugin.loadMarkets()));
    checkListed(configuredMarkets(options.config), plugins);
    return plugins;
  } catch (error) {
    await Promise.allSettled(plugins.map((plugin) => plugin.close()));
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
