import { ManualClock, noopLogger, systemClock } from '@arbitrage/core';
import type { ArbitrageEngine, PaperBroker } from '@arbitrage/engine';
import { afterEach, describe, expect, it } from 'vitest';
import { buildContainer } from '../di/build-container.js';
import { RunnerMetrics } from '../metrics/runner-metrics.js';
import type { RunnerProvider } from '../providers/create-provider.js';
import { StatusReporter } from '../status/status-reporter.js';
import { formatSummary } from '../summary/format-summary.js';
import { buildRunSummary } from '../summary/run-summary.js';
import { fakexModule, PACKAGES_WITH_FAKEX } from '../test-support/fake-exchange.js';
import {
  deepBook,
  FIXED_REFERENCE,
  MemorySink,
  testConfig,
  UNREACHABLE_MARKET,
} from '../test-support/support.js';
import { TOKENS } from '../tokens/runner-tokens.js';
import { type ExchangeLegs, legPlugins, openExchanges } from './open-exchanges.js';
import { loadExchangeFactories } from './registry.js';

/** A provider with nothing to report: the test hands books to the engine itself. */
const provider: RunnerProvider = {
  start: async () => {},
  stop: async () => {},
  getLatestSnapshot: () => undefined,
  onSnapshot: () => () => {},
  health: () => ({ at: 0, allLive: true, instruments: {} }),
};

let legs: ExchangeLegs | undefined;
afterEach(async () => {
  if (legs) await Promise.all(legPlugins(legs).map((plugin) => plugin.close()));
  legs = undefined;
});

async function openTwoUsdtVenues() {
  const config = testConfig({
    ...FIXED_REFERENCE,
    exchanges: { krw: 'upbit', usdt: ['binance', 'fakex'] },
    assets: [
      { asset: 'BTC', tradeSize: 0.01 },
      { asset: 'ETH', tradeSize: 0.2 },
    ],
    limits: { maxPositionPerAsset: { BTC: 0.02, ETH: 0.4 } },
    paper: {
      initialBalances: {
        krw: { KRW: 100_000_000, BTC: 1, ETH: 10 },
        usdt: { USDT: 50_000, BTC: 1, ETH: 10 },
        exchanges: { fakex: { USDT: 20_000, BTC: 0.5, ETH: 5 } },
      },
    },
  });
  const factories = await loadExchangeFactories(config.exchanges, {
    packages: PACKAGES_WITH_FAKEX,
    importer: async (specifier) =>
      specifier === '@example/exchange-fakex' ? fakexModule('USDT') : import(specifier),
  });
  legs = await openExchanges({
    config,
    factories,
    market: UNREACHABLE_MARKET,
    clock: systemClock,
    logger: noopLogger,
  });
  const clock = new ManualClock(1_700_000_000_000);
  const c = buildContainer({
    config,
    clock,
    logger: noopLogger,
    market: UNREACHABLE_MARKET,
    legs,
    statusSink: new MemorySink(),
  });
  return { config, clock, c };
}

describe('two USDT venues', () => {
  it('open one plugin each, keep separate balances, and trade the better route per asset', async () => {
    const { config, clock, c } = await openTwoUsdtVenues();
    expect(legs!.usdt.map((plugin) => plugin.id)).toEqual(['binance', 'fakex']);
    const engine = c.resolve<ArbitrageEngine>(TOKENS.SpreadEngine);
    const broker = c.resolve<PaperBroker>(TOKENS.PaperBroker);
    expect(engine.config.routes.map((route) => [route.name, route.fees.usdt])).toEqual([
      ['upbit-binance', 0.001],
      ['upbit-fakex', 0.002],
    ]);
    expect(engine.markets().map((m) => `${m.exchange}:${m.symbol}`)).toEqual([
      'upbit:BTC/KRW',
      'binance:BTC/USDT',
      'fakex:BTC/USDT',
      'upbit:ETH/KRW',
      'binance:ETH/USDT',
      'fakex:ETH/USDT',
      'upbit:USDT/KRW',
    ]);
    expect(broker.initialBalances().binance).toEqual(config.paper.initialBalances.usdt);
    expect(broker.initialBalances().fakex).toEqual({ USDT: 20_000, BTC: 0.5, ETH: 5 });

    // BTC is 1 % cheaper on fakex (its higher fee aside, the better route); ETH is cheaper on Binance.
    const now = clock.now();
    engine.onSnapshot(deepBook('upbit', 'USDT/KRW', 1_400, now));
    engine.onSnapshot(deepBook('binance', 'BTC/USDT', 100_000, now));
    engine.onSnapshot(deepBook('fakex', 'BTC/USDT', 99_000, now));
    engine.onSnapshot(deepBook('upbit', 'BTC/KRW', 142_800_000, now));
    expect(engine.lastDecision('BTC')).toMatchObject({ kind: 'open', route: 'upbit-fakex' });
    engine.onSnapshot(deepBook('binance', 'ETH/USDT', 4_950, now));
    engine.onSnapshot(deepBook('fakex', 'ETH/USDT', 5_000, now));
    engine.onSnapshot(deepBook('upbit', 'ETH/KRW', 7_140_000, now));
    expect(engine.lastDecision('ETH')).toMatchObject({ kind: 'open', route: 'upbit-binance' });
    clock.advance(100);
    expect(broker.fills().map((fill) => `${fill.exchange}:${fill.symbol}:${fill.side}`)).toEqual(
      expect.arrayContaining(['fakex:BTC/USDT:buy', 'binance:ETH/USDT:buy']),
    );

    const summary = buildRunSummary({
      label: UNREACHABLE_MARKET.label,
      marketTime: { preset: undefined, timeScale: 1 },
      market: 'sim',
      source: 'ws',
      startedAt: 0,
      endedAt: 1_000,
      stopReason: 'stopped',
      updates: 8,
      loops: engine.summary().evaluations,
      engine,
      broker,
      provider,
    });
    expect(summary.tradeLog.map((trade) => `${trade.asset}:${trade.route}`).sort()).toEqual([
      'BTC:upbit-fakex',
      'ETH:upbit-binance',
    ]);
    expect(summary.trades.byRoute['upbit-fakex']).toMatchObject({ opened: 1, open: 1 });
    expect(summary.trades.byRoute['upbit-binance']).toMatchObject({ opened: 1, open: 1 });
    expect(JSON.parse(JSON.stringify(summary)).premiums.BTC['upbit-fakex'].route).toBe('upbit-fakex');

    const text = formatSummary(summary);
    expect(text).toMatch(/upbit-binance\s+opened 1, closed 0/);
    expect(text).toMatch(/upbit-fakex\s+opened 1, closed 0/);
    expect(text).toMatch(/BTC\s+upbit-fakex\s+mid/);

    const status = new StatusReporter(
      engine,
      provider,
      UNREACHABLE_MARKET,
      new MemorySink(),
      clock,
      config,
    ).line();
    expect(status).toContain('BTC upbit-binance');
    expect(status).toContain('upbit-fakex');
    expect(status).toContain('opened 2 (upbit-binance 1, upbit-fakex 1)');

    const metrics = await new RunnerMetrics(engine, provider, clock).render();
    expect(metrics).toContain('arb_trades_total{event="opened",route="upbit-fakex"} 1');
    expect(metrics).toContain('arb_trades_total{event="opened",route="upbit-binance"} 1');
    expect(metrics).toContain('arb_premium_ratio{asset="BTC",route="upbit-fakex",kind="mid"}');
    await c.dispose();
  });
});
