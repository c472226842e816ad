import { AmbiguousSymbolError, ConfigError, LiveBookState, UnknownSymbolError } from '@arbitrage/core';
import { createUpbitExchange, fallbackMarkets, marketFromCode } from '@arbitrage/exchange-upbit';
import { waitFor } from '@arbitrage/test-support';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocketMarketDataProvider } from '../src/index.js';
import {
  activeHandles,
  expectNoLeaks,
  type Harness,
  HealthLog,
  isSubsequence,
  SnapshotLog,
  STALE_AFTER_MS,
  startHarness,
} from './support/harness.js';

let h: Harness | undefined;
let provider: WebSocketMarketDataProvider | undefined;

afterEach(async () => {
  vi.restoreAllMocks();
  await provider?.stop();
  provider = undefined;
  await h?.stop();
  h = undefined;
});

const SYMBOLS = ['KRW-BTC', 'upbit:ETH/KRW', 'BTCUSDT', 'binance:ETH/USDT'];

function make(harness: Harness, symbols = SYMBOLS): WebSocketMarketDataProvider {
  provider = new WebSocketMarketDataProvider({
    exchanges: [harness.upbit, harness.binance],
    symbols,
    staleAfterMs: STALE_AFTER_MS,
    depth: 10,
  });
  return provider;
}

const allLive = (p: WebSocketMarketDataProvider) => () => p.health().allLive;
const describeHealth = (p: WebSocketMarketDataProvider) => () =>
  JSON.stringify(Object.values(p.health().instruments).map((i) => [i.instrument, i.state, i.reason]));

