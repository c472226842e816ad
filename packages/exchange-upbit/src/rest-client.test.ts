import {
  ExchangeApiError,
  InvalidMessageError,
  ManualClock,
  NetworkError,
  RateLimitError,
  TimeoutError,
  UnknownSymbolError,
} from '@arbitrage/core';
import { waitFor } from '@arbitrage/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRemainingReq } from './remaining-req.js';
import { UpbitRestClient } from './rest-client.js';
import { json, type TestHttpServer as Server, TestHttpServer } from './test-support/http-server.js';

function restBook(market: string, timestamp = 1_790_134_742_106) {
  return {
    market,
    timestamp,
    total_ask_size: 3,
    total_bid_size: 3,
    orderbook_units: [
      { ask_price: 116_539_000, bid_price: 116_538_000, ask_size: 1, bid_size: 2 },
      { ask_price: 116_540_000, bid_price: 0, ask_size: 2, bid_size: 0 },
      { ask_price: 0, bid_price: 0, ask_size: 0, bid_size: 0 },
    ],
    level: 0,
  };
}

let server: Server | undefined;
let client: UpbitRestClient | undefined;

afterEach(async () => {
  client?.close();
  client = undefined;
  await server?.close();
  server = undefined;
});

describe('parseRemainingReq', () => {
  it('reads group and sec, ignoring the deprecated min', () => {
    expect(parseRemainingReq('group=orderbook; min=600; sec=9')).toEqual({ group: 'orderbook', sec: 9 });
    expect(parseRemainingReq(['group=default; min=1800; sec=29'])).toEqual({ group: 'default', sec: 29 });
    expect(parseRemainingReq('group=market')).toBeUndefined();
    expect(parseRemainingReq('sec=x; group=y')).toBeUndefined();
    expect(parseRemainingReq(undefined)).toBeUndefined();
  });
});

