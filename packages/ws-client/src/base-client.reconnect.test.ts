import { ManualClock } from '@arbitrage/core';
import { sleep, waitFor } from '@arbitrage/test-support';
import { describe, expect, it } from 'vitest';
import { WebSocketConnectionError, WebSocketProtocolError, WebSocketTimeoutError } from './errors.js';
import { subscribeBatches, useFixture } from './test-support/fixture.js';
import { closedPort, type ServerPeer } from './test-support/test-server.js';

describe('BaseWebSocketClient reconnect', () => {
  const fixture = useFixture();

  it.each([
    { code: 1000, how: 'close' },
    { code: 1006, how: 'terminate' },
    { code: 1008, how: 'close' },
    { code: 1011, how: 'close' },
  ] as const)(
    'recovers from a server $how with $code: one error, one replay per connection',
    async ({ code, how }) => {
      const server = await fixture.server({
        onConnection: (peer) => {
          peer.socket.once('message', () => {
            peer.sendJson({ from: peer.index });
            if (peer.index > 0) return;
            if (how === 'terminate') peer.socket.terminate();
            else peer.socket.close(code, 'test close');
          });
        },
      });
      const client = fixture.client({ url: server.url, maxOutboundPerSecond: 10 });
      client.subscribe(['x', 'y']);
      await client.connect();
      await waitFor(() => client.messages.length === 2, 'data from both connections');

      expect(client.messages).toEqual([{ from: 0 }, { from: 1 }]);
      expect(server.peers).toHaveLength(2);
      for (const peer of server.peers) {
        expect(subscribeBatches(peer.receivedJson())).toEqual(
          [{ op: 'subscribe', args: ['x', 'y'] }].map((batch) => ({ ...batch, all: 2 })),
        );
      }
      expect(client.errors).toHaveLength(1);
      const error = client.errors[0]!;
      expect(error).toBeInstanceOf(WebSocketConnectionError);
      expect(error.code).toBe('WS_UNEXPECTED_CLOSE');
      expect(error.closeCode).toBe(code);
      expect(error.attempt).toBe(0);
      expect(error.generation).toBe(1);
      expect(client.closes[0]).toMatchObject({ generation: 1, code, requested: false });
      // Data flowed before the close, so the backoff was reset: the first retry waits at most B.
      expect(client.reconnects).toHaveLength(1);
      expect(client.reconnects[0]!.attempt).toBe(1);
      expect(client.reconnects[0]!.delayMs).toBeLessThanOrEqual(20);
      expect(client.reconnects[0]!.error).toBe(error);
      expect(client.counters.outboundPerSecond).toBe(code === 1008 ? 5 : 10);
      expect(client.states.map((event) => event.state)).toEqual([
        'connecting',
        'open',
        'reconnecting',
        'connecting',
        'open',
      ]);
    },
  );

  it('keeps retrying a refused port with growing delays, then gives up after maxReconnectAttempts', async () => {
    const port = await closedPort();
    const client = fixture.client({
      url: `ws://127.0.0.1:${port}/ws?listenKey=SECRET`,
      maxReconnectAttempts: 3,
      backoff: { baseMs: 5, capMs: 40, jitter: 0 },
    });
    await expect(client.connect()).rejects.toMatchObject({ code: 'WS_GAVE_UP' });
    expect(client.errorCodes()).toEqual([
      'WS_REFUSED',
      'WS_REFUSED',
      'WS_REFUSED',
      'WS_REFUSED',
      'WS_GAVE_UP',
    ]);
    expect(client.errors[0]).toBeInstanceOf(WebSocketConnectionError);
    expect(client.errors.slice(0, 4).map((error) => error.attempt)).toEqual([0, 1, 2, 3]);
    expect(client.reconnects.map((event) => [event.attempt, event.delayMs])).toEqual([
      [1, 5],
      [2, 10],
      [3, 20],
    ]);
    expect(client.state).toBe('closed');
    expect(client.closes).toEqual([]);
    // Errors name the endpoint but never its query string, which may carry keys.
    expect(client.errors[0]!.message).toContain(`ws://127.0.0.1:${port}/ws`);
    expect(client.errors.some((error) => error.message.includes('SECRET'))).toBe(false);
  });

  it('grows the backoff over 20 accept-then-close cycles and resets it only after data flows', async () => {
    const clock = new ManualClock();
    let mode: 'close' | 'ack' | 'data' = 'close';
    const server = await fixture.server({
      onConnection: (peer) => {
        if (mode === 'close') {
          peer.socket.close(1000);
          return;
        }
        peer.socket.once('message', () => {
          peer.sendJson(mode === 'ack' ? { ack: true } : { price: 1 });
          peer.socket.close(1000);
        });
      },
    });
    const client = fixture.client({
      url: server.url,
      clock,
      acksAreNotData: true,
      backoff: { baseMs: 20, capMs: 500, random: () => 0 },
    });
    client.subscribe(['btc']);
    void client.connect();
    const cycle = async (nextMode: typeof mode): Promise<{ attempt: number; delayMs: number }> => {
      const count = client.reconnects.length;
      await waitFor(() => client.reconnects.length === count + 1 || client.state === 'closed', 'a reconnect');
      const { attempt, delayMs } = client.reconnects[count]!;
      mode = nextMode;
      clock.advance(delayMs);
      return { attempt, delayMs };
    };

    const closes: number[] = [];
    for (let i = 0; i < 20; i++) closes.push((await cycle(i === 19 ? 'ack' : 'close')).delayMs);
    expect(closes).toEqual([20, 40, 80, 160, 320, ...Array<number>(15).fill(500)]);
    // A subscription ack is not data: it reaches onMessage but the backoff keeps its level.
    expect(await cycle('data')).toEqual({ attempt: 21, delayMs: 500 });
    expect(client.messages).toEqual([{ ack: true }]);
    // The first data message resets the backoff: the next retry waits B again, then grows anew.
    expect(await cycle('close')).toEqual({ attempt: 1, delayMs: 20 });
    expect(await cycle('close')).toEqual({ attempt: 2, delayMs: 40 });
    expect(client.messages).toEqual([{ ack: true }, { price: 1 }]);
    expect(server.peers.length).toBe(23);
    for (const peer of server.peers.slice(19)) expect(subscribeBatches(peer.receivedJson())).toHaveLength(1);
    expect(client.counters.reconnects).toBe(23);
  });

  it('with healthyOnFirstData: false, resets the backoff only when the adapter says so', async () => {
    const clock = new ManualClock();
    const server = await fixture.server({
      onConnection: (peer) => {
        peer.sendJson({ data: peer.index });
        peer.socket.close(1000);
      },
    });
    const client = fixture.client({
      url: server.url,
      clock,
      healthyOnFirstData: false,
      backoff: { baseMs: 20, capMs: 500, random: () => 0 },
    });
    client.onMessageHook = (message) => {
      if ((message as { data: number }).data === 2) client.healthy();
    };
    void client.connect();
    const delays: number[] = [];
    for (let i = 1; i <= 4; i++) {
      await waitFor(() => client.reconnects.length === i, `reconnect ${i}`);
      delays.push(client.reconnects[i - 1]!.delayMs);
      clock.advance(delays[i - 1]!);
    }
    // Data flowed on every connection, but only the third one was declared healthy.
    expect(client.messages).toHaveLength(4);
    expect(delays).toEqual([20, 40, 20, 40]);
  });

  it('never dials more often than minConnectIntervalMs, whatever the backoff says', async () => {
    const clock = new ManualClock();
    const server = await fixture.server({ onConnection: (peer) => peer.socket.close(1000) });
    const client = fixture.client({
      url: server.url,
      clock,
      minConnectIntervalMs: 1_000,
      backoff: { baseMs: 20, capMs: 500, random: () => 0 },
    });
    void client.connect();
    for (let i = 1; i <= 3; i++) {
      await waitFor(() => client.reconnects.length === i, `reconnect ${i}`);
      expect(client.reconnects[i - 1]!.delayMs).toBe(1_000);
      clock.advance(999);
      await sleep(20);
      expect(server.upgrades).toBe(i);
      clock.advance(1);
    }
  });

  it('waits at least Retry-After when the handshake is answered 429 or 418', async () => {
    const clock = new ManualClock();
    const server = await fixture.server({
      onUpgrade: (index) =>
        index === 0
          ? { reject: 429, headers: { 'Retry-After': '2' } }
          : index === 1
            ? { reject: 418, headers: { 'Retry-After': new Date(clock.now() + 3_000).toUTCString() } }
            : undefined,
    });
    const client = fixture.client({
      url: server.url,
      clock,
      backoff: { baseMs: 20, capMs: 500, random: () => 0 },
    });
    const opened = client.connect();

    await waitFor(() => client.reconnects.length === 1, 'first reconnect');
    const rejected = client.errors[0] as WebSocketConnectionError;
    expect(rejected).toBeInstanceOf(WebSocketConnectionError);
    expect(rejected).toMatchObject({ code: 'WS_HANDSHAKE_REJECTED', status: 429, retryAfterMs: 2_000 });
    expect(client.reconnects[0]!.delayMs).toBe(2_000);
    clock.advance(1_999);
    await sleep(30);
    expect(server.upgrades).toBe(1);
    clock.advance(1);

    await waitFor(() => client.reconnects.length === 2, 'second reconnect');
    expect(client.errors[1]).toMatchObject({ code: 'WS_HANDSHAKE_REJECTED', status: 418 });
    expect(client.reconnects[1]!.delayMs).toBeGreaterThanOrEqual(2_000);
    expect(client.reconnects[1]!.delayMs).toBeLessThanOrEqual(3_000);
    clock.advance(client.reconnects[1]!.delayMs);
    await opened;
    expect(client.errors).toHaveLength(2);
    expect(server.upgrades).toBe(3);
  });

  it('honours Retry-After on the real clock too', async () => {
    const upgradesAt: number[] = [];
    const server = await fixture.server({
      onUpgrade: (index) => {
        upgradesAt.push(Date.now());
        return index === 0 ? { reject: 429, headers: { 'Retry-After': '1' } } : undefined;
      },
    });
    const client = fixture.client({ url: server.url });
    await client.connect();
    expect(upgradesAt[1]! - upgradesAt[0]!).toBeGreaterThanOrEqual(990);
  });

  it('times out a handshake that never completes and retries', async () => {
    const server = await fixture.server({ onUpgrade: (index) => (index === 0 ? { hang: true } : undefined) });
    const client = fixture.client({ url: server.url, connectTimeoutMs: 100 });
    await client.connect();
    expect(client.errors[0]).toBeInstanceOf(WebSocketTimeoutError);
    expect(client.errors[0]).toMatchObject({ code: 'WS_CONNECT_TIMEOUT', timeoutMs: 100, attempt: 0 });
    expect(client.errors).toHaveLength(1);
    expect(client.counters.connectTimeouts).toBe(1);
    await waitFor(() => server.openSockets === 1, 'the hung socket was released');
  });

  it('lets an adapter report a server error and force a reconnect, reported once', async () => {
    const server = await fixture.server({ onConnection: (peer) => peer.sendJson({ hi: peer.index }) });
    const client = fixture.client({ url: server.url });
    await client.connect();
    await waitFor(() => client.messages.length === 1, 'first message');
    client.fail('exchange said WRONG_FORMAT', false);
    client.fail('exchange is shutting down', true);
    await waitFor(() => client.messages.length === 2, 'message from the new connection');
    expect(client.errors.map((error) => [error.constructor, error.code])).toEqual([
      [WebSocketProtocolError, 'WS_SERVER_ERROR'],
      [WebSocketProtocolError, 'WS_SERVER_ERROR'],
    ]);
    expect((client.errors[0] as WebSocketProtocolError).serverCode).toBe('TEST');
    expect(client.closes[0]).toMatchObject({ code: 1006, requested: false });
  });

  it('restarts a connection on request without reporting an error', async () => {
    const server = await fixture.server({ onConnection: (peer) => peer.sendJson({ hi: peer.index }) });
    const client = fixture.client({ url: server.url });
    client.subscribe(['r']);
    await client.connect();
    await waitFor(() => client.messages.length === 1, 'first message');
    client.restart('serverShutdown announced');
    await waitFor(() => client.messages.length === 2, 'message from the new connection');
    expect(client.errors).toEqual([]);
    expect(client.reconnects[0]!.error).toMatchObject({ code: 'WS_RESTART', generation: 1 });
    expect(client.reconnects[0]!.error.message).toContain('serverShutdown announced');
    await waitFor(
      () => server.peers.length === 2 && server.peers[1]!.received.length === 1,
      'replay received',
    );
    for (const peer of server.peers) expect(subscribeBatches(peer.receivedJson())).toHaveLength(1);
  });

  it('after 5 reconnects: one subscribe batch per connection, each message once, no listener growth', async () => {
    const server = await fixture.server({
      onConnection: (peer: ServerPeer) => {
        peer.socket.once('message', () => {
          for (let seq = 0; seq < 3; seq++) peer.sendJson({ conn: peer.index, seq });
          if (peer.index < 5) peer.socket.close(1000);
        });
      },
    });
    const client = fixture.client({ url: server.url });
    client.subscribe(['a', 'b', 'c']);
    const listeners = client.listenerCount();
    await client.connect();
    await waitFor(() => client.messages.length === 18, 'three messages from each of six connections');
    await sleep(30);
    expect(client.messages).toHaveLength(18);
    expect(new Set(client.messages.map((message) => JSON.stringify(message))).size).toBe(18);
    expect(server.peers).toHaveLength(6);
    for (const peer of server.peers) expect(subscribeBatches(peer.receivedJson())).toHaveLength(1);
    expect(client.listenerCount()).toBe(listeners);
    expect(server.openPeers).toBe(1);
    expect(client.counters.opens).toBe(6);
  });
});
