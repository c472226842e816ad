import { OrderBook } from '@arbitrage/core';
import { replaceBook } from '@arbitrage/exchange-kit';
import { bench, describe } from 'vitest';
import type { BookFrame } from '../src/book-frame.js';
import { UpbitFrameParser, type UpbitFrameSink } from '../src/frame-parser.js';
import { bookFrame, btcUnits } from '../src/test-support/frames.js';

/**
 * Upbit message path micro-benchmarks: one 30-unit orderbook frame (DEFAULT keys, binary, ~2.9 kB),
 * parsed, validated and normalised; and the same plus replacing an OrderBook with it.
 * Run: pnpm --filter @arbitrage/exchange-upbit bench
 */

const defaultFrame = bookFrame({ units: btcUnits(30) });
const simpleFrame = bookFrame({ units: btcUnits(30), format: 'SIMPLE' });

let checksum = 0;
const book = new OrderBook();
const countingSink: UpbitFrameSink = {
  onBook: (frame: BookFrame) => {
    checksum += frame.askPrices[0]! + frame.bidCount;
  },
  onStatus: () => {},
  onExchangeError: () => {},
  onOther: () => {},
  onInvalid: (error) => {
    throw error;
  },
};
const applyingSink: UpbitFrameSink = {
  ...countingSink,
  onBook: (frame: BookFrame) => replaceBook(book, frame, 30),
};

const scanner = new UpbitFrameParser();
const general = new UpbitFrameParser({ fastPath: false });

describe('upbit: parse + normalise one 30-unit orderbook frame', () => {
  bench('byte scanner, DEFAULT (used)', () => {
    scanner.parse(defaultFrame, countingSink);
  });
  bench('byte scanner, SIMPLE', () => {
    scanner.parse(simpleFrame, countingSink);
  });
  bench('UTF-8 check + JSON.parse + validation, DEFAULT', () => {
    general.parse(defaultFrame, countingSink);
  });
  bench('reference: bare JSON.parse(buffer.toString())', () => {
    checksum += (JSON.parse(defaultFrame.toString('utf8')) as { timestamp: number }).timestamp;
  });
});

describe('upbit: parse + replace the local OrderBook', () => {
  bench('byte scanner + replaceBook (the stream hot path)', () => {
    scanner.parse(defaultFrame, applyingSink);
  });
  bench('JSON.parse path + replaceBook', () => {
    general.parse(defaultFrame, applyingSink);
  });
});

/** Keeps the parsed values observable so the work cannot be optimised away. */
export function benchChecksum(): number {
  return checksum;
}
