import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ENV_PREFIX } from '../config/env-overrides.js';
import type { BacktestSummary } from './backtest-summary.js';
import { type SweepAxis, sweepGrid } from './sweep-grid.js';
import { rankRows, type SweepRow, sweepRow } from './sweep-metrics.js';

const MAIN = fileURLToPath(new URL('../main.js', import.meta.url));

export interface SweepOptions {
  readonly dir: string;
  readonly axes: readonly SweepAxis[];
  /** The base backtest arguments every run shares (--config, --from, --to). */
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Runs at a time (default: the machine's cores). */
  readonly concurrency?: number;
}

/**
 * Runs one backtest per point of the grid, each in its own process (`backtest --json` with the
 * point's settings as ARB_* variables), several at a time, and ranks them.
 */
export async function runSweep(options: SweepOptions): Promise<SweepRow[]> {
  const grid = sweepGrid(options.axes);
  const rows: SweepRow[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < grid.length; index = next++) {
      const point = grid[index]!;
      const settings: Record<string, number> = {};
      const env: Record<string, string> = {};
      for (const [path, value] of point) {
        settings[path.join('.')] = value;
        env[envName(path)] = String(value);
      }
      const summary = await backtestProcess(options, env);
      rows.push(sweepRow(settings, summary));
    }
  };
  const concurrency = Math.max(1, Math.min(options.concurrency ?? availableParallelism(), grid.length));
  await Promise.all(Array.from({ length: concurrency }, worker));
  return rankRows(rows);
}

/** engine.entry.minExpectedProfit → ARB_ENGINE__ENTRY__MIN_EXPECTED_PROFIT */
export function envName(path: readonly string[]): string {
  return ENV_PREFIX + path.map((key) => key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('__');
}

function backtestProcess(options: SweepOptions, overrides: Record<string, string>): Promise<BacktestSummary> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [MAIN, 'backtest', '--data', options.dir, '--json', '--log-level', 'silent', ...options.args],
      { env: { ...options.env, ...overrides }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const settings = Object.entries(overrides)
        .map(([name, value]) => `${name}=${value}`)
        .join(' ');
      if (code !== 0) {
        reject(
          new Error(
            `the backtest with ${settings} failed (exit ${code}): ${stderr.trim().split('\n').pop()}`,
          ),
        );
        return;
      }
      try {
        resolve(JSON.parse(stdout) as BacktestSummary);
      } catch (error) {
        reject(new Error(`the backtest with ${settings} printed no summary`, { cause: error }));
      }
    });
  });
}
