import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BacktestSummary } from '../src/backtest/backtest-summary.js';
import { requireBuilt, startCli } from './run-cli.js';

beforeAll(requireBuilt);

/** 50 s recorded from the simulator's demo preset (seed 1): `record --market sim --duration 50s`. */
const FIXTURE = fileURLToPath(new URL('./fixtures/sim-demo-50s', import.meta.url));

async function backtest(...extra: string[]): Promise<{ json: string; stderr: string }> {
  const run = startCli(['backtest', '--data', FIXTURE, '--json', '--log-level', 'warn', ...extra]);
  const result = await run.finished;
  expect(result.code, result.stderr.slice(-2_000)).toBe(0);
  return { json: result.stdout.trim(), stderr: result.stderr };
}

describe('backtest --data <recording>', () => {
  it('replays through the plugins on a virtual clock, trades, and gives byte-identical JSON twice', async () => {
    const first = await backtest();
    const second = await backtest();
    expect(second.json).toBe(first.json);
    const summary = JSON.parse(first.json) as BacktestSummary;
    expect(summary.label).toContain('REPLAY of');
    expect(summary.marketTime).toEqual({ preset: 'demo', timeScale: 60 });
    expect(summary.trades.opened).toBeGreaterThan(0);
    expect(summary.trades.closedBy.converged ?? 0).toBeGreaterThan(0);
    expect(summary.durationMs).toBeGreaterThan(45_000);
    for (const stats of Object.values(summary.replay.exchanges)) {
      expect(stats.frames).toBeGreaterThan(1_000);
      expect(stats.unroutedFrames).toBe(0);
    }
    expect(summary.feedHealth.allLive).toBe(true);
    expect(first.stderr).toMatch(/replayed [\d,]+ entries .*× real time, [\d,]+ frames\/s/);
  }, 60_000);

  it('--to ends the replay there; --from warms up on what came before and opens pairs only from then', async () => {
    const whole = JSON.parse((await backtest()).json) as BacktestSummary;
    const start = Date.parse(whole.startedAt);
    const at = (seconds: number) => new Date(start + seconds * 1_000).toISOString();
    const early = JSON.parse((await backtest('--to', at(14))).json) as BacktestSummary;
    expect(early.durationMs).toBeLessThan(15_000);
    expect(early.replay.entries).toBeLessThan(whole.replay.entries);
    expect(early.trades.opened).toBe(0);
    // The spike is from ~15 s: opening from 40 s misses it; the books were live all along.
    const late = JSON.parse((await backtest('--from', at(40))).json) as BacktestSummary;
    expect(late.feedHealth.allLive).toBe(true);
    expect(late.skipReasons.opening_stopped ?? 0).toBeGreaterThan(0);
    expect(late.trades.opened).toBeLessThan(whole.trades.opened);
    for (const trade of late.tradeLog) expect(trade.openedAt).toBeGreaterThanOrEqual(start + 40_000);
  }, 60_000);
});

describe('backtest of a recording with dropped connections', () => {
  /** 20 s of the simulator with every Binance connection dropped every 8 s (`drop:binance@8s`). */
  const DROPS = fileURLToPath(new URL('./fixtures/sim-drop-20s', import.meta.url));

  it('reconnects the plugin to each recorded connection, resyncs from the recorded snapshots, the same every time', async () => {
    const run = async () => {
      const result = await startCli(['backtest', '--data', DROPS, '--json', '--log-level', 'silent'])
        .finished;
      expect(result.code, result.stderr.slice(-2_000)).toBe(0);
      return result.stdout.trim();
    };
    const first = await run();
    expect(await run()).toBe(first);
    const summary = JSON.parse(first) as BacktestSummary;
    const binance = summary.replay.exchanges.binance!;
    expect(binance.connections).toBe(3);
    expect(binance.unroutedFrames).toBe(0);
    expect(binance.restUnanswered).toBe(0);
    expect(binance.restAnswered).toBeGreaterThan(3);
    expect(summary.feedHealth.allLive).toBe(true);
  }, 60_000);
});

describe('backtest --report', () => {
  it('writes one self-contained page with the run in it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'backtest-report-'));
    try {
      const file = path.join(dir, 'report.html');
      const { stderr } = await backtest('--report', file);
      expect(stderr).toContain(`report written to ${file}`);
      const html = await readFile(file, 'utf8');
      expect(html).toContain('Backtest: ');
      expect(html).toContain('T1-ETH');
      expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="http/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('backtest --sweep', () => {
  it('runs the grid in parallel processes and ranks it', async () => {
    const run = startCli([
      'backtest',
      '--data',
      FIXTURE,
      '--json',
      '--sweep',
      'engine.entry.minExpectedProfit=0.002:0.004:0.001',
    ]);
    const result = await run.finished;
    expect(result.code, result.stderr.slice(-2_000)).toBe(0);
    const rows = JSON.parse(result.stdout) as { settings: Record<string, number>; pnlKrw: number }[];
    expect(rows.map((row) => row.settings['engine.entry.minExpectedProfit']).sort()).toEqual([
      0.002, 0.003, 0.004,
    ]);
    for (let i = 1; i < rows.length; i++) expect(rows[i - 1]!.pnlKrw).toBeGreaterThanOrEqual(rows[i]!.pnlKrw);
  }, 60_000);
});
