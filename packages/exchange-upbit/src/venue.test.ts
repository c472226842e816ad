import { describe, expect, it } from 'vitest';
import { createUpbitExchange } from './exchange.js';

describe('Upbit venue description', () => {
  const venue = createUpbitExchange().venue;

  it('is the KRW venue with the standard 0.05 % fees', () => {
    expect(venue.quoteCurrency).toBe('KRW');
    expect(venue.fees).toEqual({ taker: 0.0005, maker: 0.0005 });
  });

  it('gives a listed market its price-dependent tick and its minimum order value', () => {
    const rules = venue.marketRules('BTC/KRW')!;
    expect(rules.tickSize(116_539_000)).toBe(1_000);
    expect(rules.tickSize(7_500)).toBe(5);
    expect(rules.lotSize).toBeUndefined();
    expect(rules.minNotional).toBe(5_000);
    expect(venue.marketRules('NOPE/KRW')).toBeUndefined();
  });
});
