import { afterEach, describe, expect, it } from 'vitest';
import { type SimHarness, simHarness, sleep } from './test-support/sim-harness.js';

let harness: SimHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

describe('silent streams while others flow', () => {
  it('are resubscribed together: one UNSUBSCRIBE and one SUBSCRIBE per connection, not a pair each', async () => {
    const symbols = ['BTC/USDT', 'ETH/USDT', 'XRP/USDT', 'SOL/USDT', 'DOGE/USDT'];
    harness = await simHarness(symbols);
    const { sim, stream } = harness;
    await stream.start();
    harness.drive();
    await harness.waitLive();
    harness.pauseDriving();
    const driver = setInterval(() => sim.market.stepBinance(1, ['BTCUSDT']), 20);
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
