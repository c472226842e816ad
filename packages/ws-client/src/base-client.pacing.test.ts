import { ManualClock } from '@arbitrage/core';
import { sleep, waitFor } from '@arbitrage/test-support';
import { describe, expect, it } from 'vitest';
import { useFixture } from './test-support/fixture.js';

describe('BaseWebSocketClient outbound pacing', () => {
  const fixture = useFixture();

  it('keeps outgoing messages within maxOutboundPerSecond over a rolling second', async () => {
    const clock = new ManualClock();
    const server = await fixture.server();
    const client = fixture.client({ url: server.url, clock, maxOutboundPerSecond: 2 });
    client.subscribe(['a']);
    await client.connect();
    for (let n = 1; n <= 5; n++) expect(client.send({ n })).toBe(true);
    const peer = server.peers[0]!;
    await waitFor(() => peer.received.length === 2, 'first two');
    await sleep(30);
    expect(peer.received).toHaveLength(2);
    clock.advance(999);
    await sleep(30);
    expect(peer.received).toHaveLength(2);
    clock.advance(1);
    await waitFor(() => peer.received.length === 4, 'next two after a second');
    clock.advance(1_000);
    await waitFor(() => peer.received.length === 6, 'the rest');
    expect(peer.receivedJson()).toEqual([
      { op: 'subscribe', args: ['a'], all: 1 },
      { n: 1 },
      { n: 2 },
      { n: 3 },
      { n: 4 },
      { n: 5 },
    ]);
  });

  it('counts pongs to server pings toward the budget', async () => {
    const clock = new ManualClock();
    const server = await fixture.server({
      onConnection: (peer) => {
        peer.socket.ping();
        peer.socket.ping();
      },
    });
    const client = fixture.client({ url: server.url, clock, maxOutboundPerSecond: 3 });
    await client.connect();
    await sleep(50);
    client.send({ first: true });
    client.send({ second: true });
    await sleep(50);
    expect(server.peers[0]!.received).toEqual(['{"first":true}']);
    clock.advance(1_000);
    await waitFor(() => server.peers[0]!.received.length === 2, 'second after the window');
  });

  it('lowers the pace after a 1008 close and drops what was queued for the old connection', async () => {
    const clock = new ManualClock();
    const server = await fixture.server({
      onConnection: (peer) => {
        if (peer.index > 0) return;
        let count = 0;
        peer.socket.on('message', () => {
          if (++count === 7) peer.socket.close(1008, 'Too many requests');
        });
      },
    });
    const client = fixture.client({
      url: server.url,
      clock,
      backoff: { baseMs: 20, capMs: 500, random: () => 0 },
    });
    client.subscribe(['a']);
    await client.connect();
    for (let n = 1; n <= 6; n++) client.send({ n });
    await waitFor(() => client.reconnects.length === 1, 'reconnect after 1008');
    expect(client.errors[0]).toMatchObject({ code: 'WS_UNEXPECTED_CLOSE', closeCode: 1008 });
    // Seven messages went out in the same second, unpaced: now at most three per second.
    expect(client.counters.outboundPerSecond).toBe(3);
    expect(client.reconnects[0]!.delayMs).toBe(20);
    clock.advance(20);
    await waitFor(() => client.state === 'open', 'reopened');
    for (let n = 1; n <= 5; n++) client.send({ again: n });
    const peer = server.peers[1]!;
    await waitFor(() => peer.received.length === 3, 'three in the first second');
    await sleep(30);
    expect(peer.receivedJson()).toEqual([
      { op: 'subscribe', args: ['a'], all: 1 },
      { again: 1 },
      { again: 2 },
    ]);
    // Queued behind the pace when the connection closes: dropped, not replayed.
    server.peers[1]!.socket.close(1011);
    await waitFor(() => client.reconnects.length === 2, 'second reconnect');
    expect(client.counters.droppedSends).toBe(3);
    clock.advance(client.reconnects[1]!.delayMs);
    await waitFor(() => server.peers[2]?.received.length === 1, 'replay on the third connection');
    await sleep(30);
    expect(server.peers[2]!.receivedJson()).toEqual([{ op: 'subscribe', args: ['a'], all: 1 }]);
  });
});
