import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startNodeScript } from '@arbitrage/test-support';
import { expect, it } from 'vitest';
import { RESULTS_DIR } from '../src/results.js';
import type { SoakReport } from '../src/soak-run.js';

const SOAK = fileURLToPath(new URL('../dist/soak.js', import.meta.url));

/** The one-minute soak of the suite (`pnpm soak --minutes N` runs longer ones). */
it('soak: 1 minute of random faults on every market leaves correct books and nothing behind', async () => {
  expect(existsSync(SOAK), `${SOAK} is missing: build first (pnpm test:faults builds)`).toBe(true);
  const { code, stdout, stderr } = await startNodeScript(
    SOAK,
    ['--minutes', '1', '--provider', 'ws', '--json'],
    { nodeArgs: ['--expose-gc'] },
  ).finished;
  const line = stdout.trim().split('\n').pop() ?? '';
  const report = JSON.parse(line) as SoakReport;
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, 'soak-1min.json'), `${JSON.stringify(report, null, 2)}\n`);
  expect(report.failures, stderr.slice(-2_000)).toEqual([]);
  expect(code).toBe(0);
  // Progress on stderr every 10 s, never on stdout (--json there is one line).
  expect(stderr).toMatch(/\[soak\] progress \d+s of 1m \(\d+s left\): \d+ faults/);
  expect(report.verifiedAgainstTruth).toBeGreaterThan(1_000);
  expect(Object.values(report.faults).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(10);
}, 120_000);
