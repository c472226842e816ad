import { describe, expect, it } from 'vitest';
import { BTC_MARKET_TICK, krwTickSize, upbitTickSize, usdtTickSize } from './tick-size.js';

describe('krwTickSize (Upbit KRW table since 2025-07-31)', () => {
  it.each([
    [116_539_000, 1_000],
    [2_000_000, 1_000],
    [1_999_999, 1_000],
    [1_000_000, 1_000],
    [999_999, 500],
    [500_000, 500],
    [499_999, 100],
    [100_000, 100],
    [99_999, 50],
    [50_000, 50],
    [49_999, 10],
    [10_000, 10],
    [9_999, 5],
    [5_000, 5],
    [4_999, 1],
    [1_000, 1],
    [999, 1],
    [100, 1],
    [99.9, 0.1],
    [10, 0.1],
    [9.99, 0.01],
    [1, 0.01],
    [0.999, 0.001],
    [0.1, 0.001],
    [0.05, 0.0001],
    [0.005, 0.00001],
    [0.0005, 0.000001],
    [0.00005, 0.0000001],
    [0.000005, 0.00000001],
    [0, 0.00000001],
  ])('price %d -> tick %d', (price, tick) => {
    expect(krwTickSize(price)).toBe(tick);
  });

  it('applies the USDT/USDC half-won tick between 1,000 and 10,000 KRW only', () => {
    expect(krwTickSize(1_450, 'USDT')).toBe(0.5);
    expect(krwTickSize(1_450, 'USDC')).toBe(0.5);
    expect(krwTickSize(1_450, 'BTC')).toBe(1);
    expect(krwTickSize(999, 'USDT')).toBe(1);
    expect(krwTickSize(10_000, 'USDT')).toBe(10);
  });

  it('rejects prices that are not finite and non-negative', () => {
    expect(() => krwTickSize(-1)).toThrow(RangeError);
    expect(() => krwTickSize(Number.NaN)).toThrow(/finite/);
    expect(() => krwTickSize(Number.POSITIVE_INFINITY)).toThrow(/finite/);
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
