import { beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../src/summary/run-summary.js';
import { requireBuilt, startCli } from './run-cli.js';

beforeAll(requireBuilt);

async function waitForOutput(read: () => string, pattern: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(read())) {
    if (Date.now() > deadline)
      throw new Error(`no ${pattern} within ${timeoutMs} ms; got:\n${read().slice(-2_000)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe.each(['SIGINT', 'SIGTERM'] as const)('%s', (signal) => {
  it('stops opening, prints the summary, stops everything, exits 0 within 2 s', async () => {
    const run = startCli(['paper', '--json', '--status-interval', '500ms']);
    // Generous: start-up on a loaded machine; the status line means books are flowing.
    await waitForOutput(run.stderr, /\[SIMULATED MARKET\] \d+s/, 15_000);
    const sentAt = Date.now();
    run.child.kill(signal);
    const result = await run.finished;
    const elapsed = Date.now() - sentAt;
    expect(result.code, result.stderr.slice(-2_000)).toBe(0);
    expect(elapsed).toBeLessThan(2_000);
    const summary = JSON.parse(result.stdout) as RunSummary;
    expect(summary.stopReason).toBe(signal);
    expect(summary.label).toBe('SIMULATED MARKET');
    expect(result.stderr).toContain('signal received');
    // Exited by itself: nothing was left open for the watchdog to report.
    expect(result.stderr).not.toContain('shutdown watchdog');
  }, 25_000);
});
