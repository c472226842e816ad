import { InvalidMessageError, type MarketInfo } from '@arbitrage/core';
import { sleep, waitFor } from '@arbitrage/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { books5Push, lv } from '../test/support/okx-server.js';
import { type StreamHarness, streamHarness } from '../test/support/stream-harness.js';
import { OkxSubscriptionError } from './errors.js';
import { fallbackMarkets } from './symbols.js';

let h: StreamHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const BTC = 'BTC-USDT';
const SNAPSHOT = { seqId: 100, bids: [lv(100, 1), lv(99, 2)], asks: [lv(101, 1), lv(102, 3)] };
const MARKETS: MarketInfo[] = [
  ...fallbackMarkets(),
  { exchange: 'okx', symbol: 'NOPE/USDT', nativeSymbol: 'NOPE-USDT', base: 'NOPE', quote: 'USDT' },
];

describe('OKX subscriptions and their errors (docs/protocols/okx.md E3)', () => {
  it('subscribes many instruments per request with an id, in the documented shape', async () => {
    h = await streamHarness(['BTC/USDT', 'ETH/USDT', 'SOL/USDT'], { stream: { instrumentsPerSubscribe: 2 } });
    for (const instId of [BTC, 'ETH-USDT', 'SOL-USDT']) h.server.books.set(instId, SNAPSHOT);
    await h.stream.start();
    await h.live();
    const requests = h.server.connections[0]!.requests;
    expect(requests.map((r) => [r.op, r.channel, r.instIds])).toEqual([
      ['subscribe', 'books', [BTC, 'ETH-USDT']],
      ['subscribe', 'books', ['SOL-USDT']],
    ]);
    expect(requests.every((r) => typeof r.id === 'string')).toBe(true);
  });

  for (const answer of ['error-with-id', 'error-naming'] as const) {
    it(`an error event without arg (${answer}) fails only the instrument it names in a batch, and is retried`, async () => {
      h = await streamHarness(['BTC/USDT', 'NOPE/USDT', 'ETH/USDT'], {
        markets: MARKETS,
        server: { subscribe: (_request, instId) => (instId === 'NOPE-USDT' ? answer : 'ack') },
        stream: { subscribeBackoff: { baseMs: 50, capMs: 50, jitter: 0 } },
      });
      h.server.books.set(BTC, SNAPSHOT);
      h.server.books.set('ETH-USDT', SNAPSHOT);
      await h.stream.start();
      await h.live(['BTC/USDT', 'ETH/USDT']);
      // One request for the three; the acks before and after the error settle their own instruments.
      expect(h.server.connections[0]!.requests[0]!.instIds).toEqual([BTC, 'NOPE-USDT', 'ETH-USDT']);
      await waitFor(() => h!.stream.status('NOPE/USDT')?.state === 'failed', 'NOPE failed');
      const error = h.errors.find((e) => e instanceof OkxSubscriptionError) as OkxSubscriptionError;
      expect(error.instruments).toEqual(['NOPE-USDT']);
      expect(error.exchangeCode).toBe('60018');
      expect(error.code).toBe('SUBSCRIBE_FAILED');
      expect(h.stream.status('NOPE/USDT')?.reason).toContain('60018');
      // Asked for again with backoff.
      await waitFor(
        () => h!.server.connections[0]!.requests.filter((r) => r.instIds.includes('NOPE-USDT')).length >= 2,
        'retry',
      );
      expect(h.stream.status('BTC/USDT')?.state).toBe('live');
      expect(h.stream.status('ETH/USDT')?.state).toBe('live');
      expect(
        h.errors
          .filter((e) => e instanceof OkxSubscriptionError)
          .every((e) => e.instruments.join() === 'NOPE-USDT'),
      ).toBe(true);
    });
  }

  it('an error naming neither request nor instrument is reported; the request fails on its timeout', async () => {
    h = await streamHarness(['BTC/USDT', 'NOPE/USDT'], {
      markets: MARKETS,
      server: { subscribe: (_request, instId) => (instId === 'NOPE-USDT' ? 'error-anonymous' : 'ack') },
      stream: { ackTimeoutMs: 100 },
    });
    h.server.books.set(BTC, SNAPSHOT);
    await h.stream.start();
    await waitFor(() => h!.stream.status('NOPE/USDT')?.state === 'failed', 'NOPE failed on the timeout');
    expect(h.errors.some((e) => e.message.includes('60012'))).toBe(true);
    expect(h.stream.status('BTC/USDT')?.state).toBe('live');
  });
});

