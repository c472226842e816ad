import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { type FrameKind, FrameSocket } from './frame-socket.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function server(onMessage: (socket: WebSocket, text: string) => void) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  const sockets: WebSocket[] = [];
  wss.on('connection', (socket) => {
    sockets.push(socket);
    socket.on('message', (data) => onMessage(socket, (data as Buffer).toString('utf8')));
  });
  cleanup.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of wss.clients) socket.terminate();
        wss.close(() => resolve());
      }),
  );
  return { url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, sockets };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 3_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('FrameSocket', () => {
  it('hands every frame over undecoded with its arrival time, counts what the handler says it was', async () => {
    const peer = await server((socket, text) => {
      if (text === 'PING') socket.send('{"status":"UP"}');
      else socket.send(`{"book":${JSON.parse(text)[0]}}`);
    });
    const frames: Array<{ text: string; receivedAt: number }> = [];
    const opened: number[] = [];
    const socket = new FrameSocket({
      name: 'test',
      url: peer.url,
      heartbeat: { intervalMs: 50, timeoutMs: 1_000 },
      handler: {
        frame: (data, receivedAt): FrameKind => {
          frames.push({ text: data.toString('utf8'), receivedAt });
          return data.includes('status') ? 'heartbeat' : 'data';
        },
        opened: (generation) => opened.push(generation),
        subscribeMessages: (_added, all) => [[all.length]],
        heartbeatMessage: () => 'PING',
      },
    });
    cleanup.push(() => socket.disconnect());
    socket.subscribe(['a', 'b']);
    const before = Date.now();
    await socket.connect();
    await until(() => frames.some((f) => f.text === '{"book":2}'), 'the reply to the subscription');
    await until(() => socket.counters.heartbeatReplies > 0, 'a heartbeat reply');
    expect(opened).toEqual([1]);
    expect(frames[0]!.receivedAt).toBeGreaterThanOrEqual(before);
    expect(socket.counters.dataMessages).toBe(1);
    expect(socket.counters.lastDataAt).toBe(frames[0]!.receivedAt);
  });

  it('disconnect() leaves no listener or socket behind', async () => {
    const peer = await server(() => {});
    const socket = new FrameSocket({ name: 'test', url: peer.url, handler: { frame: () => 'other' } });
    await socket.connect();
    await until(() => peer.sockets.length === 1, 'the connection');
    await socket.disconnect();
    expect(socket.isOpen).toBe(false);
    expect(socket.listenerCount()).toBe(0);
    await until(() => peer.sockets[0]!.readyState === WebSocket.CLOSED, 'the server side to close');
  });
});

describe('FrameSocket wire tap', () => {
  it('hands the tap every frame as received, binary or text, tagged with the connection the tap named', async () => {
    const peer = await server((socket) => {
      socket.send('{"text":1}');
      socket.send(Buffer.from([0, 1, 2, 255]), { binary: true });
    });
    const seen: string[] = [];
    let nextConnection = 7;
    const socket = new FrameSocket({
      name: 'tapped',
      url: peer.url,
      heartbeat: false,
      wireTap: {
        exchange: 'toy',
        tap: {
          opened: (exchange, _at, url) => {
            seen.push(`open ${exchange} ${url === peer.url}`);
            return nextConnection++;
          },
          frame: (exchange, connection, _at, data, binary) =>
            seen.push(`${binary ? 'b' : 'w'} ${exchange} ${connection} ${data.toString('hex')}`),
          closed: (exchange, connection, _at, code) => seen.push(`close ${exchange} ${connection} ${code}`),
          rest: () => {},
        },
      },
      handler: { frame: () => 'data', subscribeMessages: () => ['hello'] },
    });
    socket.subscribe(['x']);
    socket.connect();
    await until(() => seen.length >= 3, 'two frames');
    await socket.disconnect();
    // The client's own close is not the exchange's doing: not reported.
    expect(seen).toEqual([
      'open toy true',
      `w toy 7 ${Buffer.from('{"text":1}').toString('hex')}`,
      'b toy 7 000102ff',
    ]);
  });
});
