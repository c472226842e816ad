import { waitFor } from '@arbitrage/test-support';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connect, connectLater, simulator } from './helpers.js';

interface Unit {
  ask_price: number;
  bid_price: number;
  ask_size: number;
  bid_size: number;
}
interface Orderbook {
  type: 'orderbook';
  code: string;
  timestamp: number;
  total_ask_size: number;
  total_bid_size: number;
  orderbook_units: Unit[];
  stream_type: 'SNAPSHOT' | 'REALTIME';
  level: number;
}

const wsPath = '/websocket/v1';

describe('Upbit WebSocket', () => {
  it('sends binary SNAPSHOT then REALTIME orderbook frames, each a complete top-N book', async () => {
    const sim = await simulator();
    const client = await connect(sim.upbit.wsUrl + wsPath);
    client.send([{ ticket: 'test-1' }, { type: 'orderbook', codes: ['KRW-BTC', 'KRW-ETH.5', 'KRW-XRP.3'] }]);
    const snapshot = await client.next<Orderbook>((m) => m.code === 'KRW-BTC');
    expect(snapshot.stream_type).toBe('SNAPSHOT');
    expect(snapshot.orderbook_units).toHaveLength(30);
    expect(snapshot.level).toBe(0);
    sim.market.step(3);
    await waitFor(() => client.parsed<Orderbook>().filter((m) => m.stream_type === 'REALTIME').length >= 9);
    expect(client.received.every((r) => r.isBinary)).toBe(true);
    const frames = client.parsed<Orderbook>();
    expect(frames.filter((m) => m.code === 'KRW-ETH').every((m) => m.orderbook_units.length === 5)).toBe(
      true,
    );
    expect(frames.filter((m) => m.code === 'KRW-XRP').every((m) => m.orderbook_units.length === 30)).toBe(
      true,
    );
    const last = frames.filter((m) => m.code === 'KRW-BTC').at(-1)!;
    expect(last.stream_type).toBe('REALTIME');
    const truth = sim.market.upbitBook('KRW-BTC');
    expect(last.timestamp).toBe(truth.timestamp);
    expect(last.orderbook_units.map((u) => [u.bid_price, u.bid_size])).toEqual(truth.bids);
    expect(last.orderbook_units.map((u) => [u.ask_price, u.ask_size])).toEqual(truth.asks);
    const btcTimes = frames.filter((m) => m.code === 'KRW-BTC').map((m) => m.timestamp);
    for (let i = 1; i < btcTimes.length; i++) expect(btcTimes[i]!).toBeGreaterThan(btcTimes[i - 1]!);
    expect(last.total_bid_size).toBeCloseTo(
      last.orderbook_units.reduce((s, u) => s + u.bid_size, 0),
      7,
    );
  });

  it('honours is_only_snapshot and is_only_realtime, in snake and camel case', async () => {
    const sim = await simulator();
    const once = await connect(sim.upbit.wsUrl + wsPath);
    once.send([{ ticket: 'a' }, { type: 'orderbook', codes: ['KRW-BTC'], is_only_snapshot: true }]);
    const camel = await connect(sim.upbit.wsUrl + wsPath);
    camel.send([{ ticket: 'b' }, { type: 'orderbook', codes: ['KRW-BTC'], isOnlyRealtime: true }]);
    const realtime = await connect(sim.upbit.wsUrl + wsPath);
    realtime.send([{ ticket: 'c' }, { type: 'orderbook', codes: ['KRW-BTC'], is_only_realtime: true }]);
    await once.next();
    await waitFor(() => sim.connections('upbit').filter((c) => c.subscriptions.length > 0).length === 2);
    sim.market.step(2);
    await waitFor(() => camel.received.length === 2 && realtime.received.length === 2);
    expect(once.parsed<Orderbook>().map((m) => m.stream_type)).toEqual(['SNAPSHOT']);
    expect(camel.parsed<Orderbook>().map((m) => m.stream_type)).toEqual(['REALTIME', 'REALTIME']);
    expect(realtime.parsed<Orderbook>().map((m) => m.stream_type)).toEqual(['REALTIME', 'REALTIME']);
  });

  it('writes SIMPLE keys and the LIST formats', async () => {
    const sim = await simulator();
    const simple = await connect(sim.upbit.wsUrl + wsPath);
    simple.send([{ ticket: 's' }, { type: 'orderbook', codes: ['KRW-BTC.1'] }, { format: 'SIMPLE' }]);
    expect(await simple.next()).toMatchObject({
      ty: 'orderbook',
      cd: 'KRW-BTC',
      st: 'SNAPSHOT',
      lv: 0,
      obu: [{}],
    });
    const frame = simple.parsed<Record<string, unknown>>()[0]!;
    expect(Object.keys(frame)).toEqual(['ty', 'cd', 'tms', 'tas', 'tbs', 'obu', 'st', 'lv']);
    expect(Object.keys((frame.obu as object[])[0]!)).toEqual(['ap', 'bp', 'as', 'bs']);
    const list = await connect(sim.upbit.wsUrl + wsPath);
    list.send([{ ticket: 'l' }, { type: 'orderbook', codes: ['KRW-BTC.1'] }, { format: 'JSON_LIST' }]);
    const listed = await list.next<Orderbook[]>();
    expect(Array.isArray(listed)).toBe(true);
    expect(listed[0]!.type).toBe('orderbook');
    const simpleList = await connect(sim.upbit.wsUrl + wsPath);
    simpleList.send([
      { ticket: 'sl' },
      { type: 'orderbook', codes: ['KRW-BTC.1'] },
      { format: 'SIMPLE_LIST' },
    ]);
    expect(await simpleList.next()).toMatchObject([{ ty: 'orderbook' }]);
  });

  it('replaces the subscription set with each new request', async () => {
    const sim = await simulator();
    const client = await connect(sim.upbit.wsUrl + wsPath);
    client.send([{ ticket: '1' }, { type: 'orderbook', codes: ['KRW-BTC'] }]);
    await client.next<Orderbook>((m) => m.code === 'KRW-BTC');
    client.send([{ ticket: '2' }, { type: 'orderbook', codes: ['KRW-ETH'] }]);
    await client.next<Orderbook>((m) => m.code === 'KRW-ETH');
    const before = client.received.length;
    sim.market.step(3);
    await waitFor(() => client.received.length >= before + 3);
    expect(
      client
        .parsed<Orderbook>()
        .slice(before)
        .every((m) => m.code === 'KRW-ETH'),
    ).toBe(true);
    client.send([{ ticket: 'q' }, { method: 'LIST_SUBSCRIPTIONS' }]);
    expect(await client.next<{ method?: string }>((m) => m.method === 'LIST_SUBSCRIPTIONS')).toEqual({
      method: 'LIST_SUBSCRIPTIONS',
      result: [{ type: 'orderbook', codes: ['KRW-ETH'], level: 0 }],
      ticket: 'q',
    });
    client.send([{ ticket: 'r' }, { method: 'LIST_SUBSCRIPTIONS' }, { format: 'SIMPLE' }]);
    expect(await client.next<{ mthd?: string }>((m) => m.mthd !== undefined)).toEqual({
      mthd: 'LIST_SUBSCRIPTIONS',
      rslt: [{ ty: 'orderbook', cds: ['KRW-ETH'], lv: 0 }],
      tckt: 'r',
    });
  });

  it('streams trade and ticker messages', async () => {
    const sim = await simulator();
    const client = await connect(sim.upbit.wsUrl + wsPath);
    client.send([
      { ticket: 't' },
      { type: 'trade', codes: ['KRW-BTC'] },
      { type: 'ticker', codes: ['KRW-BTC'] },
    ]);
    const ticker = await client.next<Record<string, unknown>>((m) => m.type === 'ticker');
    expect(ticker).toMatchObject({ code: 'KRW-BTC', stream_type: 'SNAPSHOT', market_state: 'ACTIVE' });
    sim.market.step(30);
    const trade = await client.next<Record<string, unknown>>((m) => m.type === 'trade');
    expect(trade.trade_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(trade.trade_time).toMatch(/^\d{2}:\d{2}:\d{2}$/);
    expect(['ASK', 'BID']).toContain(trade.ask_bid);
    const raw = client.received.find((r) => r.text.includes('"type":"trade"'))!.text;
    expect(/"sequential_id":(\d{17})[,}]/.test(raw)).toBe(true);
    const realtimeTicker = await client.next<Record<string, unknown>>(
      (m) => m.type === 'ticker' && m.stream_type === 'REALTIME',
    );
    expect(realtimeTicker.trade_date).toMatch(/^\d{8}$/);
  });

  it('answers a text PING with {"status":"UP"}, then every statusIntervalMs', async () => {
    const sim = await simulator({ upbit: { statusIntervalMs: 60 } });
    const client = await connect(sim.upbit.wsUrl + wsPath);
    client.ws.send('PING');
    expect(await client.next()).toEqual({ status: 'UP' });
    await waitFor(() => client.received.length >= 3);
    expect(client.parsed()).toEqual([{ status: 'UP' }, { status: 'UP' }, { status: 'UP' }]);
    expect(client.received[0]!.isBinary).toBe(true);
  });

  it('drops an idle connection abruptly; pings keep it alive', async () => {
    const sim = await simulator({ upbit: { idleTimeoutMs: 200 } });
    const idle = await connect(sim.upbit.wsUrl + wsPath);
    const lively = await connect(sim.upbit.wsUrl + wsPath);
    const timer = setInterval(() => lively.ws.ping(), 50);
    try {
      expect(await idle.closed).toBe(1006);
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(lively.ws.readyState).toBe(WebSocket.OPEN);
    } finally {
      clearInterval(timer);
    }
  });

  it('replies {"error":…} to malformed requests, then closes with 1000', async () => {
    const sim = await simulator({ upbit: { errorCloseDelayMs: 20 } });
    const cases: Array<[unknown, string]> = [
      ['hello', 'WRONG_FORMAT'],
      [{ ticket: 'x' }, 'WRONG_FORMAT'],
      [[{ type: 'orderbook', codes: ['KRW-BTC'] }], 'NO_TICKET'],
      [[{ ticket: 'x' }], 'NO_TYPE'],
      [[{ ticket: 'x' }, { type: 'orderbook' }], 'NO_CODES'],
      [[{ ticket: 'x' }, { type: 'candlestick', codes: ['KRW-BTC'] }], 'INVALID_PARAM'],
      [[{ ticket: 'x' }, { type: 'orderbook', codes: [] }], 'INVALID_PARAM'],
      [
        [{ ticket: 'x' }, { type: 'orderbook', codes: ['KRW-BTC'], is_only_snapshot: 'yes' }],
        'INVALID_PARAM',
      ],
    ];
    for (const [request, name] of cases) {
      const client = await connect(sim.upbit.wsUrl + wsPath);
      client.send(request);
      const reply = await client.next<{ error: { name: string; message: string } }>();
      expect(reply.error.name).toBe(name);
      expect(reply.error.message).toBeTypeOf('string');
      expect(await client.closed).toBe(1000);
    }
  });

  it('stays silent, and open, for unknown and lower-case codes', async () => {
    const sim = await simulator();
    const client = await connect(sim.upbit.wsUrl + wsPath);
    client.send([
      { ticket: 'x' },
      { type: 'orderbook', codes: ['krw-btc', 'KRW-NOPE'] },
      { type: 'trade', codes: ['KRW-NOPE'] },
    ]);
    client.send([{ ticket: 'y' }, { method: 'LIST_SUBSCRIPTIONS' }]);
    await client.next<{ method?: string }>((m) => m.method === 'LIST_SUBSCRIPTIONS');
    sim.market.step(10);
    client.send([{ ticket: 'z' }, { method: 'LIST_SUBSCRIPTIONS' }]);
    await client.next<{ ticket?: string }>((m) => m.ticket === 'z');
    expect(client.received).toHaveLength(2);
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('sends the documented upgrade headers, offers permessage-deflate and rejects other paths', async () => {
    const sim = await simulator();
    const client = connectLater(sim.upbit.wsUrl + wsPath, { perMessageDeflate: true });
    const headers = new Promise<Record<string, string | string[] | undefined>>((resolve) =>
      client.ws.once('upgrade', (response) => resolve(response.headers)),
    );
    await client.opened;
    expect((await headers)['remaining-req']).toMatch(/^group=websocket; min=\d+; sec=\d+$/);
    expect(client.ws.extensions).toContain('permessage-deflate');
    client.send([{ ticket: 'z' }, { type: 'orderbook', codes: ['KRW-BTC'] }]);
    expect(await client.next()).toMatchObject({ type: 'orderbook' });
    await expect(connectLater(`${sim.upbit.wsUrl}/websocket/v1/private`).opened).rejects.toThrow('HTTP 401');
    await expect(connectLater(`${sim.upbit.wsUrl}/other`).opened).rejects.toThrow('HTTP 404');
  });
});
