import { UnknownSymbolError, type WireTap } from '@arbitrage/core';
import { waitFor } from '@arbitrage/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { lv, type OkxServer, startOkxServer } from '../test/support/okx-server.js';
import { createOkxExchange, type OkxExchange } from './exchange.js';

let server: OkxServer | undefined;
let exchange: OkxExchange | undefined;
afterEach(async () => {
  await exchange?.close();
  await server?.close();
  exchange = undefined;
  server = undefined;
});

describe('createOkxExchange', () => {
  it('refuses a restUrl with a path and a wsUrl that is not ws(s), naming the option and the form expected', async () => {
    expect(() => createOkxExchange({ restUrl: 'http://127.0.0.1:9/api/v5' })).toThrow(
      'createOkxExchange: restUrl must be an origin like http://127.0.0.1:8080 or https://api.example.com (no path): the client adds /api/v5/… itself, got http://127.0.0.1:9/api/v5',
    );
    expect(() => createOkxExchange({ wsUrl: 'http://127.0.0.1:9' })).toThrow(
      'createOkxExchange: wsUrl must be a ws:// or wss:// URL like ws://127.0.0.1:8080, got http://127.0.0.1:9',
    );
    await createOkxExchange({ restUrl: 'http://127.0.0.1:9', wsUrl: 'ws://127.0.0.1:9' }).close(); // accepted
  });

  it('is an ExchangePlugin for OKX spot: id, symbols, venue (E8 fees), REST limits', () => {
    exchange = createOkxExchange();
    expect(exchange.id).toBe('okx');
    expect(exchange.symbols.toNative('BTC/USDT')).toBe('BTC-USDT');
    expect(exchange.symbols.toCanonical('ETH-USDT')).toBe('ETH/USDT');
    expect(exchange.venue.quoteCurrency).toBe('USDT');
    expect(exchange.venue.fees).toEqual({ taker: 0.001, maker: 0.0008 });
    expect(exchange.restLimits.maxSymbolsPerRequest).toBe(1);
    expect(() => exchange!.createOrderBookStream({ symbols: ['NOPE/USDT'] })).toThrow(UnknownSymbolError);
  });

  it('passes wireTap to the socket and the REST pipeline; close() stops its streams', async () => {
    server = await startOkxServer();
    server.books.set('BTC-USDT', { seqId: 5, bids: [lv(100, 1)], asks: [lv(101, 1)] });
    const seen: string[] = [];
    const wireTap: WireTap = {
      opened: () => 1,
      frame: (_exchange, _connection, _at, data) => {
        seen.push(`ws:${data.toString().slice(0, 20)}`);
      },
      closed: () => {},
      rest: (_exchange, _at, _status, _method, path) => {
        seen.push(`rest:${path}`);
      },
    };
    exchange = createOkxExchange({ restUrl: server.restUrl, wsUrl: server.wsUrl, wireTap });
    const stream = exchange.createOrderBookStream({ symbols: ['BTC/USDT'] });
    await stream.start();
    await waitFor(() => stream.status('BTC/USDT')?.state === 'live', 'live');
    expect(seen.some((s) => s.startsWith('ws:{"id"'))).toBe(true);
    expect(seen.some((s) => s.startsWith('rest:/api/v5/market/books?'))).toBe(true);
    expect(exchange.runningStreams).toBe(1);
    await exchange.close();
    expect(exchange.runningStreams).toBe(0);
    expect(stream.status('BTC/USDT')?.state).toBe('down');
  });
});
