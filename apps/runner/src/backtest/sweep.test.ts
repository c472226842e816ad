import { ConfigError } from '@arbitrage/core';
import { describe, expect, it } from 'vitest';
import { envName } from './run-sweep.js';
import { MAX_SWEEP_RUNS, parseSweep, sweepGrid } from './sweep-grid.js';
import { formatSweep, rankRows, type SweepRow } from './sweep-metrics.js';

describe('sweep grid', () => {
  it('reads from:to:step with both ends, and lists; rounds away float noise', () => {
    expect(parseSweep('engine.entry.minExpectedProfit=0.002:0.005:0.001')).toEqual({
      path: ['engine', 'entry', 'minExpectedProfit'],
      values: [0.002, 0.003, 0.004, 0.005],
    });
    expect(parseSweep('engine.exit.maxHoldingMs=60000,3600000').values).toEqual([60_000, 3_600_000]);
  });

  it('refuses what it cannot read, naming the input', () => {
    for (const bad of [
      'engine.entry=1:2',
      'noequals',
      'a=1:0:1',
      'a=0:1:0',
      'a=x,1',
      `a=0:${MAX_SWEEP_RUNS}:1`,
    ]) {
      expect(() => parseSweep(bad), bad).toThrow(ConfigError);
    }
  });

  it('crosses every axis, in a stable order, under the run cap', () => {
    const grid = sweepGrid([parseSweep('a=1,2'), parseSweep('b.c=10:30:10')]);
    expect(grid.map((point) => point.map(([path, value]) => `${path.join('.')}=${value}`).join(' '))).toEqual(
      ['a=1 b.c=10', 'a=1 b.c=20', 'a=1 b.c=30', 'a=2 b.c=10', 'a=2 b.c=20', 'a=2 b.c=30'],
    );
    expect(() => sweepGrid([parseSweep('a=1:30:1'), parseSweep('b=1:30:1')])).toThrow(/900 runs/);
  });

  it('names each setting as the ARB_* variable the config loader reads', () => {
    expect(envName(['engine', 'entry', 'minExpectedProfit'])).toBe('ARB_ENGINE__ENTRY__MIN_EXPECTED_PROFIT');
    expect(envName(['engine', 'exit', 'maxHoldingMs'])).toBe('ARB_ENGINE__EXIT__MAX_HOLDING_MS');
  });

  it('ranks by PnL, then by the smaller drawdown', () => {
    const row = (pnlKrw: number, maxDrawdownKrw: number, a: number): SweepRow => ({
      settings: { a },
      pnlKrw,
      trades: 1,
      winRate: 1,
      maxDrawdownKrw,
      feesKrw: 0,
    });
    const ranked = rankRows([row(5, 0, 1), row(9, 4, 2), row(9, 1, 3)]);
    expect(ranked.map((r) => r.settings.a)).toEqual([3, 2, 1]);
    expect(formatSweep(ranked)).toContain('=== sweep · 3 runs, best PnL first ===');
  });
});
