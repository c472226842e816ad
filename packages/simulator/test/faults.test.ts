import { ConfigError } from '@arbitrage/core';
import { waitFor } from '@arbitrage/test-support';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MALFORMED_KINDS, parseFaultSpec } from '../src/index.js';
import {
  connect,
  connectLater,
  type DepthSnapshot,
  type DepthUpdate,
  getJson,
  LocalBook,
  simulator,
  WAIT_MS,
} from './helpers.js';

interface Orderbook {
  code: string;
  timestamp: number;
  orderbook_units: Array<{ ask_price: number; bid_price: number }>;
}

describe('faults: connections', () => {
  it('drops connections abruptly (1006), one or all', async () => {
    const sim = await simulator();
    const a = await connect(`${sim.binance.wsUrl}/ws`);
    const b = await connect(`${sim.binance.wsUrl}/ws`);
    const [first] = sim.connections('binance');
    expect(sim.faults.dropConnections('binance', { connectionId: first!.id })).toBe(1);
    expect(await a.closed).toBe(1006);
    expect(b.ws.readyState).toBe(WebSocket.OPEN);
    const upbit = await connect(`${sim.upbit.wsUrl}/websocket/v1`);
    expect(sim.faults.dropConnections('upbit')).toBe(1);
    expect(await upbit.closed).toBe(1006);
    expect(() => sim.faults.dropConnections('binance', { connectionId: 999 })).toThrow(ConfigError);
  });

  it('closes connections with a chosen code and reason', async () => {
    const sim = await simulator();
    const client = await connect(`${sim.upbit.wsUrl}/websocket/v1`);
    expect(sim.faults.closeConnections('upbit', 4001, { reason: 'maintenance' })).toBe(1);
    expect(await client.closed).toBe(4001);
    expect(client.closeReason).toBe('maintenance');
    expect(() => sim.faults.closeConnections('upbit', 1006)).toThrow(/close code/);
  });

  it('refuses new connections for a while: reset, 503, or accept-then-close', async () => {
    const sim = await simulator();
    const handle = sim.faults.refuseConnections('binance', 60_000);
    await expect(connectLater(`${sim.binance.wsUrl}/ws`).opened).rejects.toThrow();
    expect((await fetch(`${sim.binance.restUrl}/api/v3/ping`)).status).toBe(200);
    handle.clear();
    await connect(`${sim.binance.wsUrl}/ws`);
    sim.faults.refuseConnections('binance', 60_000, { mode: 'http-503' });
    await expect(connectLater(`${sim.binance.wsUrl}/ws`).opened).rejects.toThrow('HTTP 503');
    sim.faults.refuseConnections('upbit', 60_000, { mode: 'close-after-open', closeCode: 1013 });
    const bounced = await connect(`${sim.upbit.wsUrl}/websocket/v1`);
    expect(await bounced.closed).toBe(1013);
    sim.faults.refuseConnections('upbit', 60_000, { includeRest: true });
    await expect(fetch(`${sim.upbit.restUrl}/v1/market/all`)).rejects.toThrow();
    const short = sim.faults.refuseConnections('upbit', 50);
    expect(short.active).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 80));
    await connect(`${sim.upbit.wsUrl}/websocket/v1`);
  });

  it('stops answering pings (Binance pong frames; Upbit pongs and {"status":"UP"})', async () => {
    const sim = await simulator();
    const binance = await connect(`${sim.binance.wsUrl}/ws`);
    const upbit = await connect(`${sim.upbit.wsUrl}/websocket/v1`);
    let pongs = 0;
    binance.ws.on('pong', () => pongs++);
    binance.ws.ping();
    await waitFor(() => pongs === 1);
    const handle = sim.faults.ignorePings('binance');
    sim.faults.ignorePings('upbit');
    binance.ws.ping();
    upbit.ws.send('PING');
    let upbitPongs = 0;
    upbit.ws.on('pong', () => upbitPongs++);
    upbit.ws.ping();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(pongs).toBe(1);
    expect(upbitPongs).toBe(0);
    expect(upbit.received).toHaveLength(0);
    handle.clear();
    binance.ws.ping();
    await waitFor(() => pongs === 2);
  });

  it('sends serverShutdown to Binance connections, then closes them', async () => {
    const sim = await simulator();
    const client = await connect(`${sim.binance.wsUrl}/ws`);
    expect(sim.faults.serverShutdown({ closeAfterMs: 50 })).toBe(1);
    expect(await client.next()).toMatchObject({ e: 'serverShutdown' });
    expect(await client.closed).toBe(1001);
  });
});

