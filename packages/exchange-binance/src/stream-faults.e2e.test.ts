import { MALFORMED_KINDS } from '@arbitrage/simulator';
import { afterEach, describe, expect, it } from 'vitest';
import { type SimHarness, simHarness, sleep, statesOf, waitFor } from './test-support/sim-harness.js';

let h: SimHarness | undefined;

afterEach(async () => {
  await h?.stop();
  h = undefined;
});

async function liveHarness(
  symbols: readonly string[],
  options?: Parameters<typeof simHarness>[1],
): Promise<SimHarness> {
  h = await simHarness(symbols, options);
  await h.stream.start();
  h.drive();
  await h.waitLive();
  return h;
}

describe('BinanceOrderBookStream: feed faults', () => {
  it('duplicates are dropped and counted, without a resync (docs/faults.md 8)', async () => {
    const h = await liveHarness(['BTC/USDT']);
    h.sim.faults.duplicateMessages('binance', 'BTCUSDT', 3);
    await waitFor(() => (h.stream.counters('BTC/USDT')?.droppedStale ?? 0) >= 3, 3_000, 'duplicates dropped');
    expect(h.stream.counters('BTC/USDT')?.resyncs).toBe(0);
    expect(statesOf(h.changes, 'BTC/USDT')).toEqual(['live']);
    const { local, truth } = await h.expectBooksEqual('BTC/USDT');
    expect(local).toEqual(truth);
  });

  it('a reordered pair is a gap: resync, then the true book (docs/faults.md 9)', async () => {
    const h = await liveHarness(['BTC/USDT']);
    h.sim.faults.reorderMessages('binance', 'BTCUSDT');
    await waitFor(() => (h.stream.counters('BTC/USDT')?.gaps ?? 0) >= 1, 3_000, 'gap');
    await h.waitLive();
    expect(statesOf(h.changes, 'BTC/USDT')).toEqual(['live', 'resyncing', 'live']);
    const { local, truth } = await h.expectBooksEqual('BTC/USDT');
    expect(local).toEqual(truth);
  });

  it('a crossed delta resyncs; a persistently crossed book halts the symbol (docs/faults.md 26)', async () => {
    const h = await liveHarness(['BTC/USDT', 'ETH/USDT']);
    const errors: string[] = [];
    h.stream.onError((error) => errors.push(error.code));
    const updates: string[] = [];
    h.stream.onUpdate((book) => {
      if (book.book.isCrossed()) updates.push(`crossed ${book.symbol}`);
    });
    h.sim.faults.crossBook('binance', 'BTCUSDT');
    await waitFor(() => (h.stream.counters('BTC/USDT')?.crossed ?? 0) >= 1, 3_000, 'crossed');
    await h.waitLive();
    expect(errors).toContain('BOOK_CROSSED');
    expect(statesOf(h.changes, 'BTC/USDT')).toEqual(['live', 'resyncing', 'live']);

    const persistent = h.sim.faults.crossBook('binance', 'ETHUSDT', { persist: true });
    await waitFor(() => h.stream.status('ETH/USDT')?.state === 'failed', 3_000, 'halted');
    expect(h.stream.status('ETH/USDT')?.reason).toMatch(/halted: book crossed/);
    expect(errors).toContain('BOOK_HALTED');
    expect(updates).toEqual([]);
    persistent.clear();
    await h.waitLive(['ETH/USDT']);
  });

  it.each(MALFORMED_KINDS)(
    'a malformed frame (%s) is counted, never applied, and the symbol heals (docs/faults.md 27)',
    async (kind) => {
      const h = await liveHarness(['BTC/USDT']);
      const errors: string[] = [];
      h.stream.onError((error) => errors.push(error.code));
      h.sim.faults.sendMalformed('binance', kind, { symbol: 'BTCUSDT' });
      // Invalid UTF-8 too: ws does not validate (the parser reads bytes), so it is one bad message
      // like the others, not a protocol error that would drop the connection and resync everything.
      await waitFor(
        () => (h.stream.counters('BTC/USDT')?.invalidMessages ?? 0) >= 1,
        3_000,
        'invalid counted',
      );
      expect(errors).toContain('MESSAGE_INVALID');
      expect(errors).not.toContain('WS_PROTOCOL_VIOLATION');
      await h.waitLive();
      const { local, truth } = await h.expectBooksEqual('BTC/USDT');
      expect(local).toEqual(truth);
    },
  );
});

describe('BinanceOrderBookStream: snapshot faults', () => {
  it('429 then 418 with Retry-After: stale, no REST call until it expires, then live (docs/faults.md 14)', async () => {
    h = await simHarness(['BTC/USDT']);
    h.sim.faults.restFault('binance', { path: '/api/v3/depth', status: 429, retryAfterS: 1, count: 1 });
    await h.stream.start();
    h.drive();
    await waitFor(() => h!.exchange.rest().blockedUntil > 0, 3_000, '429');
    await waitFor(() => h!.stream.status('BTC/USDT')?.state === 'stale', 2_000, 'stale');
    expect(h.stream.status('BTC/USDT')?.reason).toMatch(/rate limited by binance \(429\)/);
    const sent = h.exchange.rest().requestsSent;
    const blockedUntil = h.exchange.rest().blockedUntil;
    // Nothing is sent while blocked (bound: the Retry-After second).
    while (Date.now() < blockedUntil - 50) {
      expect(h.exchange.rest().requestsSent).toBe(sent);
      await sleep(20);
    }
    h.sim.faults.restFault('binance', { path: '/api/v3/depth', status: 418, retryAfterS: 1, count: 1 });
    await waitFor(() => h!.exchange.rest().requestsSent > sent, 3_000, 'next request after Retry-After');
    await waitFor(() => h!.exchange.rest().blockedUntil > 0, 3_000, '418');
    const afterBan = h.exchange.rest().requestsSent;
    await sleep(500);
    expect(h.exchange.rest().requestsSent).toBe(afterBan);
    await h.waitLive(undefined, 5_000);
    const { local, truth } = await h.expectBooksEqual('BTC/USDT');
    expect(local).toEqual(truth);
  });

  it('a hanging snapshot request times out and is retried (docs/faults.md 15)', async () => {
    h = await simHarness(['BTC/USDT'], { exchange: { restTimeoutMs: 200, rest: { attempts: 1 } } });
    h.sim.faults.restFault('binance', { path: '/api/v3/depth', hang: true, count: 1 });
    const errors: string[] = [];
    h.stream.onError((error) => errors.push(error.code));
    await h.stream.start();
    h.drive();
    await h.waitLive();
    expect(errors).toContain('TIMEOUT');
  });

  it('a snapshot request failing with 5xx is retried with backoff', async () => {
    h = await simHarness(['BTC/USDT']);
    h.sim.faults.restFault('binance', { path: '/api/v3/depth', status: 503, count: 4 });
    await h.stream.start();
    h.drive();
    await h.waitLive();
    expect(h.exchange.rest().requestsSent).toBeGreaterThanOrEqual(5);
  });
});
