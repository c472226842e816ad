import { afterEach, describe, expect, it } from 'vitest';
import { type SimHarness, simHarness, sleep, statesOf, waitFor } from './test-support/sim-harness.js';

let h: SimHarness | undefined;

afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('BinanceOrderBookStream against the simulator', () => {
  it('syncs diff-depth books that equal the true books', async () => {
    h = await simHarness(['BTC/USDT', 'ETH/USDT']);
    await h.stream.start();
    h.drive();
    await h.waitLive();
    for (const symbol of ['BTC/USDT', 'ETH/USDT']) {
      const { local, truth } = await h.expectBooksEqual(symbol);
      expect(local).toEqual(truth);
      h.drive();
    }
    expect(statesOf(h.changes, 'BTC/USDT')).toEqual(['live']);
  });

  it('gap → resyncing at once → live again with the true book (docs/faults.md 7)', async () => {
    h = await simHarness(['BTC/USDT']);
    await h.stream.start();
    h.drive();
    await h.waitLive();
    h.sim.faults.skipUpdates('binance', 'BTCUSDT', 1);
    await waitFor(() => (h!.stream.counters('BTC/USDT')?.gaps ?? 0) >= 1, 3_000, 'a gap');
    await h.waitLive();
    expect(statesOf(h.changes, 'BTC/USDT')).toEqual(['live', 'resyncing', 'live']);
    const { local, truth } = await h.expectBooksEqual('BTC/USDT');
    expect(local).toEqual(truth);
  });
});

describe('BinanceOrderBookStream: connection faults', () => {
  it('stall → stale → reconnect → live (docs/faults.md 5)', async () => {
    h = await simHarness(['BTC/USDT', 'ETH/USDT']);
    await h.stream.start();
    h.drive();
    await h.waitLive();
    const stall = h.sim.faults.stallStream('binance');
    await waitFor(() => h!.stream.status('BTC/USDT')?.state === 'stale', 2_000, 'stale');
    expect(h.stream.status('BTC/USDT')?.reason).toMatch(/no update for \d+ ms/);
    // Nothing at all on the connection for 2 F: it is dropped and re-dialled; the stall stays behind.
    await waitFor(
      () => h!.sim.connections('binance').length === 1 && h!.stream.status('BTC/USDT')?.state !== 'stale',
      3_000,
      'reconnect',
    );
    stall.clear();
    await h.waitLive();
    const states = statesOf(h.changes, 'BTC/USDT');
    expect(states[0]).toBe('live');
    expect(states).toContain('stale');
    expect(states.at(-1)).toBe('live');
    expect(h.stream.counters('BTC/USDT')?.staleEvents).toBeGreaterThanOrEqual(1);
    const { local, truth } = await h.expectBooksEqual('BTC/USDT');
    expect(local).toEqual(truth);
  });

  it('drop → down at once → reconnect with the subscriptions replayed once → live (docs/faults.md 2, 20)', async () => {
    h = await simHarness(['BTC/USDT', 'ETH/USDT', 'XRP/USDT']);
    await h.stream.start();
    h.drive();
    await h.waitLive();
    expect(h.sim.faults.dropConnections('binance')).toBe(1);
    await waitFor(() => h!.stream.status('BTC/USDT')?.state !== 'live', 2_000, 'down');
    expect(h.stream.status('BTC/USDT')?.state).toBe('down');
    expect(h.stream.book('BTC/USDT')?.book.depth('bid')).toBe(0);
    await h.waitLive();
    const [server] = h.sim.connections('binance');
    expect([...(server?.subscriptions ?? [])].sort()).toEqual([
      'btcusdt@depth@100ms',
      'ethusdt@depth@100ms',
      'xrpusdt@depth@100ms',
    ]);
    expect(server?.combined).toBe(true);
    const [client] = h.stream.connectionClients();
    expect(client?.counters.opens).toBe(2);
    expect(statesOf(h.changes, 'BTC/USDT')).toEqual(['live', 'down', 'resyncing', 'live']);
    const { local, truth } = await h.expectBooksEqual('XRP/USDT');
    expect(local).toEqual(truth);
  });

  it('serverShutdown → replacement synced, then the old connection closed: never stale (docs/faults.md 22)', async () => {
    h = await simHarness(['BTC/USDT', 'ETH/USDT']);
    await h.stream.start();
    h.drive();
    await h.waitLive();
    const before = h.changes.length;
    expect(h.sim.faults.serverShutdown({ closeAfterMs: 2_000 })).toBe(1);
    await waitFor(() => h!.stream.rotations === 1, 3_000, 'rotation');
    await waitFor(() => h!.sim.connections('binance').length === 1, 3_000, 'old connection closed');
    // No state change at all: both books stayed live through the switch.
    expect(h.changes.slice(before)).toEqual([]);
    const [server] = h.sim.connections('binance');
    expect([...(server?.subscriptions ?? [])].sort()).toEqual(['btcusdt@depth@100ms', 'ethusdt@depth@100ms']);
    const { local, truth } = await h.expectBooksEqual('ETH/USDT');
    expect(local).toEqual(truth);
  });

  it('keeps the working connection when its replacement cannot open, and tries again later', async () => {
    h = await simHarness(['BTC/USDT'], { stream: { rotationTimeoutMs: 300 } });
    await h.stream.start();
    h.drive();
    await h.waitLive();
    h.sim.faults.refuseConnections('binance', 500, { mode: 'http-503' });
    h.stream.rotateConnections('test');
    await sleep(400);
    expect(h.stream.rotations).toBe(0);
    expect(h.stream.connections).toBe(1);
    await waitFor(() => h!.stream.rotations === 1, 3_000, 'rotation after the refusal ended');
    expect(statesOf(h.changes, 'BTC/USDT')).toEqual(['live']);
    const { local, truth } = await h.expectBooksEqual('BTC/USDT');
    expect(local).toEqual(truth);
  });

  it('replaces a connection before its age limit the same way (24 h cut-off, test-scaled)', async () => {
    h = await simHarness(['BTC/USDT'], { stream: { maxConnectionAgeMs: 400 } });
    await h.stream.start();
    h.drive();
    await h.waitLive();
    await waitFor(() => h!.stream.rotations >= 2, 5_000, 'two rotations');
    expect(statesOf(h.changes, 'BTC/USDT')).toEqual(['live']);
    expect(h.sim.connections('binance').length).toBeLessThanOrEqual(2);
  });
});
