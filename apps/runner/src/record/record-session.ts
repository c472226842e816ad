import { type Clock, ConfigError, formatInstrumentId, type Logger, systemClock } from '@arbitrage/core';
import { PREMIUM_PRESETS } from '@arbitrage/simulator';
import { explicitAssets } from '../config/asset-selection.js';
import type { RunnerConfig } from '../config/schema.js';
import {
  configuredMarkets,
  type ExchangeLegs,
  legPlugins,
  openExchanges,
} from '../exchanges/open-exchanges.js';
import {
  checkExchangeNames,
  EXCHANGE_PACKAGES,
  type ExchangePackage,
  exchangesOf,
  loadExchangeFactories,
  type ModuleImporter,
} from '../exchanges/registry.js';
import { startProvider } from '../lifecycle/start-provider.js';
import { checkSimulatorConfig, type MarketHandle, openMarket } from '../market/market.js';
import { createProvider, type RunnerProvider } from '../providers/create-provider.js';
import { type RecordingSink, RecordingTap } from './recording-tap.js';

/** A recording being written: the sink the tap feeds, and how to finish it. */
export interface OpenRecording {
  /** Where the tap writes: the writer itself, so a frame goes straight from the tap to its buffer. */
  readonly sink: RecordingSink;
  /** Entries recorded and dropped so far. */
  progress(): { readonly entries: number; readonly dropped: number };
  /** Flushes, ends the files and writes the final manifest; returns what was written. */
  close(): Promise<RecordingResult>;
}

export interface RecordingResult {
  readonly dir: string;
  readonly entries: number;
  readonly dropped: number;
  readonly files: readonly string[];
}

/** Opens the recording directory for these exchanges and symbols (the writer checks the folder). */
export type OpenRecordingWriter = (inputs: {
  readonly dir: string;
  readonly exchanges: Readonly<Record<string, readonly string[]>>;
  readonly market: 'sim' | 'live';
  /** How fast market time runs (the simulator's demo preset); omitted for real time. */
  readonly marketTime?: { readonly preset: string; readonly timeScale: number };
  readonly clock: Clock;
  readonly onError: (error: Error) => void;
}) => Promise<OpenRecording>;

export interface RecordSessionOptions {
  readonly config: RunnerConfig;
  readonly dir: string;
  readonly openWriter: OpenRecordingWriter;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly packages?: Readonly<Record<string, ExchangePackage>>;
  readonly importer?: ModuleImporter;
  /** A market opened by the caller (tests); default: opened from config. */
  readonly market?: MarketHandle;
}

/**
 * Records what the exchanges send for the configured markets: the same plugins and provider as a
 * paper run, with a wire tap that hands every frame and REST body to the recording, and no engine.
 * A recording error (full disk, folder gone) is reported through `failure` and ends nothing else.
 */
export class RecordSession {
  private stopping: Promise<RecordingResult> | undefined;

  private constructor(
    readonly options: RecordSessionOptions,
    private readonly market: MarketHandle,
    private readonly legs: ExchangeLegs,
    private readonly provider: RunnerProvider,
    private readonly recording: OpenRecording,
    private readonly failures: { readonly first?: Error; readonly signal: AbortController },
  ) {}

  /** Aborted when the recording fails (the disk is full, the folder went away). */
  get failed(): AbortSignal {
    return this.failures.signal.signal;
  }

  /** The first recording error, if any (the writer stops writing after it; the feeds go on). */
  get failure(): Error | undefined {
    return this.failures.first;
  }

