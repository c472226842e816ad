import { ConfigError, noopLogger, systemClock } from '@arbitrage/core';
import { type Simulator, startSimulator } from '@arbitrage/simulator';
import { waitFor } from '@arbitrage/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { openExchanges } from '../exchanges/open-exchanges.js';
import { loadExchangeFactories } from '../exchanges/registry.js';
import { simulatorMarket } from '../market/market.js';
import {
  FIXED_REFERENCE,
  handlesAdded,
  MemorySink,
  openHandles,
  testConfig,
} from '../test-support/support.js';
import { PaperSession } from './paper-session.js';

let simulator: Simulator | undefined;
let session: PaperSession | undefined;

afterEach(async () => {
  await session?.stop();
  await simulator?.stop();
  session = undefined;
  simulator = undefined;
});

/** A simulator whose premium is ~0 (nothing trades) until a test moves a book. */
async function flatSimulator(): Promise<Simulator> {
  return startSimulator({
    seed: 11,
    assets: ['BTC'],
    premium: { mean: 0, sd: 0.0002, assetSd: 0.0001, spikesPerHour: 0, usdtMean: 0, usdtSd: 0.0001 },
  });
}

// The engine's freshness limit (600 ms) judges the frozen leg; the feed's own staleness (3 s, which
// reconnects a silent socket after 6 s) stays out of the way, so the freeze holds for the whole test.
const oneAsset = {
  ...FIXED_REFERENCE,
  source: 'ws',
  assets: [{ asset: 'BTC', tradeSize: 0.01 }],
  feeds: { staleAfterMs: 3_000 },
  limits: { maxBookAgeMs: 600 },
  runner: { statusIntervalMs: 0, tickIntervalMs: 100, metricsPort: 0 },
};

describe('a paper session on the simulator', () => {
  it('stale leg: Binance frozen while Upbit moves → no trade, the skip counted; trades once it thaws', async () => {
    simulator = await flatSimulator();
    session = await PaperSession.start({
      config: testConfig(oneAsset),
      env: {},
      logger: noopLogger,
      statusSink: new MemorySink(),
      market: simulatorMarket(simulator, { stopWithRun: false }),
    });
    const engine = session.engine;
    // Bounds below are generous for a loaded 2-core machine; each is polled, not slept.
    await waitFor(() => (engine.summary().skipReasons.below_threshold ?? 0) > 0, 5_000, 'priced evaluations');
    expect(engine.summary().trades.opened).toBe(0);

    const freeze = simulator.faults.stallStream('binance');
    await waitFor(
      () => engine.lastDecision('BTC')?.reason === 'leg_stale',
      5_000,
      'the Binance leg to go stale',
    );
    // Upbit 2 % dearer: ~1.4 % expected after the round trip to the 0.2 % target, far above the
    // 0.3 % entry, were the Binance book fresh.
    simulator.market.moveBook('upbit', 'KRW-BTC', 200);
    const staleBefore = engine.summary().skipReasons.leg_stale ?? 0;
    const upbitUpdates = () => session!.provider.health().instruments['upbit:BTC/KRW']!.counters.updates;
    const upbitBefore = upbitUpdates();
    await waitFor(() => upbitUpdates() >= upbitBefore + 5, 5_000, 'Upbit to keep moving');
    const frozen = engine.summary();
    expect(frozen.trades.opened).toBe(0);
    expect(frozen.skipReasons.leg_stale).toBeGreaterThan(staleBefore);
    expect(engine.lastDecision('BTC')).toMatchObject({
      reason: 'leg_stale',
      leg: { exchange: 'binance', symbol: 'BTC/USDT' },
    });

    freeze.clear();
    await waitFor(() => engine.summary().trades.opened > 0, 10_000, 'a pair once Binance is fresh again');
    expect(engine.summary().trades.opened).toBeGreaterThan(0);
  });

  it('serves Prometheus metrics and leaves nothing open when stopped', async () => {
    const before = openHandles();
    simulator = await flatSimulator();
    session = await PaperSession.start({
      config: testConfig(oneAsset),
      env: {},
      logger: noopLogger,
      statusSink: new MemorySink(),
      market: simulatorMarket(simulator, { stopWithRun: false }),
    });
    await waitFor(() => session!.currentSummary().loops.count > 10, 5_000, 'loops');
    const address = session.metricsAddress!;
    expect(address.address).toBe('127.0.0.1');
    const response = await fetch(`http://127.0.0.1:${address.port}/metrics`);
    expect(response.status).toBe(200);
    const body = await response.text();
    for (const name of [
      'arb_feed_messages_total{exchange="upbit",symbol="BTC/KRW"}',
      'arb_feed_reconnects_total',
      'arb_feed_resyncs_total',
      'arb_snapshot_age_seconds{exchange="binance",symbol="BTC/USDT"}',
      'arb_loop_seconds_bucket{le="0.001"}',
      'arb_premium_ratio{asset="BTC",route="upbit-binance",kind="mid"}',
      'arb_trades_total{event="opened",route="upbit-binance"}',
      'arb_route_realised_pnl_krw{route="upbit-binance"}',
      'arb_pnl_krw{kind="total"}',
      'arb_feed_live{exchange="upbit",symbol="USDT/KRW",source="ws"} 1',
    ]) {
      expect(body).toContain(name);
    }
    expect((await fetch(`http://127.0.0.1:${address.port}/other`)).status).toBe(404);
    const summary = await session.stop('stopped');
    expect(summary.label).toBe('SIMULATED MARKET');
    expect(summary.activeOrders).toBe(0);
    session = undefined;
    await simulator.stop();
    simulator = undefined;
    await waitFor(() => handlesAdded(before, openHandles()).length === 0, 2_000, 'every handle to close');
  });

  it('refuses markets the exchanges do not list, closing what it opened', async () => {
    simulator = await flatSimulator();
    const config = testConfig({
      assets: [{ asset: 'NOPE', tradeSize: 1 }],
      limits: { maxPositionPerAsset: 10 },
    });
    const factories = await loadExchangeFactories(config.exchanges);
    const error = await openExchanges({
      config,
      factories,
      market: simulatorMarket(simulator, { stopWithRun: false }),
      clock: systemClock,
      logger: noopLogger,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('upbit:NOPE/KRW, binance:NOPE/USDT');
  });
});
