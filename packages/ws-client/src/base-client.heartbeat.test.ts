import { describe, expect, it } from 'vitest';
import { WebSocketConnectionError, WebSocketTimeoutError } from './errors.js';
import { useFixture } from './test-support/fixture.js';
import { TEST_TIMINGS } from './test-support/recording-client.js';
import type { ServerPeer } from './test-support/test-server.js';
import { delay, waitFor } from './test-support/wait.js';

/** Real-clock tests at docs/faults.md test scale: P = 100 ms, D = 300 ms. Upper bounds allow a loaded box. */
const { heartbeat } = TEST_TIMINGS;
const SLACK_MS = 1_200;

function stream(peer: ServerPeer, everyMs: number): void {
  const timer = setInterval(() => {
    if (peer.open) peer.sendJson({ tick: Date.now() });
  }, everyMs);
  peer.socket.on('close', () => clearInterval(timer));
}

describe('BaseWebSocketClient heartbeat and staleness', () => {
  const fixture = useFixture();

  it('terminates and reconnects when the server stops answering pings (within D + P)', async () => {
    const server = await fixture.server({ autoPong: false });
    const client = fixture.client({ url: server.url, heartbeat });
    await client.connect();
    const openedAt = Date.now();
    await waitFor(() => client.errors.length > 0, 'heartbeat timeout');
    const elapsed = Date.now() - openedAt;
    const error = client.errors[0]!;
    expect(error).toBeInstanceOf(WebSocketTimeoutError);
    expect(error).toMatchObject({ code: 'WS_HEARTBEAT_TIMEOUT', timeoutMs: 300, generation: 1 });
    expect(elapsed).toBeGreaterThanOrEqual(heartbeat.timeoutMs);
    expect(elapsed).toBeLessThan(heartbeat.timeoutMs + heartbeat.intervalMs + SLACK_MS);
    expect(server.peers[0]!.pings).toBeGreaterThanOrEqual(2);
    await waitFor(() => client.closes.length === 1, 'close event');
    expect(client.closes[0]).toMatchObject({ code: 1006, requested: false });
    await waitFor(() => server.peers.length >= 2 && client.state === 'open', 'reconnected');
    expect(client.counters.heartbeatTimeouts).toBeGreaterThanOrEqual(1);
    expect(client.errors.filter((e) => e.generation === 1)).toHaveLength(1);
  });

  it('counts any inbound data as liveness, so a busy stream without pongs stays up', async () => {
    const server = await fixture.server({ autoPong: false, onConnection: (peer) => stream(peer, 40) });
    const client = fixture.client({ url: server.url, heartbeat });
    await client.connect();
    await delay(700);
    expect(client.errors).toEqual([]);
    expect(client.counters.opens).toBe(1);
    expect(client.messages.length).toBeGreaterThan(5);
  });

  it('declares a connection stale when pings are answered but no data arrives', async () => {
    const server = await fixture.server();
    const client = fixture.client({ url: server.url, heartbeat, staleAfterMs: 200 });
    client.subscribe(['quiet']);
    await client.connect();
    const openedAt = Date.now();
    await waitFor(() => client.errors.length > 0, 'stale timeout');
    const elapsed = Date.now() - openedAt;
    expect(client.errors[0]).toBeInstanceOf(WebSocketTimeoutError);
    expect(client.errors[0]).toMatchObject({ code: 'WS_STALE', timeoutMs: 200 });
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(200 + SLACK_MS);
    expect(client.counters.heartbeatTimeouts).toBe(0);
    await waitFor(() => server.peers.length >= 2, 'reconnected');
    expect(client.counters.staleTimeouts).toBeGreaterThanOrEqual(1);
  });

  it('never treats application heartbeat replies as data (Upbit {"status":"UP"})', async () => {
    const server = await fixture.server({
      onConnection: (peer) => {
        peer.socket.on('message', (data) => {
          if (data.toString() === 'PING') peer.sendJson({ status: 'UP' }, true);
        });
      },
    });
    const client = fixture.client({ url: server.url, heartbeat, staleAfterMs: 350, textHeartbeat: true });
    client.subscribe(['KRW-BTC']);
    await client.connect();
    await waitFor(() => client.errors.length > 0, 'stale timeout');
    expect(client.errorCodes()[0]).toBe('WS_STALE');
    expect(client.counters.heartbeatReplies).toBeGreaterThanOrEqual(2);
    expect(client.counters.heartbeatTimeouts).toBe(0);
    expect(client.counters.dataMessages).toBe(0);
    expect(client.messages).toEqual([]);
    expect(server.peers[0]!.received.filter((text) => text === 'PING').length).toBeGreaterThanOrEqual(2);
  });

  it('does not call a lagging feed fresh although messages keep arriving', async () => {
    let behindMs = 5_000;
    const server = await fixture.server({
      onConnection: (peer) => {
        const timer = setInterval(() => peer.open && peer.sendJson({ ts: Date.now() - behindMs }), 20);
        peer.socket.on('close', () => clearInterval(timer));
      },
    });
    const client = fixture.client({ url: server.url, heartbeat, staleAfterMs: 250, maxLagMs: 1_000 });
    client.subscribe(['lagging']);
    await client.connect();
    await waitFor(() => client.errors.length > 0, 'stale despite messages');
    expect(client.errorCodes()[0]).toBe('WS_STALE');
    expect(client.counters.lagMs).toBeGreaterThanOrEqual(5_000);
    expect(client.counters.laggingMessages).toBeGreaterThan(3);
    expect(client.messages.length).toBeGreaterThan(3);
    behindMs = 10;
    const errors = client.errors.length;
    await waitFor(
      () => client.state === 'open' && client.counters.lagMs < 1_000,
      'fresh feed after reconnect',
    );
    await delay(400);
    expect(client.errors).toHaveLength(errors);
  });

  it('does not arm staleness while nothing is subscribed', async () => {
    const server = await fixture.server();
    const client = fixture.client({ url: server.url, heartbeat, staleAfterMs: 100 });
    await client.connect();
    await delay(350);
    expect(client.errors).toEqual([]);
    client.subscribe(['now']);
    await waitFor(() => client.errors.length > 0, 'stale after subscribing');
    expect(client.errorCodes()[0]).toBe('WS_STALE');
  });

  it.each(['blackhole', 'downstream-blackhole'] as const)(
    'detects a %s between client and server within D + P and recovers when it lifts',
    async (mode) => {
      const server = await fixture.server({ onConnection: (peer) => stream(peer, 30) });
      const proxy = await fixture.proxy(server);
      const client = fixture.client({ url: proxy.url(), heartbeat, connectTimeoutMs: 400 });
      await client.connect();
      await waitFor(() => client.messages.length >= 3, 'data flowing');
      proxy.mode = mode;
      const cutAt = Date.now();
      await waitFor(() => client.errors.length > 0, 'heartbeat timeout');
      const elapsed = Date.now() - cutAt;
      expect(client.errorCodes()[0]).toBe('WS_HEARTBEAT_TIMEOUT');
      expect(elapsed).toBeLessThan(heartbeat.timeoutMs + heartbeat.intervalMs + SLACK_MS);
      if (mode === 'downstream-blackhole') expect(server.peers[0]!.pings).toBeGreaterThanOrEqual(2);
      proxy.mode = 'pass';
      const before = client.messages.length;
      await waitFor(
        () => client.state === 'open' && client.messages.length > before + 2,
        'data after recovery',
      );
      expect(client.counters.opens).toBeGreaterThanOrEqual(2);
    },
  );

  it('detects an abrupt TCP reset at once and reconnects', async () => {
    const server = await fixture.server({ onConnection: (peer) => stream(peer, 30) });
    const proxy = await fixture.proxy(server);
    const client = fixture.client({ url: proxy.url(), heartbeat });
    await client.connect();
    await waitFor(() => client.messages.length >= 2, 'data flowing');
    const resetAt = Date.now();
    proxy.resetAll();
    await waitFor(() => client.closes.length === 1, 'close seen');
    expect(Date.now() - resetAt).toBeLessThan(heartbeat.timeoutMs);
    expect(client.closes[0]!.code).toBe(1006);
    expect(client.errors[0]).toBeInstanceOf(WebSocketConnectionError);
    expect(['WS_NETWORK', 'WS_UNEXPECTED_CLOSE']).toContain(client.errors[0]!.code);
    await waitFor(() => client.state === 'open' && client.counters.opens === 2, 'reconnected');
  });
});
