import type { BookEvent } from '@arbitrage/exchange-kit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type OkxFrame, OkxFrameParser } from './frame-parser.js';

type Level = readonly string[];

/** A books push exactly as OKX (and the simulator) writes it. */
function booksFrame(
  instId: string,
  action: string,
  prevSeqId: number,
  seqId: number,
  bids: readonly Level[],
  asks: readonly Level[],
  ts = '1700000000123',
  checksum = 0,
): string {
  return `{"arg":{"channel":"books","instId":"${instId}"},"action":"${action}","data":[{"asks":${JSON.stringify(asks)},"bids":${JSON.stringify(bids)},"ts":"${ts}","checksum":${checksum},"prevSeqId":${prevSeqId},"seqId":${seqId}}]}`;
}

function plain(event: BookEvent) {
  return {
    kind: event.kind,
    symbol: event.symbol,
    eventTime: event.eventTime,
    firstId: event.firstId,
    finalId: event.finalId,
    bids: Array.from({ length: event.bidCount }, (_, i) => [event.bidPrices[i], event.bidSizes[i]]),
    asks: Array.from({ length: event.askCount }, (_, i) => [event.askPrices[i], event.askSizes[i]]),
  };
}

/** What a parse means to the stream: the frame (an error by its reason) and, for a book, the event. */
function outcome(frame: OkxFrame, parser: OkxFrameParser) {
  if (frame.kind === 'invalid') return { kind: 'invalid', instId: frame.instId, reason: frame.error.reason };
  if (frame.kind === 'book') return { ...frame, event: plain(parser.event) };
  return frame;
}

/** Parsed both ways: the parser as used (scanner first) and the JSON.parse path alone. */
function both(bytes: Buffer) {
  const fast = new OkxFrameParser();
  const slow = new OkxFrameParser();
  return {
    fast: outcome(fast.parse(bytes), fast),
    slow: outcome(slow.parseSlow(bytes), slow),
    scanned: fast.fastFrames === 1,
  };
}

const L = (price: string, size: string): Level => [price, size, '0', '3'];

describe('OkxBookScanner: books pushes without JSON.parse (docs/protocols/okx.md E4)', () => {
  it('reads an update, a snapshot (prevSeqId -1) and a books5 push on the fast path, as JSON.parse does', () => {
    const frames = [
      booksFrame('BTC-USDT', 'update', 7, 9, [L('100.5', '1')], [L('101', '0')]),
      booksFrame('BTC-USDT', 'snapshot', -1, 9, [L('100', '1'), L('99', '2')], [L('101', '1')]),
      booksFrame('ETH-USDT', 'update', 9, 9, [], []),
      '{"arg":{"channel":"books5","instId":"ETH-USDT"},"data":[{"asks":[["11","1","0","1"]],"bids":[["10","1","0","1"]],"instId":"ETH-USDT","ts":"1700000000000","seqId":5}]}',
    ];
    for (const frame of frames) {
      const result = both(Buffer.from(frame));
      expect(result.scanned).toBe(true);
      expect(result.fast).toEqual(result.slow);
      expect(result.fast.kind).toBe('book');
    }
  });

  it('takes the data keys in any order, with unknown fields beside them', () => {
    const frame =
      '{"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"seqId":12,"new":{"a":[1,true,null]},"prevSeqId":11,"ts":"1700000000000","bids":[["1","2","0","1"]],"asks":[],"checksum":-855196043}]}';
    const result = both(Buffer.from(frame));
    expect(result.scanned).toBe(true);
    expect(result.fast).toEqual(result.slow);
  });

  it.each([
    ['whitespace', booksFrame('BTC-USDT', 'update', 1, 2, [], []).replace('"data":', '"data": ')],
    [
      'a duplicate key',
      booksFrame('BTC-USDT', 'update', 1, 2, [], []).replace('"seqId":2', '"seqId":2,"seqId":3'),
    ],
    ['an escaped key', booksFrame('BTC-USDT', 'update', 1, 2, [], []).replace('"seqId"', '"se\\u0071Id"')],
    ['a fractional id', booksFrame('BTC-USDT', 'update', 1, 2, [], []).replace('"seqId":2', '"seqId":2.5')],
    ['a leading zero', booksFrame('BTC-USDT', 'update', 1, 2, [], []).replace('"seqId":2', '"seqId":02')],
    ['prevSeqId -1 on an update', booksFrame('BTC-USDT', 'update', -1, 2, [], [])],
    ['an id as a string', booksFrame('BTC-USDT', 'update', 1, 2, [], []).replace('"seqId":2', '"seqId":"2"')],
    ['a price out of range', booksFrame('BTC-USDT', 'update', 1, 2, [L('1e20', '1')], [])],
    ['a negative size', booksFrame('BTC-USDT', 'update', 1, 2, [L('1', '-1')], [])],
    ['an unsorted snapshot', booksFrame('BTC-USDT', 'snapshot', -1, 2, [L('1', '1'), L('2', '1')], [])],
    [
      'numbers for levels',
      booksFrame('BTC-USDT', 'update', 1, 2, [], []).replace('"bids":[]', '"bids":[[1,2]]'),
    ],
    ['a ts of 0', booksFrame('BTC-USDT', 'update', 1, 2, [], [], '0')],
    ['an unknown action', booksFrame('BTC-USDT', 'wobble', 1, 2, [], [])],
    ['another channel', booksFrame('BTC-USDT', 'update', 1, 2, [], []).replace('"books"', '"books-l2-tbt"')],
    ['two data items', booksFrame('BTC-USDT', 'update', 1, 2, [], []).replace('}]}', '},{}]}')],
    [
      'an event beside the push',
      booksFrame('BTC-USDT', 'update', 1, 2, [], []).replace(/}$/, ',"event":"x"}'),
    ],
    ['trailing bytes', `${booksFrame('BTC-USDT', 'update', 1, 2, [], [])} `],
  ])('leaves %s to JSON.parse, with the same outcome', (_name, frame) => {
    const result = both(Buffer.from(frame));
    expect(result.scanned).toBe(false);
    expect(result.fast).toEqual(result.slow);
  });
});