describe('OKX connection upkeep (E8)', () => {
  it('sends the text ping when idle and takes the text pong as a heartbeat, not data', async () => {
    h = await streamHarness(['BTC/USDT'], { stream: { keepaliveMs: 60 } });
    h.server.books.set(BTC, SNAPSHOT);
    await h.stream.start();
    await h.live();
    await waitFor(() => h!.server.connections[0]!.pings >= 2, 'two pings');
    await waitFor(() => h!.stream.connectionCounters.heartbeatReplies >= 2, 'two pongs');
    expect(h.stream.connectionCounters.opens).toBe(1);
    expect(h.stream.connectionCounters.heartbeatTimeouts).toBe(0);
  });

  it('without pongs the connection is replaced', async () => {
    h = await streamHarness(['BTC/USDT'], {
      stream: { keepaliveMs: 60, reconnectBackoff: { baseMs: 10, capMs: 10 }, staleAfterMs: 60_000 },
      server: { answerPings: false },
    });
    h.server.books.set(BTC, SNAPSHOT);
    await h.stream.start();
    await waitFor(() => h!.stream.connectionCounters.heartbeatTimeouts >= 1, 3_000, 'heartbeat timeout');
    await waitFor(() => h!.server.connections.length >= 2, 3_000, 'reconnected');
  });

  it('the service-upgrade notice (64008) reconnects before the server closes, and books come back', async () => {
    h = await streamHarness(['BTC/USDT'], { stream: { reconnectBackoff: { baseMs: 10, capMs: 10 } } });
    h.server.books.set(BTC, SNAPSHOT);
    await h.stream.start();
    await h.live();
    h.server.push(
      JSON.stringify({
        event: 'notice',
        code: '64008',
        msg: 'The connection will soon be closed for a service upgrade. Please reconnect.',
        connId: 'c1',
      }),
    );
    await waitFor(() => h!.server.connections.length === 2, 3_000, 'second connection');
    await waitFor(() => h!.server.open().length === 1, 'the old one closed by the client');
    await h.live();
    expect(h.stream.stats.upgradeNotices).toBe(1);
    expect(h.server.open()[0]).toBe(h.server.connections[1]);
  });
});

