import { ManualClock } from '@arbitrage/core';
import { describe, expect, it } from 'vitest';
import { type DepthSnapshot, getJson, simulator } from './helpers.js';

interface Filter {
  filterType: string;
  tickSize?: string;
  stepSize?: string;
  minQty?: string;
  minNotional?: string;
}

describe('Binance REST', () => {
  it('serves exchangeInfo with rate limits and PRICE_FILTER / LOT_SIZE / NOTIONAL filters', async () => {
    const sim = await simulator();
    const { status, body, headers } = await getJson<{
      timezone: string;
      rateLimits: Array<{ rateLimitType: string; limit: number }>;
      symbols: Array<{
        symbol: string;
        status: string;
        baseAsset: string;
        quoteAsset: string;
        filters: Filter[];
      }>;
    }>(`${sim.binance.restUrl}/api/v3/exchangeInfo`);
    expect(status).toBe(200);
    expect(headers.get('x-mbx-used-weight-1m')).toBe('20');
    expect(body.timezone).toBe('UTC');
    expect(body.rateLimits[0]).toMatchObject({
      rateLimitType: 'REQUEST_WEIGHT',
      interval: 'MINUTE',
      intervalNum: 1,
      limit: 6000,
    });
    expect(body.symbols.map((s) => s.symbol)).toEqual(['BTCUSDT', 'ETHUSDT', 'XRPUSDT']);
    const btc = body.symbols[0]!;
    expect(btc).toMatchObject({ status: 'TRADING', baseAsset: 'BTC', quoteAsset: 'USDT' });
    const filters = Object.fromEntries(btc.filters.map((f) => [f.filterType, f]));
    expect(filters.PRICE_FILTER?.tickSize).toBe('0.01000000');
    expect(filters.LOT_SIZE).toMatchObject({ stepSize: '0.00001000', minQty: '0.00001000' });
    expect(filters.NOTIONAL?.minNotional).toBe('5.00000000');
    const one = await getJson<{ symbols: unknown[] }>(
      `${sim.binance.restUrl}/api/v3/exchangeInfo?symbol=XRPUSDT`,
    );
    expect(one.body.symbols).toHaveLength(1);
    const two = await getJson<{ symbols: unknown[] }>(
      `${sim.binance.restUrl}/api/v3/exchangeInfo?symbols=${encodeURIComponent('["BTCUSDT","ETHUSDT"]')}`,
    );
    expect(two.body.symbols).toHaveLength(2);
  });

  it('serves depth with lastUpdateId, the requested limit (default 100, max 5000) and weights by limit', async () => {
    // A manual clock keeps the one-minute weight window from rolling over mid-test.
    const sim = await simulator({ binance: { depthLevels: 3000 }, clock: new ManualClock() });
    const base = `${sim.binance.restUrl}/api/v3/depth?symbol=BTCUSDT`;
    const cases: Array<[string, number, number]> = [
      ['', 100, 5],
      ['&limit=5', 5, 5],
      ['&limit=500', 500, 25],
      ['&limit=1000', 1000, 50],
      ['&limit=2000', 2000, 250],
      ['&limit=9000', 3000, 250],
    ];
    let used = 0;
    for (const [query, levels, weight] of cases) {
      const { status, body, headers } = await getJson<DepthSnapshot>(base + query);
      expect(status).toBe(200);
      used += weight;
      expect(Number(headers.get('x-mbx-used-weight-1m'))).toBe(used);
      expect(body.bids.length).toBeGreaterThanOrEqual(Math.min(levels, 2900));
      expect(body.bids.length).toBeLessThanOrEqual(levels);
      expect(body.lastUpdateId).toBe(sim.market.binanceBook('BTCUSDT').lastUpdateId);
      expect(body.bids[0]![0]).toMatch(/^\d+\.\d{8}$/);
      expect(body.bids[0]![1]).toMatch(/^\d+\.\d{8}$/);
    }
    const snapshot = await getJson<DepthSnapshot>(`${base}&limit=20`);
    const truth = sim.market.binanceBook('BTCUSDT', 20);
    expect(snapshot.body.bids.map(([p, q]) => [Number(p), Number(q)])).toEqual(truth.bids);
    expect(snapshot.body.asks.map(([p, q]) => [Number(p), Number(q)])).toEqual(truth.asks);
  });

  it('answers bad requests with Binance {code, msg} errors', async () => {
    const sim = await simulator();
    const rest = sim.binance.restUrl;
    const invalid = await getJson<{ code: number; msg: string }>(`${rest}/api/v3/depth?symbol=NOPEUSDT`);
    expect(invalid).toMatchObject({ status: 400, body: { code: -1121, msg: 'Invalid symbol.' } });
    const missing = await getJson<{ code: number }>(`${rest}/api/v3/depth`);
    expect(missing).toMatchObject({ status: 400, body: { code: -1102 } });
    const badLimit = await getJson<{ code: number }>(`${rest}/api/v3/depth?symbol=BTCUSDT&limit=ten`);
    expect(badLimit).toMatchObject({ status: 400, body: { code: -1100 } });
    const badSymbols = await getJson<{ code: number }>(`${rest}/api/v3/exchangeInfo?symbols=BTCUSDT`);
    expect(badSymbols).toMatchObject({ status: 400, body: { code: -1100 } });
    const unknownPath = await fetch(`${rest}/api/v3/nothing`);
    expect(unknownPath.status).toBe(404);
  });

  it('serves bookTicker for one symbol (weight 2) and all symbols (weight 4)', async () => {
    const sim = await simulator();
    const one = await getJson<{ symbol: string; bidPrice: string; askQty: string }>(
      `${sim.binance.restUrl}/api/v3/ticker/bookTicker?symbol=ETHUSDT`,
    );
    expect(one.headers.get('x-mbx-used-weight-1m')).toBe('2');
    const truth = sim.market.binanceBook('ETHUSDT', 1);
    expect(Number(one.body.bidPrice)).toBe(truth.bids[0]![0]);
    expect(Number(one.body.askQty)).toBe(truth.asks[0]![1]);
    const all = await getJson<Array<{ symbol: string }>>(`${sim.binance.restUrl}/api/v3/ticker/bookTicker`);
    expect(all.headers.get('x-mbx-used-weight-1m')).toBe('6');
    expect(all.body.map((t) => t.symbol)).toEqual(['BTCUSDT', 'ETHUSDT', 'XRPUSDT']);
  });

  it('answers ping and time', async () => {
    const sim = await simulator();
    expect((await getJson(`${sim.binance.restUrl}/api/v3/ping`)).body).toEqual({});
    const time = await getJson<{ serverTime: number }>(`${sim.binance.restUrl}/api/v3/time`);
    expect(Math.abs(time.body.serverTime - Date.now())).toBeLessThan(5000);
  });

  it('returns 429 with Retry-After past the weight limit, then bans with 418', async () => {
    const clock = new ManualClock();
    const sim = await simulator({
      binance: { weightLimitPerMinute: 20, banAfterRejections: 2, banMs: 90_000 },
      clock,
    });
    const url = `${sim.binance.restUrl}/api/v3/depth?symbol=BTCUSDT`;
    for (let i = 0; i < 4; i++) expect((await fetch(url)).status).toBe(200);
    const limited = await fetch(url);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(((await limited.json()) as { code: number }).code).toBe(-1003);
    expect((await fetch(url)).status).toBe(429);
    const banned = await fetch(url);
    expect(banned.status).toBe(418);
    expect(Number(banned.headers.get('retry-after'))).toBe(90);
    expect(((await banned.json()) as { msg: string }).msg).toMatch(/banned until/);
    expect((await fetch(`${sim.binance.restUrl}/api/v3/ping`)).status).toBe(418);
    clock.advance(90_000);
    expect((await fetch(url)).status).toBe(200);
  });
});
