import os from 'node:os';
import { type AllLiveModelResult, modelAllLive } from './all-live-model.js';
import { type Machine, machine } from './report.js';
import { runStartup, type StartupRun } from './startup-run.js';

export const ALL_LIVE_SYMBOLS = [20, 100, 400] as const;
export const ALL_LIVE_DEPTHS = [100, 1000, 5000] as const;

export interface AllLiveEntry {
  readonly symbols: number;
  readonly snapshotLimit: number;
  readonly model: AllLiveModelResult;
  /** Measured against the simulator (undefined when not run: too long, or filtered out). */
  readonly measured?: StartupRun;
}

export interface AllLiveResult {
  readonly date: string;
  readonly machine: Machine;
  readonly seed: number;
  readonly entries: readonly AllLiveEntry[];
}

export interface AllLiveOptions {
  readonly seed: number;
  /** Symbol counts and snapshot depths to measure (default every one). */
  readonly symbols?: readonly number[];
  readonly depths?: readonly number[];
  /** Cases whose computed time exceeds this are computed only (default 6 min). */
  readonly maxMeasuredMs?: number;
  readonly log: (line: string) => void;
}

/**
 * Defect 3d: time until every Binance symbol is live, loadMarkets first, for 20, 100 and 400
 * symbols at snapshot depth 100, 1000 and 5000. Each case is computed (the plugin's scheduler and
 * budget on a ManualClock) and, when that says it fits in a few minutes, measured: our provider
 * against the simulator's active market (10 diffs/s per symbol), one fresh simulator per case.
 */
export async function runAllLive(options: AllLiveOptions): Promise<AllLiveResult> {
  const loadAtStart = os.loadavg();
  const maxMeasuredMs = options.maxMeasuredMs ?? 6 * 60_000;
  const entries: AllLiveEntry[] = [];
  for (const symbols of ALL_LIVE_SYMBOLS) {
    for (const snapshotLimit of ALL_LIVE_DEPTHS) {
      const model = await modelAllLive({ symbols, snapshotLimit });
      const wanted =
        (options.symbols ?? ALL_LIVE_SYMBOLS).includes(symbols) &&
        (options.depths ?? ALL_LIVE_DEPTHS).includes(snapshotLimit) &&
        model.allMs <= maxMeasuredMs;
      if (!wanted) {
        entries.push({ symbols, snapshotLimit, model });
        continue;
      }
      const measured = await runStartup(
        'ours-book',
        { exchange: 'binance', market: 'active', symbols, snapshotLimit },
        { seed: options.seed, timeoutMs: model.allMs * 1.5 + 60_000, log: options.log },
      );
      options.log(
        `all live · ${symbols} symbols, depth ${snapshotLimit}: computed ${seconds(model.allMs)} s, ` +
          `measured ${seconds(measured.allMs)} s`,
      );
      entries.push({ symbols, snapshotLimit, model, measured });
    }
  }
  return { date: new Date().toISOString(), machine: machine(loadAtStart), seed: options.seed, entries };
}

const seconds = (ms: number | undefined): string =>
  ms !== undefined && Number.isFinite(ms) ? (ms / 1000).toFixed(1) : 'n/a';

/** '19, 20, 20, 1', or '19, 20 × 19, 1' when long. */
function perMinute(counts: readonly number[]): string {
  if (counts.length <= 6) return counts.join(', ');
  const middle = counts.slice(1, -1);
  return middle.every((count) => count === middle[0])
    ? `${counts[0]}, ${middle[0]} × ${middle.length}, ${counts[counts.length - 1]}`
    : counts.join(', ');
}

export function allLiveMarkdown(result: AllLiveResult): string {
  const lines = [
    '## Time until every Binance symbol is live (loadMarkets first)',
    '',
    `${result.date} · ${result.machine.cpu} × ${result.machine.cores} · Node ${result.machine.node} · ` +
      `load ${result.machine.loadAverageAtStart.join(' ')} · budget 5000/min, the plugin's default snapshot pacing (20 at once)`,
    '',
    '| symbols | depth | weight | computed: all live (s) | snapshots per minute | measured: first / median / all live (s) |',
    '| ------: | ----: | -----: | ---------------------: | -------------------- | --------------------------------------- |',
  ];
  for (const entry of result.entries) {
    const measured = entry.measured
      ? `${seconds(entry.measured.firstMs)} / ${seconds(entry.measured.medianMs)} / ${seconds(entry.measured.allMs)}`
      : 'not run';
    lines.push(
      `| ${entry.symbols} | ${entry.snapshotLimit} | ${entry.model.weight} | ${seconds(entry.model.allMs)} | ` +
        `${perMinute(entry.model.perMinute)} | ${measured} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
