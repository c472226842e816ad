import { ConfigError, ManualClock, noopLogger, type OrderBookSnapshot, systemClock } from '@arbitrage/core';
import type { ArbitrageEngine, PaperBroker } from '@arbitrage/engine';
import { afterEach, describe, expect, it } from 'vitest';
import { buildContainer } from '../di/build-container.js';
import type { MarketHandle } from '../market/market.js';
import { fakexModule } from '../test-support/fake-exchange.js';
import { FIXED_REFERENCE, MemorySink, testConfig } from '../test-support/support.js';
import { TOKENS } from '../tokens/runner-tokens.js';
import { type ExchangeLegs, legPlugins, openExchanges } from './open-exchanges.js';
import { EXCHANGE_PACKAGES, type ExchangePackage, loadExchangeFactories } from './registry.js';

// The one registry line a new exchange package adds (its dependency aside).
const PACKAGES: Readonly<Record<string, ExchangePackage>> = {
  ...EXCHANGE_PACKAGES,
  fakex: { packageName: '@example/exchange-fakex', factoryExport: 'createFakexExchange' },
};

// Loopback addresses nothing listens on: Upbit keeps its built-in market list.
const market: MarketHandle = {
  kind: 'sim',
  label: 'SIMULATED MARKET',
  endpointsFor: () => ({ restUrl: 'http://127.0.0.1:9', wsUrl: 'ws://127.0.0.1:9' }),
  simulator: undefined,
  timeScale: 1,
  preset: undefined,
  stop: async () => {},
};

let legs: ExchangeLegs | undefined;
afterEach(async () => {
  if (legs) await Promise.all(legPlugins(legs).map((plugin) => plugin.close()));
  legs = undefined;
});

async function open(quoteCurrency: string) {
  const config = testConfig({
    ...FIXED_REFERENCE,
    exchanges: { usdt: 'fakex' },
    assets: [{ asset: 'BTC', tradeSize: 0.01 }],
    limits: { maxPositionPerAsset: { BTC: 0.02 } },
  });
  const factories = await loadExchangeFactories(config.exchanges, {
    packages: PACKAGES,
    importer: async (specifier) =>
      specifier === '@example/exchange-fakex' ? fakexModule(quoteCurrency) : import(specifier),
  });
  legs = await openExchanges({ config, factories, market, clock: systemClock, logger: noopLogger });
  return { config, legs };
}

function book(exchange: string, symbol: string, mid: number, at: number): OrderBookSnapshot {
  return {
    exchange,
    symbol,
    nativeSymbol: symbol,
    bids: [[mid * 0.9999, 1_000_000]],
    asks: [[mid * 1.0001, 1_000_000]],
    exchangeTime: at,
    receivedAt: at,
    source: 'ws',
  };
}

describe('a third exchange', () => {
  it('registered by one registry line, serves as the USDT leg with its own fees and lot size', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const { config } = await open('USDT');
    const c = buildContainer({
      config,
      clock,
      logger: noopLogger,
      market,
      legs: legs!,
      statusSink: new MemorySink(),
    });
    const engine = c.resolve<ArbitrageEngine>(TOKENS.SpreadEngine);
    const broker = c.resolve<PaperBroker>(TOKENS.PaperBroker);
    expect(engine.config.routes[0]!.fees).toEqual({ krw: 0.0005, usdt: 0.002, conversion: 0 });
    expect(engine.markets()).toEqual([
      { exchange: 'upbit', symbol: 'BTC/KRW' },
      { exchange: 'fakex', symbol: 'BTC/USDT' },
      { exchange: 'upbit', symbol: 'USDT/KRW' },
    ]);
    expect(broker.initialBalances().fakex).toEqual(config.paper.initialBalances.usdt);

    // BTC 2 % dearer in KRW: the pair opens, buying on fakex.
    const now = clock.now();
    engine.onSnapshot(book('upbit', 'USDT/KRW', 1_400, now));
    engine.onSnapshot(book('fakex', 'BTC/USDT', 100_000, now));
    expect(engine.onSnapshot(book('upbit', 'BTC/KRW', 142_800_000, now))).toBe(1);
    expect(engine.lastDecision('BTC')).toMatchObject({ kind: 'open', direction: 'sell_krw_buy_usdt' });
    clock.advance(100);
    const fill = broker.fills().find((candidate) => candidate.exchange === 'fakex');
    expect(fill).toMatchObject({ side: 'buy', symbol: 'BTC/USDT', filledSize: 0.01, status: 'filled' });
    expect(fill!.fee).toBeCloseTo(fill!.notional * 0.002, 9);
    const dust = {
      exchange: 'fakex',
      symbol: 'BTC/USDT',
      side: 'buy',
      size: 0.0004,
      decisionPrice: 1e5,
    } as const;
    expect(broker.check(dust)).toBe('below_lot_size');
    await c.dispose();
  });

  it('is refused for a leg whose currency it does not quote in, naming it', async () => {
    const error = await open('EUR').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      'the usdt leg needs a venue quoting in USDT, but exchange "fakex" quotes in EUR',
    );
  });
});
