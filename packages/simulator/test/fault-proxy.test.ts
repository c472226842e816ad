import { connect, createServer, type Server, type Socket } from 'node:net';
import { waitFor } from '@arbitrage/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { FaultProxy } from '../src/fault-proxy.js';

let server: Server | undefined;
let proxy: FaultProxy | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await proxy?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  proxy = undefined;
});

/** An echo-less server that records what it gets and lets the test write to every client. */
async function start(): Promise<{ received: Buffer[]; peers: Socket[]; client: Socket; got: Buffer[] }> {
  const received: Buffer[] = [];
  const peers: Socket[] = [];
  server = createServer((socket) => {
    peers.push(socket);
    sockets.push(socket);
    socket.on('data', (chunk) => received.push(chunk));
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  proxy = await FaultProxy.start(address.port);
  const client = connect(proxy.port, '127.0.0.1');
  sockets.push(client);
  client.on('error', () => {});
  const got: Buffer[] = [];
  client.on('data', (chunk) => got.push(chunk));
  await waitFor(() => peers.length === 1, 2_000, 'the proxied connection');
  return { received, peers, client, got };
}

describe('FaultProxy', () => {
  it('slices server bytes into tiny writes without changing them, then coalesces', async () => {
    const { peers, got } = await start();
    const payload = Buffer.from('0123456789abcdefghij'.repeat(20));
    proxy!.mode = 'slice';
    proxy!.sliceBytes = 3;
    peers[0]!.write(payload);
    await waitFor(() => Buffer.concat(got).length === payload.length, 2_000, 'sliced bytes');
    expect(Buffer.concat(got).equals(payload)).toBe(true);
    expect(proxy!.stats.downstreamWrites).toBeGreaterThanOrEqual(Math.ceil(payload.length / 3));
    const writes = proxy!.stats.downstreamWrites;
    proxy!.mode = 'coalesce';
    for (let i = 0; i < 10; i++) peers[0]!.write(`frame${i};`);
    await waitFor(() => Buffer.concat(got).toString().endsWith('frame9;'), 2_000, 'coalesced bytes');
    expect(proxy!.stats.downstreamWrites - writes).toBe(1);
  });

  it('blackholes both ways or downstream only, keeping the sockets open', async () => {
    const { received, peers, client, got } = await start();
    proxy!.mode = 'blackhole';
    client.write('up');
    peers[0]!.write('down');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received).toEqual([]);
    expect(got).toEqual([]);
    proxy!.mode = 'downstream-blackhole';
    client.write('ping');
    peers[0]!.write('pong');
    await waitFor(() => received.length > 0, 2_000, 'upstream bytes');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(got).toEqual([]);
    expect(proxy!.openConnections).toBe(1);
    expect(proxy!.stats.swallowedBytes).toBe('up'.length + 'down'.length + 'pong'.length);
  });

  it('delays server bytes in order and resets both sides', async () => {
    const { peers, client, got } = await start();
    proxy!.latencyMs = 80;
    const sent = Date.now();
    peers[0]!.write('a');
    peers[0]!.write('b');
    await waitFor(() => Buffer.concat(got).toString() === 'ab', 2_000, 'delayed bytes');
    expect(Date.now() - sent).toBeGreaterThanOrEqual(70);
    let clientError: string | undefined;
    client.on('error', (error: NodeJS.ErrnoException) => {
      clientError = error.code;
    });
    expect(proxy!.reset()).toBe(1);
    await waitFor(() => client.destroyed, 2_000, 'client closed by the reset');
    expect(clientError).toBe('ECONNRESET');
    expect(proxy!.openConnections).toBe(0);
  });
});
