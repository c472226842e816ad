import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLiveBook, LiveBookState } from './live-book.js';
import { OrderBook } from './order-book.js';
import type { LiveBook } from './plugin.js';

function liveBook(): LiveBookState {
  const live = createLiveBook({ exchange: 'binance', symbol: 'BTC/USDT', nativeSymbol: 'BTCUSDT' });
  live.book.applySnapshot(
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
  live.recordUpdate(1_000, 1_005, 42);
  return live;
}

describe('LiveBookState', () => {
  it('implements LiveBook and materialises a snapshot with the metadata of the last update', () => {
    const live: LiveBook = liveBook();
    expect(live.snapshot()).toEqual({
      exchange: 'binance',
      symbol: 'BTC/USDT',
      nativeSymbol: 'BTCUSDT',
      bids: [
        [100, 1],
        [99, 2],
        [98, 3],
      ],
      asks: [
        [101, 1],
        [102, 2],
      ],
      sequence: 42,
      exchangeTime: 1_000,
      receivedAt: 1_005,
      source: 'ws',
    });
  });

  it('returns the same snapshot object until the book version changes', () => {
    const live = liveBook();
    const first = live.snapshot();
    expect(live.snapshot()).toBe(first);
    live.book.set('bid', 42, 0); // absent level: no change, no new snapshot
    expect(live.snapshot()).toBe(first);
    live.book.set('bid', 100, 5);
    const second = live.snapshot();
    expect(second).not.toBe(first);
    expect(second.bids[0]).toEqual([100, 5]);
    expect(first.bids[0]).toEqual([100, 1]);
  });

  it('makes a new snapshot when only the metadata changed, sharing the frozen levels', () => {
    const live = liveBook();
    const first = live.snapshot();
    live.recordUpdate(2_000, 2_003);
    const second = live.snapshot();
    expect(second).not.toBe(first);
    expect(second.receivedAt).toBe(2_003);
    expect(second.exchangeTime).toBe(2_000);
    expect(second.sequence).toBe(42);
    expect(second.bids).toBe(first.bids);
  });

  it('reuses the levels of the last snapshot that the update left alone', () => {
    const live = liveBook();
    const first = live.snapshot(2);
    live.book.set('bid', 97, 4); // below the top 2: the same frozen sides
    live.recordUpdate(1_001, 1_006, 43);
    const second = live.snapshot(2);
    expect(second).not.toBe(first);
    expect(second.bids).toBe(first.bids);
    expect(second.asks).toBe(first.asks);
    live.book.set('bid', 100.5, 1); // a new best bid: [100, 1] moves down one place, same tuple
    const third = live.snapshot(2);
    expect(third.bids).toEqual([
      [100.5, 1],
      [100, 1],
    ]);
    expect(third.bids[1]).toBe(first.bids[0]);
    expect(third.asks).toBe(first.asks);
    live.book.set('ask', 101, 7); // a changed size: a new tuple
    const fourth = live.snapshot(2);
    expect(fourth.asks[0]).toEqual([101, 7]);
    expect(fourth.asks[1]).toBe(first.asks[1]);
    expect(first.asks[0]).toEqual([101, 1]);
  });

  it('materialises exactly the top of the book after any sequence of changes', () => {
    const level = fc.tuple(
      fc.constantFrom<'bid' | 'ask'>('bid', 'ask'),
      fc.integer({ min: 1, max: 30 }),
      fc.constantFrom(0, 0, 1, 2, 3),
    );
    fc.assert(
      fc.property(
        fc.array(fc.array(level, { maxLength: 6 }), { maxLength: 40 }),
        fc.integer({ min: 0, max: 12 }),
        (updates, depth) => {
          const live = createLiveBook({ exchange: 'x', symbol: 'A/B', nativeSymbol: 'AB' });
          for (const update of updates) {
            // Bids below 16, asks above 15: never crossed, so top() is the whole truth.
            for (const [side, tick, size] of update)
              live.book.set(side, side === 'bid' ? tick / 2 : 15 + tick, size);
            const snapshot = live.snapshot(depth);
            expect(snapshot.bids).toEqual(live.book.top('bid', depth));
            expect(snapshot.asks).toEqual(live.book.top('ask', depth));
            expect(
              Object.isFrozen(snapshot.bids) && snapshot.bids.every((tuple) => Object.isFrozen(tuple)),
            ).toBe(true);
          }
        },
      ),
    );
  });

  it('freezes the snapshot, its arrays and its levels', () => {
    const snapshot = liveBook().snapshot(2);
    expect(Object.isFrozen(snapshot)).toBe(true);
    expect(Object.isFrozen(snapshot.bids)).toBe(true);
    expect(Object.isFrozen(snapshot.asks)).toBe(true);
    expect(Object.isFrozen(snapshot.bids[0])).toBe(true);
    expect(() => {
      (snapshot.bids as Array<readonly [number, number]>).push([1, 1]);
    }).toThrow(TypeError);
  });

  it('limits the depth, caching each depth separately', () => {
    const live = liveBook();
    const top2 = live.snapshot(2);
    expect(top2.bids).toEqual([
      [100, 1],
      [99, 2],
    ]);
    expect(top2.asks).toHaveLength(2);
    expect(live.snapshot(2)).toBe(top2);
    expect(live.snapshot(2.7)).toBe(top2);
    expect(live.snapshot().bids).toHaveLength(3);
    expect(live.snapshot(2)).toBe(top2);
    expect(live.snapshot(0).bids).toEqual([]);
    expect(live.snapshot(-3).asks).toEqual([]);
  });

  it('leaves the sequence out for exchanges without one, and reset forgets it', () => {
    const live = createLiveBook({ exchange: 'upbit', symbol: 'BTC/KRW', nativeSymbol: 'KRW-BTC' });
    live.book.set('ask', 101, 1);
    live.recordUpdate(10, 11);
    expect('sequence' in live.snapshot()).toBe(false);
    live.recordUpdate(12, 13, 7);
    expect(live.snapshot().sequence).toBe(7);
    live.reset();
    expect(live.sequence).toBeUndefined();
    expect(live.book.depth('ask')).toBe(0);
    expect(live.snapshot().asks).toEqual([]);
    expect(live.snapshot().receivedAt).toBe(13);
  });

  it('wraps a given book and writes the given source', () => {
    const book = new OrderBook();
    const live = new LiveBookState({
      exchange: 'x',
      symbol: 'A/B',
      nativeSymbol: 'AB',
      source: 'rest',
      book,
    });
    expect(live.book).toBe(book);
    expect(live.snapshot().source).toBe('rest');
  });
});
