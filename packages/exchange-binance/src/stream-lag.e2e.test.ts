import { systemClock } from '@arbitrage/core';
import { FaultProxy } from '@arbitrage/simulator';
import { afterEach, describe, expect, it } from 'vitest';
import { type SimHarness, simHarness, sleep, statesOf, waitFor } from './test-support/sim-harness.js';

let h: SimHarness | undefined;
let proxy: FaultProxy | undefined;

afterEach(async () => {
  await h?.stop();
  h = undefined;
  await proxy?.close();
  proxy = undefined;
});

describe('BinanceOrderBookStream against the simulator: lag', () => {
  it('latency growing 0 → 600 ms through a proxy: stale while lagging, live once the backlog drains (docs/faults.md 6)', async () => {
    proxy = await FaultProxy.start();
    const p = proxy;
    h = await simHarness(['BTC/USDT'], {
      exchange: { wsUrl: `ws://127.0.0.1:${p.port}` },
      stream: { maxLagMs: 150 },
    });
    p.targetPort = Number(new URL(h.sim.binance.wsUrl).port);
    const harness = h;
    await harness.stream.start();
    harness.drive();
    await harness.waitLive();
    const reasons: string[] = [];
    harness.stream.onStateChange((change) => reasons.push(change.reason ?? ''));
    let maxLag = 0;
    let emittedWhileLagging = 0;
    harness.stream.onUpdate(() => {
      const lag = harness.stream.lagMs('BTC/USDT') ?? 0;
      if (lag > 150) emittedWhileLagging++;
    });
    for (let latency = 50; latency <= 600; latency += 50) {
      p.latencyMs = latency;
      await sleep(50);
      maxLag = Math.max(maxLag, harness.stream.lagMs('BTC/USDT') ?? 0);
    }
    // Generous bound: the backlog is at most 600 ms, a loaded machine adds its own delays.
    await waitFor(() => reasons.some((r) => r.startsWith('lagging')), 3_000, 'a lagging state');
    p.latencyMs = 0;
    // Live again once within maxLagMs; then wait for the backlog to drain before comparing books
    // (a paused market with chunks still queued in the proxy would trip the connection's staleness).
    await waitFor(() => harness.stream.status('BTC/USDT')?.state === 'live', 3_000, 'live again');
    await waitFor(() => (harness.stream.lagMs('BTC/USDT') ?? 0) <= 30, 3_000, 'backlog drained');
    expect(reasons.find((r) => r.startsWith('lagging'))).toMatch(
      /^lagging \d+ ms behind the exchange \(max 150 ms; clock offset -?\d+ ms excluded\)$/,
    );
    expect(statesOf(harness.changes, 'BTC/USDT')).toContain('stale');
    expect(emittedWhileLagging).toBe(0);
    // A lag is not a gap: the book was never resynced and matches the truth.
    expect(harness.stream.counters('BTC/USDT')?.gaps).toBe(0);
    const { local, truth } = await harness.expectBooksEqual('BTC/USDT');
    expect(local).toEqual(truth);
  }, 15_000);

  it('an exchange clock 3 s ahead is an offset, not lag: the book stays live (docs/faults.md 32)', async () => {
    h = await simHarness(['BTC/USDT'], {
      sim: { clock: { ...systemClock, now: () => Date.now() + 3_000 } },
      stream: { maxLagMs: 150 },
    });
    const harness = h;
    await harness.stream.start();
    harness.drive();
    await harness.waitLive();
    await sleep(600);
    expect(harness.stream.clockOffsetMs).toBeLessThan(-2_900);
    expect(statesOf(harness.changes, 'BTC/USDT').filter((s) => s === 'stale')).toEqual([]);
    expect(harness.stream.lagMs('BTC/USDT')).toBeLessThan(150);
  });
});
