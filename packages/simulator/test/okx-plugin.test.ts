import {
  createOkxExchange,
  fallbackMarkets,
  type OkxExchange,
  type OkxOrderBookStream,
  OkxSubscriptionError,
} from '@arbitrage/exchange-okx';
import { waitFor } from '@arbitrage/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../src/index.js';
import { simulator } from './helpers.js';

// The OKX plugin (@arbitrage/exchange-okx) against the simulator: its books must equal the true
// books at the same seqId, with and without the snapshot push, and after OKX's sequence faults.

const BTC = 'BTC/USDT';
let running: { exchange: OkxExchange; stream: OkxOrderBookStream } | undefined;

afterEach(async () => {
  await running?.stream.stop();
  await running?.exchange.close();
  running = undefined;
});

async function pluginStream(sim: Simulator): Promise<OkxOrderBookStream> {
  const exchange = createOkxExchange({
    restUrl: sim.okx.restUrl,
    wsUrl: `${sim.okx.wsUrl}/ws/v5/public`,
    snapshots: { minIntervalMs: 0 },
  });
  await exchange.loadMarkets();
  expect(exchange.marketsSource).toBe('exchange');
  const stream = exchange.createOrderBookStream({
    symbols: [BTC, 'ETH/USDT'],
    depth: 400,
    subscribeIntervalMs: 10,
    sync: { snapshotBackoff: { baseMs: 20, capMs: 100, jitter: 0 } },
  });
  running = { exchange, stream };
  await stream.start();
  await waitFor(() => stream.status(BTC)?.state === 'live', 8_000, 'BTC/USDT live');
  return stream;
}

/** Pauses the market and waits for the plugin's book to reach the true seqId; retried while it resyncs. */
async function expectSameBook(sim: Simulator, stream: OkxOrderBookStream): Promise<void> {
  await waitFor(() => stream.status(BTC)?.state === 'live', 4_000, 'the plugin live');
  for (let attempt = 1; ; attempt++) {
    sim.market.pause();
    const truth = sim.market.okxBook('BTC-USDT');
    try {
      await waitFor(
        () => stream.status(BTC)?.state === 'live' && stream.book(BTC)?.sequence === truth.seqId,
        4_000,
        'the plugin to reach the paused seqId',
      );
      const live = stream.book(BTC)!;
      expect(live.book.top('bid', 100)).toEqual(truth.bids.slice(0, 100));
      expect(live.book.top('ask', 100)).toEqual(truth.asks.slice(0, 100));
      sim.market.resume();
      return;
    } catch (error) {
      if (attempt === 3) throw error;
      sim.market.resume();
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

describe('OKX plugin against the simulator', () => {
  for (const snapshotPush of [true, false]) {
    it(`keeps the true book with snapshotPush ${snapshotPush ? 'on' : 'off'}, and recovers from gaps, resets and resent snapshots`, async () => {
      const sim = await simulator({ autoStart: true, okx: { updatesPerSecond: 20, snapshotPush } });
      const stream = await pluginStream(sim);
      await expectSameBook(sim, stream);
      // With the push the books need no REST request at all; without it, one each.
      if (snapshotPush) expect(stream.stats.snapshotPushes).toBeGreaterThan(0);
      else expect(stream.stats.snapshotPushes).toBe(0);
      expect(running!.exchange.scheduler.started).toBe(snapshotPush ? 0 : 2);

      const gapsBefore = stream.counters(BTC)!.gaps;
      sim.faults.skipUpdates('okx', 'BTC-USDT', 1);
      await waitFor(() => stream.counters(BTC)!.gaps > gapsBefore, 4_000, 'the gap to be seen');
      await expectSameBook(sim, stream);

      const resyncs = stream.counters(BTC)!.resyncs;
      const before = sim.market.okxBook('BTC-USDT').seqId;
      sim.faults.resetSequence('okx', 'BTC-USDT');
      await expectSameBook(sim, stream);
      expect(stream.book(BTC)!.sequence).toBeLessThan(before);
      // A linked reset is followed, not resynced (E7).
      expect(stream.counters(BTC)!.resyncs).toBe(resyncs);

      // A snapshot push mid-stream is the whole book: taken, and the stream goes on from it.
      const pushes = stream.stats.snapshotPushes;
      expect(sim.faults.resendSnapshot('okx', 'BTC-USDT')).toBe(1);
      await waitFor(() => stream.stats.snapshotPushes > pushes, 4_000, 'the resent snapshot');
      await expectSameBook(sim, stream);
      expect(stream.counters(BTC)!.resyncs).toBe(resyncs);
    }, 40_000);
  }

  it('one unknown instrument in a batched subscribe fails alone; the others go live', async () => {
    const sim = await simulator({ autoStart: true, okx: { updatesPerSecond: 20 } });
    const exchange = createOkxExchange({
      restUrl: sim.okx.restUrl,
      wsUrl: `${sim.okx.wsUrl}/ws/v5/public`,
      markets: [
        ...fallbackMarkets(),
        { exchange: 'okx', symbol: 'NOPE/USDT', nativeSymbol: 'NOPE-USDT', base: 'NOPE', quote: 'USDT' },
      ],
    });
    const stream = exchange.createOrderBookStream({
      symbols: [BTC, 'NOPE/USDT', 'ETH/USDT'],
      subscribeBackoff: { baseMs: 5_000, capMs: 5_000, jitter: 0 },
    });
    running = { exchange, stream };
    const errors: Error[] = [];
    stream.onError((error) => errors.push(error));
    await stream.start();
    await waitFor(
      () => stream.status(BTC)?.state === 'live' && stream.status('ETH/USDT')?.state === 'live',
      8_000,
      'BTC and ETH live',
    );
    await waitFor(() => stream.status('NOPE/USDT')?.state === 'failed', 4_000, 'NOPE failed');
    const refusal = errors.find((e) => e instanceof OkxSubscriptionError) as OkxSubscriptionError;
    expect(refusal.instruments).toEqual(['NOPE-USDT']);
    expect(refusal.exchangeCode).toBe('60018');
    expect(stream.connectionCounters.opens).toBe(1);
  }, 20_000);
});
