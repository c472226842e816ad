import {
  type InstrumentHealth,
  type InstrumentId,
  type Logger,
  type OrderBookSnapshot,
  UnknownSymbolError,
} from '@arbitrage/core';
import { type BinanceExchange, createBinanceExchange } from '@arbitrage/exchange-binance';
import { createUpbitExchange, type UpbitExchange } from '@arbitrage/exchange-upbit';
import { type Simulator, startSimulator } from '@arbitrage/simulator';
import { sleep, waitFor } from '@arbitrage/test-support';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RestMarketDataProvider, type RestMarketDataProviderOptions } from '../src/index.js';

let sim: Simulator | undefined;
let upbit: UpbitExchange | undefined;
let binance: BinanceExchange | undefined;
let provider: RestMarketDataProvider | undefined;

afterEach(async () => {
  vi.restoreAllMocks();
  await provider?.stop();
  provider = undefined;
  await Promise.all([upbit?.close(), binance?.close()]);
  await sim?.stop();
  sim = upbit = binance = undefined;
});

async function setup(options: Partial<RestMarketDataProviderOptions> & { symbols: string[] }) {
  sim = await startSimulator({ seed: 3, sendTimeCapacity: 0, binance: { depthLevels: 100 } });
  upbit = createUpbitExchange({ restUrl: sim.upbit.restUrl, wsUrl: sim.upbit.wsUrl, restTimeoutMs: 300 });
  binance = createBinanceExchange({
    restUrl: sim.binance.restUrl,
    wsUrl: sim.binance.wsUrl,
    restTimeoutMs: 300,
    rest: { retryBaseMs: 10, retryCapMs: 50, attempts: 1 },
  });
  const changes: InstrumentHealth[] = [];
  provider = new RestMarketDataProvider({
    exchanges: [upbit, binance],
    depth: 5,
    pollIntervalMs: 200,
    ...options,
  });
  provider.onHealthChange((health) => changes.push(health));
  return { sim, upbit, binance, provider, changes };
}

const state = (p: RestMarketDataProvider, id: string) => p.health().instruments[id as InstrumentId]!;
const describeHealth = (p: RestMarketDataProvider) => () =>
  JSON.stringify(Object.values(p.health().instruments).map((i) => [i.instrument, i.state, i.reason]));
const path = (changes: readonly InstrumentHealth[], id: string) =>
  changes.filter((c) => c.instrument === id).map((c) => c.state);

function capturingLogger(): { logger: Logger; warnings: string[] } {
  const warnings: string[] = [];
  const logger: Logger = {
    debug: () => {},
    info: () => {},
    warn: (_fields, message) => warnings.push(message ?? ''),
    error: () => {},
    child: () => logger,
  };
  return { logger, warnings };
}

