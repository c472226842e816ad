import { BookEvent } from '@arbitrage/exchange-kit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BinanceFrameParser } from './frame-parser.js';
import { parseFrameSlow } from './frame-slow-path.js';
import { combined, diffData, diffFrame, type Level, partialData, plain } from './test-support/frames.js';

const BASE = {
  symbol: 'BNBBTC',
  eventTime: 1672515782136,
  first: 157,
  final: 160,
  bids: [['0.0024', '10']] as Level[],
  asks: [['0.0026', '100']] as Level[],
};

function parseFast(frame: string) {
  const parser = new BinanceFrameParser();
  const kind = parser.parse(Buffer.from(frame));
  return { parser, kind };
}

describe('BinanceFrameParser: depth (docs/protocols/binance.md B4)', () => {
  it('reads a combined-stream depthUpdate on the fast path', () => {
    const { parser, kind } = parseFast(diffFrame(BASE));
    expect(kind).toBe('depth');
    expect(parser.fastFrames).toBe(1);
    expect(plain(parser.event)).toEqual({
      kind: 'delta',
      stream: 'bnbbtc@depth@100ms',
      symbol: 'BNBBTC',
      eventTime: 1672515782136,
      firstId: 157,
      finalId: 160,
      bids: [[0.0024, 10]],
      asks: [[0.0026, 100]],
    });
  });

  it('reads the raw form (no wrapper): the symbol comes from "s"', () => {
    const { parser, kind } = parseFast(diffData(BASE));
    expect(kind).toBe('depth');
    expect(parser.event.stream).toBe('');
    expect(parser.event.symbol).toBe('BNBBTC');
  });

  it('keeps quantity "0.00000000" as 0 (delete the level) and reads exponent strings', () => {
    const { parser, kind } = parseFast(
      diffFrame({ ...BASE, bids: [['3.426e-5', '0.00000000']], asks: [['1.16539E8', '7.9276E-4']] }),
    );
    expect(kind).toBe('depth');
    expect(plain(parser.event).bids).toEqual([[3.426e-5, 0]]);
    expect(plain(parser.event).asks).toEqual([[116539000, 7.9276e-4]]);
  });

  it('accepts empty sides', () => {
    const { parser, kind } = parseFast(diffFrame({ ...BASE, bids: [], asks: [] }));
    expect(kind).toBe('depth');
    expect(parser.event.bidCount).toBe(0);
    expect(parser.event.askCount).toBe(0);
  });

  it('keeps 19-digit update ids exact (bigint above 2^53) on both paths', () => {
    const frame = diffFrame({ ...BASE, first: '1234567890123456789', final: '1234567890123456791' });
    const { parser } = parseFast(frame);
    expect(parser.event.firstId).toBe(1234567890123456789n);
    expect(parser.event.finalId).toBe(1234567890123456791n);
    const slow = new BookEvent();
    expect(parseFrameSlow(frame, slow).kind).toBe('depth');
    expect(slow.firstId).toBe(1234567890123456789n);
    expect(slow.finalId).toBe(1234567890123456791n);
  });

  it('keeps ids up to 2^53 - 1 as numbers', () => {
    const frame = diffFrame({ ...BASE, first: Number.MAX_SAFE_INTEGER - 1, final: Number.MAX_SAFE_INTEGER });
    const { parser } = parseFast(frame);
    expect(parser.event.finalId).toBe(Number.MAX_SAFE_INTEGER);
    expect(typeof parser.event.finalId).toBe('number');
  });

  it('reads partial depth (combined and raw): one snapshot per message, lastUpdateId as both ids', () => {
    const data = partialData(
      160,
      [
        ['0.0024', '10'],
        ['0.0023', '5'],
      ],
      [['0.0026', '100']],
    );
    const { parser, kind } = parseFast(combined('bnbbtc@depth5@100ms', data));
    expect(kind).toBe('depth');
    expect(parser.fastFrames).toBe(1);
    expect(plain(parser.event)).toMatchObject({
      kind: 'full',
      stream: 'bnbbtc@depth5@100ms',
      firstId: 160,
      finalId: 160,
      bids: [
        [0.0024, 10],
        [0.0023, 5],
      ],
    });
    const raw = parseFast(data);
    expect(raw.kind).toBe('depth');
    expect(raw.parser.event.kind).toBe('full');
    expect(raw.parser.event.stream).toBe('');
  });

  it('rejects a partial snapshot whose sides are out of order', () => {
    const { parser, kind } = parseFast(
      partialData(
        1,
        [
          ['1', '1'],
          ['2', '1'],
        ],
        [],
      ),
    );
    expect(kind).toBe('invalid');
    expect(parser.error?.reason).toMatch(/out of order/);
  });

  it('takes the JSON.parse path for whitespace or reordered keys and gets the same event', () => {
    const compact = parseFast(diffFrame(BASE));
    const spaced = parseFast(
      `{ "stream": "bnbbtc@depth@100ms", "data": {"a":[["0.0026","100"]],"b":[["0.0024","10"]],"u":160,"U":157,"s":"BNBBTC","E":1672515782136,"e":"depthUpdate"} }`,
    );
    expect(spaced.kind).toBe('depth');
    expect(spaced.parser.slowFrames).toBe(1);
    expect(plain(spaced.parser.event)).toEqual(plain(compact.parser.event));
  });

  it('accepts strings as input too', () => {
    const parser = new BinanceFrameParser();
    expect(parser.parse(diffFrame(BASE))).toBe('depth');
  });
});

