import type { AddressInfo } from 'node:net';
import type { InstrumentStateChange } from '@arbitrage/core';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { ToyOrderBookStream } from './toy-exchange.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

describe('the README walk-through: a whole-book exchange in one small file', () => {
  it('subscribes, serves live books, ignores garbage, goes down when the server does', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => wss.once('listening', resolve));
    cleanup.push(() => new Promise<void>((resolve) => wss.close(() => resolve())));
    wss.on('connection', (socket) => {
      socket.on('message', () => {
        socket.send('not json');
        socket.send(JSON.stringify({ s: 'BTCUSD', t: Date.now(), b: [[100, 1]], a: [[101, 2]] }));
      });
    });
    const stream = new ToyOrderBookStream({
      url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
      markets: [{ exchange: 'toy', symbol: 'BTC/USD', nativeSymbol: 'BTCUSD', base: 'BTC', quote: 'USD' }],
      symbols: ['BTC/USD'],
    });
    cleanup.push(() => stream.stop());
    const changes: InstrumentStateChange[] = [];
    stream.onStateChange((change) => changes.push(change));
    await stream.start();
    const deadline = Date.now() + 3_000;
    while (stream.status('BTC/USD')?.state !== 'live' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 5));
    expect(stream.book('BTC/USD')?.snapshot()).toMatchObject({
      bids: [[100, 1]],
      asks: [[101, 2]],
      exchange: 'toy',
    });
    for (const client of wss.clients) client.terminate();
    while (stream.status('BTC/USD')?.state === 'live' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 5));
    expect(changes.map((c) => c.state)).toEqual(['live', 'down']);
  });
});
