import { afterEach, describe, expect, it } from 'vitest';
import { type SimHarness, simHarness, sleep, waitFor } from './test-support/sim-harness.js';

let h: SimHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

function resources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

describe('BinanceOrderBookStream lifecycle', () => {
  it('stop() leaves no socket, timer or server-side connection behind', async () => {
    const baseline = resources();
    h = await simHarness(['BTC/USDT', 'ETH/USDT']);
    // The simulator's listening servers are not the stream's to close.
    const simulatorServers = (resources().TCPServerWrap ?? 0) - (baseline.TCPServerWrap ?? 0);
    await h.stream.start();
    h.drive();
    await h.waitLive();
    // A snapshot and a retry timer in flight at stop time are cleaned up too.
    h.sim.faults.skipUpdates('binance', 'BTCUSDT', 1);
    await sleep(30);
    h.pauseDriving();
    await h.stream.stop();
    h.exchange.rest().close();
    await waitFor(() => h!.sim.connections('binance').length === 0, 2_000, 'server-side close');
    await sleep(50);
    const after = resources();
    expect(after.TCPServerWrap ?? 0).toBe((baseline.TCPServerWrap ?? 0) + simulatorServers);
    expect(after.TCPSocketWrap ?? 0).toBe(baseline.TCPSocketWrap ?? 0);
    expect(after.Timeout ?? 0).toBeLessThanOrEqual(baseline.Timeout ?? 0);
    expect(Object.keys(after).sort()).toEqual(
      Object.keys({ ...baseline, TCPServerWrap: 0 })
        .filter((k) => k in after)
        .sort(),
    );
    for (const symbol of ['BTC/USDT', 'ETH/USDT']) expect(h.stream.status(symbol)?.state).toBe('down');
  });

  it('a mass resync after a drop staggers snapshots: never more than maxConcurrent in flight (docs/faults.md 16)', async () => {
    const symbols = ['BTC/USDT', 'ETH/USDT', 'XRP/USDT', 'SOL/USDT', 'DOGE/USDT'];
    h = await simHarness(symbols, { exchange: { snapshots: { minIntervalMs: 20, maxConcurrent: 2 } } });
    h.sim.faults.restFault('binance', { path: '/api/v3/depth', delayMs: 40 });
    await h.stream.start();
    h.drive();
    await h.waitLive();
    h.sim.faults.dropConnections('binance');
    await waitFor(() => symbols.every((s) => h!.stream.status(s)?.state !== 'live'), 2_000, 'down');
    await h.waitLive(symbols, 8_000);
    expect(h.exchange.scheduler.peakConcurrent).toBe(2);
    expect(h.exchange.scheduler.started).toBe(10);
  });

  it('partial mode: depth5 snapshots, live, equal to the true top 5', async () => {
    h = await simHarness(['BTC/USDT'], { stream: { mode: 'partial', depth: 5 } });
    await h.stream.start();
    h.drive();
    await h.waitLive();
    expect(h.sim.connections('binance')[0]?.subscriptions).toEqual(['btcusdt@depth5@100ms']);
    h.pauseDriving();
    const truth = h.sim.market.binanceBook('BTCUSDT', 5);
    await waitFor(() => h!.stream.book('BTC/USDT')?.sequence === truth.lastUpdateId, 2_000, 'last partial');
    const book = h.stream.book('BTC/USDT')!.book;
    expect(book.top('bid', 10)).toEqual(truth.bids);
    expect(book.top('ask', 10)).toEqual(truth.asks);
    expect(h.exchange.rest().requestsSent).toBe(1);
  });

  it('emits updates only for live books, and the LiveBook snapshot matches the book', async () => {
    h = await simHarness(['BTC/USDT']);
    const seen: string[] = [];
    h.stream.onUpdate((book) => seen.push(h!.stream.status(book.symbol)?.state ?? 'none'));
    await h.stream.start();
    h.drive();
    await h.waitLive();
    h.sim.faults.skipUpdates('binance', 'BTCUSDT', 1);
    await waitFor(() => (h!.stream.counters('BTC/USDT')?.gaps ?? 0) === 1, 2_000, 'gap');
    await h.waitLive();
    await sleep(50);
    expect(seen.length).toBeGreaterThan(2);
    expect(new Set(seen)).toEqual(new Set(['live']));
    const live = h.stream.book('BTC/USDT')!;
    const snapshot = live.snapshot(5);
    expect(snapshot).toMatchObject({
      exchange: 'binance',
      symbol: 'BTC/USDT',
      nativeSymbol: 'BTCUSDT',
      source: 'ws',
    });
    expect(snapshot.bids.length).toBe(5);
  });
});
