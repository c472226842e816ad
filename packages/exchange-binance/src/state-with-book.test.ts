import { type InstrumentState, ManualClock, type MarketInfo } from '@arbitrage/core';
import { waitFor } from '@arbitrage/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { createBinanceExchange } from './exchange.js';
import { diffFrame } from './test-support/frames.js';
import { startRestStub } from './test-support/rest-stub.js';
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

/** What a state listener saw of the book at the moment it heard each state. */
interface Heard {
  readonly state: InstrumentState;
  readonly sequence: number | undefined;
  readonly bestBidSize: number | undefined;
}

/**
 * A diff-mode stream against a scripted WebSocket server and a REST stub whose snapshots come from
 * `snapshots` in order (the last one repeats). Every state change is recorded with the book a
 * listener reads inside the callback, through the public API.
 */
async function streamWith(snapshots: number[], clock?: ManualClock, extra: Record<string, unknown> = {}) {
  const server = await startScriptedServer(() => 'ack');
  cleanup.push(() => server.close());
  let served = 0;
  const rest = await startRestStub(() => {
    const lastUpdateId = snapshots[Math.min(served++, snapshots.length - 1)]!;
    return {
      body: { lastUpdateId, bids: [['4.00000000', '1.00000000']], asks: [['4.10000000', '1.00000000']] },
    };
  });
  cleanup.push(() => rest.close());
  const exchange = createBinanceExchange({
    restUrl: rest.url,
    wsUrl: server.url,
    markets: [BTC],
    ...(clock ? { clock } : {}),
    snapshots: { minIntervalMs: 0, maxConcurrent: 1, taskTimeoutMs: 60_000 },
  });
  cleanup.push(() => exchange.close());
  const stream = exchange.createOrderBookStream({
    symbols: ['BTC/USDT'],
    ...TEST_TIMINGS,
    staleAfterMs: 60_000,
    ...extra,
  });
  const heard: Heard[] = [];
  stream.onStateChange((change) => {
    const snapshot = stream.book('BTC/USDT')?.snapshot();
    heard.push({ state: change.state, sequence: snapshot?.sequence, bestBidSize: snapshot?.bids[0]?.[1] });
  });
  await stream.start();
  await waitFor(() => server.open().length === 1, 3_000, 'connected');
  const send = (first: number, final: number, bidSize: number, eventTime = Date.now()) =>
    server.open()[0]!.send(
      diffFrame({
        symbol: 'BTCUSDT',
        eventTime,
        first,
        final,
        bids: [['4.00000000', `${bidSize}.00000000`]],
        asks: [],
      }),
    );
  return { stream, server, rest, heard, send };
}

describe('a state change and the book it vouches for are published together (3a)', () => {
  it('after a resync, a listener hearing live reads the rebuilt book at the sequence that made it live', async () => {
    const { stream, heard, send } = await streamWith([100, 200]);
    send(95, 101, 7);
    await waitFor(() => stream.book('BTC/USDT')?.sequence === 101, 3_000, 'live at 101');
    // A gap: U=150 where 102 was due. The book is rebuilt from the snapshot at 200; 199..201 bridges it.
    send(150, 150, 8);
    await waitFor(() => stream.status('BTC/USDT')?.state !== 'live', 3_000, 'resyncing');
    await waitFor(() => heard.some((h) => h.state === 'resyncing'), 3_000, 'heard resyncing');
    await waitFor(() => stream.counters('BTC/USDT')!.resyncs === 1, 3_000, 'resync');
    send(199, 201, 9);
    await waitFor(() => stream.status('BTC/USDT')?.state === 'live', 3_000, 'live again');
    const lives = heard.filter((h) => h.state === 'live');
    expect(lives.map((h) => h.sequence)).toEqual([101, 201]);
    expect(lives.at(-1)?.bestBidSize).toBe(9);
  });

  it('when a lagging feed catches up, live is announced with the event that ended the lag applied', async () => {
    const clock = new ManualClock();
    const { stream, heard, send } = await streamWith([100], clock, { maxLagMs: 500 });
    send(95, 101, 1, clock.now());
    await waitFor(() => stream.book('BTC/USDT')?.sequence === 101, 3_000, 'live');
    clock.advance(100);
    send(102, 102, 2, clock.now() - 900);
    await waitFor(() => stream.status('BTC/USDT')?.state === 'stale', 3_000, 'lagging');
    clock.advance(100);
    send(103, 103, 3, clock.now());
    await waitFor(() => stream.status('BTC/USDT')?.state === 'live', 3_000, 'caught up');
    const last = heard.at(-1)!;
    expect(last).toEqual({ state: 'live', sequence: 103, bestBidSize: 3 });
    expect(stream.lagMs('BTC/USDT')).toBe(0);
  });
});

describe('snapshot on the SUBSCRIBE ack (3b)', () => {
  it('a symbol that sends no diff at all is live from the snapshot alone', async () => {
    const { stream, heard, rest } = await streamWith([500]);
    await waitFor(() => stream.status('BTC/USDT')?.state === 'live', 3_000, 'live without an event');
    expect(heard.at(-1)).toEqual({ state: 'live', sequence: 500, bestBidSize: 1 });
    expect(rest.requests.filter((r) => r.path === '/api/v3/depth').length).toBe(1);
    expect(rest.requests[0]!.query.get('limit')).toBe('1000');
  });

  it('the first diff after it must continue it: an older one is dropped, a gap resyncs', async () => {
    const { stream, send } = await streamWith([500, 600]);
    await waitFor(() => stream.status('BTC/USDT')?.state === 'live', 3_000, 'live');
    send(490, 500, 5);
    send(501, 502, 6);
    await waitFor(() => stream.book('BTC/USDT')?.sequence === 502, 3_000, 'continued');
    expect(stream.counters('BTC/USDT')).toMatchObject({ droppedStale: 1, gaps: 0 });
    send(550, 551, 7);
    await waitFor(() => stream.counters('BTC/USDT')!.gaps === 1, 3_000, 'gap');
  });
});
