import { upbitKrwTickSize as coreKrwTickSize } from '@arbitrage/core';
import { upbitKrwTickSize as simulatorKrwTickSize } from '@arbitrage/simulator';
import { describe, expect, it } from 'vitest';
import { BTC_MARKET_TICK, krwTickSize, upbitTickSize, usdtTickSize } from './tick-size.js';

describe('krwTickSize', () => {
  // Defect 3f: the plugin and the simulator quote on one table (core's; its band edges are tested there).
  it("is the very function the simulator uses, core's upbitKrwTickSize", () => {
    expect(krwTickSize).toBe(coreKrwTickSize);
    expect(krwTickSize).toBe(simulatorKrwTickSize);
  });

  it('follows the current table below 100 KRW and the USDT/USDC exception', () => {
    expect(krwTickSize(99.9)).toBe(0.1);
    expect(krwTickSize(9.99)).toBe(0.01);
    expect(krwTickSize(1_450, 'USDT')).toBe(0.5);
    expect(upbitTickSize('KRW', 50, 'XRP')).toBe(0.1);
  });
});

describe('upbitTickSize', () => {
  it('dispatches on the quote currency', () => {
    expect(upbitTickSize('KRW', 3_000_000)).toBe(1_000);
    expect(upbitTickSize('BTC', 0.0123)).toBe(BTC_MARKET_TICK);
    expect(upbitTickSize('USDT', 105_000)).toBe(0.01);
    expect(upbitTickSize('EUR', 1)).toBeUndefined();
  });

  it('uses the USDT table', () => {
    expect(usdtTickSize(10)).toBe(0.01);
    expect(usdtTickSize(9.99)).toBe(0.001);
    expect(usdtTickSize(0.5)).toBe(0.0001);
    expect(usdtTickSize(0.00005)).toBe(0.00000001);
  });
});
