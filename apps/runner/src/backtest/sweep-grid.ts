import { ConfigError } from '@arbitrage/core';

/** One swept setting: a config path and the values it takes. */
export interface SweepAxis {
  readonly path: readonly string[];
  readonly values: readonly number[];
}

/** At most this many runs in one sweep: a typo in a step should not start a million backtests. */
export const MAX_SWEEP_RUNS = 500;

/**
 * Reads `engine.entry.minExpectedProfit=0.002:0.010:0.001` (from:to:step, both ends included) or
 * `path=a,b,c` (a list). Throws ConfigError saying what was expected.
 */
export function parseSweep(text: string): SweepAxis {
  const equals = text.indexOf('=');
  const key = equals < 0 ? '' : text.slice(0, equals).trim();
  const spec = equals < 0 ? '' : text.slice(equals + 1).trim();
  if (!/^[a-zA-Z][a-zA-Z0-9]*(\.[a-zA-Z][a-zA-Z0-9]*)*$/.test(key) || spec === '') {
    throw new ConfigError(
      `--sweep ${text}: expected path=from:to:step or path=a,b,c, e.g. engine.entry.minExpectedProfit=0.002:0.010:0.001`,
    );
  }
  const numbers = (parts: string[]): number[] =>
    parts.map((part) => {
      const value = Number(part);
      if (part.trim() === '' || !Number.isFinite(value)) {
        throw new ConfigError(`--sweep ${text}: "${part}" is not a number`);
      }
      return value;
    });
  let values: number[];
  if (spec.includes(':')) {
    const [from, to, step] = numbers(spec.split(':')) as [number, number, number];
    if (spec.split(':').length !== 3 || !(step > 0) || to < from) {
      throw new ConfigError(`--sweep ${text}: expected from:to:step with from ≤ to and step > 0`);
    }
    const count = Math.floor((to - from) / step + 1e-9) + 1;
    if (count > MAX_SWEEP_RUNS)
      throw new ConfigError(`--sweep ${text}: ${count} values; at most ${MAX_SWEEP_RUNS}`);
    // Rounded to the step's decimals: 0.002 + 3 × 0.001 is 0.005, not 0.0050000000000000001.
    const decimals = Math.min(
      12,
      (String(step).split('.')[1] ?? '').length + (String(from).split('.')[1] ?? '').length,
    );
    values = Array.from({ length: count }, (_, i) => Number((from + i * step).toFixed(decimals)));
  } else {
    values = numbers(spec.split(','));
  }
  return { path: key.split('.'), values };
}

/** Every combination of the axes' values, as [path, value] pairs, in a stable order. */
export function sweepGrid(axes: readonly SweepAxis[]): (readonly [readonly string[], number])[][] {
  let grid: (readonly [readonly string[], number])[][] = [[]];
  for (const axis of axes) {
    grid = grid.flatMap((combo) => axis.values.map((value) => [...combo, [axis.path, value] as const]));
  }
  if (grid.length > MAX_SWEEP_RUNS) {
    throw new ConfigError(`the sweep has ${grid.length} runs; at most ${MAX_SWEEP_RUNS}: use fewer values`);
  }
  return grid;
}
