import { type Clock, type ExchangePlugin, formatInstrumentId, type Logger, TOKENS } from '@arbitrage/core';
import { ArbitrageEngine, LiveGuard, MarketView, PaperBroker, RiskGuard } from '@arbitrage/engine';
import {
  type DependencyContainer,
  container as globalContainer,
  instanceCachingFactory,
  Lifecycle,
} from 'tsyringe';
import type { RunnerConfig } from '../config/schema.js';
import { configuredMarkets } from '../exchanges/open-exchanges.js';
import type { TextSink } from '../logging/create-logger.js';
import { EngineLoop } from '../loop/engine-loop.js';
import type { MarketHandle } from '../market/market.js';
import { RunnerMetrics } from '../metrics/runner-metrics.js';
import { createProvider } from '../providers/create-provider.js';
import { StatusReporter } from '../status/status-reporter.js';
import { RUNNER_TOKENS } from './runner-tokens.js';

export interface CompositionInputs {
  readonly config: RunnerConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly market: MarketHandle;
  /** Created and with their market lists loaded: async resources are awaited before registering. */
  readonly plugins: readonly ExchangePlugin[];
  readonly statusSink: TextSink;
  readonly parent?: DependencyContainer;
}

/**
 * The composition root: one child container per run. Libraries stay DI-free; their classes are
 * built here by factories (cached, so each is one instance per run) from the config and each other.
 */
export function buildContainer(inputs: CompositionInputs): DependencyContainer {
  const { config } = inputs;
  const c = (inputs.parent ?? globalContainer).createChildContainer();
  c.register(TOKENS.Config, { useValue: config });
  c.register(TOKENS.Clock, { useValue: inputs.clock });
  c.register(TOKENS.Logger, { useValue: inputs.logger });
  c.register(TOKENS.ExchangePlugins, { useValue: inputs.plugins });
  c.register(RUNNER_TOKENS.MarketHandle, { useValue: inputs.market });
  c.register(RUNNER_TOKENS.StatusSink, { useValue: inputs.statusSink });
  c.register(TOKENS.LiveGuard, { useValue: new LiveGuard() });
  c.register(RUNNER_TOKENS.MarketView, { useFactory: instanceCachingFactory(() => new MarketView()) });
  c.register(TOKENS.PaperBroker, {
    useFactory: instanceCachingFactory(
      (scope) =>
        new PaperBroker({
          bookSource: scope.resolve<MarketView>(RUNNER_TOKENS.MarketView).bookSource,
          takerFees: { upbit: config.engine.takerFees.upbit, binance: config.engine.takerFees.binance },
          latencyMs: config.paper.latencyMs,
          initialBalances: config.paper.initialBalances,
          markets: inputs.plugins.flatMap((plugin) => plugin.symbols.markets()),
          clock: inputs.clock,
          logger: inputs.logger.child({ component: 'paper-broker' }),
        }),
    ),
  });
  c.register(TOKENS.RiskGuard, {
    useFactory: instanceCachingFactory(
      () =>
        new RiskGuard({
          limits: config.limits,
          assets: config.assets.map((asset) => asset.asset),
          clock: inputs.clock,
          logger: inputs.logger.child({ component: 'risk-guard' }),
        }),
    ),
  });
  c.register(TOKENS.SpreadEngine, {
    useFactory: instanceCachingFactory(
      (scope) =>
        new ArbitrageEngine({
          config: { ...config.engine, assets: config.assets },
          market: scope.resolve<MarketView>(RUNNER_TOKENS.MarketView),
          broker: scope.resolve<PaperBroker>(TOKENS.PaperBroker),
          riskGuard: scope.resolve<RiskGuard>(TOKENS.RiskGuard),
          clock: inputs.clock,
          logger: inputs.logger.child({ component: 'engine' }),
        }),
    ),
  });
  c.register(TOKENS.MarketDataProvider, {
    useFactory: instanceCachingFactory(() =>
      createProvider({
        source: config.source,
        exchanges: inputs.plugins,
        instruments: configuredMarkets(config).map((market) =>
          formatInstrumentId(market.exchange, market.symbol),
        ),
        feeds: config.feeds,
        clock: inputs.clock,
        logger: inputs.logger,
      }),
    ),
  });
  c.register(TOKENS.Metrics, { useClass: RunnerMetrics }, { lifecycle: Lifecycle.ContainerScoped });
  c.register(RUNNER_TOKENS.EngineLoop, { useClass: EngineLoop }, { lifecycle: Lifecycle.ContainerScoped });
  c.register(
    RUNNER_TOKENS.StatusReporter,
    { useClass: StatusReporter },
    { lifecycle: Lifecycle.ContainerScoped },
  );
  return c;
}
