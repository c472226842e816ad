import type { InstrumentId } from '@arbitrage/core';
import { sleep, waitFor } from '@arbitrage/test-support';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type FailoverInstrumentHealth, FailoverMarketDataProvider } from '../src/index.js';
import {
  activeHandles,
  expectNoLeaks,
  type Harness,
  HealthLog,
  isSubsequence,
  SnapshotLog,
  STALE_AFTER_MS,
  startHarness,
} from './support/harness.js';

/** Test-scale policy. Switch-time bounds below add generous slack for a loaded 2-core machine. */
const FAILOVER_AFTER_MS = 300;
const SWITCH_BACK_AFTER_MS = 400;
const SLACK_MS = 1_500;

let h: Harness | undefined;
let provider: FailoverMarketDataProvider | undefined;

afterEach(async () => {
  vi.restoreAllMocks();
  await provider?.stop();
  provider = undefined;
  await h?.stop();
  h = undefined;
});

function make(
  harness: Harness,
  symbols: readonly string[],
  failoverAfterMs = FAILOVER_AFTER_MS,
): FailoverMarketDataProvider {
  provider = new FailoverMarketDataProvider({
    exchanges: [harness.upbit, harness.binance],
    symbols,
    staleAfterMs: STALE_AFTER_MS,
    failoverAfterMs,
    switchBackAfterMs: SWITCH_BACK_AFTER_MS,
    pollIntervalMs: 100,
    depth: 10,
  });
  return provider;
}

function health(p: FailoverMarketDataProvider, id: string): FailoverInstrumentHealth {
  return p.health().instruments[id as InstrumentId] as FailoverInstrumentHealth;
}

const describeHealth = (p: FailoverMarketDataProvider) => () =>
  JSON.stringify(
    Object.values(p.health().instruments).map((i) => [
      i.instrument,
      i.state,
      i.source,
      i.reason,
      (i as { stream?: unknown }).stream,
    ]),
  );

/** Every instrument live from its stream (a slow start may have put one on REST for a while). */
const allOnStream = (p: FailoverMarketDataProvider) => () =>
  Object.values(p.health().instruments).every((i) => i.state === 'live' && i.source === 'ws');

const on = (p: FailoverMarketDataProvider, id: string, source: 'ws' | 'rest') => () => {
  const current = health(p, id);
  return current.state === 'live' && current.source === source;
};

