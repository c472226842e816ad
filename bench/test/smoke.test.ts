import { describe, expect, it } from 'vitest';
// The harness forks its clients from the built files, so the test drives the build (pnpm test builds first).
import { runSuite } from '../dist/suite.js';

describe('bench harness (smoke: tiny workloads, no timing assertions)', () => {
  it('runs every client on every exchange, unpaced and paced, with sane results', async () => {
    const logged: string[] = [];
    const result = await runSuite({
      smoke: true,
      fullPaced: false,
      exchanges: ['binance', 'upbit', 'okx'],
      clients: ['floor', 'ccxt', 'ours', 'ours-book'],
      micro: false,
      root: new URL('../..', import.meta.url).pathname,
      seed: 7,
      compareLevels: 100,
      concurrency: 3,
      log: (line) => logged.push(line),
    });
    expect(result.runs).toHaveLength(3 * 2 * 4);
    // Progress: a line as each run starts, with how many are left.
    expect(logged.filter((line) => /^\[\d+\/24\] .+ · .+ \(/.test(line))).toHaveLength(24);
    expect(logged.some((line) => line.startsWith('[24/24] ') && line.endsWith('(the last one)'))).toBe(true);
    for (const run of result.runs) {
      const what = `${run.workload} · ${run.client}`;
      expect(run.complete, what).toBe(true);
      expect(run.updates, what).toBeGreaterThan(0);
      expect(run.updatesPerSecond, what).toBeGreaterThan(0);
      expect(run.cpuMicrosPerUpdate, what).toBeGreaterThan(0);
      expect(run.peakRssMb, what).toBeGreaterThan(10);
      if (run.client === 'floor') expect(run.booksEqual, what).toBeNull();
      else expect(run.booksEqual, `${what}: ${String(run.notes.bookDifference)}`).toBe(true);
      if (run.paced) {
        expect(run.latency?.missing, what).toBe(0);
        // Only OKX has updates no client can show (a push with no change keeps its seqId).
        if (run.exchange !== 'okx') expect(run.latency?.unobservable, what).toBe(0);
        expect(run.latency!.joined + run.latency!.unobservable, what).toBe(run.updates);
        expect(run.latency?.p50Ms, what).toBeGreaterThan(0);
        expect(run.latency!.p99Ms, what).toBeGreaterThanOrEqual(run.latency!.p50Ms);
      } else expect(run.latency, what).toBeUndefined();
    }
    const ours = result.runs.find((run) => run.client === 'ours');
    expect(ours?.implementation).toMatch(/WebSocketMarketDataProvider|OrderBookStream/);
    expect(result.targets.length).toBeGreaterThan(0);
  }, 120_000);
});
