import { UnknownSymbolError } from '@arbitrage/core';
import { waitFor } from '@arbitrage/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { createUpbitExchange, type UpbitExchange } from './exchange.js';
import { btcUnits } from './test-support/frames.js';
import { json, TestHttpServer } from './test-support/http-server.js';
import { UpbitTestServer } from './test-support/upbit-ws-server.js';

let exchange: UpbitExchange | undefined;
let rest: TestHttpServer | undefined;
let ws: UpbitTestServer | undefined;

afterEach(async () => {
  await exchange?.close();
  exchange = undefined;
  await rest?.close();
  rest = undefined;
  await ws?.close();
  ws = undefined;
});

describe('createUpbitExchange', () => {
  it('refuses a restUrl with a path and a wsUrl that is not ws(s), naming the option and the form expected', async () => {
    expect(() => createUpbitExchange({ restUrl: 'http://127.0.0.1:9/v1/orderbook' })).toThrow(
      'createUpbitExchange: restUrl must be an origin like http://127.0.0.1:8080 or https://api.example.com (no path): the client adds /v1/… itself, got http://127.0.0.1:9/v1/orderbook',
    );
    expect(() => createUpbitExchange({ wsUrl: 'http://127.0.0.1:9' })).toThrow(
      'createUpbitExchange: wsUrl must be a ws:// or wss:// URL like ws://127.0.0.1:8080, got http://127.0.0.1:9',
    );
    await createUpbitExchange({ restUrl: 'http://127.0.0.1:9/v1', wsUrl: 'ws://127.0.0.1:9' }).close(); // accepted
  });

  it('implements the plugin contract with the built-in markets until the list is loaded', async () => {
    rest = await TestHttpServer.start((_request, response) =>
      json(response, 200, [{ market: 'KRW-BTC' }, { market: 'KRW-NEWCOIN' }]),
    );
    exchange = createUpbitExchange({ restUrl: `${rest.url}/v1/` });
    expect(exchange.id).toBe('upbit');
    expect(exchange.restLimits).toEqual({ maxSymbolsPerRequest: 100, orderBookRequestsPerSecond: 8 });
    expect(exchange.marketsSource).toBe('fallback');
    expect(exchange.symbols.has('ETH/KRW')).toBe(true);
    const markets = await exchange.loadMarkets();
    expect(markets.map((market) => market.nativeSymbol)).toEqual(['KRW-BTC', 'KRW-NEWCOIN']);
    expect(exchange.marketsSource).toBe('exchange');
    expect(exchange.symbols.toNative('NEWCOIN/KRW')).toBe('KRW-NEWCOIN');
    expect(exchange.rest()).toBe(exchange.rest());
    expect(rest.requests[0]!.path).toBe('/v1/market/all');
  });

  it('keeps the fallback markets when the market list cannot be loaded', async () => {
    rest = await TestHttpServer.start((_request, response) =>
      json(response, 404, { error: { name: 404, message: 'nope' } }),
    );
    exchange = createUpbitExchange({ restUrl: rest.url });
    const markets = await exchange.loadMarkets();
    expect(exchange.marketsSource).toBe('fallback');
    expect(markets.some((market) => market.symbol === 'BTC/KRW')).toBe(true);
  });

  it('creates streams on its URL and mapper; an unknown symbol is a clear error; close() stops them', async () => {
    ws = await UpbitTestServer.start({ books: new Map([['KRW-BTC', { units: btcUnits(5), timestamp: 1 }]]) });
    const origin = new URL(ws.url);
    exchange = createUpbitExchange({
      wsUrl: `ws://${origin.host}`,
      stream: { keepalive: { intervalMs: 100, timeoutMs: 300 }, backoff: { baseMs: 20, capMs: 500 } },
    });
    expect(() => exchange!.createOrderBookStream({ symbols: ['NOPE/KRW'] })).toThrow(UnknownSymbolError);
    const stream = exchange.createOrderBookStream({ symbols: ['BTC/KRW'], depth: 5 });
    expect(exchange.runningStreams).toBe(0);
    await stream.start();
    expect(exchange.runningStreams).toBe(1);
    await waitFor(() => stream.status('BTC/KRW')?.state === 'live');
    expect(stream.book('BTC/KRW')!.book.depth('bid')).toBe(5);
    expect(ws.last!.subscriptions[0]![1]).toMatchObject({ codes: ['KRW-BTC.5'] });
    const stopped = exchange.createOrderBookStream({ symbols: ['BTC/KRW'] });
    await stopped.start();
    await stopped.stop();
    expect(exchange.runningStreams).toBe(1);
    await exchange.close();
    exchange = undefined;
    await waitFor(() => ws!.openPeers === 0, 3_000, 'stream closed by exchange.close()');
    expect(stream.status('BTC/KRW')!.state).toBe('down');
  });
});