describe('UpbitRestClient', () => {
  it('loads /v1/market/all, refreshes the mapper and never sends Origin', async () => {
    server = await TestHttpServer.start((_request, response) =>
      json(response, 200, [
        { market: 'KRW-BTC', korean_name: '비트코인', english_name: 'Bitcoin' },
        { market: 'BTC-ETH', korean_name: '이더리움', english_name: 'Ethereum' },
        { market: 42 },
      ]),
    );
    client = new UpbitRestClient({ baseUrl: server.url });
    const markets = await client.loadMarkets();
    expect(markets.map((market) => market.symbol)).toEqual(['BTC/KRW', 'ETH/BTC']);
    expect(client.symbols.toNative('ETH/BTC')).toBe('BTC-ETH');
    expect(client.symbols.has('XRP/KRW')).toBe(false);
    const request = server.requests[0]!;
    expect(request.path).toBe('/v1/market/all');
    expect(request.headers.origin).toBeUndefined();
    expect(request.headers.accept).toContain('application/json');
  });

  it('batches many markets per order-book request and normalises the books', async () => {
    server = await TestHttpServer.start((request, response) =>
      json(
        response,
        200,
        (request.query.get('markets') ?? '').split(',').map((market) => restBook(market)),
        { 'Remaining-Req': 'group=orderbook; min=600; sec=9' },
      ),
    );
    client = new UpbitRestClient({ baseUrl: server.url, maxMarketsPerRequest: 2 });
    const symbols = ['BTC/KRW', 'ETH/KRW', 'XRP/KRW', 'SOL/KRW', 'DOGE/KRW'];
    const books = await client.fetchOrderBooks(symbols, { depth: 15 });
    expect(server.requests.map((request) => request.query.get('markets'))).toEqual([
      'KRW-BTC,KRW-ETH',
      'KRW-XRP,KRW-SOL',
      'KRW-DOGE',
    ]);
    expect(server.requests.every((request) => request.query.get('count') === '15')).toBe(true);
    expect(books.map((book) => book.symbol)).toEqual(symbols);
    expect(books[0]).toMatchObject({
      exchange: 'upbit',
      nativeSymbol: 'KRW-BTC',
      source: 'rest',
      exchangeTime: 1_790_134_742_106,
      asks: [
        [116_539_000, 1],
        [116_540_000, 2],
      ],
      bids: [[116_538_000, 2]],
    });
  });

  it('names unknown symbols before sending anything, and rejects impossible depths', async () => {
    server = await TestHttpServer.start((_request, response) => json(response, 200, []));
    client = new UpbitRestClient({ baseUrl: server.url });
    await expect(client.fetchOrderBooks(['NOPE/KRW'])).rejects.toBeInstanceOf(UnknownSymbolError);
    await expect(client.fetchOrderBooks(['BTC/KRW'], { depth: 31 })).rejects.toThrow(/1 to 30/);
    expect(server.requests).toHaveLength(0);
  });

  it('leaves out (and counts) a book that fails validation', async () => {
    server = await TestHttpServer.start((_request, response) => {
      const crossed = restBook('KRW-ETH');
      crossed.orderbook_units[0]!.bid_price = 116_539_000;
      json(response, 200, [restBook('KRW-BTC'), crossed, { market: 'KRW-XRP' }]);
    });
    client = new UpbitRestClient({ baseUrl: server.url });
    const books = await client.fetchOrderBooks(['BTC/KRW', 'ETH/KRW', 'XRP/KRW']);
    expect(books.map((book) => book.symbol)).toEqual(['BTC/KRW']);
    expect(client.stats.invalidBooks).toBe(2);
  });

  it('waits when Remaining-Req says the second is used up', async () => {
    const clock = new ManualClock();
    server = await TestHttpServer.start((request, response) =>
      json(response, 200, [restBook(request.query.get('markets') ?? '')], {
        'Remaining-Req': 'group=orderbook; min=600; sec=0',
      }),
    );
    client = new UpbitRestClient({ baseUrl: server.url, clock });
    await client.fetchOrderBooks(['BTC/KRW']);
    const second = client.fetchOrderBooks(['ETH/KRW']);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.requests).toHaveLength(1);
    await clock.advanceAsync(1_000);
    await expect(second).resolves.toHaveLength(1);
    expect(server.requests).toHaveLength(2);
  });

  it('keeps under its own budget (8 per second by default) without any header', async () => {
    const clock = new ManualClock();
    server = await TestHttpServer.start((request, response) =>
      json(response, 200, [restBook(request.query.get('markets') ?? '')]),
    );
    client = new UpbitRestClient({ baseUrl: server.url, clock, maxMarketsPerRequest: 1 });
    const symbols = [
      'BTC/KRW',
      'ETH/KRW',
      'XRP/KRW',
      'SOL/KRW',
      'DOGE/KRW',
      'ADA/KRW',
      'TRX/KRW',
      'DOT/KRW',
      'BCH/KRW',
      'ETC/KRW',
    ];
    const all = client.fetchOrderBooks(symbols);
    await waitFor(() => server!.requests.length === 8, 3_000, '8 requests');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.requests).toHaveLength(8);
    await clock.advanceAsync(1_000);
    await expect(all).resolves.toHaveLength(10);
  });

  it('429 without Retry-After: RateLimitError with a default wait, then no request until it passes', async () => {
    const clock = new ManualClock();
    server = await TestHttpServer.start((_request, response) =>
      json(response, 429, { error: { name: 'too_many' } }),
    );
    client = new UpbitRestClient({ baseUrl: server.url, clock });
    const error = await client.fetchOrderBooks(['BTC/KRW']).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).status).toBe(429);
    expect((error as RateLimitError).retryAfterMs).toBe(1_000);
    expect((error as RateLimitError).code).toBe('RATE_LIMITED');
    await expect(client.fetchOrderBooks(['BTC/KRW'])).rejects.toThrow(/no request may go out/);
    expect(server.requests).toHaveLength(1);
    expect(client.stats.refusedWhileBlocked).toBe(1);
    clock.advance(1_000);
    // The next 429 in a row doubles the default wait.
    const again = await client.fetchOrderBooks(['BTC/KRW']).catch((caught: unknown) => caught);
    expect((again as RateLimitError).retryAfterMs).toBe(2_000);
    expect(server.requests).toHaveLength(2);
  });

  it('honours Retry-After and escalates 418 bans', async () => {
    const clock = new ManualClock();
    let answer: { status: number; headers: Record<string, string> } = {
      status: 429,
      headers: { 'Retry-After': '3' },
    };
    server = await TestHttpServer.start((_request, response) =>
      json(response, answer.status, '', answer.headers),
    );
    client = new UpbitRestClient({ baseUrl: server.url, clock });
    const first = (await client
      .fetchOrderBooks(['BTC/KRW'])
      .catch((caught: unknown) => caught)) as RateLimitError;
    expect(first.retryAfterMs).toBe(3_000);
    clock.advance(3_000);
    answer = { status: 418, headers: {} };
    const banned = (await client
      .fetchOrderBooks(['BTC/KRW'])
      .catch((caught: unknown) => caught)) as RateLimitError;
    expect(banned).toBeInstanceOf(RateLimitError);
    expect(banned.code).toBe('RATE_LIMIT_BANNED');
    expect(banned.retryAfterMs).toBe(60_000);
    expect(client.blockedUntilMs).toBe(clock.now() + 60_000);
    clock.advance(59_999);
    await expect(client.fetchOrderBooks(['BTC/KRW'])).rejects.toBeInstanceOf(RateLimitError);
    expect(server.requests).toHaveLength(2);
    clock.advance(1);
    const again = (await client
      .fetchOrderBooks(['BTC/KRW'])
      .catch((caught: unknown) => caught)) as RateLimitError;
    expect(again.retryAfterMs).toBe(120_000);
  });

  it('retries 5xx a bounded number of times with backoff', async () => {
    server = await TestHttpServer.start((request, response, index) => {
      if (index < 2) json(response, 503, 'upstream down');
      else json(response, 200, [restBook(request.query.get('markets') ?? '')]);
    });
    client = new UpbitRestClient({ baseUrl: server.url, retryBackoff: { baseMs: 5, capMs: 10 } });
    await expect(client.fetchOrderBooks(['BTC/KRW'])).resolves.toHaveLength(1);
    expect(server.requests).toHaveLength(3);
    expect(client.stats.retries).toBe(2);

    server.handler = (_request, response) =>
      json(response, 500, { error: { name: 'server_error', message: 'oops' } });
    const error = await client.fetchOrderBooks(['BTC/KRW']).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toMatch(/HTTP 500 \(server_error oops\)/);
    expect(server.requests).toHaveLength(6);
  });

  it('times out a request that never answers, retries, then gives up with TimeoutError', async () => {
    server = await TestHttpServer.start(() => {
      // never answers
    });
    client = new UpbitRestClient({
      baseUrl: server.url,
      timeoutMs: 100,
      attempts: 2,
      retryBackoff: { baseMs: 5, capMs: 5 },
    });
    const started = Date.now();
    const error = await client.fetchOrderBooks(['BTC/KRW']).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).timeoutMs).toBe(100);
    expect(server.requests).toHaveLength(2);
    // Two deadlines of 100 ms and a short backoff; generous bound for a loaded machine.
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("turns Upbit's error body into ExchangeApiError with its own (numeric) name", async () => {
    server = await TestHttpServer.start((_request, response) =>
      json(response, 404, { error: { name: 404, message: 'Code not found' } }),
    );
    client = new UpbitRestClient({ baseUrl: server.url });
    const error = (await client
      .fetchOrderBooks(['BTC/KRW'])
      .catch((caught: unknown) => caught)) as ExchangeApiError;
    expect(error).toBeInstanceOf(ExchangeApiError);
    expect(error.status).toBe(404);
    expect(error.exchangeCode).toBe(404);
    expect(error.exchangeMessage).toBe('Code not found');
    expect(server.requests).toHaveLength(1);

    server.handler = (_request, response) => json(response, 200, '<html>maintenance</html>');
    await expect(client.loadMarkets()).rejects.toBeInstanceOf(InvalidMessageError);
  });

  it('aborts with the caller signal and closes its keep-alive sockets on close()', async () => {
    server = await TestHttpServer.start((request, response) => {
      if (request.path === '/v1/market/all') json(response, 200, [{ market: 'KRW-BTC' }]);
    });
    client = new UpbitRestClient({ baseUrl: server.url });
    await client.loadMarkets();
    expect(server.openConnections).toBe(1);
    const controller = new AbortController();
    const pending = client.fetchOrderBooks(['BTC/KRW'], { signal: controller.signal });
    await waitFor(() => server!.requests.length === 2, 3_000, 'the second request');
    controller.abort(new Error('caller gave up'));
    await expect(pending).rejects.toThrow('caller gave up');
    client.close();
    await waitFor(() => server!.openConnections === 0, 3_000, 'sockets closed');
  });
});
