import {
  type ArbitrageError,
  emptyInstrumentCounters,
  type InstrumentState,
  OrderBook,
} from '@arbitrage/core';
import { describe, expect, it } from 'vitest';
import { BinanceFrameParser } from './frame-parser.js';
import { PartialDepthBook } from './partial-depth.js';
import { combined, type Level, partialData } from './test-support/frames.js';

function setup() {
  const book = new OrderBook();
  const counters = emptyInstrumentCounters();
  const states: InstrumentState[] = [];
  const errors: ArbitrageError[] = [];
  let applied = 0;
  const keeper = new PartialDepthBook({
    symbol: 'BTC/USDT',
    book,
    counters,
    listener: {
      state: (state) => states.push(state),
      applied: () => {
        states.push('live');
        applied++;
      },
      error: (e) => errors.push(e),
    },
  });
  const parser = new BinanceFrameParser();
  const feed = (id: number, bids: Level[], asks: Level[]) => {
    expect(parser.parse(combined('btcusdt@depth5@100ms', partialData(id, bids, asks)))).toBe('depth');
    keeper.onEvent(parser.event, 0);
  };
  return { book, counters, states, errors, keeper, feed, applied: () => applied };
}

describe('PartialDepthBook', () => {
  it('replaces the whole book with every message', () => {
    const s = setup();
    s.keeper.start();
    s.feed(
      10,
      [
        ['100', '1'],
        ['99', '2'],
      ],
      [
        ['101', '3'],
        ['102', '4'],
      ],
    );
    expect(s.states.at(-1)).toBe('live');
    expect(s.book.top('bid', 5)).toEqual([
      [100, 1],
      [99, 2],
    ]);
    s.feed(11, [['98', '5']], [['103', '6']]);
    expect(s.book.top('bid', 5)).toEqual([[98, 5]]);
    expect(s.book.top('ask', 5)).toEqual([[103, 6]]);
    expect(s.applied()).toBe(2);
    expect(s.counters.updates).toBe(2);
  });

  it('drops and counts a message older than the book', () => {
    const s = setup();
    s.keeper.start();
    s.feed(10, [['100', '1']], [['101', '1']]);
    s.feed(9, [['90', '1']], [['91', '1']]);
    expect(s.counters.droppedStale).toBe(1);
    expect(s.book.bestPrice('bid')).toBe(100);
  });

  it('rejects a crossed snapshot and reports it', () => {
    const s = setup();
    s.keeper.start();
    s.feed(10, [['102', '1']], [['101', '1']]);
    expect(s.states.at(-1)).toBe('connecting');
    expect(s.errors[0]?.code).toBe('BOOK_CROSSED');
    expect(s.book.depth('bid')).toBe(0);
    s.feed(11, [['100', '1']], [['101', '1']]);
    expect(s.states.at(-1)).toBe('live');
    s.feed(12, [['102', '1']], [['101', '1']]);
    expect(s.states.at(-1)).toBe('resyncing');
  });

  it('ignores messages before start and after reset', () => {
    const s = setup();
    s.feed(10, [['100', '1']], [['101', '1']]);
    expect(s.applied()).toBe(0);
  });
});
