import { waitFor } from '@arbitrage/test-support';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type SimHarness, simHarness, sleep } from './test-support/sim-harness.js';

let harness: SimHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

/** Every symbol live, then only BTC updates (every 20 ms): the others fall silent while it flows. */
async function liveThenOnlyBtcFlows(symbols: string[]) {
  harness = await simHarness(symbols);
  const { sim, stream } = harness;
  await stream.start();
  harness.drive();
  await harness.waitLive();
  harness.pauseDriving();
  const driver = setInterval(() => sim.market.stepBinance(1, ['BTCUSDT']), 20);
  return { sim, stream, driver };
}

describe('silent streams while others flow', () => {
  it('are resubscribed together: one UNSUBSCRIBE and one SUBSCRIBE per connection, not a pair each', async () => {
    const symbols = ['BTC/USDT', 'ETH/USDT', 'XRP/USDT', 'SOL/USDT', 'DOGE/USDT'];
    const { sim, stream, driver } = await liveThenOnlyBtcFlows(symbols);
    try {
      const conn = stream.connectionClients()[0]!;
      const sentBefore = conn.counters.sent;
      // staleAfterMs is 200: the four quiet streams are silent for 2× that within half a second, again
      // and again; each round is one pair of requests (plus heartbeat pings at 400 ms).
      await sleep(1_600);
      const sent = conn.counters.sent - sentBefore;
      expect(sent).toBeGreaterThanOrEqual(2);
      // One pair per round never piles up behind the 4 messages/s pace; a pair per stream would.
      expect(conn.pendingRequests).toBeLessThanOrEqual(2);
      expect(sim.limitHits()).toEqual({});
      expect(sim.connections('binance')[0]!.subscriptions).toHaveLength(symbols.length);
    } finally {
      clearInterval(driver);
    }
  }, 15_000);
});

describe('a stream that stays silent after being asked for again', () => {
  it('is asked for at doubling intervals, not every two stale periods, and from the start again once it speaks', async () => {
    const { sim, stream, driver } = await liveThenOnlyBtcFlows(['BTC/USDT', 'ETH/USDT']);
    try {
      const conn = stream.connectionClients()[0]!;
      const askedAt: number[] = [];
      const original = conn.resubscribe.bind(conn);
      vi.spyOn(conn, 'resubscribe').mockImplementation((streams) => {
        askedAt.push(Date.now());
        return original(streams);
      });
      // staleAfterMs 200: asked for after 400 ms of silence, then 800 and 1,600 ms after each ask
      // (lower bounds: a loaded machine only makes the sweeps later).
      await sleep(3_400);
      expect(askedAt.length).toBeGreaterThanOrEqual(2);
      expect(askedAt.length).toBeLessThanOrEqual(3);
      expect(askedAt[1]! - askedAt[0]!).toBeGreaterThanOrEqual(800);
      if (askedAt.length === 3) expect(askedAt[2]! - askedAt[1]!).toBeGreaterThanOrEqual(1_600);
      // ETH speaks: its next silence is asked for after the first wait again, not 3.2 s after the last ask.
      sim.market.stepBinance(1, ['ETHUSDT']);
      const spokeAt = Date.now();
      askedAt.length = 0;
      await waitFor(() => askedAt.length > 0, 2_500, 'an ask after the next silence');
      expect(askedAt[0]! - spokeAt).toBeGreaterThanOrEqual(400);
      expect(sim.limitHits()).toEqual({});
    } finally {
      clearInterval(driver);
    }
  }, 15_000);
});

describe('a quiet symbol whose snapshot is newer than every buffered event', () => {
  it('takes a fresh snapshot rather than wait minutes for the event that continues it', async () => {
    harness = await simHarness(['BTC/USDT', 'ETH/USDT']);
    const { sim, stream } = harness;
    // ETH's one event lands while its snapshot is on the way, and the snapshot includes it: the book
    // waits for a continuing event (docs/faults.md 11) that this quiet market never sends.
    sim.faults.restFault('binance', { path: '/api/v3/depth', delayMs: 300, count: 2 });
    await stream.start();
    const driver = setInterval(() => sim.market.stepBinance(1, ['BTCUSDT']), 20);
    try {
      await sleep(150);
      sim.market.stepBinance(1, ['ETHUSDT']);
      await harness.waitLive(['ETH/USDT'], 3_000);
      expect(stream.book('ETH/USDT')?.sequence).toBe(sim.market.binanceBook('ETHUSDT').lastUpdateId);
      expect(sim.limitHits()).toEqual({});
    } finally {
      clearInterval(driver);
    }
  }, 15_000);
});
