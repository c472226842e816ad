import { describe, expect, it } from 'vitest';
// The harness forks its client from the built files, so the test drives the build (pnpm test builds first).
import { runScale } from '../dist/scale/run.js';

describe('bench:scale (smoke: 19 busy and middle-tier books, no timing assertions)', () => {
  it('gets every Upbit KRW and Binance USDT book live in one provider, within every exchange limit', async () => {
    const result = await runScale({ universe: 'smoke', seed: 3, steadyMs: 2_000, liveTimeoutMs: 30_000 });
    expect(result.upbitBooks).toBe(10); // 7 shared + 2 Upbit-only + KRW-USDT
    expect(result.binanceBooks).toBe(9); // 7 shared + 2 Binance-only
    expect(result.books).toBe(19);
    expect(result.booksLive).toBe(19);
    expect(Number.isFinite(result.allLiveMs)).toBe(true);
    expect(result.limitHits).toEqual({});
    for (const key of [
      'peakRssMb',
      'cpuPercent',
      'loopDelayP99Ms',
      'cpuPerUpdateUs',
      'bookAgeP99Ms',
    ] as const) {
      expect(Number.isFinite(result[key]), key).toBe(true);
    }
    expect(result.updatesPerSecond).toBeGreaterThan(0);
  }, 90_000);
});
