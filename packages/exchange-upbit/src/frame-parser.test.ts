import { InvalidMessageError } from '@arbitrage/core';
import { describe, expect, it } from 'vitest';
import { UpbitFrameParser } from './frame-parser.js';
import { bookFrame, bookMessage, btcUnits } from './test-support/frames.js';
import { RecordingSink } from './test-support/recording-sink.js';

const fast = new UpbitFrameParser();
const slow = new UpbitFrameParser({ fastPath: false });

/** Parses with both paths; asserts they agree; returns the events. */
function parse(data: Buffer | string): RecordingSink {
  const a = new RecordingSink();
  const b = new RecordingSink();
  fast.parse(data, a);
  slow.parse(data, b);
  expect(a.summary()).toEqual(b.summary());
  return a;
}

// Written from docs/protocols/upbit.md A5 (values illustrative), exactly as a string: exponent numbers included.
const DEFAULT_TEXT =
  '{"type":"orderbook","code":"KRW-BTC","timestamp":1790134742106,' +
  '"total_ask_size":2.51469375,"total_bid_size":1.63815297,' +
  '"orderbook_units":[{"ask_price":1.16539E8,"bid_price":116538000,"ask_size":0.02054761,"bid_size":0.08120946},' +
  '{"ask_price":116542000,"bid_price":1.16537e+8,"ask_size":7.9276E-4,"bid_size":0.01129382}],' +
  '"stream_type":"SNAPSHOT","level":0}';

const SIMPLE_TEXT =
  '{"ty":"orderbook","cd":"KRW-BTC","tms":1790134742106,"tas":2.51469375,"tbs":1.63815297,' +
  '"obu":[{"ap":116539000,"bp":116538000,"as":0.02054761,"bs":0.08120946},' +
  '{"ap":116542000,"bp":116537000,"as":0.00077720,"bs":0.01129382}],"st":"REALTIME","lv":0}';

describe('UpbitFrameParser: order books', () => {
  it('reads a DEFAULT binary frame with exponent numbers', () => {
    const sink = parse(Buffer.from(DEFAULT_TEXT));
    expect(sink.books).toEqual([
      {
        code: 'KRW-BTC',
        timestamp: 1_790_134_742_106,
        streamType: 'SNAPSHOT',
        asks: [
          [116_539_000, 0.02054761],
          [116_542_000, 0.00079276],
        ],
        bids: [
          [116_538_000, 0.08120946],
          [116_537_000, 0.01129382],
        ],
      },
    ]);
  });

  it('reads the same book from a SIMPLE text frame (trailing zeros kept on the wire)', () => {
    const sink = parse(SIMPLE_TEXT);
    expect(sink.books[0]).toMatchObject({
      code: 'KRW-BTC',
      streamType: 'REALTIME',
      asks: [
        [116_539_000, 0.02054761],
        [116_542_000, 0.0007772],
      ],
    });
  });

  it('gives identical results for binary and text frames of the same bytes', () => {
    const frame = bookFrame({ units: btcUnits(30) });
    expect(parse(frame).books).toEqual(parse(frame.toString('utf8')).books);
    expect(parse(frame).books[0]!.asks).toHaveLength(30);
  });

  it('drops zero padding of a thin book', () => {
    const units = [
      { ap: 1_000, as: 1, bp: 999, bs: 2 },
      { ap: 1_001, as: 3, bp: 0, bs: 0 },
      { ap: 0, as: 0, bp: 0, bs: 0 },
    ];
    const sink = parse(bookFrame({ units }));
    expect(sink.books[0]!.asks).toEqual([
      [1_000, 1],
      [1_001, 3],
    ]);
    expect(sink.books[0]!.bids).toEqual([[999, 2]]);
  });

  it('accepts a book with every unit padded (empty book)', () => {
    const sink = parse(bookFrame({ units: [{ ap: 0, as: 0, bp: 0, bs: 0 }] }));
    expect(sink.books[0]).toMatchObject({ asks: [], bids: [] });
  });

  it('strips a .N unit-count suffix from the code', () => {
    const sink = parse(bookFrame({ code: 'KRW-ETH.15', units: btcUnits(2) }));
    expect(sink.books[0]!.code).toBe('KRW-ETH');
  });

  it('tolerates whitespace, other key orders and unknown keys (general path)', () => {
    const text = JSON.stringify(bookMessage({ units: btcUnits(3) }), null, 2).replace(
      '"level": 0',
      '"level": 0, "future_field": {"a": [1, true, null, "x"]}',
    );
    const sink = parse(text);
    expect(sink.books).toHaveLength(1);
    expect(sink.books[0]!.asks).toHaveLength(3);
  });

  it('reads JSON_LIST / SIMPLE_LIST frames, one event per element', () => {
    const list = [
      bookMessage({ code: 'KRW-BTC', units: btcUnits(2) }),
      bookMessage({ code: 'KRW-ETH', units: btcUnits(2), format: 'SIMPLE' }),
      { status: 'UP' },
    ];
    const sink = parse(JSON.stringify(list));
    expect(sink.summary().map((event) => (event as { kind: string }).kind)).toEqual([
      'book',
      'book',
      'status',
    ]);
    expect(sink.books.map((book) => book.code)).toEqual(['KRW-BTC', 'KRW-ETH']);
  });

  it('keeps numbers exact: many digits and large exponents go through Number()', () => {
    const text = DEFAULT_TEXT.replace('0.02054761', '0.123456789012345678').replace(
      '116542000',
      '1165420000000000000e-10',
    );
    const sink = parse(text);
    expect(sink.books[0]!.asks[0]![1]).toBe(Number('0.123456789012345678'));
    expect(sink.books[0]!.asks[1]![0]).toBe(116_542_000);
  });
});

