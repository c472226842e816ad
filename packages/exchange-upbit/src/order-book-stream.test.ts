import type { ArbitrageError, InstrumentStateChange, LiveBook } from '@arbitrage/core';
import { waitFor } from '@arbitrage/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { UpbitOrderBookStream, type UpbitOrderBookStreamOptions } from './order-book-stream.js';
import { UpbitSymbolMapper } from './symbols.js';
import { bookMessage, btcUnits, type Unit } from './test-support/frames.js';
import { subscribedCodes, UpbitTestServer } from './test-support/upbit-ws-server.js';

/** Test-scale timings (docs/faults.md): keepalive 100 ms, dead after 300 ms, freshness 200 ms, backoff 20..500 ms. */
const TEST_SCALE = {
  keepalive: { intervalMs: 100, timeoutMs: 300 },
  staleAfterMs: 200,
  subscribeTimeoutMs: 300,
  minResubscribeIntervalMs: 20,
  backoff: { baseMs: 20, capMs: 500 },
  minConnectIntervalMs: 0,
} as const;

let server: UpbitTestServer | undefined;
let stream: UpbitOrderBookStream | undefined;

afterEach(async () => {
  await stream?.close();
  stream = undefined;
  await server?.close();
  server = undefined;
});

function books(...codes: string[]): Map<string, { units: Unit[]; timestamp: number }> {
  return new Map(codes.map((code, i) => [code, { units: btcUnits(30, i + 1), timestamp: 1_000 }]));
}

function createStream(url: string, options: Partial<UpbitOrderBookStreamOptions> = {}): UpbitOrderBookStream {
  return new UpbitOrderBookStream({
    ...TEST_SCALE,
    mapper: new UpbitSymbolMapper(),
    symbols: ['BTC/KRW', 'ETH/KRW'],
    url,
    ...options,
  });
}

function expectBook(book: LiveBook | undefined, units: Unit[], depth = 30): void {
  expect(book).toBeDefined();
  const asks = units.slice(0, depth).map((unit) => [unit.ap, unit.as]);
  const bids = units.slice(0, depth).map((unit) => [unit.bp, unit.bs]);
  expect(book!.book.top('ask', depth)).toEqual(asks);
  expect(book!.book.top('bid', depth)).toEqual(bids);
}

