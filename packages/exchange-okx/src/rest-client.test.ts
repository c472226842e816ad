import { ExchangeApiError, InvalidMessageError, RateLimitError } from '@arbitrage/core';
import { afterEach, describe, expect, it } from 'vitest';
import { lv, type OkxServer, type RestReply, startOkxServer } from '../test/support/okx-server.js';
import { createOkxExchange, type OkxExchange } from './exchange.js';
import type { OkxMarketRules } from './venue.js';

let server: OkxServer | undefined;
let exchange: OkxExchange | undefined;
afterEach(async () => {
  await exchange?.close();
  await server?.close();
  exchange = undefined;
  server = undefined;
});

async function withRest(reply: (path: string, query: URLSearchParams) => RestReply): Promise<OkxExchange> {
  server = await startOkxServer({ rest: reply });
  exchange = createOkxExchange({ restUrl: server.restUrl, wsUrl: server.wsUrl, rest: { attempts: 1 } });
  return exchange;
}

const INSTRUMENTS = {
  code: '0',
  msg: '',
  data: [
    {
      instId: 'BTC-USDT',
      baseCcy: 'BTC',
      quoteCcy: 'USDT',
      tickSz: '0.1',
      lotSz: '0.00000001',
      minSz: '0.00001',
      state: 'live',
      extra: {},
    },
    {
      instId: 'NEW-USDT',
      baseCcy: 'NEW',
      quoteCcy: 'USDT',
      tickSz: '0.001',
      lotSz: '1',
      minSz: '10',
      state: 'preopen',
    },
    { instId: 'bad', baseCcy: 'BAD', quoteCcy: 'USDT' },
    {
      instId: 'ETH-BTC',
      baseCcy: 'ETH',
      quoteCcy: 'BTC',
      tickSz: 'x',
      lotSz: '-1',
      minSz: '0',
      state: 'live',
    },
    'junk',
  ],
};

describe('OKX REST (docs/protocols/okx.md E1, E2)', () => {
  it('books: asks for sz, reads levels and seqId', async () => {
    const okx = await withRest(() => ({
      body: {
        code: '0',
        msg: '',
        data: [{ asks: [lv(101, 2)], bids: [lv(100, 1), lv(99, 3)], ts: '1700000000000', seqId: 123456 }],
      },
    }));
    const book = await okx.rest().book('BTC-USDT', 50);
    expect(server!.restRequests[0]!.path).toBe('/api/v5/market/books');
    expect(server!.restRequests[0]!.query.get('instId')).toBe('BTC-USDT');
    expect(server!.restRequests[0]!.query.get('sz')).toBe('50');
    expect(book.lastUpdateId).toBe(123456);
    expect(book.bids).toEqual([
      [100, 1],
      [99, 3],
    ]);
    expect(book.asks).toEqual([[101, 2]]);
    expect(book.exchangeTime).toBe(1_700_000_000_000);
    const [snapshot] = await okx.rest().fetchOrderBooks(['BTC/USDT']);
    expect(snapshot).toMatchObject({
      exchange: 'okx',
      symbol: 'BTC/USDT',
      nativeSymbol: 'BTC-USDT',
      sequence: 123456,
    });
  });

  it('instruments: live, well-formed spot instruments with tickSz, lotSz and minSz', async () => {
    const okx = await withRest(() => ({ body: INSTRUMENTS }));
    const markets = await okx.loadMarkets();
    expect(server!.restRequests[0]!.query.get('instType')).toBe('SPOT');
    expect(okx.marketsSource).toBe('exchange');
    expect(markets.map((m) => m.symbol)).toEqual(['BTC/USDT', 'ETH/BTC']);
    expect(okx.symbols.toNative('BTC/USDT')).toBe('BTC-USDT');
    expect(okx.symbols.toCanonical('ETH-BTC')).toBe('ETH/BTC');
    const rules = okx.venue.marketRules('BTC/USDT') as OkxMarketRules;
    expect(rules.tickSize(60_000)).toBe(0.1);
    expect(rules.lotSize).toBe(0.00000001);
    expect(rules.minSize).toBe(0.00001);
    const odd = okx.venue.marketRules('ETH/BTC') as OkxMarketRules;
    expect([odd.tickSize(1), odd.lotSize, odd.minSize]).toEqual([undefined, undefined, undefined]);
  });

  it('an unusable instrument list keeps the built-in markets', async () => {
    const okx = await withRest(() => ({ body: '<html>' }));
    const markets = await okx.loadMarkets();
    expect(okx.marketsSource).toBe('fallback');
    expect(markets.some((m) => m.nativeSymbol === 'BTC-USDT')).toBe(true);
  });

  it('OKX error codes become ExchangeApiError, with HTTP 400 or 200', async () => {
    for (const status of [400, 200]) {
      const okx = await withRest(() => ({
        status,
        body: { code: '51001', msg: "Instrument ID doesn't exist", data: [] },
      }));
      const error = await okx
        .rest()
        .book('NOPE-USDT')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ExchangeApiError);
      expect((error as ExchangeApiError).exchangeCode).toBe('51001');
      await exchange!.close();
      await server!.close();
    }
    exchange = undefined;
    server = undefined;
  });

  it('429 (code 50011) is a RateLimitError and blocks the next request unsent', async () => {
    const okx = await withRest(() => ({ status: 429, body: { code: '50011', msg: 'Too Many Requests' } }));
    const error = await okx
      .rest()
      .book('BTC-USDT')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).status).toBe(429);
    expect(okx.rest().blockedUntil).toBeGreaterThan(Date.now());
    const second = await okx
      .rest()
      .book('BTC-USDT')
      .catch((e: unknown) => e);
    expect(second).toBeInstanceOf(RateLimitError);
    expect(server!.restRequests.length).toBe(1);
  });

  it.each([
    ['not JSON', 'garbage'],
    ['no data', { code: '0', msg: '' }],
    ['no seqId', { code: '0', data: [{ asks: [], bids: [], ts: '1' }] }],
    ['absurd seqId', { code: '0', data: [{ asks: [], bids: [], ts: '1', seqId: 1e300 }] }],
    ['absurd price', { code: '0', data: [{ asks: [['1e13', '1', '0', '1']], bids: [], ts: '1', seqId: 1 }] }],
    ['unsorted bids', { code: '0', data: [{ asks: [], bids: [lv(99, 1), lv(100, 1)], ts: '1', seqId: 1 }] }],
    ['numbers for strings', { code: '0', data: [{ asks: [[1, 1]], bids: [], ts: '1', seqId: 1 }] }],
  ])('an unusable book (%s) is an InvalidMessageError', async (_name, body) => {
    const okx = await withRest(() => ({ body }));
    const error = await okx
      .rest()
      .book('BTC-USDT')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidMessageError);
  });
});
