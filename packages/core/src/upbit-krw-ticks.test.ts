import { describe, expect, it } from 'vitest';
import { upbitKrwTickSize } from './upbit-krw-ticks.js';

// Issue 12, defect 3f: one KRW table, the one Upbit publishes since 2025-07-31. The bands below
// 100 KRW are where the old simulator copy (2024 table) was ten times too fine.
describe('upbitKrwTickSize (Upbit KRW table since 2025-07-31)', () => {
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
  ])('from 100 KRW up: price %d -> tick %d', (price, tick) => {
    expect(upbitKrwTickSize(price)).toBe(tick);
  });

  it.each([
    [99.9, 0.1],
    [10, 0.1],
    [9.99, 0.01],
    [1, 0.01],
    [0.999, 0.001],
    [0.1, 0.001],
    [0.0999, 0.0001],
    [0.01, 0.0001],
    [0.00999, 0.00001],
    [0.001, 0.00001],
    [0.000999, 0.000001],
    [0.0001, 0.000001],
    [0.0000999, 0.0000001],
    [0.00001, 0.0000001],
    [0.00000999, 0.00000001],
    [0, 0.00000001],
  ])('below 100 KRW: price %d -> tick %d', (price, tick) => {
    expect(upbitKrwTickSize(price)).toBe(tick);
  });

  it('applies the USDT/USDC half-won tick between 1,000 and 10,000 KRW only', () => {
    expect(upbitKrwTickSize(1_450, 'USDT')).toBe(0.5);
    expect(upbitKrwTickSize(1_000, 'USDC')).toBe(0.5);
    expect(upbitKrwTickSize(9_999, 'USDT')).toBe(0.5);
    expect(upbitKrwTickSize(1_450, 'BTC')).toBe(1);
    expect(upbitKrwTickSize(999, 'USDT')).toBe(1);
    expect(upbitKrwTickSize(10_000, 'USDT')).toBe(10);
  });

  it('rejects prices that are not finite and non-negative', () => {
    expect(() => upbitKrwTickSize(-1)).toThrow(RangeError);
    expect(() => upbitKrwTickSize(Number.NaN)).toThrow(/finite/);
    expect(() => upbitKrwTickSize(Number.POSITIVE_INFINITY)).toThrow(/finite/);
  });
});
