import { describe, expect, it } from 'vitest';
import { ConfigError, InvalidLevelError } from './errors.js';
import { OrderBook } from './order-book.js';
import type { PriceLevel } from './types.js';

function book(bids: PriceLevel[], asks: PriceLevel[]): OrderBook {
  const result = new OrderBook();
  result.applySnapshot(bids, asks);
  return result;
}

/** A deterministic shuffle (LCG) so failures reproduce. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const result = [...items];
  let state = seed;
  for (let i = result.length - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    const j = state % (i + 1);
    [result[i], result[j]] = [result[j]!, result[i]!];
  }
  return result;
}

describe('OrderBook updates', () => {
  it('keeps bids descending and asks ascending, best first', () => {
    const b = new OrderBook();
    for (const price of [100, 102, 101, 99]) b.set('bid', price, price / 100);
    for (const price of [105, 103, 104, 106]) b.set('ask', price, 1);
    expect(b.top('bid')).toEqual([
      [102, 1.02],
      [101, 1.01],
      [100, 1],
      [99, 0.99],
    ]);
    expect(b.top('ask', 2)).toEqual([
      [103, 1],
      [104, 1],
    ]);
    expect(b.bestBid()).toEqual([102, 1.02]);
    expect(b.bestAsk()).toEqual([103, 1]);
    expect(b.bestPrice('bid')).toBe(102);
    expect(b.bestSize('ask')).toBe(1);
  });

  it('treats sizes as absolute: a repeat replaces, zero removes', () => {
    const b = book([[100, 1]], []);
    expect(b.set('bid', 100, 3)).toBe(true);
    expect(b.top('bid')).toEqual([[100, 3]]);
    expect(b.set('bid', 100, 0)).toBe(true);
    expect(b.depth('bid')).toBe(0);
  });

  it('removing an absent level is a no-op that does not bump the version', () => {
    const b = book([[100, 1]], [[101, 1]]);
    const version = b.version;
    expect(b.set('bid', 99, 0)).toBe(false);
    expect(b.set('ask', 250, 0)).toBe(false);
    expect(b.version).toBe(version);
    expect(b.top('bid')).toEqual([[100, 1]]);
  });

  it('setting the same size again changes nothing and keeps the version', () => {
    const b = book([[100, 1]], []);
    const version = b.version;
    expect(b.set('bid', 100, 1)).toBe(false);
    expect(b.version).toBe(version);
    b.set('bid', 100, 2);
    expect(b.version).toBe(version + 1);
  });

  it('grows past its initial capacity to thousands of levels, inserted in any order', () => {
    const b = new OrderBook({ initialCapacity: 1 });
    const prices = Array.from({ length: 5000 }, (_, i) => 10_000 + i * 0.5);
    for (const price of shuffled(prices, 7)) {
      b.set('bid', price, 1);
      b.set('ask', price + 10_000, 2);
    }
    expect(b.depth('bid')).toBe(5000);
    expect(b.depth('ask')).toBe(5000);
    const bids = b.top('bid');
    const asks = b.top('ask');
    for (let i = 1; i < 5000; i++) {
      expect(bids[i]![0]).toBeLessThan(bids[i - 1]![0]);
      expect(asks[i]![0]).toBeGreaterThan(asks[i - 1]![0]);
    }
    expect(b.bestBid()).toEqual([prices.at(-1), 1]);
    expect(b.bestAsk()).toEqual([prices[0]! + 10_000, 2]);
    // Remove every other level deep and shallow, then check the survivors.
    for (const price of shuffled(prices, 11).filter((_, i) => i % 2 === 0)) b.set('bid', price, 0);
    expect(b.depth('bid')).toBe(2500);
    expect(new Set(b.top('bid').map(([price]) => price)).size).toBe(2500);
  });

  it('tells the top levels apart from deep ones with a zero-allocation accessor', () => {
    const b = book(
      [
        [100, 1],
        [99, 2],
      ],
      [[101, 3]],
    );
    expect(b.priceAt('bid', 1)).toBe(99);
    expect(b.sizeAt('bid', 1)).toBe(2);
    expect(b.priceAt('ask', 0)).toBe(101);
    expect(b.priceAt('ask', 1)).toBeNaN();
    expect(b.sizeAt('bid', -1)).toBeNaN();
  });

  it('copies the top of a side into typed arrays, as many levels as fit', () => {
    const b = book(
      [
        [100, 1],
        [99, 2],
        [98, 3],
      ],
      [[101, 3]],
    );
    const prices = new Float64Array(2);
    const sizes = new Float64Array(2);
    expect(b.copyTop('bid', prices, sizes)).toBe(2);
    expect([...prices, ...sizes]).toEqual([100, 99, 1, 2]);
    expect(b.copyTop('ask', prices, sizes, 5)).toBe(1);
    expect(prices[0]).toBe(101);
    expect(b.copyTop('bid', prices, sizes, 1.9)).toBe(1);
    expect(b.copyTop('bid', prices, sizes, Number.NaN)).toBe(0);
  });
});

describe('OrderBook snapshots', () => {
  it('skips zero sizes in a snapshot', () => {
    const b = book(
      [
        [100, 1],
        [99, 0],
        [98, 2],
      ],
      [
        [101, 0],
        [102, 5],
      ],
    );
    expect(b.top('bid')).toEqual([
      [100, 1],
      [98, 2],
    ]);
    expect(b.top('ask')).toEqual([[102, 5]]);
  });

  it('sorts unsorted snapshot input, and the last of duplicate prices wins', () => {
    const b = book(
      [
        [98, 1],
        [100, 1],
        [99, 1],
        [100, 7],
      ],
      [
        [103, 1],
        [101, 4],
        [101, 2],
        [102, 1],
      ],
    );
    expect(b.top('bid')).toEqual([
      [100, 7],
      [99, 1],
      [98, 1],
    ]);
    expect(b.top('ask')).toEqual([
      [101, 2],
      [102, 1],
      [103, 1],
    ]);
  });

  it('replaces the previous contents entirely and bumps the version', () => {
    const b = book([[100, 1]], [[101, 1]]);
    const version = b.version;
    b.applySnapshot([[90, 1]], []);
    expect(b.top('bid')).toEqual([[90, 1]]);
    expect(b.depth('ask')).toBe(0);
    expect(b.version).toBe(version + 1);
  });

  it('loads 5000 levels per side from a best-first snapshot', () => {
    const bids = Array.from({ length: 5000 }, (_, i): PriceLevel => [50_000 - i, 1 + i]);
    const asks = Array.from({ length: 5000 }, (_, i): PriceLevel => [50_001 + i, 1 + i]);
    const b = new OrderBook({ initialCapacity: 4 });
    b.applySnapshot(bids, asks);
    expect(b.top('bid')).toEqual(bids);
    expect(b.top('ask')).toEqual(asks);
  });

  it('clear empties both sides and bumps the version', () => {
    const b = book([[100, 1]], [[101, 1]]);
    const version = b.version;
    b.clear();
    expect(b.depth('bid') + b.depth('ask')).toBe(0);
    expect(b.bestPrice('bid')).toBeNaN();
    expect(b.bestBid()).toBeUndefined();
    expect(b.bestAsk()).toBeUndefined();
    expect(b.version).toBe(version + 1);
  });

  it('truncate keeps the best levels of each side', () => {
    const b = book(
      [
        [100, 1],
        [99, 1],
        [98, 1],
      ],
      [
        [101, 1],
        [102, 1],
      ],
    );
    const version = b.version;
    expect(b.truncate(2)).toBe(true);
    expect(b.top('bid')).toEqual([
      [100, 1],
      [99, 1],
    ]);
    expect(b.depth('ask')).toBe(2);
    expect(b.version).toBe(version + 1);
    expect(b.truncate(5)).toBe(false);
    expect(b.version).toBe(version + 1);
  });
});

describe('OrderBook input validation', () => {
  const invalid: Array<[string, number, number]> = [
    ['NaN price', Number.NaN, 1],
    ['zero price', 0, 1],
    ['negative price', -100, 1],
    ['infinite price', Number.POSITIVE_INFINITY, 1],
    ['NaN size', 100, Number.NaN],
    ['negative size', 100, -1],
    ['infinite size', 100, Number.POSITIVE_INFINITY],
  ];

  it.each(invalid)(
    'set rejects a %s with InvalidLevelError and leaves the book as it was',
    (_, price, size) => {
      const b = book(
        [
          [100, 1],
          [99, 2],
        ],
        [[101, 1]],
      );
      const version = b.version;
      let caught: unknown;
      try {
        b.set('bid', price, size);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InvalidLevelError);
      expect((caught as InvalidLevelError).code).toBe('LEVEL_INVALID');
      expect((caught as InvalidLevelError).message).toContain(`[${price}, ${size}]`);
      expect(b.top('bid')).toEqual([
        [100, 1],
        [99, 2],
      ]);
      expect(b.version).toBe(version);
    },
  );

  it('applySnapshot validates every level first: one bad level leaves the whole book untouched', () => {
    const b = book([[100, 1]], [[101, 1]]);
    const version = b.version;
    expect(() =>
      b.applySnapshot(
        [[90, 1]],
        [
          [91, 1],
          [92, Number.NaN],
        ],
      ),
    ).toThrow(/ask level #1 \[92, NaN\] rejected/);
    expect(b.top('bid')).toEqual([[100, 1]]);
    expect(b.top('ask')).toEqual([[101, 1]]);
    expect(b.version).toBe(version);
  });

  it('rejects an initial capacity that is not a positive integer', () => {
    expect(() => new OrderBook({ initialCapacity: 0 })).toThrow(ConfigError);
    expect(() => new OrderBook({ initialCapacity: 2.5 })).toThrow(/positive integer, got 2.5/);
  });
});

describe('OrderBook reads', () => {
  const b = book(
    [
      [100, 1],
      [99, 2],
      [98, 3],
    ],
    [
      [101, 1],
      [102, 2],
    ],
  );

  it('top clamps n: beyond depth gives all, fractions round down, NaN and negatives give none', () => {
    expect(b.top('bid', 10)).toHaveLength(3);
    expect(b.top('bid', 2.9)).toHaveLength(2);
    expect(b.top('bid', -1)).toEqual([]);
    expect(b.top('bid', Number.NaN)).toEqual([]);
    expect(b.top('ask', 0)).toEqual([]);
  });

  it('vwap walks from the best level and reports what it could fill', () => {
    expect(b.vwap('ask', 2)).toEqual({
      averagePrice: 101.5,
      filledSize: 2,
      notional: 203,
      worstPrice: 102,
      levels: 2,
    });
    expect(b.vwap('bid', 1)).toEqual({
      averagePrice: 100,
      filledSize: 1,
      notional: 100,
      worstPrice: 100,
      levels: 1,
    });
    const thin = b.vwap('ask', 10);
    expect(thin.filledSize).toBe(3);
    expect(thin.notional).toBe(305);
    expect(thin.levels).toBe(2);
  });

  it('vwap fills nothing for a size that is not positive', () => {
    for (const size of [0, -1, Number.NaN]) {
      const result = b.vwap('bid', size);
      expect(result.filledSize).toBe(0);
      expect(result.levels).toBe(0);
      expect(result.averagePrice).toBeNaN();
      expect(result.worstPrice).toBeNaN();
    }
  });

  it('vwap for an infinite size walks the whole side', () => {
    const result = b.vwap('bid', Number.POSITIVE_INFINITY);
    expect(result.filledSize).toBe(6);
    expect(result.notional).toBe(100 + 198 + 294);
    expect(result.worstPrice).toBe(98);
  });

  it('vwap reports exactly the requested size when the book covers it', () => {
    const fine = book(
      [
        [3, 0.1],
        [2, 0.2],
        [1, 5],
      ],
      [],
    );
    expect(fine.vwap('bid', 0.3).filledSize).toBe(0.3);
  });

  it('detects a crossed book (bid >= ask) and never calls a one-sided book crossed', () => {
    expect(b.isCrossed()).toBe(false);
    expect(book([[101, 1]], [[101, 1]]).isCrossed()).toBe(true);
    expect(book([[102, 1]], [[101, 1]]).isCrossed()).toBe(true);
    expect(book([[102, 1]], []).isCrossed()).toBe(false);
    expect(new OrderBook().isCrossed()).toBe(false);
  });
});
