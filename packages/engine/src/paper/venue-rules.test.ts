import { describe, expect, it } from 'vitest';
import { testVenue } from '../test-support/venues.js';
import { VenueRules } from './venue-rules.js';

const rules = (lotSize: number | undefined, minNotional?: number) =>
  new VenueRules({
    x: testVenue('USDT', 0.001, {
      'BTC/USDT': {
        ...(lotSize === undefined ? {} : { lotSize }),
        ...(minNotional === undefined ? {} : { minNotional }),
      },
    }),
  });

describe('VenueRules', () => {
  it('floors to whole lots without float residue', () => {
    expect(rules(0.00001).floorToLot('x', 'BTC/USDT', 0.0123456)).toBe(0.01234);
    expect(rules(0.25).floorToLot('x', 'BTC/USDT', 1.3)).toBe(1.25);
    expect(rules(1e-8).floorToLot('x', 'BTC/USDT', 0.123456789)).toBe(0.12345678);
    expect(rules(0.1).floorToLot('x', 'BTC/USDT', 0.3)).toBe(0.3);
    expect(rules(undefined).floorToLot('x', 'BTC/USDT', 0.123)).toBe(0.123);
    expect(rules(0.001).floorToLot('y', 'BTC/USDT', 0.12345)).toBe(0.12345);
  });

  it('checks the minimum notional only where one is known', () => {
    expect(rules(undefined, 5).meetsMinNotional('x', 'BTC/USDT', 4.99)).toBe(false);
    expect(rules(undefined, 5).meetsMinNotional('x', 'BTC/USDT', 5)).toBe(true);
    expect(rules(undefined).meetsMinNotional('x', 'BTC/USDT', 0.01)).toBe(true);
  });
});