describe('RestMarketDataProvider against the simulator', () => {
  it('polls both exchanges, batching Upbit markets into one request, and serves rest snapshots', async () => {
    const h = await setup({
      symbols: ['KRW-BTC', 'KRW-ETH', 'upbit:XRP/KRW', 'BTCUSDT', 'binance:ETH/USDT'],
    });
    const upbitCalls = vi.spyOn(h.upbit.rest(), 'fetchOrderBooks');
    const binanceCalls = vi.spyOn(h.binance.rest(), 'fetchOrderBooks');
    const received: OrderBookSnapshot[] = [];
    h.provider.onSnapshot((snapshot) => received.push(snapshot));
    expect(state(h.provider, 'upbit:BTC/KRW').state).toBe('connecting');
    await h.provider.start();
    await waitFor(() => h.provider.health().allLive, 5_000, describeHealth(h.provider));

    expect(upbitCalls.mock.calls[0]![0]).toEqual(['BTC/KRW', 'ETH/KRW', 'XRP/KRW']);
    expect(binanceCalls.mock.calls.every(([symbols]) => symbols.length === 1)).toBe(true);
    const snapshot = h.provider.getLatestSnapshot('KRW-ETH')!;
    expect(snapshot).toMatchObject({
      exchange: 'upbit',
      symbol: 'ETH/KRW',
      nativeSymbol: 'KRW-ETH',
      source: 'rest',
    });
    expect(snapshot.bids).toHaveLength(5);
    expect(snapshot.bids[0]![0]).toBeLessThan(snapshot.asks[0]![0]);
    expect(h.provider.getLatestSnapshot('binance:BTC/USDT')?.sequence).toBeGreaterThan(0);
    expect(received.every((s) => s.source === 'rest')).toBe(true);
    const health = state(h.provider, 'binance:ETH/USDT');
    expect(health).toMatchObject({ state: 'live', source: 'rest', nativeSymbol: 'ETHUSDT' });
    expect(health.counters.updates).toBeGreaterThan(0);
    expect(path(h.changes, 'upbit:BTC/KRW')).toEqual(['connecting', 'live']);
    expect(() => h.provider.getLatestSnapshot('SOLUSDT')).toThrow(UnknownSymbolError);
  });

  it('stretches the interval to the exchange limit, says so once, and keeps the request rate inside it', async () => {
    const { logger, warnings } = capturingLogger();
    const h = await setup({ symbols: ['BTCUSDT', 'ETHUSDT', 'XRPUSDT'], pollIntervalMs: 100, logger });
    // Binance: one symbol per request, 10 requests/s -> each symbol every 300 ms.
    expect(h.provider.pollIntervals()).toEqual({ binance: 300 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/would exceed 10 order-book requests\/s; each symbol is polled every 300 ms/);
    const calls: number[] = [];
    const original = h.binance.rest().fetchOrderBooks.bind(h.binance.rest());
    vi.spyOn(h.binance.rest(), 'fetchOrderBooks').mockImplementation((symbols, options) => {
      calls.push(Date.now());
      return original(symbols, options);
    });
    await h.provider.start();
    await sleep(1_000);
    // At most 10 requests in any second (+1 for the boundary), spaced by the scheduler, never in bursts.
    expect(calls.length).toBeLessThanOrEqual(11);
    expect(calls.length).toBeGreaterThanOrEqual(5);
    for (let i = 1; i < calls.length; i++) expect(calls[i]! - calls[i - 1]!).toBeGreaterThanOrEqual(90);
    expect(warnings).toHaveLength(1);
  });

  it('goes stale with the reason under a 429, makes no request until Retry-After, then recovers', async () => {
    const h = await setup({ symbols: ['BTCUSDT'], pollIntervalMs: 100, staleAfterMs: 300 });
    await h.provider.start();
    await waitFor(() => h.provider.health().allLive, 5_000, describeHealth(h.provider));
    const calls = vi.spyOn(h.binance.rest(), 'fetchOrderBooks');
    const fault = h.sim.faults.restFault('binance', { path: '/api/v3/depth', status: 429, retryAfterS: 1 });
    await waitFor(
      () => state(h.provider, 'binance:BTC/USDT').state === 'stale',
      3_000,
      describeHealth(h.provider),
    );
    const stale = state(h.provider, 'binance:BTC/USDT');
    expect(stale.reason).toMatch(/rate limited by the exchange \(429\)/);
    const before = calls.mock.calls.length;
    await sleep(400);
    expect(calls.mock.calls.length).toBe(before);
    fault.clear();
    await waitFor(() => h.provider.health().allLive, 3_000, describeHealth(h.provider));
    expect(path(h.changes, 'binance:BTC/USDT')).toEqual(['connecting', 'live', 'stale', 'live']);
    expect(state(h.provider, 'binance:BTC/USDT').counters.staleEvents).toBe(1);
  });

  it('never serves a crossed REST book: resyncing with the reason, counted, nothing emitted; live once sound', async () => {
    const h = await setup({ symbols: ['BTCUSDT'], pollIntervalMs: 100, staleAfterMs: 1_000 });
    const emitted: OrderBookSnapshot[] = [];
    h.provider.onSnapshot((snapshot) => emitted.push(snapshot));
    await h.provider.start();
    await waitFor(() => h.provider.health().allLive, 5_000, describeHealth(h.provider));
    const crossed = h.sim.faults.crossBook('binance', 'BTCUSDT', { persist: true });
    await waitFor(
      () => state(h.provider, 'binance:BTC/USDT').state === 'resyncing',
      3_000,
      describeHealth(h.provider),
    );
    expect(state(h.provider, 'binance:BTC/USDT').reason).toMatch(/REST book rejected \(crossed: best bid/);
    expect(state(h.provider, 'binance:BTC/USDT').counters.crossed).toBeGreaterThan(0);
    const emittedWhileCrossed = emitted.length;
    await sleep(300);
    expect(emitted.length).toBe(emittedWhileCrossed);
    crossed.clear();
    await waitFor(() => h.provider.health().allLive, 3_000, describeHealth(h.provider));
    for (const snapshot of emitted) expect(snapshot.bids[0]![0]).toBeLessThan(snapshot.asks[0]![0]);
    expect(path(h.changes, 'binance:BTC/USDT')).toEqual(['connecting', 'live', 'resyncing', 'live']);
  });

  it('a hanging server times requests out and marks the instrument stale; requests never pile up', async () => {
    const h = await setup({ symbols: ['KRW-BTC'], pollIntervalMs: 50, staleAfterMs: 300 });
    await h.provider.start();
    await waitFor(() => h.provider.health().allLive, 5_000, describeHealth(h.provider));
    let inFlight = 0;
    let maxInFlight = 0;
    const original = h.upbit.rest().fetchOrderBooks.bind(h.upbit.rest());
    vi.spyOn(h.upbit.rest(), 'fetchOrderBooks').mockImplementation(async (symbols, options) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        return await original(symbols, options);
      } finally {
        inFlight--;
      }
    });
    const fault = h.sim.faults.restFault('upbit', { path: '/v1/orderbook', hang: true });
    await waitFor(
      () => state(h.provider, 'upbit:BTC/KRW').state === 'stale',
      3_000,
      describeHealth(h.provider),
    );
    await waitFor(
      () => /TIMEOUT|NETWORK/.test(state(h.provider, 'upbit:BTC/KRW').reason ?? ''),
      3_000,
      describeHealth(h.provider),
    );
    // The poller's cap (4) holds however long the server hangs.
    expect(maxInFlight).toBeLessThanOrEqual(4);
    expect(maxInFlight).toBeGreaterThanOrEqual(1);
    fault.clear();
    await waitFor(() => h.provider.health().allLive, 3_000, describeHealth(h.provider));
  });

  it('a market the exchange does not answer for is failed with the reason; the others stay live', async () => {
    // KRW-SOL is in Upbit's built-in market list, but the simulator does not list it.
    const h = await setup({ symbols: ['KRW-SOL', 'KRW-BTC'] });
    await h.provider.start();
    await waitFor(
      () => state(h.provider, 'upbit:SOL/KRW').state === 'failed',
      3_000,
      describeHealth(h.provider),
    );
    expect(state(h.provider, 'upbit:SOL/KRW').reason).toMatch(
      /BOOK_MISSING.*KRW-SOL|SOL\/KRW.*lists the market/,
    );
    await waitFor(
      () => state(h.provider, 'upbit:BTC/KRW').state === 'live',
      3_000,
      describeHealth(h.provider),
    );
    expect(path(h.changes, 'upbit:SOL/KRW')).toEqual(['connecting', 'failed']);
  });

  it('stop leaves no socket or timer; start works again', async () => {
    const baseline = process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const h = await setup({ symbols: ['KRW-BTC', 'BTCUSDT'] });
    await h.provider.start();
    await waitFor(() => h.provider.health().allLive, 5_000, describeHealth(h.provider));
    await h.provider.stop();
    expect(Object.values(h.provider.health().instruments).every((i) => i.state === 'down')).toBe(true);
    const snapshotAtStop = h.provider.getLatestSnapshot('KRW-BTC');
    await sleep(300);
    expect(h.provider.getLatestSnapshot('KRW-BTC')).toBe(snapshotAtStop);
    await h.provider.start();
    await waitFor(
      () =>
        h.provider.health().allLive &&
        h.provider.getLatestSnapshot('KRW-BTC')!.receivedAt > snapshotAtStop!.receivedAt,
      5_000,
      describeHealth(h.provider),
    );
    expect(path(h.changes, 'binance:BTC/USDT')).toEqual(['connecting', 'live', 'down', 'live']);
    await h.provider.stop();
    provider = undefined;
    await Promise.all([h.upbit.close(), h.binance.close()]);
    await h.sim.stop();
    sim = upbit = binance = undefined;
    await waitFor(
      () =>
        !process.getActiveResourcesInfo().includes('TCPSocketWrap') &&
        process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length <= baseline,
      3_000,
      () => JSON.stringify(process.getActiveResourcesInfo()),
    );
  });
});
