import { describe, expect, it } from 'vitest';
import { MarketRules } from './market-rules.js';

const info = (lotSize: number | undefined, minNotional?: number) =>
  new MarketRules([
    {
      exchange: 'x',
      symbol: 'BTC/USDT',
      nativeSymbol: 'BTCUSDT',
      base: 'BTC',
      quote: 'USDT',
      lotSize,
      minNotional,
    },
  ]);

describe('MarketRules', () => {
  it('floors to whole lots without float residue', () => {
    expect(info(0.00001).floorToLot('x', 'BTC/USDT', 0.0123456)).toBe(0.01234);
    expect(info(0.25).floorToLot('x', 'BTC/USDT', 1.3)).toBe(1.25);
    expect(info(1e-8).floorToLot('x', 'BTC/USDT', 0.123456789)).toBe(0.12345678);
    expect(info(0.1).floorToLot('x', 'BTC/USDT', 0.3)).toBe(0.3);
    expect(info(undefined).floorToLot('x', 'BTC/USDT', 0.123)).toBe(0.123);
    expect(info(0.001).floorToLot('y', 'BTC/USDT', 0.12345)).toBe(0.12345);
  });

  it('checks the minimum notional only where one is known', () => {
    expect(info(undefined, 5).meetsMinNotional('x', 'BTC/USDT', 4.99)).toBe(false);
    expect(info(undefined, 5).meetsMinNotional('x', 'BTC/USDT', 5)).toBe(true);
    expect(info(undefined).meetsMinNotional('x', 'BTC/USDT', 0.01)).toBe(true);
  });
});