describe('BinanceFrameParser: control and lifecycle messages (B2, B3)', () => {
  it.each([
    ['{"result":null,"id":1}', { type: 'result', id: 1, result: null }],
    ['{"result":["btcusdt@depth@100ms"],"id":3}', { type: 'result', id: 3, result: ['btcusdt@depth@100ms'] }],
    ['{"result":true,"id":"abc"}', { type: 'result', id: 'abc', result: true }],
    [
      '{"code":2,"msg":"Invalid request: unknown variant","id":4}',
      { type: 'error', id: 4, code: 2, msg: 'Invalid request: unknown variant' },
    ],
    [
      '{"error":{"code":2,"msg":"Invalid request: invalid stream"},"id":7}',
      { type: 'error', id: 7, code: 2, msg: 'Invalid request: invalid stream' },
    ],
    [
      '{"code":3,"msg":"Invalid JSON: expected value at line 1 column 1"}',
      { type: 'error', id: undefined, code: 3, msg: 'Invalid JSON: expected value at line 1 column 1' },
    ],
  ])('%s is a control reply', (frame, reply) => {
    const { parser, kind } = parseFast(frame);
    expect(kind).toBe('control');
    expect(parser.control).toEqual(reply);
  });

  it('recognises serverShutdown, raw and combined', () => {
    const raw = parseFast('{"e":"serverShutdown","E":1770123456789}');
    expect(raw.kind).toBe('shutdown');
    expect(raw.parser.shutdownTime).toBe(1770123456789);
    const wrapped = parseFast('{"stream":"!serverShutdown","data":{"e":"serverShutdown","E":1770123456789}}');
    expect(wrapped.kind).toBe('shutdown');
  });
});

describe('BinanceFrameParser: untrusted input is classified, never applied', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['not JSON', 'hello', /not valid JSON/],
    ['truncated', diffFrame(BASE).slice(0, 60), /not valid JSON/],
    ['an array', '[1,2]', /not a JSON object/],
    [
      'unknown event type',
      combined('bnbbtc@trade', '{"e":"trade","E":1,"s":"BNBBTC","t":1,"p":"1","q":"1"}'),
      /unknown event type "trade"/,
    ],
    ['no event type', '{"foo":1}', /unknown event type missing/],
    ['missing U', '{"e":"depthUpdate","E":1,"s":"BNBBTC","u":2,"b":[],"a":[]}', /without "U"/],
    ['negative quantity', diffFrame({ ...BASE, bids: [['1.5', '-3']] }), /quantity -3 is out of range/],
    ['NaN price', diffFrame({ ...BASE, asks: [['NaN', '1']] }), /price "NaN" is not a decimal/],
    ['non-numeric quantity', diffFrame({ ...BASE, asks: [['1', 'abc']] }), /quantity "abc" is not a decimal/],
    [
      'absurd price',
      diffFrame({ ...BASE, bids: [['1e20', '1']] }),
      /price 100000000000000000000 is out of range/,
    ],
    ['zero price', diffFrame({ ...BASE, bids: [['0', '1']] }), /price 0 is out of range/],
    ['U after u', diffFrame({ ...BASE, first: 170, final: 160 }), /U=170 > final update id u=160/],
    [
      'numbers instead of strings',
      combined('bnbbtc@depth', '{"e":"depthUpdate","E":1,"s":"BNBBTC","U":1,"u":2,"b":[[1,2]],"a":[]}'),
      /must be decimal strings/,
    ],
    [
      'a level of three',
      combined(
        'bnbbtc@depth',
        '{"e":"depthUpdate","E":1,"s":"BNBBTC","U":1,"u":2,"b":[["1","2","3"]],"a":[]}',
      ),
      /not a \[price, quantity\] pair/,
    ],
    [
      'negative id',
      combined('bnbbtc@depth', '{"e":"depthUpdate","E":1,"s":"BNBBTC","U":-1,"u":2,"b":[],"a":[]}'),
      /"U" is not an unsigned integer/,
    ],
    ['stream not a string', '{"stream":5,"data":{}}', /"stream" is not a string/],
    ['data not an object', '{"stream":"x","data":[]}', /"data" is not an object/],
  ];

  it.each(cases)('%s → invalid', (_name, frame, reason) => {
    const { parser, kind } = parseFast(frame);
    expect(kind).toBe('invalid');
    expect(parser.error?.code).toBe('MESSAGE_INVALID');
    expect(parser.error?.reason).toMatch(reason);
  });

  it('names the stream of an invalid depth message so its symbol can be resynced', () => {
    const { parser } = parseFast(diffFrame({ ...BASE, bids: [['1.5', '-3']] }));
    expect(parser.event.stream).toBe('bnbbtc@depth@100ms');
    const truncated = parseFast(diffFrame(BASE).slice(0, 60));
    expect(truncated.parser.event.stream).toBe('bnbbtc@depth@100ms');
  });

  it('never takes invalid UTF-8 for a known symbol or a number (ws does not validate it)', () => {
    const frame = Buffer.from(diffFrame(BASE));
    const symbolAt = frame.indexOf('BNBBTC');
    const badSymbol = Buffer.concat([
      frame.subarray(0, symbolAt + 3),
      Buffer.from([0xc0, 0xaf]),
      frame.subarray(symbolAt + 3),
    ]);
    const parser = new BinanceFrameParser();
    parser.parse(badSymbol);
    expect(parser.event.symbol).not.toBe('BNBBTC');
    expect(parser.slowFrames).toBe(1);
    const quantityAt = frame.indexOf('"', frame.indexOf('[["') + 3) + 3;
    const badNumber = Buffer.concat([
      frame.subarray(0, quantityAt),
      Buffer.from([0x80]),
      frame.subarray(quantityAt),
    ]);
    expect(new BinanceFrameParser().parse(badNumber)).toBe('invalid');
  });

  it('handles binary garbage without throwing', () => {
    const parser = new BinanceFrameParser();
    expect(parser.parse(Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x22]))).toBe('invalid');
  });
});

