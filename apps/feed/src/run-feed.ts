import { ConfigError, formatInstrumentId, type Logger, systemClock } from '@arbitrage/core';
import { NatsFeedPublisher } from '@arbitrage/provider-nats';
import {
  configuredMarkets,
  createProvider,
  legPlugins,
  loadExchangeFactories,
  openExchanges,
  openMarket,
  type RunnerConfig,
  resolveAllAssets,
  startProvider,
  waitForEnd,
} from './runner-parts.js';

export interface FeedOptions {
  readonly config: RunnerConfig;
  readonly natsUrl: string;
  readonly durationMs: number | undefined;
  readonly logger: Logger;
  /** Listen for SIGINT/SIGTERM (the CLI does). */
  readonly handleSignals: boolean;
  /** Status line period (default 5 s). */
  readonly statusIntervalMs?: number;
}

export interface FeedOutcome {
  readonly instruments: number;
  readonly booksPublished: number;
  readonly durationMs: number;
}

/**
 * Opens the market (the simulator or the live exchanges), runs the config's provider once for
 * every instrument a paper run of the same config reads, and publishes its books to NATS until the
 * duration ends or a signal arrives. Everything opened is closed, in reverse order, on the way out.
 */
export async function runFeed(options: FeedOptions): Promise<FeedOutcome> {
  const { config, logger } = options;
  if ((config.source as string) === 'nats') {
    throw new ConfigError(
      'source: the feed publishes to NATS and cannot read from it; use ws, rest or failover',
    );
  }
  const started = Date.now();
  const factories = await loadExchangeFactories(config.exchanges);
  const market = await openMarket(config);
  const cleanups: Array<() => Promise<unknown>> = [() => market.stop()];
  let booksPublished = 0;
  try {
    const legs = await openExchanges({ config, factories, market, clock: systemClock, logger });
    const plugins = legPlugins(legs);
    cleanups.unshift(() => Promise.allSettled(plugins.map((plugin) => plugin.close())));
    // `assets: all`: the same assets a paper run resolves from the same venues' listings.
    const resolved = await resolveAllAssets(config, legs);
    const instruments = configuredMarkets(resolved, legs).map((m) =>
      formatInstrumentId(m.exchange, m.symbol),
    );
    const provider = createProvider({
      source: config.source,
      exchanges: plugins,
      instruments,
      feeds: resolved.feeds,
      clock: systemClock,
      logger,
    });
    const publisher = new NatsFeedPublisher({
      provider,
      servers: options.natsUrl,
      depth: config.feeds.depth,
      traceBooks: config.runner.logLevel === 'trace',
      logger,
    });
    publisher.onPublished((book) => {
      if (book.sent) booksPublished++;
    });
    await publisher.start();
    cleanups.unshift(() => publisher.stop());
    cleanups.unshift(() => provider.stop());
    logger.info(
      {
        nats: options.natsUrl,
        market: market.label,
        source: config.source,
        feed: publisher.feed,
        instruments,
      },
      'feed started: publishing every book to NATS',
    );
    await startProvider(provider, logger);
    const status = setInterval(() => {
      const health = provider.health();
      const live = Object.values(health.instruments).filter((i) => i.state === 'live').length;
      logger.info({ booksPublished, live, instruments: instruments.length }, 'feed status');
    }, options.statusIntervalMs ?? 5_000);
    try {
      await waitForEnd({
        logger,
        handleSignals: options.handleSignals,
        ...(options.durationMs === undefined ? {} : { durationMs: options.durationMs }),
      });
    } finally {
      clearInterval(status);
    }
    return { instruments: instruments.length, booksPublished, durationMs: Date.now() - started };
  } finally {
    for (const cleanup of cleanups) {
      try {
        await cleanup();
      } catch (error) {
        logger.error({ err: error }, 'closing the feed failed; going on');
      }
    }
  }
}