describe('FailoverMarketDataProvider under simulator faults', () => {
  it('a stalled stream fails over to REST for that instrument only, then switches back (Upbit and Binance)', async () => {
    h = await startHarness();
    const p = make(h, ['KRW-BTC', 'KRW-ETH', 'BTCUSDT', 'ETHUSDT']);
    const log = new HealthLog(p);
    const snapshots = new SnapshotLog(p);
    await p.start();
    await waitFor(allOnStream(p), 5_000, describeHealth(p));

    const untouched = ['upbit:ETH/KRW', 'binance:ETH/USDT'].map((id) => health(p, id).switches);
    const injectedAt = Date.now();
    const upbitStall = h.sim.faults.stallStream('upbit', { symbol: 'KRW-BTC' });
    const binanceStall = h.sim.faults.stallStream('binance', { symbol: 'BTCUSDT' });
    const bound = STALE_AFTER_MS + FAILOVER_AFTER_MS + SLACK_MS;
    await waitFor(on(p, 'upbit:BTC/KRW', 'rest'), bound, describeHealth(p));
    await waitFor(
      () =>
        health(p, 'binance:BTC/USDT').source === 'rest' || snapshots.count('binance:BTC/USDT', 'rest') > 0,
      bound,
      describeHealth(p),
    );
    const switchedAt = health(p, 'upbit:BTC/KRW').lastSwitchAt!;
    // Stale after F, then failoverAfterMs more: never earlier, and within the stated bound.
    expect(switchedAt - injectedAt).toBeGreaterThanOrEqual(FAILOVER_AFTER_MS);
    expect(switchedAt - injectedAt).toBeLessThan(bound);
    expect(p.getLatestSnapshot('KRW-BTC')?.source).toBe('rest');
    expect(health(p, 'upbit:BTC/KRW').stream.state).not.toBe('live');
    // Per instrument: the instruments that kept flowing never left the stream.
    expect(health(p, 'upbit:ETH/KRW')).toMatchObject({ state: 'live', source: 'ws', switches: untouched[0] });
    expect(health(p, 'binance:ETH/USDT')).toMatchObject({ source: 'ws', switches: untouched[1] });

    upbitStall.clear();
    binanceStall.clear();
    await waitFor(on(p, 'upbit:BTC/KRW', 'ws'), SWITCH_BACK_AFTER_MS + 5_000, describeHealth(p));
    await waitFor(on(p, 'binance:BTC/USDT', 'ws'), SWITCH_BACK_AFTER_MS + 5_000, describeHealth(p));
    const back = health(p, 'upbit:BTC/KRW');
    expect(back.switches).toBe(2);
    expect(p.switches()).toBeGreaterThanOrEqual(4);
    expect(back.lastSwitchAt! - switchedAt).toBeGreaterThanOrEqual(SWITCH_BACK_AFTER_MS);
    expect(p.getLatestSnapshot('KRW-BTC')?.source).toBe('ws');
    expect(isSubsequence(log.path('upbit:BTC/KRW'), ['live/ws', 'stale/ws', 'live/rest', 'live/ws'])).toBe(
      true,
    );
    expect(snapshots.count('upbit:BTC/KRW', 'rest')).toBeGreaterThan(0);
    expect(snapshots.regressions).toBe(0);
  });

  it('a dropped connection with refused reconnects fails over, and returns when connections are accepted', async () => {
    h = await startHarness();
    const p = make(h, ['BTCUSDT', 'KRW-BTC']);
    const log = new HealthLog(p);
    const snapshots = new SnapshotLog(p);
    await p.start();
    await waitFor(allOnStream(p), 5_000, describeHealth(p));

    const refuseMs = 2_000;
    const injectedAt = Date.now();
    h.sim.faults.refuseConnections('binance', refuseMs);
    h.sim.faults.dropConnections('binance');
    await waitFor(on(p, 'binance:BTC/USDT', 'rest'), FAILOVER_AFTER_MS + SLACK_MS, describeHealth(p));
    const current = health(p, 'binance:BTC/USDT');
    expect(current.lastSwitchAt! - injectedAt).toBeGreaterThanOrEqual(FAILOVER_AFTER_MS);
    expect(current.lastSwitchAt! - injectedAt).toBeLessThan(FAILOVER_AFTER_MS + SLACK_MS);
    expect(['down', 'resyncing', 'connecting']).toContain(current.stream.state);
    const served = p.getLatestSnapshot('BTCUSDT')!;
    expect(served.source).toBe('rest');
    expect(served.bids.length).toBe(10);
    expect(health(p, 'upbit:BTC/KRW')).toMatchObject({ state: 'live', source: 'ws' });

    await waitFor(
      on(p, 'binance:BTC/USDT', 'ws'),
      refuseMs + SWITCH_BACK_AFTER_MS + 5_000,
      describeHealth(p),
    );
    expect(isSubsequence(log.path('binance:BTC/USDT'), ['live/ws', 'down/ws', 'live/rest', 'live/ws'])).toBe(
      true,
    );
    expect(snapshots.regressions).toBe(0);
  });

  it('refused connections at start: start still resolves and REST serves what the stream cannot', async () => {
    h = await startHarness();
    h.sim.faults.refuseConnections('upbit', 2_500);
    const p = make(h, ['KRW-BTC', 'BTCUSDT']);
    const startedAt = Date.now();
    await p.start();
    expect(Date.now() - startedAt).toBeLessThan(FAILOVER_AFTER_MS + SLACK_MS);
    await waitFor(on(p, 'upbit:BTC/KRW', 'rest'), FAILOVER_AFTER_MS + SLACK_MS, describeHealth(p));
    expect(health(p, 'upbit:BTC/KRW').lastSwitchAt! - startedAt).toBeLessThan(FAILOVER_AFTER_MS + SLACK_MS);
    await waitFor(on(p, 'binance:BTC/USDT', 'ws'), 5_000, describeHealth(p));
    expect(p.getLatestSnapshot('KRW-BTC')?.source).toBe('rest');
    await waitFor(on(p, 'upbit:BTC/KRW', 'ws'), 2_500 + SWITCH_BACK_AFTER_MS + 5_000, describeHealth(p));
  });

  it('a single gap heals inside failoverAfterMs without a switch', async () => {
    h = await startHarness();
    // The heal is a REST snapshot plus bridging: well inside 300 ms alone, not always on a machine
    // running the whole suite. The property tested is "inside failoverAfterMs", so give it room.
    const failoverAfterMs = 1_500;
    const p = make(h, ['BTCUSDT', 'ETHUSDT', 'KRW-BTC'], failoverAfterMs);
    const snapshots = new SnapshotLog(p);
    await p.start();
    await waitFor(allOnStream(p), 5_000, describeHealth(p));

    h.sim.faults.skipUpdates('binance', 'BTCUSDT', 1);
    // Upbit has no sequence: every frame is a whole book, so dropped frames heal with the next one.
    h.sim.faults.skipUpdates('upbit', 'KRW-BTC', 3);
    await waitFor(() => health(p, 'binance:BTC/USDT').counters.gaps >= 1, 3_000, 'the gap');
    await waitFor(() => p.health().allLive, 3_000, describeHealth(p));
    await sleep(failoverAfterMs);
    expect(p.switches()).toBe(0);
    expect(snapshots.regressions).toBe(0);
  });

  it('persistent gaps fail over to REST, the other instruments stay on the stream, and it switches back', async () => {
    h = await startHarness();
    const p = make(h, ['BTCUSDT', 'ETHUSDT', 'KRW-BTC']);
    const snapshots = new SnapshotLog(p);
    await p.start();
    await waitFor(allOnStream(p), 5_000, describeHealth(p));

    const injectedAt = Date.now();
    // One update lost every 150 ms: frames keep coming, each run of them broken by a gap.
    const gaps = setInterval(() => h?.sim.faults.skipUpdates('binance', 'BTCUSDT', 1), 150);
    try {
      await waitFor(on(p, 'binance:BTC/USDT', 'rest'), FAILOVER_AFTER_MS + SLACK_MS, describeHealth(p));
    } finally {
      clearInterval(gaps);
    }
    expect(health(p, 'binance:BTC/USDT').lastSwitchAt! - injectedAt).toBeLessThan(
      FAILOVER_AFTER_MS + SLACK_MS,
    );
    expect(health(p, 'binance:BTC/USDT').counters.gaps).toBeGreaterThanOrEqual(1);
    expect(health(p, 'binance:ETH/USDT').source).toBe('ws');
    // Generous: after a burst of gaps the stream resyncs from REST snapshots, slow on a loaded machine.
    await waitFor(on(p, 'binance:BTC/USDT', 'ws'), SWITCH_BACK_AFTER_MS + 10_000, describeHealth(p));
    expect(snapshots.regressions).toBe(0);
  }, 30_000);

  it('REST 429 on the backup: no request until Retry-After, health says why, then recovers', async () => {
    h = await startHarness();
    const p = make(h, ['BTCUSDT']);
    const log = new HealthLog(p);
    await p.start();
    await waitFor(allOnStream(p), 5_000, describeHealth(p));
    h.sim.faults.refuseConnections('binance', 4_000);
    h.sim.faults.dropConnections('binance');
    await waitFor(on(p, 'binance:BTC/USDT', 'rest'), FAILOVER_AFTER_MS + SLACK_MS, describeHealth(p));

    const fetches = vi.spyOn(h.binance.rest(), 'fetchOrderBooks');
    const limited = h.sim.faults.restFault('binance', { path: '/api/v3/depth', status: 429, retryAfterS: 1 });
    await waitFor(
      () =>
        log.changes.some((c) => c.instrument === 'binance:BTC/USDT' && /rate limited/.test(c.reason ?? '')),
      3_000,
      describeHealth(p),
    );
    const limitedAt = Date.now();
    const callsAtLimit = fetches.mock.calls.length;
    await sleep(700);
    // Retry-After is 1 s: nothing may be sent before it has passed.
    expect(fetches.mock.calls.length).toBe(callsAtLimit);
    const stale = health(p, 'binance:BTC/USDT');
    expect(stale.state).toBe('stale');
    expect(stale.reason).toMatch(/rate limited \(429\)/);
    limited.clear();
    await waitFor(on(p, 'binance:BTC/USDT', 'rest'), 1_000 + SLACK_MS, describeHealth(p));
    expect(Date.now() - limitedAt).toBeGreaterThanOrEqual(250);
    expect(fetches.mock.calls.length).toBeGreaterThan(callsAtLimit);
  });

  it('Upbit REST 429 on the backup is honoured the same way', async () => {
    h = await startHarness();
    const p = make(h, ['KRW-BTC']);
    await p.start();
    await waitFor(allOnStream(p), 5_000, describeHealth(p));
    h.sim.faults.refuseConnections('upbit', 4_000);
    h.sim.faults.dropConnections('upbit');
    await waitFor(on(p, 'upbit:BTC/KRW', 'rest'), FAILOVER_AFTER_MS + SLACK_MS, describeHealth(p));
    const limited = h.sim.faults.restFault('upbit', { path: '/v1/orderbook', status: 429, retryAfterS: 1 });
    await waitFor(
      () => /rate limited/.test(health(p, 'upbit:BTC/KRW').reason ?? ''),
      3_000,
      describeHealth(p),
    );
    expect(health(p, 'upbit:BTC/KRW').state).toBe('stale');
    limited.clear();
    await waitFor(on(p, 'upbit:BTC/KRW', 'rest'), 2_000 + SLACK_MS, describeHealth(p));
  });

  it('a failed stream fails over; when REST cannot serve the market either, health says both', async () => {
    h = await startHarness();
    // KRW-SOL is in Upbit's built-in list, but the simulator serves it on neither WebSocket nor REST.
    const p = make(h, ['KRW-SOL', 'KRW-BTC']);
    const log = new HealthLog(p);
    await p.start();
    await waitFor(
      () => health(p, 'upbit:SOL/KRW').source === 'rest',
      FAILOVER_AFTER_MS + SLACK_MS + 1_000,
      describeHealth(p),
    );
    await waitFor(
      () =>
        health(p, 'upbit:SOL/KRW').state === 'failed' &&
        /last REST error/.test(health(p, 'upbit:SOL/KRW').reason ?? ''),
      3_000,
      describeHealth(p),
    );
    const failed = health(p, 'upbit:SOL/KRW');
    expect(failed.state).toBe('failed');
    expect(failed.reason).toMatch(
      /waiting for the first REST snapshot; last REST error: .*(404|BOOK_MISSING).*stream failed/,
    );
    expect(p.getLatestSnapshot('KRW-SOL')).toBeUndefined();
    expect(health(p, 'upbit:BTC/KRW')).toMatchObject({ state: 'live' });
    expect(log.path('upbit:SOL/KRW')).toContain('failed/rest');
  });

  it('stop leaves nothing behind and start works again', async () => {
    const baseline = activeHandles();
    h = await startHarness();
    const p = make(h, ['KRW-BTC', 'BTCUSDT']);
    await p.start();
    await waitFor(allOnStream(p), 5_000, describeHealth(p));
    h.sim.faults.refuseConnections('binance', 1_000);
    h.sim.faults.dropConnections('binance');
    await waitFor(on(p, 'binance:BTC/USDT', 'rest'), FAILOVER_AFTER_MS + SLACK_MS, describeHealth(p));
    await p.stop();
    expect(h.sim.connections()).toHaveLength(0);
    const stopped = p.health();
    expect(stopped.allLive).toBe(false);

    await sleep(1_000);
    await p.start();
    await waitFor(on(p, 'binance:BTC/USDT', 'ws'), 5_000, describeHealth(p));
    // Counted across the restart (a slow resync after it may add a REST round of its own).
    expect(health(p, 'binance:BTC/USDT').switches).toBeGreaterThanOrEqual(1);
    expect(p.switches()).toBe(health(p, 'binance:BTC/USDT').switches + health(p, 'upbit:BTC/KRW').switches);
    await p.stop();
    await h.stop();
    h = undefined;
    await expectNoLeaks(baseline);
  });
});