describe('fast path and JSON.parse path agree (property)', () => {
  const decimal = fc
    .tuple(
      fc.integer({ min: 0, max: 99_999_999 }),
      fc.integer({ min: 0, max: 99_999_999 }),
      fc.integer({ min: 0, max: 8 }),
    )
    .map(([whole, fraction, scale]) =>
      scale === 0 ? `${whole}` : `${whole}.${String(fraction).padStart(8, '0').slice(0, scale)}`,
    );
  const price = fc.oneof(
    decimal.filter((text) => Number(text) > 0),
    fc
      .tuple(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: -12, max: 9 }))
      .map(([m, e]) => `${m / 1000}e${e}`),
  );
  const size = fc.oneof(decimal, fc.constant('0.00000000'));
  const level = fc.tuple(price, size);
  const id = fc.oneof(
    fc.integer({ min: 0, max: 2 ** 40 }).map(BigInt),
    fc.bigInt({ min: 0n, max: 10n ** 19n }),
  );
  const diff = fc
    .record({
      symbol: fc.constantFrom('BTCUSDT', 'ETHUSDT', 'BNBBTC', 'SHIBUSDT'),
      eventTime: fc.integer({ min: 0, max: 2 ** 45 }),
      first: id,
      span: fc.bigInt({ min: 0n, max: 1000n }),
      bids: fc.array(level, { maxLength: 25 }),
      asks: fc.array(level, { maxLength: 25 }),
    })
    .map((input) => ({ ...input, final: input.first + input.span }));

  it('on random valid depthUpdate frames: same kind, same event, fast path taken', () => {
    fc.assert(
      fc.property(diff, fc.boolean(), (input, wrapped) => {
        const frame = wrapped ? diffFrame(input) : diffData(input);
        const parser = new BinanceFrameParser();
        const kind = parser.parse(Buffer.from(frame));
        expect(parser.fastFrames).toBe(1);
        const slow = new BookEvent();
        const result = parseFrameSlow(frame, slow);
        expect(kind).toBe('depth');
        expect(result.kind).toBe('depth');
        expect(plain(parser.event)).toEqual(plain(slow));
      }),
      { numRuns: 2000 },
    );
  });

  it('on random partial-depth frames (valid or not): same verdict and event', () => {
    fc.assert(
      fc.property(
        id,
        fc.array(level, { maxLength: 20 }),
        fc.array(level, { maxLength: 20 }),
        (lastUpdateId, bids, asks) => {
          const frame = combined('btcusdt@depth20@100ms', partialData(lastUpdateId, bids, asks));
          const fast = new BinanceFrameParser();
          const fastKind = fast.parse(Buffer.from(frame));
          const slowParser = new BinanceFrameParser();
          // Whitespace forces the JSON.parse path.
          const slowKind = slowParser.parse(frame.replace('"data":', '"data": '));
          expect(slowParser.slowFrames).toBe(1);
          expect(fastKind).toBe(slowKind);
          if (fastKind === 'depth') expect(plain(fast.event)).toEqual(plain(slowParser.event));
          else expect(fast.error?.reason).toBe(slowParser.error?.reason);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
