import { ConfigError } from '@arbitrage/core';
import { describe, expect, it } from 'vitest';
import { type EngineConfig, requiredMarkets, resolveEngineConfig } from './engine-config.js';

const BASE: EngineConfig = {
  assets: [{ asset: 'BTC', tradeSize: 0.01 }],
  entryThreshold: 0.01,
  exitThreshold: 0.002,
  maxHoldingMs: 60_000,
};

describe('resolveEngineConfig', () => {
  it('fills the defaults: both directions, KRW-USDT book, Upbit 0.05 % and Binance 0.10 % taker fees', () => {
    const config = resolveEngineConfig(BASE);
    expect(config.directions).toEqual(['sell_upbit_buy_binance', 'buy_upbit_sell_binance']);
    expect(config.conversion).toEqual({ mode: 'usdt-book' });
    expect(config.fees).toEqual({ upbit: 0.0005, binance: 0.001, conversion: 0 });
    expect(requiredMarkets(config)).toEqual([
      { exchange: 'upbit', symbol: 'BTC/KRW' },
      { exchange: 'binance', symbol: 'BTC/USDT' },
      { exchange: 'upbit', symbol: 'USDT/KRW' },
    ]);
  });

  it('needs no USDT/KRW market in FX mode, and takes custom exchange ids and fees', () => {
    const config = resolveEngineConfig({
      ...BASE,
      conversion: { mode: 'fx', usdKrw: 1_380 },
      exchanges: { upbit: 'upbit-sim' },
      takerFees: { binance: 0.00075 },
    });
    expect(config.fees.binance).toBe(0.00075);
    expect(requiredMarkets(config)).toEqual([
      { exchange: 'upbit-sim', symbol: 'BTC/KRW' },
      { exchange: 'binance', symbol: 'BTC/USDT' },
    ]);
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
    [{ exitThreshold: 0.01 }, /exitThreshold \(0.01\) must be below engine.entryThreshold/],
    [{ entryThreshold: Number.NaN }, /engine.entryThreshold is NaN/],
    [{ maxHoldingMs: -1 }, /engine.maxHoldingMs is -1/],
    [{ conversion: { mode: 'fx', usdKrw: 0 } }, /engine.conversion.usdKrw is 0/],
    [{ takerFees: { upbit: 0.5 } }, /engine.takerFees.upbit is 0.5; expected a fraction in \[0, 0.1\)/],
    [{ directions: ['sideways'] }, /engine.directions contains "sideways"/],
  ])('rejects %j naming the field', (patch, message) => {
    const config = { ...BASE, ...patch } as EngineConfig;
    expect(() => resolveEngineConfig(config)).toThrow(ConfigError);
    expect(() => resolveEngineConfig(config)).toThrow(message);
  });
});
