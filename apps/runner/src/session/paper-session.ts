import type { AddressInfo } from 'node:net';
import { type Clock, type Logger, systemClock } from '@arbitrage/core';
import type { ArbitrageEngine, PaperBroker } from '@arbitrage/engine';
import type { Simulator } from '@arbitrage/simulator';
import type { DependencyContainer } from 'tsyringe';
import { assetNames } from '../config/asset-selection.js';
import type { ResolvedRunnerConfig, RunnerConfig } from '../config/schema.js';
import { buildContainer } from '../di/build-container.js';
import { type ExchangeLegs, legPlugins, openExchanges } from '../exchanges/open-exchanges.js';
import {
  checkExchangeNames,
  chosenExchanges,
  EXCHANGE_PACKAGES,
  type ExchangePackage,
  loadExchangeFactories,
  type ModuleImporter,
} from '../exchanges/registry.js';
import { resolveAllAssets } from '../exchanges/resolve-all-assets.js';
import { startProvider } from '../lifecycle/start-provider.js';
import { runnerLiveGuard } from '../live/runner-live-guard.js';
import type { TextSink } from '../logging/create-logger.js';
import type { EngineLoop } from '../loop/engine-loop.js';
import { checkSimulatorConfig, type MarketHandle, openMarket } from '../market/market.js';
import { describeMarketTime } from '../market/market-time.js';
import { MetricsServer } from '../metrics/metrics-server.js';
import type { RunnerMetrics } from '../metrics/runner-metrics.js';
import type { RunnerProvider } from '../providers/create-provider.js';
import {
  type OpenRecording,
  type OpenRecordingWriter,
  openForRun,
  recordedMarketTime,
  recordedSymbols,
} from '../record/record-session.js';
import { RecordingTap } from '../record/recording-tap.js';
import type { StatusReporter } from '../status/status-reporter.js';
import { buildRunSummary, type RunSummary, type StopReason } from '../summary/run-summary.js';
import { TOKENS } from '../tokens/runner-tokens.js';

export interface SessionOptions {
  readonly config: RunnerConfig;
  /** Read for the live-mode switches only (credentials are never read into the config). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly logger: Logger;
  /** Where status lines go (stderr in the CLI). */
  readonly statusSink: TextSink;
  readonly clock?: Clock;
  readonly packages?: Readonly<Record<string, ExchangePackage>>;
  readonly importer?: ModuleImporter;
  /** A market opened by the caller (tests drive their own simulator); default: opened from config. */
  readonly market?: MarketHandle;
  /** Also record what the exchanges send (`paper --record DIR`). */
  readonly record?: { readonly dir: string; readonly openWriter: OpenRecordingWriter };
}

/**
 * One paper-trading run: checks everything that can be checked first (so bad input starts nothing),
 * then starts the market (simulator or live endpoints), the exchanges, the DI graph, the provider,
 * the loop, metrics and status. `stop()` stops opening, takes the summary, then stops everything.
 */
export class PaperSession {
  private stopping: Promise<RunSummary> | undefined;
  private readonly startedAt: number;

  private constructor(
    private readonly options: SessionOptions,
    private readonly clock: Clock,
    private readonly market: MarketHandle,
    private readonly legs: ExchangeLegs,
    private readonly container: DependencyContainer,
    private readonly metricsServer: MetricsServer | undefined,
    /** Where /metrics is served, when `runner.metricsPort` is set. */
    readonly metricsAddress: AddressInfo | undefined,
    private readonly recording: OpenRecording | undefined,
  ) {
    this.startedAt = clock.now();
  }