describe('OKX untrusted input', () => {
  it('malformed frames, unknown fields and absurd numbers are counted, never applied, never fatal', async () => {
    h = await streamHarness(['BTC/USDT']);
    h.server.books.set(BTC, SNAPSHOT);
    await h.stream.start();
    await h.live();
    const before = h.server.restRequests.length;
    const frames = [
      'not json',
      '[1,2,3]',
      '{"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[["abc","1","0","1"]],"bids":[],"ts":"1","seqId":101,"prevSeqId":100}]}',
      '{"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[],"bids":[],"ts":"1","seqId":1e300,"prevSeqId":100}]}',
      '{"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[["1e20","1","0","1"]],"bids":[],"ts":"1","seqId":101,"prevSeqId":100}]}',
      '{"arg":{"channel":"books","instId":"BTC-USDT"},"action":"wobble","data":[]}',
      '{"arg":{"channel":"books"},"action":"update","data":[]}',
      '{"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[[1,2]],"bids":[],"ts":"1","seqId":101,"prevSeqId":100}]}',
      '{"event":"mystery","extra":{"deep":[1,2,3]}}',
      '{"arg":{"channel":"tickers","instId":"BTC-USDT"},"data":[{}]}',
    ];
    for (const frame of frames) h.server.push(frame);
    await sleep(50);
    const invalid = h.errors.filter((e) => e instanceof InvalidMessageError);
    expect(invalid.length).toBe(8);
    expect(h.stream.counters('BTC/USDT')?.invalidMessages).toBe(5);
    expect(h.stream.stats.unattributed).toBe(3);
    // An unusable update for the instrument loses its continuity: rebuilt from REST.
    await h.live();
    expect(h.server.restRequests.length).toBeGreaterThan(before);
    const book = h.stream.book('BTC/USDT')!.book;
    expect(book.top('ask', 10)).toEqual([
      [101, 1],
      [102, 3],
    ]);
    // Unknown fields beside the known ones are ignored.
    h.server.push(
      JSON.stringify({
        arg: { channel: 'books', instId: BTC, extra: 1 },
        action: 'update',
        surprise: true,
        data: [
          {
            asks: [],
            bids: [lv(100, 5)],
            ts: String(Date.now()),
            checksum: 12345,
            seqId: 140,
            prevSeqId: 100,
            new: 'x',
          },
        ],
      }),
    );
    await waitFor(() => h!.stream.book('BTC/USDT')?.sequence === 140, 'update with extra fields');
  });
});

describe('OKX books5 (light mode)', () => {
  it('each push is the whole top 5; a crossed one is not served', async () => {
    h = await streamHarness(['BTC/USDT'], { stream: { channel: 'books5' } });
    await h.stream.start();
    await waitFor(() => h!.server.connections[0]?.requests.length === 1, 'subscribed');
    expect(h.server.connections[0]!.requests[0]!.channel).toBe('books5');
    h.server.push(books5Push(BTC, 7, [lv(100, 1), lv(99, 1)], [lv(101, 2)]));
    await h.live();
    expect(h.stream.book('BTC/USDT')?.sequence).toBe(7);
    expect(h.stream.book('BTC/USDT')!.book.top('bid', 10)).toEqual([
      [100, 1],
      [99, 1],
    ]);
    h.server.push(books5Push(BTC, 8, [lv(102, 1)], [lv(101, 2)]));
    await waitFor(() => h!.stream.status('BTC/USDT')?.state !== 'live', 'crossed');
    expect(h.stream.counters('BTC/USDT')?.crossed).toBe(1);
    h.server.push(books5Push(BTC, 9, [lv(100, 3)], [lv(101, 2)]));
    await h.live();
    expect(h.server.restRequests.length).toBe(0);
  });
});

describe('OKX stop()', () => {
  function resources(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
    return counts;
  }

  it('leaves no socket, timer or listener behind', async () => {
    h = await streamHarness(['BTC/USDT', 'ETH/USDT'], { stream: { keepaliveMs: 1_000 } });
    // Taken with the test servers listening and the stream not started.
    const baseline = resources();
    h.server.books.set(BTC, SNAPSHOT);
    await h.stream.start();
    await h.live(['BTC/USDT']);
    // ETH's snapshot fails: a retry timer is pending at stop time.
    await waitFor(() => h!.stream.status('ETH/USDT')?.reason?.includes('51001') === true, 'ETH retrying');
    await h.stream.stop();
    await h.exchange.close();
    await waitFor(() => h!.server.open().length === 0, 'server-side close');
    await sleep(50);
    expect(h.stream.listenerCount()).toBe(0);
    expect(h.stream.pendingRequests).toBe(0);
    const after = resources();
    expect(after.TCPServerWrap ?? 0).toBeLessThanOrEqual(baseline.TCPServerWrap ?? 0);
    expect(after.TCPSocketWrap ?? 0).toBe(baseline.TCPSocketWrap ?? 0);
    expect(after.Timeout ?? 0).toBeLessThanOrEqual(baseline.Timeout ?? 0);
    expect(h.stream.status('BTC/USDT')?.state).toBe('down');
  });
});