describe('WebSocketMarketDataProvider against the simulator', () => {
  it('streams both exchanges, serves snapshots by id or native symbol, and reports health', async () => {
    h = await startHarness();
    const p = make(h);
    const log = new HealthLog(p);
    expect(Object.keys(p.health().instruments)).toEqual([
      'upbit:BTC/KRW',
      'upbit:ETH/KRW',
      'binance:BTC/USDT',
      'binance:ETH/USDT',
    ]);
    expect(p.health().instruments['upbit:BTC/KRW']?.state).toBe('connecting');
    expect(p.getLatestSnapshot('KRW-BTC')).toBeUndefined();
    await p.start();
    await waitFor(allLive(p), 5_000, describeHealth(p));

    const upbit = p.getLatestSnapshot('KRW-BTC')!;
    expect(upbit).toMatchObject({
      exchange: 'upbit',
      symbol: 'BTC/KRW',
      nativeSymbol: 'KRW-BTC',
      source: 'ws',
    });
    expect(upbit.bids.length).toBe(10);
    expect(upbit.bids[0]![0]).toBeLessThan(upbit.asks[0]![0]);
    expect(p.getLatestSnapshot('upbit:BTC/KRW')).toBe(p.getLatestSnapshot('BTC/KRW') ?? 'same object');
    const binance = p.getLatestSnapshot('binance:BTC/USDT')!;
    expect(binance).toMatchObject({ exchange: 'binance', nativeSymbol: 'BTCUSDT', source: 'ws' });
    expect(typeof binance.sequence).toBe('number');

    const health = p.health().instruments['binance:BTC/USDT']!;
    expect(health).toMatchObject({
      state: 'live',
      source: 'ws',
      exchange: 'binance',
      nativeSymbol: 'BTCUSDT',
    });
    expect(health.counters.updates).toBeGreaterThan(0);
    expect(health.ageMs).toBeLessThan(STALE_AFTER_MS * 5);
    expect(log.path('upbit:BTC/KRW')[0]).toBe('live/ws');
    expect(log.path('binance:ETH/USDT')).toContain('live/ws');
  });

  it('refuses unknown and ambiguous symbols with clear errors', async () => {
    h = await startHarness();
    expect(
      () => new WebSocketMarketDataProvider({ exchanges: [h!.upbit, h!.binance], symbols: ['NOPEUSDT'] }),
    ).toThrow(UnknownSymbolError);
    expect(
      () => new WebSocketMarketDataProvider({ exchanges: [h!.upbit], symbols: ['KRW-BTC'], depth: 0 }),
    ).toThrow(ConfigError);
    // An Upbit that also lists BTC/USDT (its USDT market) makes the bare canonical name ambiguous.
    const upbit = createUpbitExchange({
      restUrl: h.sim.upbit.restUrl,
      wsUrl: h.sim.upbit.wsUrl,
      markets: [...fallbackMarkets(), marketFromCode('USDT-BTC')!],
    });
    expect(
      () => new WebSocketMarketDataProvider({ exchanges: [upbit, h!.binance], symbols: ['BTC/USDT'] }),
    ).toThrow(AmbiguousSymbolError);
    const p = new WebSocketMarketDataProvider({
      exchanges: [upbit, h.binance],
      symbols: ['upbit:BTC/USDT', 'binance:BTC/USDT'],
    });
    expect(p.getLatestSnapshot('USDT-BTC')).toBeUndefined();
    expect(() => p.getLatestSnapshot('BTC/USDT')).toThrow(AmbiguousSymbolError);
    expect(() => p.getLatestSnapshot('BTC/USDT')).toThrow(/upbit:BTC\/USDT, binance:BTC\/USDT/);
    expect(() => p.getLatestSnapshot('ETHUSDT')).toThrow(/listed by the exchange but not configured/);
    expect(p.getLatestSnapshot('BTCUSDT')).toBeUndefined();
  });

  it('passes streamDepth to every exchange stream as its depth, and leaves the plugins their own without it', async () => {
    h = await startHarness();
    const upbitStream = vi.spyOn(h.upbit, 'createOrderBookStream');
    const binanceStream = vi.spyOn(h.binance, 'createOrderBookStream');
    const p = new WebSocketMarketDataProvider({
      exchanges: [h.upbit, h.binance],
      symbols: SYMBOLS,
      streamDepth: 20,
    });
    await p.start();
    await waitFor(allLive(p), 5_000, describeHealth(p));
    expect(upbitStream.mock.calls[0]?.[0].depth).toBe(20);
    expect(binanceStream.mock.calls[0]?.[0].depth).toBe(20);
    await p.stop();
    binanceStream.mockClear();
    provider = make(h);
    await provider.start();
    expect(binanceStream.mock.calls[0]?.[0]).not.toHaveProperty('depth');
    expect(
      () =>
        new WebSocketMarketDataProvider({ exchanges: [h!.binance], symbols: ['BTCUSDT'], streamDepth: 0.5 }),
    ).toThrow(/streamDepth/);
  });

  it('materialises no snapshot per update unless someone reads or listens', async () => {
    h = await startHarness();
    const snapshot = vi.spyOn(LiveBookState.prototype, 'snapshot');
    const p = make(h);
    await p.start();
    await waitFor(allLive(p), 5_000, describeHealth(p));
    const updatesBefore = p.health().instruments['binance:BTC/USDT']!.counters.updates;
    await waitFor(
      () => p.health().instruments['binance:BTC/USDT']!.counters.updates >= updatesBefore + 10,
      5_000,
      '10 more updates',
    );
    expect(snapshot).not.toHaveBeenCalled();

    p.getLatestSnapshot('BTCUSDT');
    p.getLatestSnapshot('BTCUSDT');
    expect(snapshot.mock.calls.length).toBeLessThanOrEqual(2);

    const log = new SnapshotLog(p);
    await waitFor(() => log.count('binance:BTC/USDT') >= 10, 5_000, '10 snapshots to the listener');
    expect(log.regressions).toBe(0);
    expect(log.byInstrument.get('upbit:BTC/KRW')?.[0]?.bids.length).toBe(10);
  });

  it('reports a stalled stream stale with the reason, and live again when it flows', async () => {
    h = await startHarness();
    const p = make(h, ['KRW-BTC', 'KRW-ETH']);
    const log = new HealthLog(p);
    await p.start();
    await waitFor(allLive(p), 5_000, describeHealth(p));
    const stall = h.sim.faults.stallStream('upbit', { symbol: 'KRW-BTC' });
    await waitFor(() => log.path('upbit:BTC/KRW').includes('stale/ws'), 3_000, describeHealth(p));
    const stale = p.health().instruments['upbit:BTC/KRW']!;
    expect(stale.reason).toMatch(/no update for \d+ ms/);
    expect(p.health().allLive).toBe(false);
    expect(p.health().instruments['upbit:ETH/KRW']?.state).toBe('live');
    stall.clear();
    await waitFor(allLive(p), 5_000, describeHealth(p));
    expect(isSubsequence(log.path('upbit:BTC/KRW'), ['live/ws', 'stale/ws', 'live/ws'])).toBe(true);
  });

  it('reports a dropped connection down, then resyncing, then live; a gap resyncs the Binance book', async () => {
    h = await startHarness();
    const p = make(h, ['BTCUSDT', 'KRW-BTC']);
    const log = new HealthLog(p);
    await p.start();
    await waitFor(allLive(p), 5_000, describeHealth(p));
    h.sim.faults.dropConnections('binance');
    h.sim.faults.dropConnections('upbit');
    await waitFor(() => log.path('binance:BTC/USDT').includes('down/ws'), 3_000, 'binance down');
    await waitFor(allLive(p), 5_000, describeHealth(p));
    expect(
      isSubsequence(log.path('binance:BTC/USDT'), ['live/ws', 'down/ws', 'resyncing/ws', 'live/ws']),
    ).toBe(true);
    expect(isSubsequence(log.path('upbit:BTC/KRW'), ['live/ws', 'down/ws', 'resyncing/ws', 'live/ws'])).toBe(
      true,
    );

    const gapsBefore = p.health().instruments['binance:BTC/USDT']!.counters.gaps;
    h.sim.faults.skipUpdates('binance', 'BTCUSDT', 1);
    await waitFor(
      () => p.health().instruments['binance:BTC/USDT']!.counters.gaps > gapsBefore,
      3_000,
      'the gap to be detected',
    );
    await waitFor(allLive(p), 5_000, describeHealth(p));
    const down = log.changes.find((c) => c.instrument === 'binance:BTC/USDT' && c.state === 'down');
    expect(down?.reason).toMatch(/1006|closed|lost/);
  });

  it('reports a market the exchange never answers for as failed, with the reason', async () => {
    h = await startHarness();
    // KRW-SOL is in Upbit's built-in market list, but the simulator does not serve it.
    const p = make(h, ['KRW-SOL', 'KRW-BTC']);
    const log = new HealthLog(p);
    await p.start();
    await waitFor(
      () => p.health().instruments['upbit:SOL/KRW']?.state === 'failed',
      3_000,
      describeHealth(p),
    );
    expect(p.health().instruments['upbit:SOL/KRW']?.reason).toMatch(/no orderbook frame for KRW-SOL/);
    expect(p.health().instruments['upbit:BTC/KRW']?.state).toBe('live');
    expect(p.health().allLive).toBe(false);
    expect(log.path('upbit:SOL/KRW')).toContain('failed/ws');
    expect(p.getLatestSnapshot('KRW-SOL')).toBeUndefined();
  });

  it('stop leaves no socket, timer or server connection; start works again', async () => {
    const baseline = activeHandles();
    h = await startHarness();
    const p = make(h);
    const log = new HealthLog(p);
    await p.start();
    await waitFor(allLive(p), 5_000, describeHealth(p));
    await p.stop();
    expect(h.sim.connections()).toHaveLength(0);
    expect(
      Object.values(p.health().instruments).every((i) => i.state === 'down' || i.state === 'failed'),
    ).toBe(true);
    expect(log.path('upbit:BTC/KRW').at(-1)).toBe('down/ws');

    await p.start();
    await waitFor(allLive(p), 5_000, describeHealth(p));
    expect(h.sim.connections().length).toBe(2);
    await p.stop();
    await p.stop();
    await h.stop();
    h = undefined;
    await expectNoLeaks(baseline);
  });
});
