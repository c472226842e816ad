import { type InstrumentStateChange, systemClock } from '@arbitrage/core';
import { FaultProxy, type Simulator, type SimulatorOptions, startSimulator } from '@arbitrage/simulator';
import { waitFor } from '@arbitrage/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { createUpbitExchange, type UpbitExchange } from './exchange.js';
import type { UpbitOrderBookStream } from './order-book-stream.js';

/** Test-scale timings from docs/faults.md: P = 100 ms, D = 300 ms, F = 200 ms, B = 20 ms, C = 500 ms. */
const STREAM = {
  keepalive: { intervalMs: 100, timeoutMs: 1_000 },
  staleAfterMs: 200,
  subscribeTimeoutMs: 400,
  minResubscribeIntervalMs: 20,
  backoff: { baseMs: 20, capMs: 500 },
  minConnectIntervalMs: 0,
  maxLagMs: 150,
} as const;

let sim: Simulator | undefined;
let exchange: UpbitExchange | undefined;
let proxy: FaultProxy | undefined;

afterEach(async () => {
  await exchange?.close();
  exchange = undefined;
  await sim?.stop();
  sim = undefined;
  await proxy?.close();
  proxy = undefined;
});

async function setup(wsUrl: (sim: Simulator) => string, simOptions: SimulatorOptions = {}) {
  sim = await startSimulator({ upbit: { updatesPerSecond: 50, statusIntervalMs: 100 }, ...simOptions });
  exchange = createUpbitExchange({ restUrl: sim.upbit.restUrl, wsUrl: wsUrl(sim), stream: { ...STREAM } });
  await exchange.loadMarkets();
  const stream: UpbitOrderBookStream = exchange.createOrderBookStream({ symbols: ['BTC/KRW'] });
  const changes: InstrumentStateChange[] = [];
  stream.onStateChange((change) => changes.push(change));
  await stream.start();
  await waitFor(() => stream.status('BTC/KRW')?.state === 'live', 3_000, 'live');
  return { stream, changes };
}

describe('Upbit stream against the simulator: lag', () => {
  it('latency growing 0 → 600 ms through a proxy: stale while lagging, live once the backlog drains (docs/faults.md 6)', async () => {
    proxy = await FaultProxy.start();
    const p = proxy;
    const { stream, changes } = await setup((s) => {
      const url = new URL(s.upbit.wsUrl);
      p.targetPort = Number(url.port);
      url.port = String(p.port);
      return url.toString();
    });
    let emittedWhileLagging = 0;
    stream.onUpdate(() => {
      if ((stream.lagMs('BTC/KRW') ?? 0) > 150) emittedWhileLagging++;
    });
    for (let latency = 50; latency <= 600; latency += 50) {
      p.latencyMs = latency;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // Generous bounds: the backlog is at most 600 ms; a loaded machine adds its own delays.
    await waitFor(() => changes.some((c) => c.reason?.startsWith('lagging')), 3_000, 'a lagging state');
    p.latencyMs = 0;
    await waitFor(() => stream.status('BTC/KRW')?.state === 'live', 3_000, 'live again');
    expect(changes.find((c) => c.reason?.startsWith('lagging'))?.reason).toMatch(
      /^lagging \d+ ms behind the exchange \(max 150 ms; clock offset -?\d+ ms excluded\)$/,
    );
    expect(emittedWhileLagging).toBe(0);
    expect(stream.trackerStats.laggingUpdates).toBeGreaterThan(0);
    expect(stream.socketCounters.reconnects).toBe(0);
    // Closing leaves no connection behind (the proxy sees each socket close).
    await exchange?.close();
    exchange = undefined;
    await waitFor(() => p.openConnections === 0, 3_000, 'no proxied connection left');
  });

  it('an exchange clock 3 s behind is an offset, not lag: the book stays live (docs/faults.md 32)', async () => {
    const { stream, changes } = await setup((s) => s.upbit.wsUrl, {
      clock: { ...systemClock, now: () => Date.now() - 3_000 },
    });
    await waitFor(() => stream.counters('BTC/KRW')!.updates >= 20, 3_000, '20 books');
    expect(stream.clockOffsetMs).toBeGreaterThan(2_900);
    expect(stream.lagMs('BTC/KRW')).toBeLessThan(150);
    expect(changes.map((c) => c.state)).toEqual(['live']);
  });
});
