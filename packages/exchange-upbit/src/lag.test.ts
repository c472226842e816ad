import { type InstrumentStateChange, ManualClock } from '@arbitrage/core';
import { waitFor } from '@arbitrage/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { UpbitOrderBookStream } from './order-book-stream.js';
import { UpbitSymbolMapper } from './symbols.js';
import { btcUnits } from './test-support/frames.js';
import { UpbitTestServer } from './test-support/upbit-ws-server.js';

let server: UpbitTestServer | undefined;
let stream: UpbitOrderBookStream | undefined;

afterEach(async () => {
  await stream?.close();
  stream = undefined;
  await server?.close();
  server = undefined;
});

/** Lag logic on a ManualClock: frames travel over loopback, arrival time is the manual clock's. */
async function lagStream(clock: ManualClock, extra: Record<string, unknown> = {}) {
  server = await UpbitTestServer.start({
    books: new Map([['KRW-BTC', { units: btcUnits(5), timestamp: clock.now() - 60_000 }]]),
  });
  stream = new UpbitOrderBookStream({
    mapper: new UpbitSymbolMapper(),
    symbols: ['BTC/KRW'],
    url: server.url,
    clock,
    keepalive: false,
    staleAfterMs: 5_000,
    maxLagMs: 500,
    ...extra,
  });
  const changes: InstrumentStateChange[] = [];
  const emitted: number[] = [];
  stream.onStateChange((change) => changes.push(change));
  stream.onUpdate((book) => emitted.push(book.exchangeTime));
  await stream.start();
  // The SNAPSHOT carries the time of the book's last change (a minute old): never lag.
  await waitFor(() => stream!.status('BTC/KRW')?.state === 'live', 3_000, 'live on the SNAPSHOT');
  expect(stream.lagMs('BTC/KRW')).toBeUndefined();
  const s = stream;
  const srv = server;
  let applied = s.counters('BTC/KRW')!.updates;
  let lastTimestamp = 0;
  /**
   * Advances the clock (100 ms, or more so that timestamps never go back: older frames are dropped),
   * then delivers a frame stamped `lateBy` ms before it.
   */
  const frame = async (lateBy: number, streamType: 'REALTIME' | 'SNAPSHOT' = 'REALTIME') => {
    clock.advance(Math.max(100, lastTimestamp + 1 + lateBy - clock.now()));
    lastTimestamp = clock.now() - lateBy;
    srv.publish('KRW-BTC', btcUnits(5, applied), lastTimestamp, streamType);
    applied++;
    await waitFor(() => s.counters('BTC/KRW')!.updates === applied, 3_000, `frame ${applied} applied`);
  };
  return { stream: s, changes, emitted, frame };
}

describe('UpbitOrderBookStream lag (docs/faults.md 6, 32)', () => {
  it('a frame lagging more than maxLagMs makes the symbol stale, not emitted; live again once it catches up', async () => {
    const clock = new ManualClock();
    const { stream, changes, emitted, frame } = await lagStream(clock);
    // The exchange clock is 3 s behind ours: a constant offset, not lag.
    await frame(3_000);
    await frame(3_010);
    expect(stream.lagMs('BTC/KRW')).toBe(10);
    expect(stream.clockOffsetMs).toBe(3_000);
    expect(stream.status('BTC/KRW')?.state).toBe('live');
    const emittedBefore = emitted.length;

    await frame(3_000 + 1_200);
    expect(stream.status('BTC/KRW')).toEqual({
      state: 'stale',
      reason: 'lagging 1200 ms behind the exchange (max 500 ms; clock offset 3000 ms excluded)',
      since: clock.now(),
    });
    expect(stream.lagMs('BTC/KRW')).toBe(1_200);
    expect(emitted.length).toBe(emittedBefore);
    // Still behind (the reason follows the lag); a SNAPSHOT proves nothing about lag either way.
    await frame(3_000 + 1_500);
    expect(stream.status('BTC/KRW')?.reason).toMatch(/^lagging 1500 ms behind/);
    await frame(0, 'SNAPSHOT');
    expect(stream.status('BTC/KRW')?.state).toBe('stale');
    expect(emitted.length).toBe(emittedBefore);
    expect(stream.trackerStats.laggingUpdates).toBe(3);

    await frame(3_000 + 500);
    expect(stream.status('BTC/KRW')?.state).toBe('live');
    expect(emitted.length).toBe(emittedBefore + 1);
    expect(changes.map((c) => c.state)).toEqual(['live', 'stale', 'live']);
    expect(stream.counters('BTC/KRW')?.staleEvents).toBe(1);
    // The book kept the newest frame all along.
    expect(stream.book('BTC/KRW')?.exchangeTime).toBe(clock.now() - 3_500);
  });

  it('a constant skew, ahead or behind, never marks the book stale (docs/faults.md 32)', async () => {
    for (const skew of [-3_000, 3_000]) {
      const clock = new ManualClock();
      const { stream, changes, frame } = await lagStream(clock);
      for (let i = 0; i < 20; i++) await frame(skew + (i % 3) * 20);
      expect(stream.clockOffsetMs).toBe(skew);
      expect(stream.lagMs('BTC/KRW')).toBeLessThanOrEqual(40);
      expect(changes.map((c) => c.state)).toEqual(['live']);
      await stream.close();
      await server?.close();
    }
  });

  it('defaults maxLagMs to min(staleAfterMs, 1000) and rejects a non-positive one', async () => {
    const clock = new ManualClock();
    const { stream, frame } = await lagStream(clock, { maxLagMs: undefined, staleAfterMs: 5_000 });
    await frame(0);
    await frame(1_000);
    expect(stream.status('BTC/KRW')?.state).toBe('live');
    await frame(1_001);
    expect(stream.status('BTC/KRW')?.reason).toMatch(/lagging 1001 ms behind the exchange \(max 1000 ms/);
    expect(
      () => new UpbitOrderBookStream({ mapper: new UpbitSymbolMapper(), symbols: ['BTC/KRW'], maxLagMs: 0 }),
    ).toThrow(/maxLagMs must be a positive finite number of ms, got 0/);
  });
});
