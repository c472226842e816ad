import { ManualClock } from '@arbitrage/core';
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

/** Timing logic on a ManualClock (frames still travel over a real loopback socket). */
describe('UpbitOrderBookStream timing', () => {
  it('stale after staleAfterMs, first resubscribe one period later, then backing off to the cap', async () => {
    const clock = new ManualClock();
    server = await UpbitTestServer.start({
      books: new Map([['KRW-BTC', { units: btcUnits(5), timestamp: 1 }]]),
    });
    stream = new UpbitOrderBookStream({
      mapper: new UpbitSymbolMapper(),
      symbols: ['BTC/KRW'],
      url: server.url,
      clock,
      keepalive: false,
      staleAfterMs: 200,
      maxResubscribeDelayMs: 500,
      minResubscribeIntervalMs: 20,
    });
    await stream.start();
    await waitFor(() => stream!.status('BTC/KRW')?.state === 'live');
    const t0 = clock.now();
    server.silent.add('KRW-BTC');
    const requestsAt = async (offset: number): Promise<number> => {
      clock.advanceTo(t0 + offset);
      await new Promise((resolve) => setTimeout(resolve, 30));
      return server!.last!.subscriptions.length;
    };
    expect(await requestsAt(199)).toBe(1);
    expect(stream.status('BTC/KRW')!.state).toBe('live');
    expect(await requestsAt(200)).toBe(1);
    expect(stream.status('BTC/KRW')!.state).toBe('stale');
    expect(stream.status('BTC/KRW')!.since).toBe(t0 + 200);
    // Resubscribes at +400 (one period after going stale), then 400, 500 (the cap), 500 ms apart.
    expect(await requestsAt(399)).toBe(1);
    expect(await requestsAt(400)).toBe(2);
    expect(await requestsAt(799)).toBe(2);
    expect(await requestsAt(800)).toBe(3);
    expect(await requestsAt(1_299)).toBe(3);
    expect(await requestsAt(1_300)).toBe(4);
    expect(await requestsAt(1_799)).toBe(4);
    expect(await requestsAt(1_800)).toBe(5);
    expect(stream.stats.resubscribes).toBe(4);
    expect(stream.counters('BTC/KRW')!.staleEvents).toBe(1);
    // The market answers again: live, and the backoff starts over.
    server.silent.delete('KRW-BTC');
    expect(await requestsAt(2_300)).toBe(6);
    await waitFor(() => stream!.status('BTC/KRW')?.state === 'live');
  });

  it('a code with no frame within subscribeTimeoutMs of the subscription is failed, exactly then', async () => {
    const clock = new ManualClock();
    server = await UpbitTestServer.start({
      books: new Map([['KRW-BTC', { units: btcUnits(5), timestamp: 1 }]]),
    });
    stream = new UpbitOrderBookStream({
      mapper: new UpbitSymbolMapper(),
      symbols: ['BTC/KRW', 'ETH/KRW'],
      url: server.url,
      clock,
      keepalive: false,
      staleAfterMs: 60_000,
      subscribeTimeoutMs: 3_000,
    });
    await stream.start();
    await waitFor(() => stream!.status('BTC/KRW')?.state === 'live');
    const opened = clock.now();
    clock.advance(2_999);
    expect(stream.status('ETH/KRW')!.state).toBe('connecting');
    clock.advance(1);
    expect(stream.status('ETH/KRW')).toEqual({
      state: 'failed',
      since: opened + 3_000,
      reason: expect.stringContaining('within 3000 ms'),
    });
    expect(stream.status('BTC/KRW')!.state).toBe('live');
  });
});
