import {
  ExchangeApiError,
  InvalidMessageError,
  ManualClock,
  NetworkError,
  RateLimitError,
  TimeoutError,
} from '@arbitrage/core';
import { afterEach, describe, expect, it } from 'vitest';
import { BinanceRestClient, depthWeight } from './rest-client.js';
import { DEPTH_BODY, type RestStub, type StubReply, startRestStub } from './test-support/rest-stub.js';

let stub: RestStub | undefined;
let client: BinanceRestClient | undefined;

afterEach(async () => {
  client?.close();
  client = undefined;
  await stub?.close();
  stub = undefined;
});

async function setup(
  reply: (path: string) => StubReply,
  options: ConstructorParameters<typeof BinanceRestClient>[0] = {},
): Promise<{ stub: RestStub; client: BinanceRestClient }> {
  stub = await startRestStub((request) => reply(request.path));
  client = new BinanceRestClient({
    retryBaseMs: 5,
    retryCapMs: 10,
    timeoutMs: 2_000,
    ...options,
    baseUrl: stub.url,
  });
  return { stub, client };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('BinanceRestClient', () => {
  it('fetches depth with symbol and limit, parses it, and spends the documented weight', async () => {
    const { stub, client } = await setup(() => ({
      body: DEPTH_BODY,
      headers: { 'X-MBX-USED-WEIGHT-1M': '250' },
    }));
    const snapshot = await client.depth('BTCUSDT', 5000);
    expect(snapshot.lastUpdateId).toBe(1027024);
    expect(snapshot.bids).toEqual([
      [4, 431],
      [3.99, 9],
    ]);
    expect(snapshot.asks).toEqual([[4.000002, 12]]);
    expect(stub.requests[0]?.path).toBe('/api/v3/depth');
    expect(stub.requests[0]?.query.get('symbol')).toBe('BTCUSDT');
    expect(stub.requests[0]?.query.get('limit')).toBe('5000');
    expect(client.budget.usedWeight).toBe(250);
  });

  it('weighs depth by limit as B6 says', () => {
    expect([1, 100, 101, 500, 501, 1000, 1001, 5000].map(depthWeight)).toEqual([
      5, 5, 25, 25, 50, 50, 250, 250,
    ]);
  });

  it('corrects its budget from X-MBX-USED-WEIGHT-1M', async () => {
    const { client } = await setup(() => ({ body: DEPTH_BODY, headers: { 'x-mbx-used-weight-1m': '4321' } }));
    await client.depth('BTCUSDT', 100);
    expect(client.budget.usedWeight).toBe(4321);
  });

  it('never sends a request the client-side budget cannot afford', async () => {
    const { stub, client } = await setup(() => ({ body: DEPTH_BODY }), { weightPerMinute: 10 });
    await client.depth('BTCUSDT', 100);
    await client.depth('BTCUSDT', 100);
    const error = await rejection(client.depth('BTCUSDT', 100));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).message).toMatch(/client-side weight budget/);
    expect(stub.requests.length).toBe(2);
  });

  it('on 429 with Retry-After: RateLimitError, then no request at all until it expires', async () => {
    const clock = new ManualClock();
    let status = 429;
    const { stub, client } = await setup(
      () =>
        status === 200
          ? { body: DEPTH_BODY }
          : {
              status,
              headers: { 'Retry-After': '2' },
              body: {
                code: -1003,
                msg: 'Too many requests; current limit is 6000 request weight per 1 MINUTE.',
              },
            },
      { clock },
    );
    const first = await rejection(client.depth('BTCUSDT', 100));
    expect(first).toBeInstanceOf(RateLimitError);
    expect((first as RateLimitError).status).toBe(429);
    expect((first as RateLimitError).retryAfterMs).toBe(2000);
    expect((first as RateLimitError).message).toMatch(/-1003/);
    expect(client.blockedUntil).toBe(clock.now() + 2000);

    status = 200;
    clock.advance(1500);
    const meanwhile = await rejection(client.depth('BTCUSDT', 100));
    expect(meanwhile).toBeInstanceOf(RateLimitError);
    expect((meanwhile as RateLimitError).retryAfterMs).toBe(500);
    expect((meanwhile as RateLimitError).message).toMatch(/not sent/);
    expect(stub.requests.length).toBe(1);

    clock.advance(500);
    await expect(client.depth('BTCUSDT', 100)).resolves.toMatchObject({ lastUpdateId: 1027024 });
    expect(stub.requests.length).toBe(2);
  });

  it('on 418 (banned): RATE_LIMIT_BANNED for the Retry-After time, not retried', async () => {
    const clock = new ManualClock();
    const { stub, client } = await setup(
      () => ({
        status: 418,
        headers: { 'Retry-After': '120' },
        body: { code: -1003, msg: 'Way too much request weight used; IP banned until 1700000120000.' },
      }),
      { clock },
    );
    const error = await rejection(client.depth('BTCUSDT', 100));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).code).toBe('RATE_LIMIT_BANNED');
    expect((error as RateLimitError).retryAfterMs).toBe(120_000);
    clock.advance(60_000);
    await rejection(client.loadMarkets());
    expect(stub.requests.length).toBe(1);
  });

  it('retries 5xx a bounded number of times with backoff, then succeeds', async () => {
    let calls = 0;
    const { stub, client } = await setup(() =>
      ++calls < 3 ? { status: 503, body: 'unavailable' } : { body: DEPTH_BODY },
    );
    await expect(client.depth('BTCUSDT', 100)).resolves.toMatchObject({ lastUpdateId: 1027024 });
    expect(stub.requests.length).toBe(3);
  });

  it('gives up after the attempts with the last error', async () => {
    const { stub, client } = await setup(() => ({
      status: 502,
      body: { code: -1001, msg: 'Internal error; unable to process your request.' },
    }));
    const error = await rejection(client.depth('BTCUSDT', 100));
    expect(error).toBeInstanceOf(ExchangeApiError);
    expect((error as ExchangeApiError).status).toBe(502);
    expect(stub.requests.length).toBe(3);
  });

  it("turns a {code,msg} body into ExchangeApiError with Binance's own code, without retrying", async () => {
    const { stub, client } = await setup(() => ({
      status: 400,
      body: { code: -1121, msg: 'Invalid symbol.' },
    }));
    const error = await rejection(client.depth('NOPEUSDT', 100));
    expect(error).toBeInstanceOf(ExchangeApiError);
    expect((error as ExchangeApiError).exchangeCode).toBe(-1121);
    expect((error as ExchangeApiError).exchangeMessage).toBe('Invalid symbol.');
    expect(stub.requests.length).toBe(1);
  });

  it('gives every attempt a deadline: a hanging request times out and is retried (bounded)', async () => {
    const { stub, client } = await setup(() => ({ hang: true }), { timeoutMs: 100, attempts: 2 });
    const started = Date.now();
    const error = await rejection(client.depth('BTCUSDT', 100));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(stub.requests.length).toBe(2);
    // Bound: 2 × 100 ms + backoff, generous for a loaded machine.
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('rejects a malformed snapshot as InvalidMessageError', async () => {
    const { client } = await setup(() => ({ body: { lastUpdateId: 5, bids: [['abc', '1']], asks: [] } }));
    const error = await rejection(client.depth('BTCUSDT', 100));
    expect(error).toBeInstanceOf(InvalidMessageError);
    expect((error as InvalidMessageError).reason).toMatch(/not a decimal/);
  });

  it('loads exchangeInfo into the symbol mapper and returns snapshots for canonical symbols', async () => {
    const { client } = await setup((path) =>
      path === '/api/v3/exchangeInfo'
        ? { body: { symbols: [{ symbol: 'BTCUSDT', baseAsset: 'BTC', quoteAsset: 'USDT', filters: [] }] } }
        : { body: DEPTH_BODY },
    );
    const markets = await client.loadMarkets();
    expect(markets.map((m) => m.symbol)).toEqual(['BTC/USDT']);
    expect(client.symbols.has('ETH/USDT')).toBe(false);
    const [book] = await client.fetchOrderBooks(['BTC/USDT'], { depth: 10 });
    expect(book).toMatchObject({
      exchange: 'binance',
      symbol: 'BTC/USDT',
      nativeSymbol: 'BTCUSDT',
      sequence: 1027024,
      source: 'rest',
    });
  });

  it('reuses one keep-alive socket and releases it on close()', async () => {
    const { stub, client } = await setup(() => ({ body: DEPTH_BODY }));
    await client.depth('BTCUSDT', 100);
    await client.depth('BTCUSDT', 100);
    expect(stub.connections()).toBe(1);
    client.close();
    const error = await rejection(client.depth('BTCUSDT', 100));
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).message).toMatch(/closed/);
  });
});
