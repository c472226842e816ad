import { ConfigError } from '@arbitrage/core';
import { describe, expect, it } from 'vitest';
import {
  checkEngineConfig,
  type EngineConfig,
  requiredMarkets,
  resolveEngineConfig,
} from './engine-config.js';
import { TEST_VENUES, testVenue } from './test-support/venues.js';

const BASE: EngineConfig = { assets: [{ asset: 'BTC', tradeSize: 0.01 }] };

describe('resolveEngineConfig', () => {
  it("fills the defaults: the default strategy, both directions, the USDT/KRW book, and the venues' own taker fees", () => {
    const config = resolveEngineConfig(BASE, TEST_VENUES);
    expect(config.entry).toEqual({ minExpectedProfit: 0.003 });
    expect(config.exit).toEqual({ convergenceBand: 0.002, stopLoss: 0.02, maxHoldingMs: 21_600_000 });
    expect(config.baseline).toEqual({
      mode: 'rolling',
      statistic: 'median',
      windowMs: 7_200_000,
      warmupMs: 600_000,
    });
    expect(config.directions).toEqual(['sell_krw_buy_usdt', 'buy_krw_sell_usdt']);
    expect(config.conversion).toEqual({ mode: 'usdt-book' });
    expect(config.routes).toEqual([
      {
        name: 'upbit-binance',
        krw: 'upbit',
        usdt: 'binance',
        fees: { krw: 0.0005, usdt: 0.001, conversion: 0 },
        conversionMarket: { exchange: 'upbit', symbol: 'USDT/KRW' },
      },
    ]);
    expect(config.exchanges).toEqual({ krw: ['upbit'], usdt: ['binance'] });
    expect(requiredMarkets(config)).toEqual([
      { exchange: 'upbit', symbol: 'BTC/KRW' },
      { exchange: 'binance', symbol: 'BTC/USDT' },
      { exchange: 'upbit', symbol: 'USDT/KRW' },
    ]);
  });

  it('needs no USDT/KRW market in FX mode; takes any venue ids and fee overrides', () => {
    const config = resolveEngineConfig(
      { ...BASE, conversion: { mode: 'fx', usdKrw: 1_380 }, takerFees: { usdt: 0.00075 } },
      { ...TEST_VENUES, krw: { id: 'krw-sim', venue: testVenue('KRW', 0.0004) } },
    );
    expect(config.routes[0]!.fees).toEqual({ krw: 0.0004, usdt: 0.00075, conversion: 0 });
    expect(requiredMarkets(config)).toEqual([
      { exchange: 'krw-sim', symbol: 'BTC/KRW' },
      { exchange: 'binance', symbol: 'BTC/USDT' },
    ]);
  });

  it("refuses a venue that does not quote in its leg's currency, or charges an impossible fee", () => {
    expect(() => resolveEngineConfig(BASE, { krw: TEST_VENUES.usdt, usdt: TEST_VENUES.krw })).toThrow(
      'the krw leg needs a venue quoting in KRW, but exchange "binance" quotes in USDT',
    );
    expect(() =>
      resolveEngineConfig(BASE, { ...TEST_VENUES, usdt: { id: 'x', venue: testVenue('USDT', 0.5) } }),
    ).toThrow('exchange "x" venue.fees.taker is 0.5; expected a fraction in [0, 0.1)');
  });

  it.each([
    [{ assets: [] }, /engine.assets must list at least one asset/],
    [{ assets: [{ asset: 'btc', tradeSize: 1 }] }, /engine.assets\[0\].asset is "btc"/],
    [{ assets: [{ asset: 'USDT', tradeSize: 1 }] }, /engine.assets\[0\].asset is "USDT"/],
    [
      { assets: [{ asset: 'BTC', tradeSize: 0 }] },
      /engine.assets\[0\].tradeSize is 0; expected a number above 0/,
    ],
    [
      {
        assets: [
          { asset: 'BTC', tradeSize: 1 },
          { asset: 'BTC', tradeSize: 2 },
        ],
      },
      /listed twice/,
    ],
    [
      { entryThreshold: 0.004 },
      /engine.entryThreshold is no longer read: use engine.entry.minExpectedProfit/,
    ],
    [{ exitThreshold: 0.001 }, /engine.exitThreshold is no longer read: use engine.exit.convergenceBand/],
    [{ maxHoldingMs: 1 }, /engine.maxHoldingMs is no longer read: use engine.exit.maxHoldingMs/],
    [
      { entry: { minExpectedProfit: -0.001 } },
      /engine.entry.minExpectedProfit is -0.001; expected a fraction in \[0, 0.1\)/,
    ],
    [{ entry: { minExpectedProfit: Number.NaN } }, /engine.entry.minExpectedProfit is NaN/],
    [
      { exit: { convergenceBand: 0.001, stopLoss: 0, maxHoldingMs: 1 } },
      /engine.exit.stopLoss is 0; expected a number above 0/,
    ],
    [
      { exit: { convergenceBand: 0.001, stopLoss: 0.02, maxHoldingMs: -1 } },
      /engine.exit.maxHoldingMs is -1/,
    ],
    [
      { baseline: { mode: 'rolling', windowMs: 60_000, warmupMs: 120_000 } },
      /engine.baseline.warmupMs is 120000; expected 0 to windowMs \(60000\)/,
    ],
    [
      { baseline: { mode: 'rolling', statistic: 'mode', windowMs: 60_000, warmupMs: 0 } },
      /engine.baseline.statistic is "mode"/,
    ],
    [{ baseline: { mode: 'fixed', premium: 2 } }, /engine.baseline.premium is 2/],
    [{ baseline: { mode: 'ewma' } }, /engine.baseline.mode must be "rolling" or "fixed"/],
    [{ conversion: { mode: 'fx', usdKrw: 0 } }, /engine.conversion.usdKrw is 0/],
    [{ takerFees: { krw: 0.5 } }, /engine.takerFees.krw is 0.5; expected a fraction in \[0, 0.1\)/],
    [{ directions: ['sideways'] }, /engine.directions contains "sideways"/],
  ])('rejects %j naming the field', (patch, message) => {
    const config = { ...BASE, ...patch } as EngineConfig;
    expect(() => checkEngineConfig(config)).toThrow(ConfigError);
    expect(() => resolveEngineConfig(config, TEST_VENUES)).toThrow(message);
  });
});
