import { noopLogger, systemClock } from '@arbitrage/core';
import {
  ArbitrageEngine,
  LiveGuard,
  MarketView,
  PaperBroker,
  type PaperEngine,
  RiskGuard,
} from '@arbitrage/engine';
import { createBinanceExchange } from '@arbitrage/exchange-binance';
import { createUpbitExchange } from '@arbitrage/exchange-upbit';
import { RestMarketDataProvider } from '@arbitrage/provider-rest';
import { FailoverMarketDataProvider, WebSocketMarketDataProvider } from '@arbitrage/provider-ws';
import { container } from 'tsyringe';
import { afterEach, describe, expect, it } from 'vitest';
import { type ExchangeLegs, legPlugins } from '../exchanges/open-exchanges.js';
import { EngineLoop } from '../loop/engine-loop.js';
import { RunnerMetrics } from '../metrics/runner-metrics.js';
import { StatusReporter } from '../status/status-reporter.js';
import { MemorySink, testConfig, UNREACHABLE_MARKET } from '../test-support/support.js';
import { TOKENS } from '../tokens/runner-tokens.js';
import { buildContainer } from './build-container.js';

let legs: ExchangeLegs | undefined;

async function closeLegs(): Promise<void> {
  if (legs) await Promise.all(legPlugins(legs).map((plugin) => plugin.close()));
  legs = undefined;
}

function compose(source: 'ws' | 'rest' | 'failover') {
  const opened = {
    krw: [createUpbitExchange(UNREACHABLE_MARKET.endpointsFor('upbit'))],
    usdt: [createBinanceExchange(UNREACHABLE_MARKET.endpointsFor('binance'))],
  };
  legs = opened;
  return buildContainer({
    config: testConfig({ source }),
    clock: systemClock,
    logger: noopLogger,
    market: UNREACHABLE_MARKET,
    legs: opened,
    statusSink: new MemorySink(),
  });
}

afterEach(closeLegs);

describe('the DI graph', () => {
  it('resolves every registration, one instance of each per run, wired to each other', async () => {
    const c = compose('failover');
    const engine = c.resolve<ArbitrageEngine>(TOKENS.SpreadEngine);
    const broker = c.resolve<PaperBroker>(TOKENS.PaperBroker);
    const view = c.resolve<MarketView>(TOKENS.MarketView);
    expect(engine).toBeInstanceOf(ArbitrageEngine);
    expect(broker).toBeInstanceOf(PaperBroker);
    expect(view).toBeInstanceOf(MarketView);
    expect(c.resolve(TOKENS.RiskGuard)).toBeInstanceOf(RiskGuard);
    expect(c.resolve(TOKENS.LiveGuard)).toBeInstanceOf(LiveGuard);
    expect(c.resolve(TOKENS.MarketDataProvider)).toBeInstanceOf(FailoverMarketDataProvider);
    expect(c.resolve(TOKENS.Metrics)).toBeInstanceOf(RunnerMetrics);
    expect(c.resolve(TOKENS.EngineLoop)).toBeInstanceOf(EngineLoop);
    expect(c.resolve(TOKENS.StatusReporter)).toBeInstanceOf(StatusReporter);
    expect(c.resolve(TOKENS.ExchangeLegs)).toBe(legs);
    expect(c.resolve(TOKENS.Clock)).toBe(systemClock);
    expect(c.resolve(TOKENS.Config)).toMatchObject({ source: 'failover' });
    // Singletons per run: resolving twice gives the same object.
    for (const token of [
      TOKENS.SpreadEngine,
      TOKENS.PaperBroker,
      TOKENS.RiskGuard,
      TOKENS.MarketDataProvider,
      TOKENS.Metrics,
      TOKENS.MarketView,
      TOKENS.EngineLoop,
      TOKENS.StatusReporter,
    ]) {
      expect(c.resolve(token)).toBe(c.resolve(token));
    }
    // The engine trades through the registered broker and reads the registered view.
    expect(engine.summary().balances).toEqual(broker.balances());
    // One composition path: the registered parts are those of the engine package's own createPaperEngine.
    const paper = c.resolve<PaperEngine>(TOKENS.PaperEngine);
    expect([paper.engine, paper.broker, paper.market, paper.riskGuard]).toEqual([
      engine,
      broker,
      view,
      c.resolve(TOKENS.RiskGuard),
    ]);
    // Fees come from the plugins' venue descriptions, by role.
    expect(engine.config.routes.map((route) => [route.name, route.fees])).toEqual([
      ['upbit-binance', { krw: 0.0005, usdt: 0.001, conversion: 0 }],
    ]);
    expect(engine.config.exchanges).toEqual({ krw: ['upbit'], usdt: ['binance'] });
    expect(view.find('upbit', 'USDT/KRW')).toBeDefined();
    expect(engine.markets().map((m) => `${m.exchange}:${m.symbol}`)).toEqual([
      'upbit:BTC/KRW',
      'binance:BTC/USDT',
      'upbit:ETH/KRW',
      'binance:ETH/USDT',
      'upbit:XRP/KRW',
      'binance:XRP/USDT',
      'upbit:USDT/KRW',
    ]);
    await c.dispose();
  });

  it('builds the provider --source asks for', async () => {
    expect(compose('ws').resolve(TOKENS.MarketDataProvider)).toBeInstanceOf(WebSocketMarketDataProvider);
    await closeLegs();
    expect(compose('rest').resolve(TOKENS.MarketDataProvider)).toBeInstanceOf(RestMarketDataProvider);
  });

  it('is a child container: nothing is registered in the global one', () => {
    compose('failover');
    expect(container.isRegistered(TOKENS.SpreadEngine)).toBe(false);
    expect(container.isRegistered(TOKENS.EngineLoop)).toBe(false);
  });
});