  static async start(options: RecordSessionOptions): Promise<RecordSession> {
    const { config, logger } = options;
    const clock = options.clock ?? systemClock;
    // Unknown names first: the simulator's own check would otherwise speak of them.
    checkExchangeNames(config.exchanges, options.packages ?? EXCHANGE_PACKAGES);
    checkSimulatorConfig(config);
    const factories = await loadExchangeFactories(config.exchanges, {
      packages: options.packages ?? EXCHANGE_PACKAGES,
      ...(options.importer ? { importer: options.importer } : {}),
    });
    const failures: { first?: Error; readonly signal: AbortController } = { signal: new AbortController() };
    const recording = await openForRun(options.openWriter, {
      dir: options.dir,
      exchanges: recordedSymbols(config),
      market: config.market,
      ...recordedMarketTime(config),
      clock,
      onError: (error) => {
        failures.first ??= error;
        logger.error({ err: error }, `recording stopped: ${error.message}`);
        failures.signal.abort(error);
      },
    });
    const listed = { ...config, assets: explicitAssets(config, 'record') };
    const market = options.market ?? (await openMarket(config));
    let legs: ExchangeLegs | undefined;
    try {
      legs = await openExchanges({
        config: listed,
        factories,
        market,
        clock,
        logger,
        wireTap: new RecordingTap(recording.sink),
      });
      const instruments = configuredMarkets(listed, legs).map((m) =>
        formatInstrumentId(m.exchange, m.symbol),
      );
      const provider = createProvider({
        source: config.source,
        exchanges: legPlugins(legs),
        instruments,
        feeds: config.feeds,
        clock,
        logger,
      });
      logger.info(
        { dir: options.dir, market: market.label, instruments },
        `recording ${market.label} to ${options.dir}`,
      );
      await startProvider(provider, logger);
      return new RecordSession(options, market, legs, provider, recording, failures);
    } catch (error) {
      if (legs) await Promise.allSettled(legPlugins(legs).map((plugin) => plugin.close()));
      await market.stop();
      await recording.close();
      throw error;
    }
  }

  /** Entries recorded and dropped so far. */
  progress(): { readonly entries: number; readonly dropped: number } {
    return this.recording.progress();
  }

  /** Stops the feeds, then finishes the recording (idempotent). */
  stop(): Promise<RecordingResult> {
    this.stopping ??= (async () => {
      await this.provider.stop();
      await Promise.allSettled(legPlugins(this.legs).map((plugin) => plugin.close()));
      await this.market.stop();
      return this.recording.close();
    })();
    return this.stopping;
  }
}

/** The markets a recording covers, by exchange: per asset its KRW and USDT market on every venue, and USDT/KRW. */
export function recordedSymbols(config: RunnerConfig): Record<string, string[]> {
  const symbols: Record<string, string[]> = {};
  const add = (exchange: string, symbol: string): void => {
    const list = symbols[exchange] ?? [];
    symbols[exchange] = list;
    if (!list.includes(symbol)) list.push(symbol);
  };
  const krw = exchangesOf(config.exchanges, 'krw');
  const usdt = exchangesOf(config.exchanges, 'usdt');
  for (const { asset } of explicitAssets(config, 'record')) {
    for (const exchange of krw) add(exchange, `${asset}/KRW`);
    for (const exchange of usdt) add(exchange, `${asset}/USDT`);
  }
  if (config.engine.conversion.mode === 'usdt-book') for (const exchange of krw) add(exchange, 'USDT/KRW');
  return symbols;
}

/** Opens the writer; a folder it cannot record into is bad input: nothing has started yet. */
export async function openForRun(
  openWriter: OpenRecordingWriter,
  inputs: Parameters<OpenRecordingWriter>[0],
): Promise<OpenRecording> {
  try {
    return await openWriter(inputs);
  } catch (error) {
    throw new ConfigError(
      `cannot record into ${inputs.dir}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

/** The simulator preset's market time, when it is not real time (a replay scales the engine with it). */
export function recordedMarketTime(config: RunnerConfig): {
  marketTime?: { preset: string; timeScale: number };
} {
  if (config.market !== 'sim') return {};
  const preset = config.simulator.preset;
  const timeScale = PREMIUM_PRESETS[preset].timeScale;
  return timeScale === 1 ? {} : { marketTime: { preset, timeScale } };
}
