import type { OrderBookSnapshot } from '@arbitrage/core';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketMarketDataProvider } from '../src/index.js';
import { type Harness, STALE_AFTER_MS, startHarness, waitFor } from './support/harness.js';

let h: Harness | undefined;
let provider: WebSocketMarketDataProvider | undefined;

afterEach(async () => {
  await provider?.stop();
  provider = undefined;
  await h?.stop();
  h = undefined;
});

describe('health and the book it vouches for (issue 12, 3a)', () => {
  it('after a Binance gap and resync, a listener hearing live reads the rebuilt book, not the one from before', async () => {
    h = await startHarness();
    const p = new WebSocketMarketDataProvider({
      exchanges: [h.binance],
      symbols: ['binance:BTC/USDT'],
      staleAfterMs: STALE_AFTER_MS,
      depth: 10,
    });
    provider = p;
    const readOnLive: Array<OrderBookSnapshot | undefined> = [];
    const firstUpdateAfterLive: OrderBookSnapshot[] = [];
    let wantUpdate = false;
    p.onHealthChange((health) => {
      if (health.state !== 'live') return;
      readOnLive.push(p.getLatestSnapshot('binance:BTC/USDT'));
      wantUpdate = true;
    });
    p.onSnapshot((snapshot) => {
      if (!wantUpdate) return;
      wantUpdate = false;
      firstUpdateAfterLive.push(snapshot);
    });
    await p.start();
    await waitFor(
      () => readOnLive.length === 1 && firstUpdateAfterLive.length === 1,
      5_000,
      () => 'first live',
    );
    const beforeGap = p.getLatestSnapshot('binance:BTC/USDT')!.sequence!;
    h.sim.faults.skipUpdates('binance', 'BTCUSDT', 1);
    await waitFor(
      () => readOnLive.length === 2,
      5_000,
      () => 'live again after the resync',
    );
    const onLive = readOnLive[1]!;
    // The book a listener reads on `live` is the rebuilt one, past the gap: the very book emitted
    // with the announcement, never the one (or the sequence) from before the gap.
    expect(onLive.sequence).toBeGreaterThan(beforeGap + 1);
    await waitFor(
      () => firstUpdateAfterLive.length === 2,
      5_000,
      () => 'the update emitted with live',
    );
    expect(firstUpdateAfterLive[1]!.sequence).toBe(onLive.sequence);
    expect(firstUpdateAfterLive[1]!.bids).toEqual(onLive.bids);
    expect(p.health().instruments['binance:BTC/USDT']?.counters.resyncs).toBeGreaterThanOrEqual(1);
  });
});
