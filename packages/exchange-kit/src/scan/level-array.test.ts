import { describe, expect, it } from 'vitest';
import { BookEvent } from '../book/book-event.js';
import { InternedStrings } from './interned-strings.js';
import { levelsWithin, scanLevels } from './level-array.js';

const bytes = (text: string) => Buffer.from(text, 'latin1');

describe('scanLevels', () => {
  it('reads [price, size, …plain strings] levels into the event and returns the end', () => {
    const event = new BookEvent(1);
    const text = '[["100.5","2","0","7"],["99","0"]],';
    expect(scanLevels(bytes(text), 0, event, true, 10)).toBe(text.length - 1);
    expect([
      event.bidCount,
      event.bidPrices[0],
      event.bidSizes[0],
      event.bidPrices[1],
      event.bidSizes[1],
    ]).toEqual([2, 100.5, 2, 99, 0]);
    expect(scanLevels(bytes('[]'), 0, event, false, 10)).toBe(2);
    expect(event.askCount).toBe(0);
  });

  it.each([
    ['a number for a price', '[[1,"2"]]'],
    ['not a decimal', '[["abc","2"]]'],
    ['an escape in an extra field', '[["1","2","\\u0030"]]'],
    ['a space', '[ ["1","2"]]'],
    ['unterminated', '[["1","2"]'],
    ['one level too many', '[["1","2"],["2","2"],["3","2"]]'],
  ])('returns -1 for %s', (_name, text) => {
    expect(scanLevels(bytes(text), 0, new BookEvent(), true, 2)).toBe(-1);
  });
});

describe('levelsWithin', () => {
  it('checks ranges, and the order of a whole book', () => {
    const event = new BookEvent();
    event.pushBid(100, 1);
    event.pushBid(101, 1);
    expect(levelsWithin(event, 1e12, 1e15, false)).toBe(true);
    expect(levelsWithin(event, 1e12, 1e15, true)).toBe(false);
    event.pushAsk(0, 1);
    expect(levelsWithin(event, 1e12, 1e15, false)).toBe(false);
  });
});

describe('InternedStrings', () => {
  it('returns the same string for the same bytes, and undefined for escapes or non-ASCII', () => {
    const strings = new InternedStrings();
    const a = strings.read(bytes('x"BTC-USDT",'), 1);
    expect(a).toBe('BTC-USDT');
    expect(strings.end).toBe(11);
    expect(strings.read(bytes('"BTC-USDT"'), 0)).toBe(a);
    expect(strings.read(bytes('"a\\"b"'), 0)).toBeUndefined();
    expect(strings.read(Buffer.from('"é"', 'utf8'), 0)).toBeUndefined();
    expect(strings.read(bytes('"open'), 0)).toBeUndefined();
  });
});