describe('UpbitFrameParser: other messages', () => {
  it('recognises {"status":"UP"}', () => {
    expect(parse('{"status":"UP"}').summary()).toEqual([{ kind: 'status' }]);
    expect(parse(Buffer.from('{ "status" : "UP" }')).summary()).toEqual([{ kind: 'status' }]);
  });

  it('reports error frames with the exchange name (numeric names too)', () => {
    expect(
      parse('{"error":{"name":"WRONG_FORMAT","message":"Requested using wrong format."}}').summary(),
    ).toEqual([{ kind: 'exchange-error', name: 'WRONG_FORMAT', message: 'Requested using wrong format.' }]);
    expect(
      parse(Buffer.from('{"error":{"name":"NO_TICKET","message":"티켓이 없습니다."}}')).summary(),
    ).toEqual([{ kind: 'exchange-error', name: 'NO_TICKET', message: '티켓이 없습니다.' }]);
    expect(parse('{"error":{"name":404,"message":"Code not found"}}').summary()).toEqual([
      { kind: 'exchange-error', name: '404', message: 'Code not found' },
    ]);
    expect(parse('{"error":"boom"}').summary()).toEqual([
      { kind: 'exchange-error', name: 'UNKNOWN', message: '' },
    ]);
  });

  it('counts ticker, trade and LIST_SUBSCRIPTIONS replies as non-book messages', () => {
    expect(parse('{"type":"ticker","code":"KRW-BTC","trade_price":1}').summary()).toEqual([
      { kind: 'other', type: 'ticker' },
    ]);
    expect(parse('{"ty":"trade","cd":"KRW-BTC","sid":17259299343730001}').summary()).toEqual([
      { kind: 'other', type: 'trade' },
    ]);
    expect(parse('{"method":"LIST_SUBSCRIPTIONS","result":[],"ticket":"t"}').summary()).toEqual([
      { kind: 'other', type: 'LIST_SUBSCRIPTIONS' },
    ]);
  });
});

