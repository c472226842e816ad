import { ConfigError, type Logger } from '@arbitrage/core';
import type { RunnerConfig } from '../config/schema.js';
import { chosenExchanges, EXCHANGE_PACKAGES, type ExchangePackage } from '../exchanges/registry.js';
import { openRecording, type Recording } from '../recording/index.js';
import { ReplayDriver, type ReplayRange, type ReplayStats } from '../replay/replay-driver.js';
import { PaperSession } from '../session/paper-session.js';
import type { RunSummary } from '../summary/run-summary.js';
import { replayMarket } from './replay-market.js';
import { formatReplayProgress } from './replay-progress.js';
import { type BacktestSeries, ReportSampler } from './report-sampler.js';

export interface BacktestOptions {
  readonly config: RunnerConfig;
  readonly dir: string;
  readonly range?: ReplayRange;
  readonly logger: Logger;
  readonly packages?: Readonly<Record<string, ExchangePackage>>;
  /** Where a progress line goes every few seconds of a long replay (the CLI: stderr). */
  readonly progress?: (line: string) => void;
}

/** Wall time between two progress lines, ms. */
const PROGRESS_EVERY_MS = 5_000;

export interface BacktestOutcome {
  readonly summary: RunSummary;
  /** Premium, reference and equity over the replay, for the report. */
  readonly series: BacktestSeries;
  readonly replay: ReplayStats;
  readonly recording: Recording;
  /** Wall time the replay took, ms (not part of the deterministic result). */
  readonly wallMs: number;
  /** Entries replayed after start-up and their wall time, ms (measured, not deterministic). */
  readonly steadyEntries: number;
  readonly steadyWallMs: number;
}

/**
 * Runs the paper engine, risk guard and broker on a recording: the recorded frames and REST answers
 * go through the same exchange plugins and provider as a live run, on a virtual clock that jumps from
 * entry to entry. The same recording and config give the same result.
 */
export async function runBacktest(options: BacktestOptions): Promise<BacktestOutcome> {
  const recording = await openRecording(options.dir);
  const config = backtestConfig(options.config, recording);
  // From the recording's start, so that books, references and the USDT/KRW rate are warm at --from;
  // pairs open only from then on.
  const from = options.range?.from;
  const progress = options.progress;
  const driver = new ReplayDriver(
    recording,
    options.range?.to === undefined ? {} : { to: options.range.to },
    progress && {
      everyMs: PROGRESS_EVERY_MS,
      report: (state) => progress(formatReplayProgress(state)),
    },
  );
  // Imported before the replay starts: a real import takes real time, during which the replay would
  // run ahead of the plugins.
  const modules = await preload(config, options.packages ?? EXCHANGE_PACKAGES);
  const started = Date.now();
  const starting = PaperSession.start({
    config,
    env: {},
    logger: options.logger,
    // No status line in a replay (statusIntervalMs 0); the banner about market time goes nowhere.
    statusSink: { write: () => {} },
    clock: driver.clock,
    market: replayMarket(recording, driver),
    ...(options.packages ? { packages: options.packages } : {}),
    importer: (specifier) => Promise.resolve(modules.get(specifier)),
  });
  const sampler = new ReportSampler(driver.clock, sampleInterval(recording));
  void starting
    .then((session) => {
      sampler.start(session.engine);
      if (from !== undefined && from > driver.clock.now()) {
        session.engine.stopOpening(BEFORE_FROM);
        driver.clock.setTimeout(() => session.engine.resumeOpening(BEFORE_FROM), from - driver.clock.now());
      }
    })
    .catch(() => {});
  const replay = await driver.run(starting);
  const session = await starting;
  sampler.stop();
  const summary = await session.stop('duration');
  return {
    summary,
    series: sampler.series,
    replay,
    recording,
    wallMs: Date.now() - started,
    steadyEntries: driver.steadyEntries,
    steadyWallMs: driver.steadyWallMs,
  };
}

const BEFORE_FROM = 'before --from';

/** About 2 000 samples over the recording, at least one a second of recorded time. */
function sampleInterval(recording: Recording): number {
  const { startedAt, endedAt } = recording.manifest;
  const span = Date.parse(endedAt ?? startedAt) - Date.parse(startedAt);
  return Math.max(1_000, Math.ceil(span / 2_000));
}

/** The run's config for a replay: the recording's exchanges, no status line, no metrics server. */
function backtestConfig(config: RunnerConfig, recording: Recording): RunnerConfig {
  const recorded = Object.keys(recording.manifest.exchanges);
  for (const name of chosenExchanges(config.exchanges)) {
    if (!recorded.includes(name)) {
      throw new ConfigError(
        `exchange "${name}" is not in the recording ${recording.dir} (it has ${recorded.join(', ')}); set exchanges to match`,
      );
    }
  }
  const { metricsPort: _ignored, ...runner } = config.runner;
  return { ...config, runner: { ...runner, statusIntervalMs: 0 } };
}

async function preload(
  config: RunnerConfig,
  packages: Readonly<Record<string, ExchangePackage>>,
): Promise<Map<string, unknown>> {
  const modules = new Map<string, unknown>();
  for (const name of chosenExchanges(config.exchanges)) {
    const entry = packages[name];
    if (entry) modules.set(entry.packageName, await import(entry.packageName));
  }
  return modules;
}
