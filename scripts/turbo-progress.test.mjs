import { describe, expect, it } from 'vitest';
import { progressLine } from './turbo-progress.mjs';

describe('progressLine: what is shown of turbo --output-logs=new-only', () => {
  it('one line per package that really builds, with the elapsed time', () => {
    expect(progressLine('@arbitrage/core:build: cache miss, executing 482a90ae56e788c2', 12_400)).toBe(
      '[12s] building @arbitrage/core',
    );
  });

  it.each([
    ['the banner', '   \u2022 Packages in scope: @arbitrage/runner'],
    ['a blank line', ''],
    ['a cache hit', '@arbitrage/core:build: cache hit, suppressing logs 482a90ae56e788c2'],
    ["pnpm's script echo", '@arbitrage/core:build: > tsc -p tsconfig.build.json'],
    ['an empty task line', '@arbitrage/core:build: '],
    ['the summary', ' Tasks:    13 successful, 13 total'],
    ['the summary', 'Cached:    0 cached, 13 total'],
    ['the summary', '  Time:    2m5.091s '],
  ])('hides %s', (_what, line) => {
    expect(progressLine(line, 0)).toBeUndefined();
  });

  it('keeps compiler errors and turbo failures, without colour codes', () => {
    const error = "@arbitrage/core:build: src/a.ts(1,7): error TS2322: Type 'string' is not assignable";
    expect(progressLine(`\u001b[31m${error}\u001b[0m`, 0)).toBe(error);
    expect(progressLine(' ERROR  run failed: command  exited (2)', 0)).toBe(
      ' ERROR  run failed: command  exited (2)',
    );
  });
});