  static async start(options: SessionOptions): Promise<PaperSession> {
    const { config, logger } = options;
    const clock = options.clock ?? systemClock;
    runnerLiveGuard().resolve({
      flag: false,
      configMode: config.mode,
      env: options.env,
      limits: config.limits,
      assets: assetNames(config),
      exchanges: chosenExchanges(config.exchanges),
    });
    // Unknown names first: the simulator's own check would otherwise speak of them.
    checkExchangeNames(config.exchanges, options.packages ?? EXCHANGE_PACKAGES);
    checkSimulatorConfig(config);
    const factories = await loadExchangeFactories(config.exchanges, {
      packages: options.packages ?? EXCHANGE_PACKAGES,
      ...(options.importer ? { importer: options.importer } : {}),
    });
    const opened: Opened = {};
    if (options.record) {
      opened.recording = await openForRun(options.record.openWriter, {
        dir: options.record.dir,
        exchanges: recordedSymbols(config),
        market: config.market,
        ...recordedMarketTime(config),
        clock,
        onError: (error) => logger.error({ err: error }, `recording stopped: ${error.message}`),
      });
    }
    let market: MarketHandle;
    try {
      market = options.market ?? (await openMarket(config));
    } catch (error) {
      await opened.recording?.close();
      throw error;
    }
    try {
      logger.info(
        {
          market: market.label,
          source: config.source,
          assets: config.assets === 'all' ? 'all' : assetNames(config),
        },
        `starting paper trading on ${market.label}`,
      );
      if (market.timeScale !== 1) {
        const line = describeMarketTime(config.engine, market.preset ?? 'custom', market.timeScale);
        logger.info({ preset: market.preset, timeScale: market.timeScale }, 'market time is compressed');
        options.statusSink.write(`${market.label} · ${line}\n`);
      }
      const legs = await openExchanges({
        config,
        factories,
        market,
        clock,
        logger,
        ...(opened.recording ? { wireTap: new RecordingTap(opened.recording.sink) } : {}),
      });
      opened.legs = legs;
      const resolved = await resolveAllAssets(config, legs);
      if (config.assets === 'all') {
        logger.info(
          { assets: resolved.assets.length },
          `scanning ${resolved.assets.length} assets listed on both legs`,
        );
      }
      const container = buildContainer({
        config: resolved,
        clock,
        logger,
        market,
        legs,
        statusSink: options.statusSink,
      });
      opened.container = container;
      const loop = container.resolve<EngineLoop>(TOKENS.EngineLoop);
      let address: AddressInfo | undefined;
      if (config.runner.metricsPort !== undefined) {
        opened.server = new MetricsServer(container.resolve<RunnerMetrics>(TOKENS.Metrics), logger);
        address = await opened.server.start(config.runner.metricsPort, config.runner.metricsHost);
      }
      loop.attach();
      await startProvider(container.resolve<RunnerProvider>(TOKENS.MarketDataProvider), logger);
      container.resolve<StatusReporter>(TOKENS.StatusReporter).start();
      return new PaperSession(
        options,
        clock,
        market,
        legs,
        container,
        opened.server,
        address,
        opened.recording,
      );
    } catch (error) {
      await cleanup(opened, market, logger);
      throw error;
    }
  }

  get simulator(): Simulator | undefined {
    return this.market.simulator;
  }

  get engine(): ArbitrageEngine {
    return this.container.resolve<ArbitrageEngine>(TOKENS.SpreadEngine);
  }

  get provider(): RunnerProvider {
    return this.container.resolve<RunnerProvider>(TOKENS.MarketDataProvider);
  }

  /** The summary as it stands, without stopping. */
  currentSummary(stopReason: StopReason = 'stopped'): RunSummary {
    const loop = this.container.resolve<EngineLoop>(TOKENS.EngineLoop);
    return buildRunSummary({
      label: this.market.label,
      marketTime: { preset: this.market.preset, timeScale: this.market.timeScale },
      market: this.market.kind,
      source: this.options.config.source,
      startedAt: this.startedAt,
      endedAt: this.clock.now(),
      stopReason,
      assetsScanned: this.container.resolve<ResolvedRunnerConfig>(TOKENS.Config).assets.length,
      updates: loop.updatesReceived,
      loops: loop.loopTime(),
      engine: this.engine,
      broker: this.container.resolve<PaperBroker>(TOKENS.PaperBroker),
      provider: this.provider,
    });
  }

  /** Stops opening, takes the summary, then stops everything (idempotent). */
  stop(reason: StopReason = 'stopped'): Promise<RunSummary> {
    this.stopping ??= this.shutdown(reason);
    return this.stopping;
  }

  private async shutdown(reason: StopReason): Promise<RunSummary> {
    const { logger } = this.options;
    const engine = this.engine;
    engine.stopOpening(reason);
    this.container.resolve<EngineLoop>(TOKENS.EngineLoop).detach();
    this.container.resolve<StatusReporter>(TOKENS.StatusReporter).stop();
    const summary = this.currentSummary(reason);
    engine.stop(reason);
    await cleanup(
      { legs: this.legs, container: this.container, server: this.metricsServer, recording: this.recording },
      this.market,
      logger,
    );
    logger.info({ reason }, 'paper trading stopped');
    return summary;
  }
}

/** What a session has opened so far. */
interface Opened {
  legs?: ExchangeLegs;
  container?: DependencyContainer;
  server?: MetricsServer;
  recording?: OpenRecording;
}

/** Stops whatever a session opened, in reverse order; failures are logged, not thrown. */
async function cleanup(opened: Opened, market: MarketHandle, logger: Logger): Promise<void> {
  const step = async (what: string, action: () => Promise<void> | void): Promise<void> => {
    try {
      await action();
    } catch (error) {
      logger.error({ err: error }, `stopping ${what} failed`);
    }
  };
  await step('metrics server', () => opened.server?.stop());
  const container = opened.container;
  if (container) {
    await step('loop', () => {
      container.resolve<EngineLoop>(TOKENS.EngineLoop).detach();
      container.resolve<StatusReporter>(TOKENS.StatusReporter).stop();
    });
    await step('provider', () => {
      if (container.isRegistered(TOKENS.MarketDataProvider)) {
        return container.resolve<RunnerProvider>(TOKENS.MarketDataProvider).stop();
      }
    });
    await step('container', () => container.dispose());
  }
  await step('exchanges', async () => {
    if (opened.legs) await Promise.all(legPlugins(opened.legs).map((plugin) => plugin.close()));
  });
  await step('market', () => market.stop());
  await step('recording', async () => {
    const result = await opened.recording?.close();
    if (result) logger.info({ recording: result.dir, entries: result.entries }, `recorded to ${result.dir}`);
  });
}
