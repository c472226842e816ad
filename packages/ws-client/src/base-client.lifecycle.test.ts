import { sleep, waitFor } from '@arbitrage/test-support';
import { describe, expect, it } from 'vitest';
import { WebSocketError } from './errors.js';
import { subscribeBatches, useFixture } from './test-support/fixture.js';
import { TEST_TIMINGS } from './test-support/recording-client.js';

function resourceCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of process.getActiveResourcesInfo()) counts.set(name, (counts.get(name) ?? 0) + 1);
  return counts;
}

describe('BaseWebSocketClient lifecycle', () => {
  const fixture = useFixture();

  it('connects, replays subscriptions once, decodes text and binary JSON and fills meta', async () => {
    const server = await fixture.server({
      onConnection: (peer) => {
        peer.socket.on('message', () => {
          peer.sendJson({ n: 1 });
          peer.sendJson({ n: 2 }, true);
        });
      },
    });
    const client = fixture.client({ url: server.url });
    client.subscribe(['a', 'b']);
    const states: string[] = [];
    client.on('state', (event) => states.push(event.state));
    await client.connect();
    expect(client.state).toBe('open');
    expect(client.isOpen).toBe(true);
    await waitFor(() => client.messages.length === 2, 'two messages');
    expect(client.messages).toEqual([{ n: 1 }, { n: 2 }]);
    expect(client.metas.map((meta) => meta.isBinary)).toEqual([false, true]);
    expect(client.metas[0]!.bytes).toBe(Buffer.byteLength('{"n":1}'));
    expect(client.metas[0]!.generation).toBe(1);
    expect(client.metas[0]!.receivedAt).toBeGreaterThan(0);
    expect(subscribeBatches(server.peers[0]!.receivedJson())).toEqual([
      { op: 'subscribe', args: ['a', 'b'], all: 2 },
    ]);
    expect(states).toEqual(['connecting', 'open']);
    expect(client.counters).toMatchObject({ messages: 2, dataMessages: 2, opens: 1, sent: 1, state: 'open' });
    expect(client.counters.lastDataAt).toBeGreaterThan(0);
    expect(client.counters.connectedAt).toBeGreaterThan(0);
  });

  it('sends subscribe and unsubscribe deltas while open, with the full list for Upbit-style adapters', async () => {
    const server = await fixture.server();
    const client = fixture.client({ url: server.url });
    client.subscribe(['a']);
    await client.connect();
    client.subscribe(['a', 'b', 'c']);
    client.unsubscribe(['a', 'zzz']);
    client.unsubscribe(['zzz']);
    await waitFor(() => server.peers[0]!.received.length === 3, 'three control messages');
    expect(server.peers[0]!.receivedJson()).toEqual([
      { op: 'subscribe', args: ['a'], all: 1 },
      { op: 'subscribe', args: ['b', 'c'], all: 3 },
      { op: 'unsubscribe', args: ['a'], all: 2 },
    ]);
    expect(client.topics).toEqual(['b', 'c']);
  });

  it('queues sends while connecting (bounded), flushes them after the replay, and drops overflow', async () => {
    const server = await fixture.server();
    const client = fixture.client({ url: server.url, maxQueuedMessages: 3 });
    client.subscribe(['t']);
    const connecting = client.connect();
    expect(client.state).toBe('connecting');
    expect(client.send({ q: 1 })).toBe(true);
    expect(client.sendRaw('two')).toBe(true);
    expect(client.send({ q: 3 })).toBe(true);
    expect(client.send({ q: 4 })).toBe(false);
    expect(client.errorCodes()).toEqual(['WS_SEND_QUEUE_FULL']);
    await connecting;
    await waitFor(() => server.peers[0]!.received.length === 4, 'replay and three queued messages');
    expect(server.peers[0]!.received).toEqual([
      JSON.stringify({ op: 'subscribe', args: ['t'], all: 1 }),
      '{"q":1}',
      'two',
      '{"q":3}',
    ]);
    expect(client.counters.droppedSends).toBe(1);
  });

  it('evaluates a url function before every dial and sends the configured headers, without deflate', async () => {
    const requests: Array<Record<string, string | string[] | undefined>> = [];
    const first = await fixture.server({
      onUpgrade: (_index, request) => {
        requests.push(request.headers);
        return undefined;
      },
      onConnection: (peer) => peer.socket.close(1001),
    });
    const second = await fixture.server({ onConnection: (peer) => peer.sendJson({ second: true }) });
    const urls = [first.url, second.url];
    let calls = 0;
    const client = fixture.client({ url: () => urls[Math.min(calls++, 1)]!, headers: { 'X-Api-Key': 'k1' } });
    await client.connect();
    await waitFor(() => client.messages.length === 1, 'message from the second server');
    expect(calls).toBe(2);
    expect(requests[0]!['x-api-key']).toBe('k1');
    expect(requests[0]!['sec-websocket-extensions']).toBeUndefined();
    expect(client.errors[0]).toMatchObject({ code: 'WS_UNEXPECTED_CLOSE', closeCode: 1001 });
  });

  it('refuses sends before connect() with WS_NOT_CONNECTED', () => {
    const client = fixture.client({ url: 'ws://127.0.0.1:9/ws' });
    expect(client.send({ x: 1 })).toBe(false);
    expect(client.errors[0]).toBeInstanceOf(WebSocketError);
    expect(client.errors[0]!.code).toBe('WS_NOT_CONNECTED');
  });

  it('disconnect() closes with 1000 and leaves no socket, timer or listener behind', async () => {
    // Settle anything earlier tests left winding down before taking the baseline.
    await sleep(50);
    const before = resourceCounts();
    const server = await fixture.server({
      onConnection: (peer) => {
        peer.sendJson({ hello: true });
      },
    });
    const client = fixture.client({
      url: server.url,
      heartbeat: TEST_TIMINGS.heartbeat,
      staleAfterMs: 10_000,
    });
    client.subscribe(['x']);
    const closeCodes: number[] = [];
    await client.connect();
    const peer = server.peers[0]!;
    peer.socket.on('close', (code) => closeCodes.push(code));
    const listenersBefore = client.listenerCount();
    await waitFor(() => client.messages.length === 1, 'hello');
    await client.disconnect();
    expect(client.state).toBe('closed');
    expect(client.closes).toEqual([
      { generation: 1, code: 1000, reason: 'client disconnect', requested: true },
    ]);
    await waitFor(() => server.openSockets === 0, 'server-side sockets closed', { timeoutMs: 2_000 });
    expect(closeCodes).toEqual([1000]);
    await server.close();
    // Handles close on the next loop turn after their 'close' callbacks; poll instead of sleeping.
    const kinds = ['TCPSocketWrap', 'TCPServerWrap', 'Timeout'];
    const leaked = (): string[] => {
      const after = resourceCounts();
      return kinds.filter((kind) => (after.get(kind) ?? 0) > (before.get(kind) ?? 0));
    };
    await waitFor(() => leaked().length === 0, 'no more sockets, servers or timers than before', {
      timeoutMs: 2_000,
    });
    expect(leaked()).toEqual([]);
    expect(client.listenerCount()).toBe(listenersBefore);
    expect(client.errors).toEqual([]);
    // Nothing fires later either: no reconnect, no state change.
    await sleep(100);
    expect(client.reconnects).toEqual([]);
    expect(client.state).toBe('closed');
  });

  it('disconnect() during the backoff wait or the handshake resolves at once and rejects connect()', async () => {
    const hanging = await fixture.server({ onUpgrade: () => ({ hang: true }) });
    const client = fixture.client({ url: hanging.url });
    const connecting = client.connect();
    await waitFor(() => hanging.openSockets === 1, 'server saw the TCP connection');
    const started = Date.now();
    await client.disconnect();
    expect(Date.now() - started).toBeLessThan(500);
    await expect(connecting).rejects.toMatchObject({ code: 'WS_ABORTED' });
    await waitFor(() => hanging.openSockets === 0, 'hung socket released');

    const closing = await fixture.server({ onConnection: (peer) => peer.socket.close(1011) });
    const other = fixture.client({ url: closing.url, backoff: { baseMs: 5_000, capMs: 5_000 } });
    void other.connect();
    await waitFor(() => other.state === 'reconnecting', 'waiting out the backoff');
    await other.disconnect();
    expect(other.state).toBe('closed');
    expect(other.counters.reconnects).toBe(1);
  });

  it('disconnect() terminates after closeTimeoutMs when the peer never answers the close frame', async () => {
    const server = await fixture.server();
    const proxy = await fixture.proxy(server);
    const client = fixture.client({ url: proxy.url(), closeTimeoutMs: 150 });
    await client.connect();
    proxy.mode = 'blackhole';
    const started = Date.now();
    await client.disconnect();
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(1_500);
    await waitFor(() => proxy.openPairs === 0, 'proxy pair closed');
  });

  it('can connect again after disconnect, with a fresh generation', async () => {
    const server = await fixture.server();
    const client = fixture.client({ url: server.url });
    client.subscribe(['s']);
    await client.connect();
    await client.disconnect();
    await client.connect();
    expect(client.currentGeneration).toBe(2);
    await waitFor(() => server.peers[1]?.received.length === 1, 'second replay');
    expect(subscribeBatches(server.peers[1]!.receivedJson())).toHaveLength(1);
    expect(await Promise.all([client.connect(), client.connect()])).toEqual([undefined, undefined]);
  });
});
