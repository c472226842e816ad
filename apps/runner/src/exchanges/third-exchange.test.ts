import { ConfigError, ManualClock, noopLogger, systemClock } from '@arbitrage/core';
import type { ArbitrageEngine, PaperBroker } from '@arbitrage/engine';
import { afterEach, describe, expect, it } from 'vitest';
import { buildContainer } from '../di/build-container.js';
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
    packages: PACKAGES_WITH_FAKEX,
    importer: async (specifier) =>
      specifier === '@example/exchange-fakex' ? fakexModule(quoteCurrency) : import(specifier),
  });
  legs = await openExchanges({
    config,
    factories,
    market: UNREACHABLE_MARKET,
    clock: systemClock,
    logger: noopLogger,
  });
  return { config, legs };
}

describe('a third exchange', () => {
  it('registered by one registry line, serves as the USDT leg with its own fees and lot size', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const { config } = await open('USDT');
    const c = buildContainer({
      config,
      clock,
      logger: noopLogger,
      market: UNREACHABLE_MARKET,
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
    engine.onSnapshot(deepBook('upbit', 'USDT/KRW', 1_400, now));
    engine.onSnapshot(deepBook('fakex', 'BTC/USDT', 100_000, now));
    expect(engine.onSnapshot(deepBook('upbit', 'BTC/KRW', 142_800_000, now))).toBe(1);
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
