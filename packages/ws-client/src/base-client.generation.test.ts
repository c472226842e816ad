import { ManualClock } from '@arbitrage/core';
import { sleep, waitFor } from '@arbitrage/test-support';
import { describe, expect, it } from 'vitest';
import { subscribeBatches, useFixture } from './test-support/fixture.js';

describe('BaseWebSocketClient connection generations', () => {
  const fixture = useFixture();

  it('ignores async work started for an old connection', async () => {
    const server = await fixture.server({
      onConnection: (peer) => {
        if (peer.index === 0) peer.socket.once('message', () => peer.socket.close(1000));
      },
    });
    const client = fixture.client({ url: server.url });
    client.subscribe(['s']);
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const outcomes: Array<{ generation: number; current: boolean; sent: boolean }> = [];
    client.onOpenHook = async (generation) => {
      if (generation === 1) await gate;
      outcomes.push({
        generation,
        current: client.isCurrent(generation),
        sent: client.send({ fromOnOpen: generation }, generation),
      });
    };
    await client.connect();
    await waitFor(() => client.counters.opens === 2 && outcomes.length === 1, 'second connection open');
    release();
    await waitFor(() => outcomes.length === 2, 'late work finished');
    expect(outcomes).toEqual([
      { generation: 2, current: true, sent: true },
      { generation: 1, current: false, sent: false },
    ]);
    await sleep(30);
    expect(server.peers[1]!.receivedJson()).toEqual([
      { op: 'subscribe', args: ['s'], all: 1 },
      { fromOnOpen: 2 },
    ]);
    expect(subscribeBatches(server.peers[0]!.receivedJson())).toHaveLength(1);
    expect(client.counters.droppedSends).toBe(1);
  });

  it('reports a rejected async onOpen as a handler error', async () => {
    const server = await fixture.server();
    const client = fixture.client({ url: server.url });
    client.onOpenHook = async () => {
      await Promise.resolve();
      throw new Error('async setup failed');
    };
    await client.connect();
    await waitFor(() => client.errors.length === 1, 'handler error');
    expect(client.errors[0]).toMatchObject({ code: 'WS_HANDLER_ERROR', generation: 1 });
    expect(client.state).toBe('open');
  });

  it('drops frames still buffered from a connection it has already given up on', async () => {
    const server = await fixture.server({
      onConnection: (peer) => {
        // One write carrying many frames, so they are parsed in one go after the first kills the socket.
        if (peer.index === 0) for (let n = 0; n < 50; n++) peer.sendJson({ n });
        else peer.sendJson({ fresh: true });
      },
    });
    const client = fixture.client({ url: server.url });
    client.onMessageHook = (message) => {
      if ((message as { n?: number }).n === 0) client.fail('poison message', true);
    };
    await client.connect();
    await waitFor(
      () => client.messages.some((message) => (message as { fresh?: boolean }).fresh),
      'new connection',
    );
    const fromFirst = client.metas.filter((meta) => meta.generation === 1);
    expect(fromFirst).toHaveLength(1);
    expect(client.messages[0]).toEqual({ n: 0 });
    expect(client.metas.at(-1)!.generation).toBe(2);
  });

  it('timers of an old connection never fire into the new one', async () => {
    const clock = new ManualClock();
    const server = await fixture.server({
      onConnection: (peer) => {
        if (peer.index === 0) peer.socket.close(1000);
      },
    });
    const client = fixture.client({
      url: server.url,
      clock,
      heartbeat: { intervalMs: 100, timeoutMs: 300 },
      staleAfterMs: 200,
      backoff: { baseMs: 20, capMs: 500, random: () => 0 },
    });
    client.subscribe(['t']);
    void client.connect();
    await waitFor(() => client.reconnects.length === 1, 'reconnect scheduled');
    // Only the reconnect timer is pending: the first connection's watchdog and connect timers are gone.
    expect(clock.pendingTimers).toBe(1);
    clock.advance(20);
    await waitFor(() => client.state === 'open', 'second connection open');
    // The new connection's watchdog and nothing else.
    expect(clock.pendingTimers).toBe(1);
    await client.disconnect();
    expect(clock.pendingTimers).toBe(0);
  });
});
