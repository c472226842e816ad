import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidLevelError } from './errors.js';
import { OrderBook } from './order-book.js';
import type { BookSide, PriceLevel, VwapResult } from './types.js';
import { vwapLevels } from './vwap.js';

/** The obviously-correct model: a Map per side, sorted on every read. */
class NaiveBook {
  readonly sides: Record<BookSide, Map<number, number>> = { bid: new Map(), ask: new Map() };
  version = 0;

  set(side: BookSide, price: number, size: number): boolean {
    const levels = this.sides[side];
    const current = levels.get(price);
    if (size === 0) {
      if (current === undefined) return false;
      levels.delete(price);
    } else {
      if (current === size) return false;
      levels.set(price, size);
    }
    this.version++;
    return true;
  }

  applySnapshot(bids: readonly PriceLevel[], asks: readonly PriceLevel[]): void {
    for (const [side, levels] of [
      ['bid', bids],
      ['ask', asks],
    ] as const) {
      this.sides[side].clear();
      for (const [price, size] of levels) if (size !== 0) this.sides[side].set(price, size);
    }
    this.version++;
  }

  clear(): void {
    this.sides.bid.clear();
    this.sides.ask.clear();
    this.version++;
  }

  truncate(maxLevels: number): boolean {
    let removed = false;
    for (const side of ['bid', 'ask'] as const) {
      for (const [price] of this.sorted(side).slice(maxLevels)) {
        this.sides[side].delete(price);
        removed = true;
      }
    }
    if (removed) this.version++;
    return removed;
  }

  sorted(side: BookSide): PriceLevel[] {
    const levels = [...this.sides[side]].map(([price, size]): PriceLevel => [price, size]);
    return levels.sort((a, b) => (side === 'bid' ? b[0] - a[0] : a[0] - b[0]));
  }

  vwap(side: BookSide, size: number): { filled: number; notional: number; levels: number } {
    let remaining = size;
    let filled = 0;
    let notional = 0;
    let levels = 0;
    for (const [price, available] of this.sorted(side)) {
      if (remaining <= 0) break;
      const take = Math.min(available, remaining);
      remaining -= take;
      filled += take;
      notional += take * price;
      levels++;
    }
    return { filled, notional, levels };
  }
}

// A small price grid makes updates hit, replace and remove existing levels; bids and asks overlap
// on it so crossed books occur too.
const price = fc.oneof(
  { weight: 9, arbitrary: fc.integer({ min: 1, max: 40 }).map((tick) => tick * 0.5) },
  { weight: 1, arbitrary: fc.double({ min: 1e-6, max: 1e9, noNaN: true, noDefaultInfinity: true }) },
);
const size = fc.oneof(
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 4, arbitrary: fc.double({ min: 1e-8, max: 1e6, noNaN: true, noDefaultInfinity: true }) },
  { weight: 3, arbitrary: fc.constantFrom(1, 2, 3) },
);
const side = fc.constantFrom<BookSide>('bid', 'ask');
const level = fc.tuple(price, size).map((pair): PriceLevel => pair);
const invalidLevel = fc.oneof(
  fc.tuple(fc.constantFrom(Number.NaN, 0, -1, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY), size),
  fc.tuple(price, fc.constantFrom(Number.NaN, -1e-9, -5, Number.POSITIVE_INFINITY)),
);

type Op =
  | { kind: 'set'; side: BookSide; price: number; size: number }
  | { kind: 'setInvalid'; side: BookSide; price: number; size: number }
  | { kind: 'snapshot'; bids: PriceLevel[]; asks: PriceLevel[]; ordered: boolean }
  | { kind: 'clear' }
  | { kind: 'truncate'; maxLevels: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 30,
    arbitrary: fc.record({ kind: fc.constant('set' as const), side, price, size }),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(side, invalidLevel)
      .map(([s, [p, q]]): Op => ({ kind: 'setInvalid', side: s, price: p, size: q })),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('snapshot' as const),
      bids: fc.array(level, { maxLength: 40 }),
      asks: fc.array(level, { maxLength: 40 }),
      ordered: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), maxLevels: fc.nat(30) }) },
);

