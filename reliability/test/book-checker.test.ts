import type { InstrumentHealth, OrderBookSnapshot, ProviderHealth } from '@arbitrage/core';
import { emptyInstrumentCounters } from '@arbitrage/core';
import { startSimulator } from '@arbitrage/simulator';
import { sleep } from '@arbitrage/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { BookChecker } from '../src/book-checker.js';
import { MarketDriver } from '../src/driver.js';
import type { ObservedProvider } from '../src/observed-provider.js';
import { TruthRecorder } from '../src/truth.js';

/** A provider whose every snapshot and state the test writes by hand. */
class ScriptedProvider implements ObservedProvider {
  private readonly snapshotListeners = new Set<(s: OrderBookSnapshot) => void>();
  private readonly healthListeners = new Set<(h: InstrumentHealth) => void>();
  state: InstrumentHealth['state'] = 'connecting';
  latest: OrderBookSnapshot | undefined;

  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  getLatestSnapshot(): OrderBookSnapshot | undefined {
    return this.latest;
  }
  onSnapshot(listener: (s: OrderBookSnapshot) => void): () => void {
    this.snapshotListeners.add(listener);
    return () => this.snapshotListeners.delete(listener);
  }
  onHealthChange(listener: (h: InstrumentHealth) => void): () => void {
    this.healthListeners.add(listener);
    return () => this.healthListeners.delete(listener);
  }
  health(): ProviderHealth {
    const h = this.instrumentHealth();
    return { at: Date.now(), allLive: h.state === 'live', instruments: { [h.instrument]: h } };
  }
  setState(state: InstrumentHealth['state']): void {
    this.state = state;
    for (const l of this.healthListeners) l(this.instrumentHealth());
  }
  emit(snapshot: OrderBookSnapshot): void {
    this.latest = snapshot;
    for (const l of this.snapshotListeners) l(snapshot);
  }
  private instrumentHealth(): InstrumentHealth {
    return {
      instrument: 'binance:BTC/USDT',
      exchange: 'binance',
      symbol: 'BTC/USDT',
      nativeSymbol: 'BTCUSDT',
      source: 'ws',
      state: this.state,
      since: 0,
      counters: emptyInstrumentCounters(),
    };
  }
}

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function setup() {
  const sim = await startSimulator({ autoStart: false, assets: ['BTC'], sendTimeCapacity: 0 });
  const truth = new TruthRecorder(sim, 'binance', ['BTCUSDT'], 10);
  const driver = new MarketDriver(sim, [truth], 10);
  const provider = new ScriptedProvider();
  const checker = new BookChecker(provider, [truth], { depth: 10, staleLimitMs: 150, pollMs: 10 });
  checker.start();
  cleanup = async () => {
    checker.stop();
    driver.stop();
    await sim.stop();
  };
  const snapshotOf = (): OrderBookSnapshot => {
    const book = sim.market.binanceBook('BTCUSDT', 10);
    return {
      exchange: 'binance',
      symbol: 'BTC/USDT',
      nativeSymbol: 'BTCUSDT',
      bids: book.bids,
      asks: book.asks,
      sequence: book.lastUpdateId,
      exchangeTime: Date.now(),
      receivedAt: Date.now(),
      source: 'ws',
    };
  };
  return { sim, driver, provider, checker, snapshotOf };
}

describe('BookChecker', () => {
  it('accepts true books reported live and ignores anything reported while not live', async () => {
    const { driver, provider, checker, snapshotOf } = await setup();
    provider.setState('live');
    for (let i = 0; i < 5; i++) {
      driver.step();
      provider.emit(snapshotOf());
    }
    provider.setState('resyncing');
    provider.emit({ ...snapshotOf(), bids: [[1e9, 1]] });
    expect(checker.violations).toEqual([]);
    expect(checker.instrument('binance:BTC/USDT').verified).toBe(5);
  });

  it('flags a crossed, a corrupted (gapped) and a regressed live book', async () => {
    const { driver, provider, checker, snapshotOf } = await setup();
    provider.setState('live');
    driver.step();
    const older = snapshotOf();
    driver.step();
    const current = snapshotOf();
    provider.emit(current);
    provider.emit({ ...current, bids: [[current.asks[0]![0] + 1, 1], ...current.bids] });
    provider.emit({
      ...current,
      asks: [[current.asks[0]![0], current.asks[0]![1] + 1], ...current.asks.slice(1)],
    });
    provider.emit(older);
    provider.emit({ ...current, sequence: (current.sequence ?? 0) + 1_000 });
    expect(checker.summary()).toMatchObject({ crossed: 1, mismatch: 2, regressed: 1, 'unknown-book': 1 });
  });

  it('flags a book that health() still calls live after the truth moved on', async () => {
    const { driver, provider, checker, snapshotOf } = await setup();
    provider.setState('live');
    provider.emit(snapshotOf());
    driver.start();
    await sleep(400);
    expect(checker.summary()['stale-live']).toBe(1);
    expect(checker.instrument('binance:BTC/USDT').maxOutdatedMs).toBeGreaterThan(150);
  });
});
