import { describe, expect, it } from 'vitest';
import { bookDefect } from './snapshot-check.js';

describe('bookDefect', () => {
  it('accepts a sound book, and an empty or one-sided one', () => {
    expect(
      bookDefect({
        bids: [
          [100, 1],
          [99, 2],
        ],
        asks: [
          [101, 1],
          [102, 3],
        ],
      }),
    ).toBeUndefined();
    expect(bookDefect({ bids: [], asks: [] })).toBeUndefined();
    expect(bookDefect({ bids: [[100, 1]], asks: [] })).toBeUndefined();
  });

  it('reports a crossed or locked book', () => {
    expect(bookDefect({ bids: [[101, 1]], asks: [[100, 1]] })).toEqual({
      kind: 'crossed',
      detail: 'crossed: best bid 101 >= best ask 100',
    });
    expect(bookDefect({ bids: [[100, 1]], asks: [[100, 1]] })?.kind).toBe('crossed');
  });

  it('reports unsorted sides and impossible levels', () => {
    expect(
      bookDefect({
        bids: [
          [99, 1],
          [100, 1],
        ],
        asks: [],
      })?.detail,
    ).toMatch(/bid prices are not strictly descending/);
    expect(
      bookDefect({
        bids: [],
        asks: [
          [101, 1],
          [101, 2],
        ],
      })?.detail,
    ).toMatch(/ask prices/);
    expect(bookDefect({ bids: [[100, -1]], asks: [] })).toEqual({
      kind: 'invalid',
      detail: 'bid level 0 is [100, -1]',
    });
    expect(bookDefect({ bids: [], asks: [[Number.NaN, 1]] })?.kind).toBe('invalid');
  });
});