describe('UpbitFrameParser: validation at the edge', () => {
  const reasonOf = (data: Buffer | string): { reason: string; code: string | undefined } => {
    const events = parse(data).events;
    expect(events).toHaveLength(1);
    const event = events[0]!;
    if (event.kind !== 'invalid') throw new Error(`expected invalid, got ${event.kind}`);
    expect(event.error).toBeInstanceOf(InvalidMessageError);
    expect(event.error.exchange).toBe('upbit');
    expect(event.error.message).toContain(event.reason);
    return { reason: event.reason, code: event.code };
  };

  it('rejects malformed, truncated and non-UTF-8 frames', () => {
    expect(reasonOf('not json')).toEqual({ reason: 'malformed-json', code: undefined });
    expect(reasonOf(Buffer.from(DEFAULT_TEXT.slice(0, 200)))).toEqual({
      reason: 'malformed-json',
      code: undefined,
    });
    expect(reasonOf(`${DEFAULT_TEXT}}`)).toEqual({ reason: 'malformed-json', code: undefined });
    expect(reasonOf(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]))).toEqual({
      reason: 'invalid-utf8',
      code: undefined,
    });
    expect(reasonOf(Buffer.alloc(0))).toEqual({ reason: 'malformed-json', code: undefined });
    expect(
      reasonOf('{"type":"orderbook","code":"KRW-BTC","timestamp":NaN,"orderbook_units":[]}').reason,
    ).toBe('malformed-json');
  });

  it('rejects unknown shapes and types', () => {
    expect(reasonOf('42').reason).toBe('not-an-object');
    expect(reasonOf('{"type":"orderbook2","code":"KRW-BTC"}')).toEqual({
      reason: 'unknown-type',
      code: undefined,
    });
    expect(parse('{"type":"candle.1s","code":"KRW-BTC"}').summary()).toEqual([
      { kind: 'other', type: 'candle.1s' },
    ]);
    expect(reasonOf('{"hello":"world"}').reason).toBe('unknown-type');
    expect(reasonOf('{"status":"DOWN"}').reason).toBe('unknown-status');
  });

  it('rejects missing or mistyped fields, naming the code when there is one', () => {
    expect(reasonOf('{"type":"orderbook","timestamp":1,"orderbook_units":[]}')).toEqual({
      reason: 'missing-field',
      code: undefined,
    });
    expect(reasonOf('{"type":"orderbook","code":"KRW-BTC","timestamp":"1","orderbook_units":[]}')).toEqual({
      reason: 'wrong-type',
      code: 'KRW-BTC',
    });
    expect(
      reasonOf('{"type":"orderbook","code":"KRW-BTC","timestamp":1.5,"orderbook_units":[]}').reason,
    ).toBe('wrong-type');
    expect(reasonOf('{"type":"orderbook","code":"KRW-BTC","timestamp":1}')).toEqual({
      reason: 'missing-field',
      code: 'KRW-BTC',
    });
    expect(
      reasonOf(
        '{"type":"orderbook","code":"KRW-BTC","timestamp":1,"orderbook_units":[{"ask_price":1,"ask_size":1,"bid_price":1}]}',
      ).reason,
    ).toBe('missing-field');
    expect(
      reasonOf(
        '{"type":"orderbook","code":"KRW-BTC","timestamp":1,"orderbook_units":[{"ask_price":"1","ask_size":1,"bid_price":1,"bid_size":1}]}',
      ).reason,
    ).toBe('missing-field');
    // DEFAULT unit keys inside a SIMPLE message are missing fields, not guesses.
    expect(
      reasonOf(
        '{"ty":"orderbook","cd":"KRW-BTC","tms":1,"obu":[{"ask_price":2,"ask_size":1,"bid_price":1,"bid_size":1}]}',
      ).reason,
    ).toBe('missing-field');
  });

  it('rejects impossible numbers: negative sizes and prices, a size without a price', () => {
    expect(reasonOf(bookFrame({ units: [{ ap: 1_000, as: -1, bp: 999, bs: 1 }] }))).toEqual({
      reason: 'negative-or-invalid-number',
      code: 'KRW-BTC',
    });
    expect(reasonOf(bookFrame({ units: [{ ap: 1_000, as: 1, bp: -999, bs: 1 }] })).reason).toBe(
      'negative-or-invalid-number',
    );
    expect(reasonOf(bookFrame({ units: [{ ap: 0, as: 1, bp: 999, bs: 1 }] })).reason).toBe(
      'size-without-price',
    );
    expect(reasonOf(DEFAULT_TEXT.replace('0.02054761', '1e400')).reason).toBe('negative-or-invalid-number');
  });

  it('rejects unsorted sides and crossed books', () => {
    const crossed = bookFrame({ units: [{ ap: 1_000, as: 1, bp: 1_000, bs: 1 }] });
    expect(reasonOf(crossed)).toEqual({ reason: 'crossed', code: 'KRW-BTC' });
    const unsortedAsks = bookFrame({
      units: [
        { ap: 1_002, as: 1, bp: 999, bs: 1 },
        { ap: 1_001, as: 1, bp: 998, bs: 1 },
      ],
    });
    expect(reasonOf(unsortedAsks).reason).toBe('unsorted-asks');
    const duplicateBid = bookFrame({
      units: [
        { ap: 1_001, as: 1, bp: 999, bs: 1 },
        { ap: 1_002, as: 1, bp: 999, bs: 1 },
      ],
    });
    expect(reasonOf(duplicateBid).reason).toBe('unsorted-bids');
  });

  it('rejects frames with absurdly many units', () => {
    const units = Array.from({ length: 300 }, (_, i) => ({ ap: 1_000 + i, as: 1, bp: 999 - i, bs: 1 }));
    expect(reasonOf(bookFrame({ units })).reason).toBe('too-many-units');
  });
});
