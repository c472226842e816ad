import { describe, expect, it } from 'vitest';
import { OrderBook } from './order-book.js';
import type { PriceLevel } from './types.js';
import { vwapLevels } from './vwap.js';

const asks: PriceLevel[] = [
  [101, 1],
  [102, 2],
  [104, 1],
];

describe('vwapLevels', () => {
  it('walks snapshot levels best first', () => {
    expect(vwapLevels(asks, 2)).toEqual({
      averagePrice: 101.5,
      filledSize: 2,
      notional: 203,
      worstPrice: 102,
      levels: 2,
    });
  });

  it('fills what there is when the side is too thin', () => {
    const result = vwapLevels(asks, 100);
    expect(result.filledSize).toBe(4);
    expect(result.notional).toBe(101 + 204 + 104);
    expect(result.averagePrice).toBeCloseTo(409 / 4, 12);
    expect(result.levels).toBe(3);
  });

  it('fills nothing from an empty side or for a size that is not positive', () => {
    for (const [levels, size] of [
      [[], 1],
      [asks, 0],
      [asks, -2],
      [asks, Number.NaN],
    ] as const) {
      const result = vwapLevels(levels, size);
      expect(result.filledSize).toBe(0);
      expect(result.averagePrice).toBeNaN();
      expect(result.levels).toBe(0);
    }
  });

  it('gives the same answer as OrderBook.vwap over the same levels', () => {
    const book = new OrderBook();
    book.applySnapshot([], asks);
    for (const size of [0.5, 1, 1.5, 3.25, 4, 9]) {
      expect(vwapLevels(book.top('ask'), size)).toEqual(book.vwap('ask', size));
    }
  });
});
