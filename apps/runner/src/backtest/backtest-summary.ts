import type { ReplayStats } from '../replay/replay-driver.js';
import type { RunSummary } from '../summary/run-summary.js';
import type { BacktestOutcome } from './run-backtest.js';

/**
 * What `backtest --json` prints: the paper summary without what the wall clock measured (loop and
 * evaluation times), plus what the replay did. The same recording and config give the same bytes.
 */
export type BacktestSummary = Omit<RunSummary, 'loops' | 'evaluations'> & {
  readonly data: string;
  readonly replay: ReplayStats;
};

export function backtestSummary(outcome: BacktestOutcome): BacktestSummary {
  const { loops: _loops, evaluations: _evaluations, ...deterministic } = outcome.summary;
  return { ...deterministic, data: outcome.recording.dir, replay: outcome.replay };
}

/** The replay's speed, for stderr: wall time is not part of the result. */
export function describeSpeed(outcome: BacktestOutcome): string {
  const frames = Object.values(outcome.replay.exchanges).reduce((sum, stats) => sum + stats.frames, 0);
  const seconds = outcome.wallMs / 1000;
  const multiple = outcome.replay.spanMs / Math.max(1, outcome.wallMs);
  return (
    `replayed ${outcome.replay.entries.toLocaleString('en-US')} entries (${frames.toLocaleString('en-US')} frames) ` +
    `covering ${(outcome.replay.spanMs / 1000).toFixed(1)} s in ${seconds.toFixed(2)} s: ` +
    `${multiple.toFixed(1)}× real time, ${Math.round(frames / Math.max(seconds, 1e-3)).toLocaleString('en-US')} frames/s; ` +
    `after start-up ${Math.round(outcome.steadyEntries / Math.max(outcome.steadyWallMs / 1000, 1e-3)).toLocaleString('en-US')} entries/s ` +
    `through the plugins, provider and engine\n`
  );
}