describe('UpbitOrderBookStream', () => {
  it('sends one subscription with every code, then serves live books', async () => {
    server = await UpbitTestServer.start({ books: books('KRW-BTC', 'KRW-ETH') });
    stream = createStream(server.url, { depth: 15 });
    const updates: string[] = [];
    stream.onUpdate((book) => updates.push(book.symbol));
    await stream.start();
    await waitFor(
      () => stream!.status('ETH/KRW')?.state === 'live' && stream!.status('BTC/KRW')?.state === 'live',
    );
    const peer = server.last!;
    expect(peer.subscriptions).toHaveLength(1);
    const [ticket, type, format] = peer.subscriptions[0]! as [
      { ticket: string },
      Record<string, unknown>,
      unknown,
    ];
    expect(ticket.ticket).toMatch(/^[0-9a-f-]{36}$/);
    expect(type).toEqual({
      type: 'orderbook',
      codes: ['KRW-BTC.15', 'KRW-ETH.15'],
      is_only_snapshot: false,
      is_only_realtime: false,
    });
    expect(format).toEqual({ format: 'DEFAULT' });
    expectBook(stream.book('BTC/KRW'), btcUnits(30, 1), 15);
    expect(stream.book('BTC/KRW')!.book.depth('ask')).toBe(15);
    expect(stream.book('BTC/KRW')!.exchangeTime).toBe(1_000);
    expect(updates.sort()).toEqual(['BTC/KRW', 'ETH/KRW']);

    const next = btcUnits(30, 9);
    server.publish('KRW-BTC', next, 1_100);
    await waitFor(() => stream!.book('BTC/KRW')!.exchangeTime === 1_100);
    expectBook(stream.book('BTC/KRW'), next, 15);
    expect(stream.counters('BTC/KRW')).toMatchObject({ updates: 2, invalidMessages: 0 });
    expect(stream.stats.books).toBe(3);
  });

  it('refuses a depth Upbit cannot serve when the stream is made, not by a silent subscription', () => {
    expect(() => createStream('ws://127.0.0.1:1', { depth: 31 })).toThrow(/1 to 30 units per side; depth 31/);
    expect(() => createStream('ws://127.0.0.1:1', { depth: 30 })).not.toThrow();
  });

  it('asks for SIMPLE when configured and reads it', async () => {
    server = await UpbitTestServer.start({ books: books('KRW-BTC', 'KRW-ETH') });
    stream = createStream(server.url, { format: 'SIMPLE' });
    await stream.start();
    await waitFor(() => stream!.status('BTC/KRW')?.state === 'live');
    expect(server.last!.subscriptions[0]![2]).toEqual({ format: 'SIMPLE' });
    expectBook(stream.book('BTC/KRW'), btcUnits(30, 1));
  });

  it('drops a book older than the last applied one, and counts it (fault 25)', async () => {
    server = await UpbitTestServer.start({ books: books('KRW-BTC', 'KRW-ETH') });
    stream = createStream(server.url);
    await stream.start();
    await waitFor(() => stream!.status('BTC/KRW')?.state === 'live');
    const newer = btcUnits(30, 5);
    server.publish('KRW-BTC', newer, 2_000);
    await waitFor(() => stream!.book('BTC/KRW')!.exchangeTime === 2_000);
    server.publish('KRW-BTC', btcUnits(30, 6), 1_999);
    const same = btcUnits(30, 7);
    server.publish('KRW-BTC', same, 2_000);
    await waitFor(() => stream!.counters('BTC/KRW')!.updates === 3);
    expect(stream.counters('BTC/KRW')!.droppedStale).toBe(1);
    expect(stream.stats.droppedStale).toBe(1);
    // The equal timestamp was applied (a repeated SNAPSHOT of a quiet book has the same one).
    expectBook(stream.book('BTC/KRW'), same);
  });

  it('marks a code without any snapshot as failed, the others stay live', async () => {
    server = await UpbitTestServer.start({ books: books('KRW-BTC') });
    stream = createStream(server.url, { staleAfterMs: 10_000 });
    const changes: InstrumentStateChange[] = [];
    stream.onStateChange((change) => changes.push(change));
    await stream.start();
    await waitFor(() => stream!.status('ETH/KRW')?.state === 'failed', 3_000, 'ETH failed');
    expect(stream.status('ETH/KRW')!.reason).toMatch(/no orderbook frame for KRW-ETH within 300 ms/);
    expect(stream.status('BTC/KRW')!.state).toBe('live');
    expect(stream.stats.subscribeTimeouts).toBe(1);
    expect(changes.find((change) => change.symbol === 'ETH/KRW' && change.state === 'failed')).toMatchObject({
      exchange: 'upbit',
      previous: 'connecting',
    });
    expect(stream.book('ETH/KRW')).toBeUndefined();
  });

  it('a quiet symbol goes stale, is re-subscribed and comes back; a stalled one stays stale', async () => {
    server = await UpbitTestServer.start({ books: books('KRW-BTC', 'KRW-ETH') });
    stream = createStream(server.url);
    await stream.start();
    await waitFor(
      () => stream!.status('ETH/KRW')?.state === 'live' && stream!.status('BTC/KRW')?.state === 'live',
    );
    server.silent.add('KRW-ETH');
    // BTC keeps changing; ETH is stalled; the resubscribe answers BTC only.
    const ticker = setInterval(
      () => server!.publish('KRW-BTC', btcUnits(30, Date.now() % 97), Date.now()),
      40,
    );
    try {
      await waitFor(() => stream!.status('ETH/KRW')?.state === 'stale', 3_000, 'ETH stale');
      await waitFor(() => stream!.stats.resubscribes >= 1, 3_000, 'a resubscribe');
      expect(stream.status('BTC/KRW')!.state).toBe('live');
      expect(stream.status('ETH/KRW')!.reason).toMatch(/no update for \d+ ms/);
      expect(stream.counters('ETH/KRW')!.staleEvents).toBe(1);
      await waitFor(() => server!.last!.subscriptions.length >= 2, 3_000, 'the resubscribe at the server');
      // Market resumes: the next resubscribe's SNAPSHOT brings it back to live.
      server.silent.delete('KRW-ETH');
      await waitFor(() => stream!.status('ETH/KRW')?.state === 'live', 3_000, 'ETH live again');
      expect(server.openPeers).toBe(1);
      expect(stream.socketCounters.opens).toBe(1);
    } finally {
      clearInterval(ticker);
    }
  });

  it('reconnects after a drop with exactly one subscription request per connection', async () => {
    server = await UpbitTestServer.start({ books: books('KRW-BTC', 'KRW-ETH') });
    stream = createStream(server.url, { staleAfterMs: 10_000 });
    const states: string[] = [];
    stream.onStateChange((change) => {
      if (change.symbol === 'BTC/KRW') states.push(change.state);
    });
    await stream.start();
    for (let drop = 1; drop <= 3; drop++) {
      await waitFor(() => stream!.status('BTC/KRW')?.state === 'live', 3_000, `live before drop ${drop}`);
      server.last!.socket.terminate();
      await waitFor(() => server!.peers.length === drop + 1, 3_000, `reconnect ${drop}`);
    }
    await waitFor(
      () => stream!.status('BTC/KRW')?.state === 'live' && stream!.status('ETH/KRW')?.state === 'live',
    );
    expect(server.peers.map((peer) => peer.subscriptions.length)).toEqual([1, 1, 1, 1]);
    expect(server.peers.map((peer) => subscribedCodes(peer.subscriptions[0]!))).toEqual(
      Array(4).fill(['KRW-BTC', 'KRW-ETH']),
    );
    expect(states).toEqual([
      'live',
      'down',
      'resyncing',
      'live',
      'down',
      'resyncing',
      'live',
      'down',
      'resyncing',
      'live',
    ]);
    expect(server.openPeers).toBe(1);
  });

  it('keeps an idle connection alive with ping frames (fault 24)', async () => {
    server = await UpbitTestServer.start({ books: books('KRW-BTC', 'KRW-ETH'), idleCloseMs: 300 });
    stream = createStream(server.url, { staleAfterMs: 10_000 });
    await stream.start();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(server.peers).toHaveLength(1);
    expect(server.last!.open).toBe(true);
    expect(server.last!.pings).toBeGreaterThanOrEqual(3);
    expect(stream.socketCounters.reconnects).toBe(0);
  });

  it('keeps it alive with text PING, and {"status":"UP"} never counts as market data', async () => {
    server = await UpbitTestServer.start({ books: books('KRW-BTC', 'KRW-ETH'), idleCloseMs: 300 });
    stream = createStream(server.url, { keepalive: { mode: 'text', intervalMs: 100, timeoutMs: 300 } });
    await stream.start();
    await waitFor(() => stream!.status('BTC/KRW')?.state === 'live');
    await waitFor(
      () =>
        server!.last!.received.filter((text) => text === 'PING').length >= 4 &&
        stream!.socketCounters.heartbeatReplies >= 3,
      3_000,
      'PINGs answered by UP',
    );
    // UP replies kept the socket alive but never refreshed the book's freshness.
    expect(stream.counters('BTC/KRW')!.staleEvents).toBeGreaterThanOrEqual(1);
    expect(server.peers).toHaveLength(1);
    expect(stream.socketCounters.reconnects).toBe(0);
  });

  it('reconnects when the server closes an idle socket anyway', async () => {
    server = await UpbitTestServer.start({ books: books('KRW-BTC', 'KRW-ETH'), idleCloseMs: 150 });
    stream = createStream(server.url, { keepalive: false, staleAfterMs: 10_000 });
    await stream.start();
    await waitFor(() => server!.peers.length >= 2, 3_000, 'a reconnect after the idle close');
    await waitFor(() => stream!.status('BTC/KRW')?.state === 'live');
  });

  it("reports an Upbit error frame with the exchange's name, fails the subscription and reconnects", async () => {
    server = await UpbitTestServer.start({ books: books('KRW-BTC', 'KRW-ETH') });
    stream = createStream(server.url, { staleAfterMs: 10_000 });
    const errors: ArbitrageError[] = [];
    stream.onError((error) => errors.push(error));
    await stream.start();
    await waitFor(() => stream!.status('BTC/KRW')?.state === 'live');
    server.last!.send('{"error":{"name":"WRONG_FORMAT","message":"Requested using wrong format."}}');
    await waitFor(() => stream!.status('BTC/KRW')?.state === 'failed');
    expect(stream.status('BTC/KRW')!.reason).toContain('WRONG_FORMAT');
    const protocolError = errors.find((error) => error.code === 'WS_SERVER_ERROR');
    expect(protocolError?.message).toContain('WRONG_FORMAT');
    expect((protocolError as { serverCode?: unknown } | undefined)?.serverCode).toBe('WRONG_FORMAT');
    expect(stream.stats.exchangeErrors).toBe(1);
    await waitFor(() => server!.peers.length === 2, 3_000, 'reconnect after the error');
    await waitFor(() => stream!.status('BTC/KRW')?.state === 'live', 3_000, 'live after reconnect');
  });

  it('rejects crossed books: resyncing, resubscribe; crossed again after that: failed until a good one', async () => {
    server = await UpbitTestServer.start({ books: books('KRW-BTC', 'KRW-ETH') });
    stream = createStream(server.url, { staleAfterMs: 10_000 });
    const errors: ArbitrageError[] = [];
    stream.onError((error) => errors.push(error));
    await stream.start();
    await waitFor(() => stream!.status('BTC/KRW')?.state === 'live');
    const before = stream.book('BTC/KRW')!.book.version;
    const crossed = [{ ap: 1_000, as: 1, bp: 1_000, bs: 1 }];
    server.books.set('KRW-BTC', { units: crossed, timestamp: 5_000 });
    server.last!.send(JSON.stringify(bookMessage({ units: crossed, timestamp: 5_000 })));
    // The resubscribe is answered with the (still crossed) true book: halted.
    await waitFor(
      () => stream!.status('BTC/KRW')?.state === 'failed',
      3_000,
      'failed after repeated crossing',
    );
    expect(stream.status('BTC/KRW')!.reason).toMatch(/crossed books persist/);
    expect(stream.counters('BTC/KRW')!.crossed).toBe(2);
    expect(stream.book('BTC/KRW')!.book.version).toBe(before);
    expect(errors.filter((error) => error.code === 'MESSAGE_INVALID').length).toBe(2);
    expect(stream.status('ETH/KRW')!.state).toBe('live');
    server.publish('KRW-BTC', btcUnits(30, 3), 6_000);
    await waitFor(() => stream!.status('BTC/KRW')?.state === 'live');
  });

  it('counts malformed, non-UTF-8 and oversize frames without crashing or applying them (fault 27)', async () => {
    server = await UpbitTestServer.start({ books: books('KRW-BTC', 'KRW-ETH') });
    stream = createStream(server.url, { staleAfterMs: 10_000, maxPayload: 64 * 1024 });
    const errors: ArbitrageError[] = [];
    stream.onError((error) => errors.push(error));
    await stream.start();
    await waitFor(() => stream!.status('BTC/KRW')?.state === 'live');
    const peer = server.last!;
    peer.send('{"type":"orderbook","code":"KRW-BTC","timestamp":9');
    peer.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
    peer.send(JSON.stringify(bookMessage({ units: [{ ap: 1, as: -1, bp: 0.5, bs: 1 }], timestamp: 9_999 })));
    await waitFor(() => stream!.stats.invalidMessages === 3);
    expect(errors.map((error) => (error as { reason?: string }).reason)).toEqual([
      'malformed-json',
      'invalid-utf8',
      'negative-or-invalid-number',
    ]);
    expect(stream.counters('BTC/KRW')!.invalidMessages).toBe(1);
    // Nothing of the bad frames reached the book: it still holds the server's true book.
    expectBook(stream.book('BTC/KRW'), btcUnits(30, 1));
    expect(stream.book('BTC/KRW')!.exchangeTime).toBe(1_000);
    // The resubscribe after the bad frame brings BTC back to live from a fresh snapshot.
    await waitFor(() => stream!.status('BTC/KRW')?.state === 'live');
    // A frame over maxPayload is a protocol error: the socket is replaced.
    peer.send(Buffer.alloc(100 * 1024, 0x20));
    await waitFor(() => server!.peers.length === 2, 3_000, 'reconnect after an oversize frame');
    await waitFor(() => stream!.status('BTC/KRW')?.state === 'live');
  });

  it('stop() leaves no socket or timer behind', async () => {
    const before = process.getActiveResourcesInfo().filter((name) => name !== 'TTYWrap').length;
    server = await UpbitTestServer.start({ books: books('KRW-BTC', 'KRW-ETH') });
    const serverResources = process.getActiveResourcesInfo().filter((name) => name !== 'TTYWrap').length;
    stream = createStream(server.url);
    await stream.start();
    await waitFor(() => stream!.status('BTC/KRW')?.state === 'live');
    await stream.stop();
    await waitFor(() => server!.openPeers === 0, 3_000, 'server sees the close');
    expect(stream.status('BTC/KRW')!.state).toBe('down');
    await server.close();
    server = undefined;
    await waitFor(
      () => process.getActiveResourcesInfo().filter((name) => name !== 'TTYWrap').length <= before,
      3_000,
      `resources back to ${before} (server alone added ${serverResources - before})`,
    );
  });
});