/** Best first, as exchanges send snapshots; `ordered: false` keeps the generated (random) order. */
function bestFirst(levels: PriceLevel[], bookSide: BookSide): PriceLevel[] {
  return [...levels].sort((a, b) => (bookSide === 'bid' ? b[0] - a[0] : a[0] - b[0]));
}

function apply(book: OrderBook, model: NaiveBook, step: Op): void {
  switch (step.kind) {
    case 'set':
      expect(book.set(step.side, step.price, step.size)).toBe(model.set(step.side, step.price, step.size));
      break;
    case 'setInvalid':
      expect(() => book.set(step.side, step.price, step.size)).toThrow(InvalidLevelError);
      break;
    case 'snapshot': {
      const bids = step.ordered ? bestFirst(step.bids, 'bid') : step.bids;
      const asks = step.ordered ? bestFirst(step.asks, 'ask') : step.asks;
      book.applySnapshot(bids, asks);
      model.applySnapshot(bids, asks);
      break;
    }
    case 'clear':
      book.clear();
      model.clear();
      break;
    case 'truncate':
      expect(book.truncate(step.maxLevels)).toBe(model.truncate(step.maxLevels));
      break;
  }
}

function expectClose(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
}

function expectVwap(result: VwapResult, expected: ReturnType<NaiveBook['vwap']>, requested: number): void {
  expectClose(result.filledSize, expected.filled);
  expect(result.filledSize).toBeLessThanOrEqual(requested);
  expectClose(result.notional, expected.notional);
  expect(result.levels).toBe(expected.levels);
  if (expected.filled > 0) expectClose(result.averagePrice, expected.notional / expected.filled);
  else expect(result.averagePrice).toBeNaN();
}

function check(book: OrderBook, model: NaiveBook, vwapSizes: readonly number[]): void {
  expect(book.version).toBe(model.version);
  for (const bookSide of ['bid', 'ask'] as const) {
    const expected = model.sorted(bookSide);
    expect(book.depth(bookSide)).toBe(expected.length);
    expect(book.top(bookSide)).toEqual(expected);
    expect(book.top(bookSide, 5)).toEqual(expected.slice(0, 5));
    const best = expected[0];
    expect(book.bestPrice(bookSide)).toBe(best === undefined ? Number.NaN : best[0]);
    expect(book.bestSize(bookSide)).toBe(best === undefined ? Number.NaN : best[1]);
    expect(bookSide === 'bid' ? book.bestBid() : book.bestAsk()).toEqual(best);
    for (const requested of vwapSizes) {
      const result = book.vwap(bookSide, requested);
      expectVwap(result, model.vwap(bookSide, requested), requested);
      expect(vwapLevels(book.top(bookSide), requested)).toEqual(result);
    }
  }
  const bestBid = model.sorted('bid')[0];
  const bestAsk = model.sorted('ask')[0];
  expect(book.isCrossed()).toBe(bestBid !== undefined && bestAsk !== undefined && bestBid[0] >= bestAsk[0]);
}

describe('OrderBook against a naive model', () => {
  it('agrees after every step of random set / applySnapshot / clear / truncate sequences', () => {
    fc.assert(
      fc.property(
        fc.array(op, { minLength: 1, maxLength: 120 }),
        fc.array(fc.double({ min: 1e-6, max: 2e6, noNaN: true, noDefaultInfinity: true }), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.integer({ min: 1, max: 8 }),
        (steps, vwapSizes, initialCapacity) => {
          const book = new OrderBook({ initialCapacity });
          const model = new NaiveBook();
          for (const step of steps) {
            apply(book, model, step);
            check(book, model, vwapSizes);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
