import { describe, expect, it } from 'vitest';
import { bookPush, books5Push, lv } from '../test/support/okx-server.js';
import { OkxFrameParser } from './frame-parser.js';

const parse = (text: string) => new OkxFrameParser().parse(Buffer.from(text));

describe('OkxFrameParser (docs/protocols/okx.md E3–E8)', () => {
  it('reads a books update: prevSeqId/seqId as the event ids, levels as numbers, checksum ignored', () => {
    const parser = new OkxFrameParser();
    const frame = parser.parse(
      Buffer.from(bookPush('BTC-USDT', 'update', 7, 9, [lv(100, 1)], [lv(101, 0)], 1_700_000_000_000)),
    );
    expect(frame).toEqual({ kind: 'book', channel: 'books', instId: 'BTC-USDT', action: 'update' });
    const event = parser.event;
    expect([event.kind, event.firstId, event.finalId, event.eventTime]).toEqual([
      'delta',
      7,
      9,
      1_700_000_000_000,
    ]);
    expect([event.bidCount, event.bidPrices[0], event.bidSizes[0]]).toEqual([1, 100, 1]);
    expect([event.askCount, event.askPrices[0], event.askSizes[0]]).toEqual([1, 101, 0]);
  });

  it('reads a snapshot push (prevSeqId -1) and a books5 push (no action, no prevSeqId)', () => {
    expect(parse(bookPush('BTC-USDT', 'snapshot', -1, 9, [lv(100, 1)], [lv(101, 1)]))).toMatchObject({
      action: 'snapshot',
    });
    expect(parse(bookPush('BTC-USDT', 'update', -1, 9))).toMatchObject({
      kind: 'invalid',
      instId: 'BTC-USDT',
    });
    const parser = new OkxFrameParser();
    expect(parser.parse(Buffer.from(books5Push('ETH-USDT', 5, [lv(10, 1)], [lv(11, 1)])))).toEqual({
      kind: 'book',
      channel: 'books5',
      instId: 'ETH-USDT',
      action: 'full',
    });
    expect([parser.event.firstId, parser.event.finalId, parser.event.kind]).toEqual([5, 5, 'full']);
  });

  it('reads pong, subscribe replies, error events without arg, notices', () => {
    expect(parse('pong')).toEqual({ kind: 'pong' });
    expect(
      parse('{"id":"3","event":"subscribe","arg":{"channel":"books","instId":"BTC-USDT"},"connId":"a"}'),
    ).toEqual({
      kind: 'subscribed',
      instId: 'BTC-USDT',
      id: '3',
    });
    expect(parse('{"event":"error","code":"60018","msg":"nope","connId":"a"}')).toEqual({
      kind: 'error',
      code: '60018',
      msg: 'nope',
      id: undefined,
    });
    expect(parse('{"event":"notice","code":"64008","msg":"upgrade"}')).toEqual({
      kind: 'notice',
      code: '64008',
      msg: 'upgrade',
    });
    expect(parse('{"event":"unsubscribe","arg":{}}')).toEqual({ kind: 'other' });
  });

  it.each([
    ['not JSON', '{'],
    [
      'seqId not an integer',
      '{"arg":{"channel":"books","instId":"A-B"},"action":"update","data":[{"asks":[],"bids":[],"ts":"1","seqId":1.5,"prevSeqId":1}]}',
    ],
    [
      'negative size',
      '{"arg":{"channel":"books","instId":"A-B"},"action":"update","data":[{"asks":[["1","-1","0","1"]],"bids":[],"ts":"1","seqId":2,"prevSeqId":1}]}',
    ],
    [
      'zero price',
      '{"arg":{"channel":"books","instId":"A-B"},"action":"update","data":[{"asks":[["0","1","0","1"]],"bids":[],"ts":"1","seqId":2,"prevSeqId":1}]}',
    ],
    [
      'ts missing',
      '{"arg":{"channel":"books","instId":"A-B"},"action":"update","data":[{"asks":[],"bids":[],"seqId":2,"prevSeqId":1}]}',
    ],
    ['two data items', '{"arg":{"channel":"books","instId":"A-B"},"action":"update","data":[{},{}]}'],
    [
      'unsorted snapshot',
      `{"arg":{"channel":"books","instId":"A-B"},"action":"snapshot","data":[{"asks":[["2","1","0","1"],["1","1","0","1"]],"bids":[],"ts":"1","seqId":2,"prevSeqId":-1}]}`,
    ],
  ])('rejects %s without throwing', (_name, text) => {
    expect(parse(text).kind).toBe('invalid');
  });
});
