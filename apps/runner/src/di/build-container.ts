import { type Clock, formatInstrumentId, type Logger } from '@arbitrage/core';
import { createPaperEngine, LiveGuard, type PaperEngine } from '@arbitrage/engine';
import {
  type DependencyContainer,
  container as globalContainer,
  instanceCachingFactory,
  Lifecycle,
} from 'tsyringe';
import type { ResolvedRunnerConfig } from '../config/schema.js';
import { configuredMarkets, type ExchangeLegs, legPlugins } from '../exchanges/open-exchanges.js';
import type { TextSink } from '../logging/create-logger.js';
import { EngineLoop } from '../loop/engine-loop.js';
import type { MarketHandle } from '../market/market.js';
import { strategyForMarket } from '../market/market-time.js';
import { RunnerMetrics } from '../metrics/runner-metrics.js';
import { createProvider } from '../providers/create-provider.js';
import { StatusReporter } from '../status/status-reporter.js';
import { TOKENS } from '../tokens/runner-tokens.js';

export interface CompositionInputs {
  /** With its asset list resolved (`assets: all` made concrete once the venues are open). */
  readonly config: ResolvedRunnerConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly market: MarketHandle;
  /** The plugin of each leg, created and with its market list loaded (async work is done before registering). */
  readonly legs: ExchangeLegs;
  readonly statusSink: TextSink;
  readonly parent?: DependencyContainer;
}

/**
 * The composition root: one child container per run. Libraries stay DI-free: the paper-trading set
 * (view, broker, risk guard, engine) is built by the engine's own `createPaperEngine` from the two
 * legs' plugins, and its parts are registered from that one instance; the rest by cached factories.
 */
export function buildContainer(inputs: CompositionInputs): DependencyContainer {
  const { config, legs } = inputs;
  const c = (inputs.parent ?? globalContainer).createChildContainer();
  c.register(TOKENS.Config, { useValue: config });
  c.register(TOKENS.Clock, { useValue: inputs.clock });
  c.register(TOKENS.Logger, { useValue: inputs.logger });
  c.register(TOKENS.ExchangeLegs, { useValue: legs });
  c.register(TOKENS.MarketHandle, { useValue: inputs.market });
  c.register(TOKENS.StatusSink, { useValue: inputs.statusSink });
  c.register(TOKENS.LiveGuard, { useValue: new LiveGuard() });
  c.register(TOKENS.PaperEngine, {
    useFactory: instanceCachingFactory(() =>
      createPaperEngine({
        engine: { ...strategyForMarket(config.engine, inputs.market.timeScale), assets: config.assets },
        venues: legs,
        limits: config.limits,
        paper: { latencyMs: config.paper.latencyMs, initialBalances: config.paper.initialBalances },
        clock: inputs.clock,
        logger: inputs.logger,
      }),
    ),
  });
  const part = <K extends keyof PaperEngine>(key: K) =>
    instanceCachingFactory((scope) => scope.resolve<PaperEngine>(TOKENS.PaperEngine)[key]);
  c.register(TOKENS.MarketView, { useFactory: part('market') });
  c.register(TOKENS.PaperBroker, { useFactory: part('broker') });
  c.register(TOKENS.RiskGuard, { useFactory: part('riskGuard') });
  c.register(TOKENS.SpreadEngine, { useFactory: part('engine') });
  c.register(TOKENS.MarketDataProvider, {
    useFactory: instanceCachingFactory(() =>
      createProvider({
        source: config.source,
        exchanges: legPlugins(legs),
        instruments: configuredMarkets(config, legs).map((market) =>
          formatInstrumentId(market.exchange, market.symbol),
        ),
        feeds: config.feeds,
        traceBooks: config.runner.logLevel === 'trace',
        clock: inputs.clock,
        logger: inputs.logger,
      }),
    ),
  });
  c.register(TOKENS.Metrics, { useClass: RunnerMetrics }, { lifecycle: Lifecycle.ContainerScoped });
  c.register(TOKENS.EngineLoop, { useClass: EngineLoop }, { lifecycle: Lifecycle.ContainerScoped });
  c.register(TOKENS.StatusReporter, { useClass: StatusReporter }, { lifecycle: Lifecycle.ContainerScoped });
  return c;
}
