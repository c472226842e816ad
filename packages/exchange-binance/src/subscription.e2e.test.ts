import { type MarketInfo, systemClock } from '@arbitrage/core';
import { startSimulator } from '@arbitrage/simulator';
import { sleep, waitFor } from '@arbitrage/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { createBinanceExchange } from './exchange.js';
import type { BinanceOrderBookStream } from './order-book-stream.js';
import { startScriptedServer } from './test-support/scripted-server.js';
import { TEST_TIMINGS } from './test-support/sim-harness.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function market(base: string): MarketInfo {
  return { exchange: 'binance', symbol: `${base}/USDT`, nativeSymbol: `${base}USDT`, base, quote: 'USDT' };
}

async function streamOn(
  wsUrl: string,
  symbols: string[],
  extra: Record<string, unknown> = {},
): Promise<BinanceOrderBookStream> {
  const exchange = createBinanceExchange({
    restUrl: 'http://127.0.0.1:9',
    wsUrl,
    markets: symbols.map((symbol) => market(symbol.split('/')[0]!)),
    clock: systemClock,
  });
  cleanup.push(() => exchange.close());
  return exchange.createOrderBookStream({ symbols, ...TEST_TIMINGS, ...extra });
}

describe('SUBSCRIBE: ids, acks and failures (docs/faults.md 19)', () => {
  it('a missing ack fails those symbols with the reason and retries with backoff', async () => {
    const server = await startScriptedServer((_request) => 'ignore');
    cleanup.push(() => server.close());
    const stream = await streamOn(server.url, ['BTC/USDT', 'ETH/USDT'], {
      connection: { ...TEST_TIMINGS.connection, ackTimeoutMs: 150 },
    });
    const errors: string[] = [];
    stream.onError((error) => errors.push(error.code));
    await stream.start();
    await waitFor(() => stream.status('BTC/USDT')?.state === 'failed', 2_000, 'failed');
    expect(stream.status('BTC/USDT')?.reason).toMatch(/SUBSCRIBE failed: no reply within 150 ms; retrying/);
    expect(errors).toContain('SUBSCRIBE_FAILED');
    await waitFor(() => (server.connections[0]?.requests.length ?? 0) >= 2, 2_000, 'a retry');
    const [first, second] = server.connections[0]!.requests;
    expect(first?.method).toBe('SUBSCRIBE');
    expect(first?.params).toEqual(['btcusdt@depth@100ms', 'ethusdt@depth@100ms']);
    expect(second?.params).toEqual(first?.params);
    expect(second?.id).not.toBe(first?.id);
    expect(server.connections[0]?.path).toBe('/stream');
    await stream.stop();
  });

  it.each(['error-nested', 'error-flat'] as const)(
    'an error reply (%s) fails the symbols and names the exchange error',
    async (shape) => {
      let calls = 0;
      const server = await startScriptedServer(() => (++calls === 1 ? shape : 'ack'));
      cleanup.push(() => server.close());
      const stream = await streamOn(server.url, ['BTC/USDT']);
      const states: string[] = [];
      stream.onStateChange((change) => states.push(`${change.state}:${change.reason ?? ''}`));
      await stream.start();
      await waitFor(() => states.some((s) => s.startsWith('failed')), 2_000, 'failed');
      expect(states.find((s) => s.startsWith('failed'))).toMatch(
        /Binance error 2: Invalid request: invalid stream/,
      );
      // Retried and acked: back to waiting for data.
      await waitFor(() => stream.status('BTC/USDT')?.state === 'connecting', 2_000, 'retried');
      expect(server.connections[0]?.requests.length).toBe(2);
      await stream.stop();
    },
  );

  it('after 5 reconnects the server saw exactly one SUBSCRIBE batch per connection (docs/faults.md 20)', async () => {
    const server = await startScriptedServer(() => 'ack');
    cleanup.push(() => server.close());
    const stream = await streamOn(server.url, ['BTC/USDT', 'ETH/USDT', 'XRP/USDT'], { staleAfterMs: 10_000 });
    await stream.start();
    for (let i = 1; i <= 5; i++) {
      await waitFor(
        () => server.connections[i - 1]!.requests.length === 1,
        2_000,
        `subscribe on connection ${i}`,
      );
      server.connections[i - 1]!.ws.terminate();
      await waitFor(() => server.connections.length === i + 1, 2_000, `reconnect ${i}`);
    }
    await waitFor(() => server.connections[5]!.requests.length === 1, 2_000, 'last subscribe');
    await sleep(100);
    for (const connection of server.connections) {
      expect(connection.requests.map((r) => r.method)).toEqual(['SUBSCRIBE']);
      expect(connection.requests[0]?.params.length).toBe(3);
    }
    const [client] = stream.connectionClients();
    expect(client?.listenerCount()).toBeLessThanOrEqual(1);
    await stream.stop();
  });
});

