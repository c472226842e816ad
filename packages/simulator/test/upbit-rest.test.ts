import { ManualClock } from '@arbitrage/core';
import { describe, expect, it } from 'vitest';
import { getJson, simulator } from './helpers.js';

interface Unit {
  ask_price: number;
  bid_price: number;
  ask_size: number;
  bid_size: number;
}
interface RestBook {
  market: string;
  timestamp: number;
  total_ask_size: number;
  total_bid_size: number;
  orderbook_units: Unit[];
  level: number;
}

describe('Upbit REST', () => {
  it('lists markets, with details on request', async () => {
    const sim = await simulator();
    const { status, body, headers } = await getJson<Array<Record<string, unknown>>>(
      `${sim.upbit.restUrl}/v1/market/all`,
    );
    expect(status).toBe(200);
    expect(headers.get('remaining-req')).toMatch(/^group=market; min=\d+; sec=\d+$/);
    expect(body.map((m) => m.market)).toEqual(['KRW-BTC', 'KRW-ETH', 'KRW-XRP', 'KRW-USDT']);
    expect(body[0]).toEqual({ market: 'KRW-BTC', korean_name: '비트코인', english_name: 'Bitcoin' });
    const detailed = await getJson<Array<{ market_event: { warning: boolean } }>>(
      `${sim.upbit.restUrl}/v1/market/all?is_details=true`,
    );
    expect(detailed.body[0]!.market_event.warning).toBe(false);
  });

  it('serves several order books per call, 30 units by default, count 1-30, matching the true book', async () => {
    const sim = await simulator();
    sim.market.step(5);
    const { body, headers } = await getJson<RestBook[]>(
      `${sim.upbit.restUrl}/v1/orderbook?markets=KRW-BTC,krw-eth`,
    );
    expect(headers.get('remaining-req')).toMatch(/^group=orderbook; min=\d+; sec=\d+$/);
    expect(body.map((b) => b.market)).toEqual(['KRW-BTC', 'KRW-ETH']);
    const btc = body[0]!;
    expect(btc.orderbook_units).toHaveLength(30);
    expect(btc.level).toBe(0);
    const truth = sim.market.upbitBook('KRW-BTC');
    expect(btc.timestamp).toBe(truth.timestamp);
    expect(btc.orderbook_units.map((u) => [u.bid_price, u.bid_size])).toEqual(truth.bids);
    expect(btc.orderbook_units.map((u) => [u.ask_price, u.ask_size])).toEqual(truth.asks);
    const total = btc.orderbook_units.reduce((sum, u) => sum + u.ask_size, 0);
    expect(btc.total_ask_size).toBeCloseTo(total, 7);
    const five = await getJson<RestBook[]>(`${sim.upbit.restUrl}/v1/orderbook?markets=KRW-XRP&count=5`);
    expect(five.body[0]!.orderbook_units).toHaveLength(5);
    const outOfRange = await getJson<RestBook[]>(
      `${sim.upbit.restUrl}/v1/orderbook?markets=KRW-XRP&count=99`,
    );
    expect(outOfRange.body[0]!.orderbook_units).toHaveLength(30);
    const grouped = await getJson<RestBook[]>(
      `${sim.upbit.restUrl}/v1/orderbook?markets=KRW-BTC&level=100000`,
    );
    expect(grouped.body).toEqual([]);
  });

  it('serves tickers and instruments', async () => {
    const sim = await simulator();
    sim.market.step(30);
    const { body } = await getJson<Array<Record<string, unknown>>>(
      `${sim.upbit.restUrl}/v1/ticker?markets=KRW-BTC,KRW-USDT`,
    );
    expect(body).toHaveLength(2);
    expect(body[0]).toMatchObject({ market: 'KRW-BTC', change: expect.stringMatching(/^(RISE|EVEN|FALL)$/) });
    for (const key of [
      'trade_date',
      'trade_time',
      'trade_date_kst',
      'trade_timestamp',
      'opening_price',
      'trade_price',
      'acc_trade_volume_24h',
    ]) {
      expect(body[0]).toHaveProperty(key);
    }
    expect(body[0]!.trade_date).toMatch(/^\d{8}$/);
    expect(body[0]!.trade_time).toMatch(/^\d{6}$/);
    const all = await getJson<unknown[]>(`${sim.upbit.restUrl}/v1/ticker/all?quote_currencies=KRW`);
    expect(all.body).toHaveLength(4);
    const instruments = await getJson<Array<{ tick_size: string; supported_levels: string[] }>>(
      `${sim.upbit.restUrl}/v1/orderbook/instruments?markets=KRW-BTC,KRW-USDT`,
    );
    expect(instruments.body.map((i) => i.tick_size)).toEqual(['1000', '0.5']);
  });

  it('answers bad requests with Upbit-shaped errors', async () => {
    const sim = await simulator();
    const missing = await getJson<{ error: { name: unknown; message: string } }>(
      `${sim.upbit.restUrl}/v1/orderbook`,
    );
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toBeTypeOf('string');
    const unknown = await getJson(`${sim.upbit.restUrl}/v1/ticker?markets=KRW-NOPE`);
    expect(unknown).toMatchObject({ status: 404, body: { error: { name: 404, message: 'Code not found' } } });
    expect((await fetch(`${sim.upbit.restUrl}/v2/whatever`)).status).toBe(404);
  });

  it('returns 429 past 10 requests per second per group, with Remaining-Req counting down', async () => {
    const sim = await simulator({ clock: new ManualClock() });
    const seen: string[] = [];
    for (let i = 0; i < 10; i++) {
      const response = await fetch(`${sim.upbit.restUrl}/v1/orderbook?markets=KRW-BTC`);
      expect(response.status).toBe(200);
      seen.push(response.headers.get('remaining-req')!);
    }
    expect(seen[0]).toBe('group=orderbook; min=600; sec=9');
    expect(seen[9]).toBe('group=orderbook; min=600; sec=0');
    const limited = await getJson<{ error: { name: string } }>(
      `${sim.upbit.restUrl}/v1/orderbook?markets=KRW-BTC`,
    );
    expect(limited.status).toBe(429);
    expect(limited.body.error.name).toBe('too_many_requests');
    // Another group has its own budget.
    expect((await fetch(`${sim.upbit.restUrl}/v1/ticker?markets=KRW-BTC`)).status).toBe(200);
  });
});