describe('OkxBookScanner and the JSON.parse path agree (property)', () => {
  const decimal = fc
    .tuple(
      fc.integer({ min: 0, max: 9_999_999 }),
      fc.integer({ min: 0, max: 99_999_999 }),
      fc.integer({ min: 0, max: 8 }),
    )
    .map(([whole, fraction, scale]) =>
      scale === 0 ? `${whole}` : `${whole}.${String(fraction).padStart(8, '0').slice(0, scale)}`,
    );
  const price = fc.oneof(decimal, fc.constantFrom('0', '1e20', '-1', '1e-7', 'abc', '1.', '', '00.5', '1E3'));
  const size = fc.oneof(decimal, fc.constantFrom('0', '-2', '1e15', 'x'));
  const level = fc.tuple(price, size, fc.constantFrom('0', '12'), fc.constantFrom('1', '4'));
  const id = fc.oneof(fc.integer({ min: 0, max: 2 ** 40 }), fc.constant(Number.MAX_SAFE_INTEGER));
  const push = fc.record({
    instId: fc.constantFrom('BTC-USDT', 'ETH-USDT', 'X-Y'),
    action: fc.constantFrom('update', 'snapshot'),
    prev: fc.oneof(id, fc.constant(-1)),
    seq: id,
    bids: fc.array(level, { maxLength: 12 }),
    asks: fc.array(level, { maxLength: 12 }),
    ts: fc.oneof(
      fc.integer({ min: 1, max: 2 ** 45 }).map(String),
      fc.constantFrom('0', '', '01', '12345678901234567'),
    ),
    checksum: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  });
  const frames = push.map((p) =>
    booksFrame(p.instId, p.action, p.prev, p.seq, p.bids, p.asks, p.ts, p.checksum),
  );
  const validLevel = fc.tuple(
    decimal.filter((text) => Number(text) > 0),
    decimal,
    fc.constant('0'),
    fc.constantFrom('1', '4'),
  );
  const validUpdates = fc
    .record({
      prev: fc.integer({ min: 0, max: 2 ** 40 }),
      seq: fc.integer({ min: 0, max: 2 ** 40 }),
      bids: fc.array(validLevel, { maxLength: 25 }),
      asks: fc.array(validLevel, { maxLength: 25 }),
      ts: fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }).map(String),
    })
    .map((p) => booksFrame('BTC-USDT', 'update', p.prev, p.seq, p.bids, p.asks, p.ts));

  it('on random valid updates: the fast path takes every one, with the event JSON.parse gives', () => {
    fc.assert(
      fc.property(validUpdates, (frame) => {
        const result = both(Buffer.from(frame));
        expect(result.scanned).toBe(true);
        expect(result.fast).toEqual(result.slow);
      }),
      { numRuns: 2000 },
    );
  });

  it('on random books pushes (valid or not): the same outcome as the JSON.parse path alone', () => {
    fc.assert(
      fc.property(frames, (frame) => {
        const result = both(Buffer.from(frame));
        expect(result.fast).toEqual(result.slow);
      }),
      { numRuns: 3000 },
    );
  });

  it('on random corruptions of a valid push (bytes changed, cut, inserted): same outcome, never a throw', () => {
    const corrupted = fc
      .tuple(
        frames,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat(3)), {
          minLength: 1,
          maxLength: 4,
        }),
      )
      .map(([frame, edits]) => {
        let bytes = Buffer.from(frame);
        for (const [at, byte, how] of edits) {
          const i = at % (bytes.length + 1);
          if (how === 0) bytes = Buffer.concat([bytes.subarray(0, i), bytes.subarray(i + 1)]);
          else if (how === 1) bytes = bytes.subarray(0, i);
          else if (how === 2)
            bytes = Buffer.concat([bytes.subarray(0, i), Buffer.from([byte]), bytes.subarray(i)]);
          else if (i < bytes.length) bytes[i] = byte;
        }
        return bytes;
      });
    fc.assert(
      fc.property(corrupted, (bytes) => {
        const result = both(bytes);
        expect(result.fast).toEqual(result.slow);
      }),
      { numRuns: 5000 },
    );
  });
});
