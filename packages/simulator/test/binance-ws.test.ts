import { waitFor } from '@arbitrage/test-support';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  connect,
  connectLater,
  type DepthSnapshot,
  type DepthUpdate,
  getJson,
  LocalBook,
  simulator,
} from './helpers.js';

type Reply = {
  result?: unknown;
  id?: unknown;
  error?: { code: number; msg: string };
  code?: number;
  msg?: string;
};

describe('Binance WebSocket streams', () => {
  it('sends diff events whose U/u bridge the REST snapshot (B5) and rebuild the true book', async () => {
    const sim = await simulator();
    const client = await connect(`${sim.binance.wsUrl}/ws/btcusdt@depth@100ms`);
    sim.market.step(3);
    const first = await client.next<DepthUpdate>((m) => m.e === 'depthUpdate');
    const { body: snapshot } = await getJson<DepthSnapshot>(
      `${sim.binance.restUrl}/api/v3/depth?symbol=BTCUSDT&limit=5000`,
    );
    expect(snapshot.lastUpdateId).toBeGreaterThanOrEqual(first.U - 1);
    sim.market.step(40);
    const truth = sim.market.binanceBook('BTCUSDT');
    await waitFor(() => client.parsed<DepthUpdate>().at(-1)?.u === truth.lastUpdateId);
    const events = client.parsed<DepthUpdate>();
    for (let i = 1; i < events.length; i++) expect(events[i]!.U).toBe(events[i - 1]!.u + 1);
    expect(events.every((e) => e.s === 'BTCUSDT' && typeof e.E === 'number')).toBe(true);
    const book = new LocalBook();
    book.load(snapshot);
    const bridging = events.filter((e) => e.u > snapshot.lastUpdateId);
    expect(bridging[0]!.U).toBeLessThanOrEqual(snapshot.lastUpdateId + 1);
    for (const event of bridging) book.apply(event);
    expect(book.lastUpdateId).toBe(truth.lastUpdateId);
    expect(book.top('bids', 200)).toEqual(truth.bids.slice(0, 200));
    expect(book.top('asks', 200)).toEqual(truth.asks.slice(0, 200));
  });

  it('wraps events as {stream, data} on /stream and aggregates @depth to 1000 ms', async () => {
    const sim = await simulator();
    const client = await connect(`${sim.binance.wsUrl}/stream?streams=ethusdt@depth/ethusdt@depth@100ms`);
    sim.market.step(20);
    await waitFor(() => client.received.length >= 22);
    const messages = client.parsed<{ stream: string; data: DepthUpdate }>();
    const fast = messages.filter((m) => m.stream === 'ethusdt@depth@100ms').map((m) => m.data);
    const slow = messages.filter((m) => m.stream === 'ethusdt@depth').map((m) => m.data);
    expect(fast).toHaveLength(20);
    expect(slow).toHaveLength(2);
    expect(slow[0]!.U).toBe(fast[0]!.U);
    expect(slow[0]!.u).toBe(fast[9]!.u);
    expect(slow[1]!.U).toBe(fast[10]!.U);
    // The merged event carries the final quantity of every level the ten updates touched.
    const touched = new Map<string, string>();
    for (const event of fast.slice(0, 10)) for (const [price, qty] of event.b) touched.set(price, qty);
    expect(new Map(slow[0]!.b)).toEqual(touched);
  });

  it('aggregates @depth@100ms when the book updates faster than every 100 ms', async () => {
    const sim = await simulator({ binance: { updatesPerSecond: 50 } });
    const client = await connect(`${sim.binance.wsUrl}/ws/xrpusdt@depth@100ms`);
    sim.market.stepBinance(25, ['XRPUSDT']);
    await waitFor(() => client.received.length >= 5);
    const events = client.parsed<DepthUpdate>();
    expect(events).toHaveLength(5);
    for (let i = 1; i < events.length; i++) expect(events[i]!.U).toBe(events[i - 1]!.u + 1);
  });

  it('serves partial depth (@depth5/10/20, 1000 ms and 100 ms) as top-N snapshots', async () => {
    const sim = await simulator();
    const client = await connect(`${sim.binance.wsUrl}/stream?streams=btcusdt@depth5/btcusdt@depth20@100ms`);
    sim.market.step(10);
    await waitFor(() => client.received.length >= 11);
    const messages = client.parsed<{ stream: string; data: DepthSnapshot & { e?: string } }>();
    const five = messages.filter((m) => m.stream === 'btcusdt@depth5');
    const twenty = messages.filter((m) => m.stream === 'btcusdt@depth20@100ms');
    expect(five).toHaveLength(1);
    expect(twenty).toHaveLength(10);
    const truth = sim.market.binanceBook('BTCUSDT', 20);
    const last = twenty.at(-1)!.data;
    expect(last.e).toBeUndefined();
    expect(last.lastUpdateId).toBe(truth.lastUpdateId);
    expect(last.bids.map(([p, q]) => [Number(p), Number(q)])).toEqual(truth.bids);
    expect(five[0]!.data.asks).toHaveLength(5);
  });

  it('serves bookTicker, trade and aggTrade events', async () => {
    const sim = await simulator();
    const client = await connect(`${sim.binance.wsUrl}/ws/btcusdt@bookTicker/btcusdt@trade/btcusdt@aggTrade`);
    sim.market.step(40);
    await waitFor(() => client.parsed<{ e?: string }>().some((m) => m.e === 'aggTrade'));
    const messages = client.parsed<Record<string, unknown>>();
    const ticker = messages.filter((m) => 'u' in m && 'b' in m && !('e' in m)).at(-1)!;
    expect(Object.keys(ticker)).toEqual(['u', 's', 'b', 'B', 'a', 'A']);
    const trade = messages.find((m) => m.e === 'trade')!;
    expect(trade).toMatchObject({ s: 'BTCUSDT', M: true });
    expect(typeof trade.t).toBe('number');
    expect(typeof trade.p).toBe('string');
    expect(typeof trade.m).toBe('boolean');
    const agg = messages.find((m) => m.e === 'aggTrade')!;
    expect(agg.a).toBe(agg.f);
    sim.market.pause();
    const truth = sim.market.binanceBook('BTCUSDT', 1);
    await waitFor(() => {
      const last = client
        .parsed<Record<string, unknown>>()
        .filter((m) => 'B' in m)
        .at(-1);
      return (
        last !== undefined && Number(last.b) === truth.bids[0]![0] && Number(last.A) === truth.asks[0]![1]
      );
    });
  });

  it('answers SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS, SET_PROPERTY and GET_PROPERTY', async () => {
    const sim = await simulator({ binance: { maxIncomingPerSecond: 100 } });
    const client = await connect(`${sim.binance.wsUrl}/ws`);
    const ask = async (request: object): Promise<Reply> => {
      client.send(request);
      const id = (request as { id?: unknown }).id ?? null;
      return client.next<Reply>((m) => m.id === id);
    };
    expect(
      await ask({ method: 'SUBSCRIBE', params: ['btcusdt@depth@100ms', 'ethusdt@trade'], id: 1 }),
    ).toEqual({ result: null, id: 1 });
    expect(await ask({ method: 'LIST_SUBSCRIPTIONS', id: 'list-1' })).toEqual({
      result: ['btcusdt@depth@100ms', 'ethusdt@trade'],
      id: 'list-1',
    });
    expect(await ask({ method: 'UNSUBSCRIBE', params: ['ethusdt@trade'], id: 3 })).toEqual({
      result: null,
      id: 3,
    });
    expect((await ask({ method: 'LIST_SUBSCRIPTIONS', id: 4 })).result).toEqual(['btcusdt@depth@100ms']);
    expect(await ask({ method: 'GET_PROPERTY', params: ['combined'], id: 5 })).toEqual({
      result: false,
      id: 5,
    });
    expect(await ask({ method: 'SET_PROPERTY', params: ['combined', true], id: 6 })).toEqual({
      result: null,
      id: 6,
    });
    expect(await ask({ method: 'GET_PROPERTY', params: ['combined'], id: 7 })).toEqual({
      result: true,
      id: 7,
    });
    sim.market.step(1);
    const wrapped = await client.next<{ stream?: string; data?: DepthUpdate }>((m) => m.stream !== undefined);
    expect(wrapped.stream).toBe('btcusdt@depth@100ms');
    expect(wrapped.data?.e).toBe('depthUpdate');
    expect(sim.connections('binance')[0]).toMatchObject({
      combined: true,
      subscriptions: ['btcusdt@depth@100ms'],
    });
  });

  it('replies with the documented error codes (nested shape by default)', async () => {
    const sim = await simulator({ binance: { maxIncomingPerSecond: 100 } });
    const client = await connect(`${sim.binance.wsUrl}/ws`);
    const ask = async (request: string | object, id: unknown): Promise<Reply> => {
      client.send(request);
      return client.next<Reply>((m) => m.error !== undefined && m.id === id);
    };
    expect(await ask({ method: 'SET_PROPERTY', params: ['colour', true], id: 1 }, 1)).toEqual({
      error: { code: 0, msg: 'Unknown property' },
      id: 1,
    });
    expect((await ask({ method: 'SET_PROPERTY', params: ['combined', 'yes'], id: 2 }, 2)).error).toEqual({
      code: 1,
      msg: 'Invalid value type: expected Boolean',
    });
    expect((await ask({ method: 'SUBSCRIBE', params: ['btcusdt@nonsense'], id: 3 }, 3)).error).toEqual({
      code: 2,
      msg: 'Invalid request: invalid stream',
    });
    expect((await ask({ method: 'SUBSCRIB', params: [], id: 4 }, 4)).error?.code).toBe(2);
    expect((await ask({ method: 'SUBSCRIBE', params: [], id: { bad: true } }, null)).error?.msg).toBe(
      'Invalid request: request ID must be an unsigned integer',
    );
    expect((await ask({ method: 'SET_PROPERTY', params: [1, true], id: 6 }, 6)).error?.msg).toBe(
      'Invalid request: property name must be a string',
    );
    expect((await ask({ method: 'SET_PROPERTY', params: ['combined', true, 1], id: 7 }, 7)).error?.msg).toBe(
      'Invalid request: too many parameters',
    );
    expect((await ask({ params: [], id: 8 }, 8)).error?.msg).toBe('Invalid request: missing field `method`');
    const json = await ask('{"method":"SUBSCRIBE",', null);
    expect(json.error?.code).toBe(3);
    expect(json.error?.msg).toMatch(/^Invalid JSON: expected value at line 1 column \d+$/);
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('uses the flat {code, msg, id} error shape when configured', async () => {
    const sim = await simulator({ binance: { errorShape: 'flat' } });
    const client = await connect(`${sim.binance.wsUrl}/ws`);
    client.send({ method: 'GET_PROPERTY', params: ['nope'], id: 9 });
    expect(await client.next()).toEqual({ code: 0, msg: 'Unknown property', id: 9 });
  });

  it('accepts valid but unserved or unknown-symbol streams silently and ignores bad names in the URL', async () => {
    const sim = await simulator();
    const client = await connect(`${sim.binance.wsUrl}/ws/btcusdt@kline_1m/nonsense/NOPE@@/abcusdt@depth`);
    client.send({ method: 'LIST_SUBSCRIPTIONS', id: 1 });
    expect(await client.next()).toEqual({ result: ['btcusdt@kline_1m', 'abcusdt@depth'], id: 1 });
    sim.market.step(5);
    client.send({ method: 'LIST_SUBSCRIPTIONS', id: 2 });
    await client.next((m: Reply) => m.id === 2);
    expect(client.received).toHaveLength(2);
  });

  it('rejects unknown paths', async () => {
    const sim = await simulator();
    const client = connectLater(`${sim.binance.wsUrl}/somewhere`);
    await expect(client.opened).rejects.toThrow('HTTP 404');
  });

  it('pings every pingIntervalMs and disconnects a client that does not pong within pongTimeoutMs', async () => {
    const sim = await simulator({ binance: { pingIntervalMs: 40, pongTimeoutMs: 150 } });
    const polite = await connect(`${sim.binance.wsUrl}/ws/btcusdt@trade`);
    const silent = await connect(`${sim.binance.wsUrl}/ws/btcusdt@trade`, { autoPong: false });
    await waitFor(() => silent.closeCode !== undefined, 3000, 'silent client to be dropped');
    expect(silent.closeCode).toBe(1006);
    expect(polite.pings.length).toBeGreaterThanOrEqual(2);
    expect(polite.pings[0]!.length).toBeGreaterThan(0);
    expect(polite.ws.readyState).toBe(WebSocket.OPEN);
    expect(sim.connections('binance')).toHaveLength(1);
  });

  it('sends serverShutdown before the connection lifetime ends, then closes', async () => {
    const sim = await simulator({ binance: { connectionLifetimeMs: 250, shutdownNoticeMs: 120 } });
    const raw = await connect(`${sim.binance.wsUrl}/ws/btcusdt@trade`);
    const combined = await connect(`${sim.binance.wsUrl}/stream?streams=btcusdt@trade`);
    const notice = await raw.next<{ e: string; E: number }>((m) => m.e === 'serverShutdown');
    expect(typeof notice.E).toBe('number');
    expect(await combined.next<{ stream: string }>((m) => m.stream === '!serverShutdown')).toMatchObject({
      data: { e: 'serverShutdown' },
    });
    expect(await raw.closed).toBe(1001);
    expect(raw.parsed<{ e: string }>().filter((m) => m.e === 'serverShutdown')).toHaveLength(1);
  });

  it('closes with 1008 past 5 incoming messages per second, counting pings', async () => {
    const sim = await simulator();
    const chatty = await connect(`${sim.binance.wsUrl}/ws`);
    for (let i = 0; i < 6; i++) chatty.send({ method: 'LIST_SUBSCRIPTIONS', id: i });
    expect(await chatty.closed).toBe(1008);
    expect(chatty.parsed()).toHaveLength(5);
    const pinger = await connect(`${sim.binance.wsUrl}/ws`);
    for (let i = 0; i < 6; i++) pinger.ws.ping();
    expect(await pinger.closed).toBe(1008);
    const calm = await connect(`${sim.binance.wsUrl}/ws`);
    for (let i = 0; i < 5; i++) calm.send({ method: 'LIST_SUBSCRIPTIONS', id: i });
    await waitFor(() => calm.received.length === 5);
    expect(calm.ws.readyState).toBe(WebSocket.OPEN);
  });
});