describe('SUBSCRIBE pacing', () => {
  it('batches names and spaces SUBSCRIBE messages at least subscribeIntervalMs apart', async () => {
    const server = await startScriptedServer(() => 'ack');
    cleanup.push(() => server.close());
    const symbols = Array.from({ length: 200 }, (_, i) => `C${i}X/USDT`);
    const stream = await streamOn(server.url, symbols, {
      connection: { ...TEST_TIMINGS.connection, subscribeIntervalMs: 300, streamsPerSubscribe: 50 },
      staleAfterMs: 60_000,
    });
    await stream.start();
    await waitFor(() => (server.connections[0]?.requests.length ?? 0) === 4, 3_000, '4 batches');
    const requests = server.connections[0]!.requests;
    expect(requests.map((r) => r.params.length)).toEqual([50, 50, 50, 50]);
    expect(new Set(requests.flatMap((r) => r.params)).size).toBe(200);
    for (let i = 1; i < requests.length; i++) {
      // 300 ms on the client; a little less may show on arrival (delivery jitter).
      expect(requests[i]!.at - requests[i - 1]!.at).toBeGreaterThanOrEqual(280);
    }
    await stream.stop();
  });
});

describe('SUBSCRIBE pacing and sharding against the simulator', () => {
  it('200 symbols subscribe without ever breaking 5 messages/s (no 1008), ≥ 300 ms apart (docs/faults.md 17)', async () => {
    const sim = await startSimulator({ autoStart: false, sendTimeCapacity: 0 });
    cleanup.push(() => sim.stop());
    const symbols = Array.from({ length: 200 }, (_, i) => `C${i}X/USDT`);
    const stream = await streamOn(sim.binance.wsUrl, symbols, {
      connection: { ...TEST_TIMINGS.connection, subscribeIntervalMs: 300, streamsPerSubscribe: 40 },
      staleAfterMs: 60_000,
    });
    const errors: string[] = [];
    stream.onError((error) => errors.push(error.code));
    await stream.start();
    await waitFor(
      // Acked: each symbol left 'subscribing' for its snapshot request, and none failed.
      () =>
        symbols.every((s) => {
          const status = stream.status(s);
          return status?.state !== 'failed' && !status?.reason?.startsWith('subscribing');
        }),
      4_000,
      'all acked',
    );
    const [server] = sim.connections('binance');
    expect(server?.subscriptions.length).toBe(200);
    const [client] = stream.connectionClients();
    expect(client?.counters.opens).toBe(1);
    expect(errors).not.toContain('WS_UNEXPECTED_CLOSE');
    await stream.stop();
  });

  it('shards streams across connections (shard size 2 → 3 connections for 5 symbols), all live', async () => {
    const sim = await startSimulator({
      autoStart: false,
      sendTimeCapacity: 0,
      assets: ['BTC', 'ETH', 'XRP', 'SOL', 'DOGE'],
      binance: { depthLevels: 50 },
    });
    cleanup.push(() => sim.stop());
    const exchange = createBinanceExchange({
      restUrl: sim.binance.restUrl,
      wsUrl: sim.binance.wsUrl,
      snapshots: { minIntervalMs: 0, maxConcurrent: 2 },
    });
    cleanup.push(() => exchange.close());
    await exchange.loadMarkets();
    const symbols = ['BTC/USDT', 'ETH/USDT', 'XRP/USDT', 'SOL/USDT', 'DOGE/USDT'];
    const stream = exchange.createOrderBookStream({
      symbols,
      ...TEST_TIMINGS,
      maxStreamsPerConnection: 2,
      snapshotLimit: 100,
    });
    await stream.start();
    const driver = setInterval(() => sim.market.stepBinance(1), 10);
    cleanup.push(async () => clearInterval(driver));
    await waitFor(() => symbols.every((s) => stream.status(s)?.state === 'live'), 5_000, 'all live');
    expect(
      sim
        .connections('binance')
        .map((c) => c.subscriptions.length)
        .sort(),
    ).toEqual([1, 2, 2]);
    expect(stream.connections).toBe(3);
    expect(exchange.scheduler.peakConcurrent).toBeLessThanOrEqual(2);
    await stream.stop();
    await waitFor(() => sim.connections('binance').length === 0, 2_000, 'closed');
  });
});
