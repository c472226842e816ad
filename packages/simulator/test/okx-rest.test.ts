import { describe, expect, it } from 'vitest';
import { getJson, simulator } from './helpers.js';
import type { OkxRestBooks } from './okx-helpers.js';

type Envelope = { code: string; msg: string; data: Record<string, string>[] };

describe('OKX REST /api/v5', () => {
  it('lists SPOT instruments with the fields the plugin and ccxt read', async () => {
    const sim = await simulator({ assets: ['BTC', 'ETH', 'DOGE'] });
    const { status, body } = await getJson<Envelope>(
      `${sim.okx.restUrl}/api/v5/public/instruments?instType=SPOT`,
    );
    expect(status).toBe(200);
    expect(body.code).toBe('0');
    expect(body.data.map((d) => d.instId)).toEqual(['BTC-USDT', 'ETH-USDT', 'DOGE-USDT']);
    expect(body.data[0]).toMatchObject({
      instType: 'SPOT',
      instId: 'BTC-USDT',
      baseCcy: 'BTC',
      quoteCcy: 'USDT',
      tickSz: '0.1',
      lotSz: '0.00000001',
      minSz: '0.00001',
      state: 'live',
    });
    expect(body.data[2]).toMatchObject({ tickSz: '0.00001', minSz: '10' });
    const swap = await getJson<Envelope>(`${sim.okx.restUrl}/api/v5/public/instruments?instType=SWAP`);
    expect(swap.body).toEqual({ code: '0', msg: '', data: [] });
    const missing = await getJson<Envelope>(`${sim.okx.restUrl}/api/v5/public/instruments`);
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('50014');
  });

  it('serves books with sz (default 1, at most 400) at the stream seqId, 4-string levels', async () => {
    const sim = await simulator();
    sim.market.step(5);
    const truth = sim.market.okxBook('BTC-USDT');
    const one = await getJson<OkxRestBooks>(`${sim.okx.restUrl}/api/v5/market/books?instId=BTC-USDT`);
    expect(one.body.code).toBe('0');
    expect(one.body.data[0]!.bids).toHaveLength(1);
    const { body } = await getJson<OkxRestBooks>(
      `${sim.okx.restUrl}/api/v5/market/books?instId=BTC-USDT&sz=5000`,
    );
    const data = body.data[0]!;
    expect(data.seqId).toBe(truth.seqId);
    expect(data.ts).toBe(String(truth.timestamp));
    expect(data.bids).toHaveLength(Math.min(400, truth.bids.length));
    expect(data.bids.length).toBeGreaterThan(380);
    expect(data.asks[0]![2]).toBe('0');
    expect(data.bids.map(([p, s]) => [Number(p), Number(s)])).toEqual(truth.bids.slice(0, 400));
    expect(data.asks.map(([p, s]) => [Number(p), Number(s)])).toEqual(truth.asks.slice(0, 400));
    const bad = await getJson<Envelope>(`${sim.okx.restUrl}/api/v5/market/books?instId=BTC-USDT&sz=x`);
    expect([bad.status, bad.body.code]).toEqual([400, '51000']);
  });

  it('answers an unknown instrument with code 51001 and HTTP 200, a missing one with 50014', async () => {
    const sim = await simulator();
    const unknown = await getJson<Envelope>(`${sim.okx.restUrl}/api/v5/market/books?instId=NOPE-USDT&sz=5`);
    expect(unknown.status).toBe(200);
    expect(unknown.body).toMatchObject({ code: '51001', data: [] });
    expect(unknown.body.msg).not.toBe('');
    const missing = await getJson<Envelope>(`${sim.okx.restUrl}/api/v5/market/books`);
    expect([missing.status, missing.body.code]).toEqual([400, '50014']);
    const other = await getJson<Envelope>(`${sim.okx.restUrl}/api/v5/market/tickers`);
    expect(other.status).toBe(404);
  });

  it('limits requests per endpoint per 2 s: 429 with code 50011 (E2)', async () => {
    const sim = await simulator({ okx: { restRequestsPer2s: 3 } });
    const url = `${sim.okx.restUrl}/api/v5/market/books?instId=ETH-USDT&sz=1`;
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await getJson<Envelope>(url));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    expect(answers[3]!.body.code).toBe('50011');
    // Another endpoint has its own window.
    const time = await getJson<Envelope>(`${sim.okx.restUrl}/api/v5/public/time`);
    expect(time.status).toBe(200);
  });

  it('applies REST fault rules with OKX error bodies', async () => {
    const sim = await simulator();
    const handle = sim.faults.restFault('okx', { path: '/api/v5/market/books', status: 503, count: 1 });
    const failed = await getJson<Envelope>(`${sim.okx.restUrl}/api/v5/market/books?instId=BTC-USDT&sz=1`);
    expect(failed.status).toBe(503);
    expect(failed.body.code).toBe('50001');
    sim.faults.restFault('okx', { status: 429, count: 1 });
    const limited = await getJson<Envelope>(`${sim.okx.restUrl}/api/v5/public/instruments?instType=SPOT`);
    expect([limited.status, limited.body.code, limited.headers.get('retry-after')]).toEqual([
      429,
      '50011',
      '60',
    ]);
    const fine = await getJson<Envelope>(`${sim.okx.restUrl}/api/v5/market/books?instId=BTC-USDT&sz=1`);
    expect(fine.status).toBe(200);
    expect(handle.active).toBe(true);
  });
});
