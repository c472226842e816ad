import {
  type InstrumentHealth,
  ManualClock,
  noopLogger,
  type OrderBookSnapshot,
  type ProviderHealth,
} from '@arbitrage/core';
import { createPaperEngine } from '@arbitrage/engine';
import { describe, expect, it } from 'vitest';
import { RunnerMetrics } from '../metrics/runner-metrics.js';
import type { RunnerProvider } from '../providers/create-provider.js';
import { deepBook, FIXED_REFERENCE, testConfig } from '../test-support/support.js';
import { TEST_VENUES } from '../test-support/venues.js';
import { EngineLoop } from './engine-loop.js';

/** A provider with no peer: the loop only needs its listener surface (no real peer can exist here). */
class ScriptedProvider implements RunnerProvider {
  readonly snapshotListeners = new Set<(snapshot: OrderBookSnapshot) => void>();
  readonly healthListeners = new Set<(health: InstrumentHealth) => void>();
  healthCalls = 0;
  start = async (): Promise<void> => {};
  stop = async (): Promise<void> => {};
  getLatestSnapshot = (): undefined => undefined;
  onSnapshot(listener: (snapshot: OrderBookSnapshot) => void): () => void {
    this.snapshotListeners.add(listener);
    return () => this.snapshotListeners.delete(listener);
  }
  onHealthChange(listener: (health: InstrumentHealth) => void): () => void {
    this.healthListeners.add(listener);
    return () => this.healthListeners.delete(listener);
  }
  health(): ProviderHealth {
    this.healthCalls++;
    return { at: 0, allLive: true, instruments: {} };
  }
  push(snapshot: OrderBookSnapshot): void {
    for (const listener of this.snapshotListeners) listener(snapshot);
  }
}

function setup() {
  const clock = new ManualClock();
  const config = testConfig({
    ...FIXED_REFERENCE,
    assets: [{ asset: 'BTC', tradeSize: 0.01 }],
    runner: { tickIntervalMs: 100 },
  });
  const paper = createPaperEngine({
    engine: { ...config.engine, assets: config.assets },
    venues: TEST_VENUES,
    limits: config.limits,
    paper: config.paper,
    clock,
  });
  const provider = new ScriptedProvider();
  const metrics = new RunnerMetrics(paper.engine, provider, clock);
  const loop = new EngineLoop(paper.engine, provider, paper.market, metrics, clock, noopLogger, config);
  return { clock, paper, provider, loop, metrics };
}

describe('EngineLoop', () => {
  it('evaluates on each update that touches a pair, timing only those, and counts every message', async () => {
    const { clock, paper, provider, loop, metrics } = setup();
    loop.attach();
    const now = clock.now();
    provider.push(deepBook('upbit', 'ETH/KRW', 5_000_000, now)); // not configured: no evaluation
    provider.push(deepBook('upbit', 'BTC/KRW', 140_000_000, now));
    provider.push(deepBook('binance', 'BTC/USDT', 100_000, now));
    provider.push(deepBook('upbit', 'USDT/KRW', 1_400, now));
    expect(loop.updatesReceived).toBe(4);
    expect(loop.loopTime().count).toBe(3);
    expect(loop.loopTime().p50Us).toBeGreaterThan(0);
    // Premium ≈ 0: priced, below the entry threshold.
    expect(paper.engine.lastDecision('BTC')).toMatchObject({ kind: 'skip', reason: 'below_threshold' });
    const text = await metrics.render();
    expect(text).toContain('arb_feed_messages_total{exchange="upbit",symbol="ETH/KRW"} 1');
    expect(text).toContain('arb_loop_seconds_count 3');
    loop.detach();
  });

  it('hands health changes to the market view at once, and ticks on the clock until detached', () => {
    const { clock, paper, provider, loop } = setup();
    loop.attach();
    const now = clock.now();
    for (const book of [
      deepBook('upbit', 'BTC/KRW', 140_000_000, now),
      deepBook('binance', 'BTC/USDT', 100_000, now),
      deepBook('upbit', 'USDT/KRW', 1_400, now),
    ]) {
      provider.push(book);
    }
    for (const listener of provider.healthListeners) {
      listener({
        instrument: 'binance:BTC/USDT',
        exchange: 'binance',
        symbol: 'BTC/USDT',
        nativeSymbol: 'BTCUSDT',
        state: 'resyncing',
        reason: 'gap',
        since: now,
        source: 'ws',
        counters: {
          updates: 1,
          invalidMessages: 0,
          droppedStale: 0,
          gaps: 1,
          crossed: 0,
          resyncs: 1,
          staleEvents: 0,
        },
      });
    }
    expect(paper.market.find('binance', 'BTC/USDT')?.state).toBe('resyncing');
    expect(provider.healthCalls).toBe(0);
    clock.advance(100);
    expect(provider.healthCalls).toBe(1);
    expect(paper.engine.lastDecision('BTC')).toMatchObject({ reason: 'leg_resyncing' });
    clock.advance(300);
    expect(provider.healthCalls).toBe(4);
    loop.detach();
    expect(clock.pendingTimers).toBe(0);
    expect(provider.snapshotListeners.size + provider.healthListeners.size).toBe(0);
    clock.advance(1_000);
    expect(provider.healthCalls).toBe(4);
  });
});