describe('faults: streams', () => {
  it('stalls one symbol while the socket stays open and heartbeats continue', async () => {
    const sim = await simulator();
    const client = await connect(
      `${sim.binance.wsUrl}/stream?streams=btcusdt@depth@100ms/ethusdt@depth@100ms`,
    );
    const handle = sim.faults.stallStream('binance', { symbol: 'BTCUSDT' });
    sim.market.step(5);
    await waitFor(() => client.received.length >= 5);
    let pongs = 0;
    client.ws.on('pong', () => pongs++);
    client.ws.ping();
    await waitFor(() => pongs === 1);
    expect(client.parsed<{ stream: string }>().map((m) => m.stream)).toEqual(
      Array(5).fill('ethusdt@depth@100ms'),
    );
    expect(sim.faults.active()).toEqual([expect.stringContaining('stall binance BTCUSDT')]);
    handle.clear();
    sim.market.step(1);
    await client.next<{ stream: string }>((m) => m.stream === 'btcusdt@depth@100ms');
  });

  it('stalls a whole Upbit connection', async () => {
    const sim = await simulator();
    const client = await connect(`${sim.upbit.wsUrl}/websocket/v1`);
    client.send([{ ticket: 'x' }, { type: 'orderbook', codes: ['KRW-BTC'] }]);
    await client.next();
    const handle = sim.faults.stallStream('upbit');
    sim.market.step(3);
    client.ws.send('PING');
    expect(await client.next()).toEqual({ status: 'UP' });
    expect(client.received).toHaveLength(2);
    handle.clear();
    sim.market.step(1);
    expect(await client.next()).toMatchObject({ stream_type: 'REALTIME' });
  });

  it('skips update ids on Binance: the next event leaves a gap that the B5 procedure detects', async () => {
    const sim = await simulator();
    const client = await connect(`${sim.binance.wsUrl}/ws/btcusdt@depth@100ms`);
    sim.market.step(1);
    await client.next();
    const { body: snapshot } = await getJson<DepthSnapshot>(
      `${sim.binance.restUrl}/api/v3/depth?symbol=BTCUSDT&limit=1000`,
    );
    sim.faults.skipUpdates('binance', 'BTCUSDT', 2);
    sim.market.step(4);
    await waitFor(() => client.received.length >= 3);
    const events = client.parsed<DepthUpdate>();
    expect(events[1]!.U).toBeGreaterThan(events[0]!.u + 1);
    const book = new LocalBook();
    book.load(snapshot);
    expect(() => {
      for (const event of events) book.apply(event);
    }).toThrow(/gap/);
  });

  it('drops Upbit orderbook frames too', async () => {
    const sim = await simulator();
    const client = await connect(`${sim.upbit.wsUrl}/websocket/v1`);
    client.send([{ ticket: 'x' }, { type: 'orderbook', codes: ['KRW-XRP'] }]);
    await client.next();
    sim.faults.skipUpdates('upbit', 'KRW-XRP', 2);
    sim.market.step(3);
    await waitFor(() => client.received.length === 2);
    expect(client.parsed<Orderbook>()[1]!.timestamp).toBe(sim.market.upbitBook('KRW-XRP').timestamp);
  });

  it('duplicates messages (u <= the book id on the second copy)', async () => {
    const sim = await simulator();
    const client = await connect(`${sim.binance.wsUrl}/ws/btcusdt@depth@100ms`);
    sim.faults.duplicateMessages('binance', 'BTCUSDT', 1);
    sim.market.step(2);
    await waitFor(() => client.received.length === 3);
    expect(client.received[0]!.text).toBe(client.received[1]!.text);
    const events = client.parsed<DepthUpdate>();
    expect(events[2]!.U).toBe(events[1]!.u + 1);
    const upbit = await connect(`${sim.upbit.wsUrl}/websocket/v1`);
    upbit.send([{ ticket: 'x' }, { type: 'orderbook', codes: ['KRW-BTC'] }]);
    await upbit.next();
    sim.faults.duplicateMessages('upbit', 'KRW-BTC', 1);
    sim.market.step(1);
    await waitFor(() => upbit.received.length === 3);
    expect(upbit.received[1]!.text).toBe(upbit.received[2]!.text);
  });

  it('reorders the next two messages', async () => {
    const sim = await simulator();
    const client = await connect(`${sim.binance.wsUrl}/ws/btcusdt@depth@100ms`);
    sim.faults.reorderMessages('binance', 'BTCUSDT');
    sim.market.step(3);
    await waitFor(() => client.received.length === 3);
    const [first, second, third] = client.parsed<DepthUpdate>();
    expect(second!.u + 1).toBe(first!.U);
    expect(third!.U).toBe(first!.u + 1);
  });

  it('sends every kind of malformed frame', async () => {
    const sim = await simulator();
    for (const kind of MALFORMED_KINDS) {
      const binance = await connect(`${sim.binance.wsUrl}/ws/btcusdt@depth@100ms`);
      const upbit = await connect(`${sim.upbit.wsUrl}/websocket/v1`);
      expect(sim.faults.sendMalformed('binance', kind, { symbol: 'BTCUSDT' })).toBe(1);
      expect(sim.faults.sendMalformed('upbit', kind, { symbol: 'KRW-BTC' })).toBe(1);
      if (kind === 'invalid-utf8') {
        // A conforming client fails the connection on invalid UTF-8 in a text frame (ws reports 1006).
        const errors: string[] = [];
        binance.ws.on('error', (error) => errors.push(error.message));
        expect([1006, 1007]).toContain(await binance.closed);
        expect(errors.join()).toMatch(/invalid UTF-8/);
        await waitFor(() => upbit.received.length === 1);
        expect(upbit.received[0]!.isBinary).toBe(true);
      } else {
        await waitFor(() => binance.received.length === 1 && upbit.received.length === 1);
        const text = binance.received[0]!.text;
        const upbitText = upbit.received[0]!.text;
        if (kind === 'invalid-json') {
          expect(() => JSON.parse(text)).toThrow();
          expect(() => JSON.parse(upbitText)).toThrow();
        } else {
          const parsed = JSON.parse(text) as Record<string, unknown>;
          const upbitParsed = JSON.parse(upbitText) as Record<string, unknown>;
          if (kind === 'wrong-types') {
            expect(typeof parsed.U).toBe('string');
            expect(typeof upbitParsed.orderbook_units).toBe('string');
          }
          if (kind === 'negative-size') {
            expect(Number((parsed.b as string[][])[0]![1])).toBeLessThan(0);
            expect(upbitText).toContain('"ask_size":-1.5');
          }
          if (kind === 'nan-string') {
            expect((parsed.b as string[][])[0]![0]).toBe('NaN');
            expect(upbitText).toContain('"NaN"');
          }
          if (kind === 'unknown-event') {
            expect(parsed.e).toBe('mysteryEvent');
            expect(upbitParsed.type).toBe('mystery');
          }
        }
      }
      binance.close();
      upbit.close();
    }
    expect(() => sim.faults.sendMalformed('binance', 'bogus' as never)).toThrow(/unknown malformed kind/);
  });

  it('sends an out-of-order Upbit frame with an older timestamp', async () => {
    const sim = await simulator();
    const client = await connect(`${sim.upbit.wsUrl}/websocket/v1`);
    client.send([{ ticket: 'x' }, { type: 'orderbook', codes: ['KRW-BTC'] }]);
    await client.next();
    sim.market.step(2);
    await waitFor(() => client.received.length === 3);
    expect(sim.faults.sendOlderFrame('KRW-BTC')).toBe(1);
    await waitFor(() => client.received.length === 4);
    const frames = client.parsed<Orderbook>();
    expect(frames[3]!.timestamp).toBeLessThan(frames[2]!.timestamp);
    expect(frames[3]!.timestamp).toBe(frames[1]!.timestamp);
  });
});

