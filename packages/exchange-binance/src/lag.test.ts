import { type InstrumentStateChange, ManualClock, type MarketInfo } from '@arbitrage/core';
import { waitFor } from '@arbitrage/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { createBinanceExchange } from './exchange.js';
import { diffFrame, partialData } from './test-support/frames.js';
import { DEPTH_BODY, startRestStub } from './test-support/rest-stub.js';
import { startScriptedServer } from './test-support/scripted-server.js';
import { TEST_TIMINGS } from './test-support/sim-harness.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const BTC: MarketInfo = {
  exchange: 'binance',
  symbol: 'BTC/USDT',
  nativeSymbol: 'BTCUSDT',
  base: 'BTC',
  quote: 'USDT',
};

/**
 * A diff-mode stream on a ManualClock against a scripted server (frames over loopback, arrival
 * time from the manual clock) and a REST stub answering DEPTH_BODY (lastUpdateId 1027024).
 */
async function lagStream(clock: ManualClock, extra: Record<string, unknown> = {}) {
  const server = await startScriptedServer(() => 'ack');
  cleanup.push(() => server.close());
  const rest = await startRestStub(() => ({ body: DEPTH_BODY }));
  cleanup.push(() => rest.close());
  const exchange = createBinanceExchange({
    restUrl: rest.url,
    wsUrl: server.url,
    markets: [BTC],
    clock,
    snapshots: { minIntervalMs: 0, maxConcurrent: 1, taskTimeoutMs: 60_000 },
  });
  cleanup.push(() => exchange.close());
  const stream = exchange.createOrderBookStream({
    symbols: ['BTC/USDT'],
    ...TEST_TIMINGS,
    staleAfterMs: 60_000,
    maxLagMs: 500,
    ...extra,
  });
  const changes: InstrumentStateChange[] = [];
  const emitted: number[] = [];
  stream.onStateChange((change) => changes.push(change));
  stream.onUpdate((book) => emitted.push(book.sequence ?? 0));
  await stream.start();
  await waitFor(() => server.open().length === 1, 3_000, 'connected');
  let nextId = 1027020;
  /** Advances the clock 100 ms and sends the next depthUpdate stamped `lateBy` ms before it. */
  const event = async (lateBy: number) => {
    clock.advance(100);
    const first = nextId;
    nextId = first === 1027020 ? 1027026 : first + 1;
    server.open()[0]!.send(
      diffFrame({
        symbol: 'BTCUSDT',
        eventTime: clock.now() - lateBy,
        first,
        final: nextId - 1,
        bids: [['4.00000000', `${nextId}.00000000`]],
        asks: [],
      }),
    );
    // The first event bridges the snapshot (book live at its `u`); later ones follow one by one.
    await waitFor(() => stream.book('BTC/USDT')?.sequence === nextId - 1, 3_000, `event ${first}`);
  };
  return { stream, server, changes, emitted, event };
}

describe('BinanceOrderBookStream lag (docs/faults.md 6, 32)', () => {
  it('an event lagging more than maxLagMs makes the book stale, not emitted; live again once it catches up', async () => {
    const clock = new ManualClock();
    const { stream, changes, emitted, event } = await lagStream(clock);
    // The first event bridges the snapshot; the exchange clock is 2 s ahead of ours (offset −2000).
    await event(-2_000);
    expect(stream.status('BTC/USDT')?.state).toBe('live');
    await event(-1_990);
    expect(stream.lagMs('BTC/USDT')).toBe(10);
    expect(stream.clockOffsetMs).toBe(-2_000);
    const emittedBefore = emitted.length;

    await event(-2_000 + 800);
    expect(stream.status('BTC/USDT')).toEqual({
      state: 'stale',
      reason: 'lagging 800 ms behind the exchange (max 500 ms; clock offset -2000 ms excluded)',
      since: clock.now(),
    });
    expect(emitted.length).toBe(emittedBefore);
    // Applied all the same: the sequence stays continuous, no resync.
    await event(-2_000 + 900);
    expect(stream.book('BTC/USDT')?.sequence).toBe(1027028);
    expect(stream.status('BTC/USDT')?.state).toBe('stale');
    expect(emitted.length).toBe(emittedBefore);

    await event(-2_000 + 400);
    expect(stream.status('BTC/USDT')?.state).toBe('live');
    expect(emitted.length).toBe(emittedBefore + 1);
    const states = changes.map((c) => c.state);
    expect(states.slice(-3)).toEqual(['live', 'stale', 'live']);
    expect(states.filter((state) => state !== 'connecting' && state !== 'resyncing')).toEqual([
      'live',
      'stale',
      'live',
    ]);
    expect(stream.counters('BTC/USDT')).toMatchObject({ staleEvents: 1, resyncs: 0, gaps: 0 });
  });

  it('a constant skew never marks the book stale (docs/faults.md 32)', async () => {
    const clock = new ManualClock();
    const { stream, changes, event } = await lagStream(clock);
    for (let i = 0; i < 20; i++) await event(3_000 + (i % 3) * 20);
    expect(stream.clockOffsetMs).toBe(3_000);
    expect(stream.status('BTC/USDT')?.state).toBe('live');
    expect(changes.some((c) => c.state === 'stale')).toBe(false);
  });

  it('partial depth has no E: never judged for lag', async () => {
    const clock = new ManualClock();
    const { stream, server } = await lagStream(clock, { mode: 'partial', depth: 5 });
    for (let id = 1; id <= 5; id++) {
      clock.advance(100);
      server
        .open()[0]!
        .send(
          `{"stream":"btcusdt@depth5@100ms","data":${partialData(id, [['4.0', '1.0']], [['4.1', '1.0']])}}`,
        );
      await waitFor(() => stream.book('BTC/USDT')?.sequence === id, 3_000, `partial ${id}`);
    }
    expect(stream.status('BTC/USDT')?.state).toBe('live');
    expect(stream.lagMs('BTC/USDT')).toBeUndefined();
    expect(stream.clockOffsetMs).toBeUndefined();
  });

  it('defaults maxLagMs to min(staleAfterMs, 1000), judged on the event just applied', async () => {
    const clock = new ManualClock();
    const { stream, event } = await lagStream(clock, { maxLagMs: undefined, staleAfterMs: 300 });
    await event(0);
    await event(300);
    expect(stream.status('BTC/USDT')?.state).toBe('live');
    expect(stream.lagMs('BTC/USDT')).toBe(300);
    await event(301);
    expect(stream.status('BTC/USDT')?.reason).toMatch(/^lagging 301 ms behind the exchange \(max 300 ms/);
  });
});