describe('faults: books and REST', () => {
  it('crosses the next message only, so a resync heals it', async () => {
    const sim = await simulator();
    const client = await connect(`${sim.binance.wsUrl}/ws/btcusdt@depth@100ms`);
    const upbit = await connect(`${sim.upbit.wsUrl}/websocket/v1`);
    upbit.send([{ ticket: 'x' }, { type: 'orderbook', codes: ['KRW-BTC'] }]);
    await upbit.next();
    const { body: snapshot } = await getJson<DepthSnapshot>(
      `${sim.binance.restUrl}/api/v3/depth?symbol=BTCUSDT&limit=1000`,
    );
    sim.faults.crossBook('binance', 'BTCUSDT');
    sim.faults.crossBook('upbit', 'KRW-BTC');
    sim.market.step(2);
    await waitFor(() => client.received.length === 2 && upbit.received.length === 3);
    const local = new LocalBook();
    local.load(snapshot);
    const [crossed, clean] = client.parsed<DepthUpdate>();
    local.apply(crossed!);
    expect(local.top('bids', 1)[0]![0]).toBeGreaterThan(local.top('asks', 1)[0]![0]);
    expect(clean!.U).toBe(crossed!.u + 1);
    const { body: resync } = await getJson<DepthSnapshot>(
      `${sim.binance.restUrl}/api/v3/depth?symbol=BTCUSDT&limit=5`,
    );
    expect(Number(resync.bids[0]![0])).toBeLessThan(Number(resync.asks[0]![0]));
    const upbitFrames = upbit.parsed<Orderbook>();
    const unit = upbitFrames[1]!.orderbook_units[0]!;
    expect(unit.bid_price).toBeGreaterThan(unit.ask_price);
    const next = upbitFrames[2]!.orderbook_units[0]!;
    expect(next.bid_price).toBeLessThan(next.ask_price);
  });

  it('crosses the true book persistently (REST included) until cleared', async () => {
    const sim = await simulator();
    const handle = sim.faults.crossBook('binance', 'ETHUSDT', { persist: true });
    sim.market.step(3);
    const { body } = await getJson<DepthSnapshot>(
      `${sim.binance.restUrl}/api/v3/depth?symbol=ETHUSDT&limit=5`,
    );
    expect(Number(body.bids[0]![0])).toBeGreaterThan(Number(body.asks[0]![0]));
    handle.clear();
    sim.market.step(1);
    const after = sim.market.binanceBook('ETHUSDT', 1);
    expect(after.bids[0]![0]).toBeLessThan(after.asks[0]![0]);
    const upbit = sim.faults.crossBook('upbit', 'KRW-ETH', { persist: true });
    const crossed = sim.market.upbitBook('KRW-ETH', 1);
    expect(crossed.bids[0]![0]).toBeGreaterThan(crossed.asks[0]![0]);
    upbit.clear();
    expect(sim.market.upbitBook('KRW-ETH', 1).bids[0]![0]).toBeLessThan(
      sim.market.upbitBook('KRW-ETH', 1).asks[0]![0],
    );
  });

  it('moves a book by a number of basis points at once', async () => {
    const sim = await simulator();
    const client = await connect(`${sim.binance.wsUrl}/ws/btcusdt@depth@100ms`);
    const before = sim.market.binanceBook('BTCUSDT', 1).bids[0]![0];
    sim.faults.moveBook('binance', 'BTCUSDT', 50);
    const after = sim.market.binanceBook('BTCUSDT', 1).bids[0]![0];
    expect(after / before - 1).toBeGreaterThan(0.0045);
    expect(after / before - 1).toBeLessThan(0.0055);
    const event = await client.next<DepthUpdate>();
    expect(event.b.some(([p]) => Number(p) === after)).toBe(true);
    const upbitBefore = sim.market.upbitBook('KRW-BTC', 1).asks[0]![0];
    sim.faults.moveBook('upbit', 'KRW-BTC', -100);
    expect(sim.market.upbitBook('KRW-BTC', 1).asks[0]![0] / upbitBefore - 1).toBeLessThan(-0.009);
  });

  it('fails, slows or hangs REST calls', async () => {
    const sim = await simulator();
    const depth = `${sim.binance.restUrl}/api/v3/depth?symbol=BTCUSDT`;
    sim.faults.restFault('binance', { status: 500, count: 1 });
    expect((await fetch(depth)).status).toBe(500);
    expect((await fetch(depth)).status).toBe(200);
    sim.faults.restFault('binance', { status: 429, retryAfterS: 7, count: 1, path: '/api/v3/depth' });
    expect((await fetch(`${sim.binance.restUrl}/api/v3/ping`)).status).toBe(200);
    const limited = await fetch(depth);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    sim.faults.restFault('upbit', { status: 418, retryAfterS: 120, count: 1 });
    const banned = await fetch(`${sim.upbit.restUrl}/v1/market/all`);
    expect(banned.status).toBe(418);
    expect(banned.headers.get('retry-after')).toBe('120');
    expect(await banned.json()).toHaveProperty('error');
    sim.faults.restFault('upbit', { delayMs: 150, count: 1 });
    const started = Date.now();
    expect((await fetch(`${sim.upbit.restUrl}/v1/market/all`)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    const hang = sim.faults.restFault('binance', { hang: true });
    await expect(fetch(depth, { signal: AbortSignal.timeout(150) })).rejects.toThrow();
    hang.clear();
    expect((await fetch(depth)).status).toBe(200);
    expect(() => sim.faults.restFault('binance', {})).toThrow(ConfigError);
  });

  it('clears everything at once', async () => {
    const sim = await simulator();
    await connect(`${sim.binance.wsUrl}/ws`);
    sim.faults.stallStream('binance');
    sim.faults.restFault('binance', { status: 500 });
    sim.faults.refuseConnections('binance', 60_000);
    expect(sim.faults.active()).toHaveLength(3);
    sim.faults.clear();
    expect(sim.faults.active()).toEqual([]);
    expect((await fetch(`${sim.binance.restUrl}/api/v3/ping`)).status).toBe(200);
    await connect(`${sim.binance.wsUrl}/ws`);
  });
});

describe('fault schedule (CLI syntax)', () => {
  it('parses specs and reports mistakes clearly', () => {
    expect(parseFaultSpec('gap:binance:BTCUSDT:2@10s')).toMatchObject({ everyMs: 10_000, durationMs: 5000 });
    expect(parseFaultSpec('stall:upbit:KRW-BTC@1m+3s')).toMatchObject({ everyMs: 60_000, durationMs: 3000 });
    expect(parseFaultSpec('drop:upbit')).toMatchObject({ everyMs: undefined });
    expect(() => parseFaultSpec('gap:kraken:BTCUSDT')).toThrow(/expected exchange/);
    expect(() => parseFaultSpec('drop:binance@10')).toThrow(/not a duration/);
    expect(() => parseFaultSpec('nope')).toThrow(/unknown fault "nope"/);
    expect(() => parseFaultSpec('malformed:binance:weird')).toThrow(/unknown malformed kind/);
  });

  it('fires scheduled faults repeatedly and undoes them after their duration', async () => {
    const sim = await simulator({ faultSchedule: ['stall:upbit@60ms+30ms', 'gap:binance:BTCUSDT@40ms'] });
    const client = await connect(`${sim.binance.wsUrl}/ws/btcusdt@depth@100ms`);
    await waitFor(
      () => sim.faults.active().some((d) => d.startsWith('stall upbit')),
      WAIT_MS,
      'the stall to fire',
    );
    await waitFor(
      () => !sim.faults.active().some((d) => d.startsWith('stall upbit')),
      WAIT_MS,
      'the stall to clear',
    );
    await waitFor(
      () =>
        sim.faults
          .active()
          .some((d) => d.startsWith('skip 1 binance BTCUSDT') && d.endsWith('on 1 connection(s)')),
      WAIT_MS,
      'a gap to be armed on the connection',
    );
    sim.market.step(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(client.received).toHaveLength(0);
  });
});
