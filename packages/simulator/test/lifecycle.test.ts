import { createServer } from 'node:net';
import { ConfigError } from '@arbitrage/core';
import { waitFor } from '@arbitrage/test-support';
import { describe, expect, it } from 'vitest';
import { startSimulator } from '../src/index.js';
import { connect, type DepthUpdate, simulator } from './helpers.js';

function resources(): string[] {
  return process
    .getActiveResourcesInfo()
    .filter((name) => name !== 'TTYWrap' && name !== 'FSReqCallback')
    .sort();
}

function count(list: string[], kind: string): number {
  return list.filter((name) => name === kind).length;
}

async function freePortBase(): Promise<number> {
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * 40_000);
    const ok = await Promise.all(
      [0, 1, 2, 3, 4, 5].map(
        (offset) =>
          new Promise<boolean>((resolve) => {
            const server = createServer();
            server.once('error', () => resolve(false));
            server.listen(base + offset, '127.0.0.1', () => server.close(() => resolve(true)));
          }),
      ),
    );
    if (ok.every(Boolean)) return base;
  }
}

describe('lifecycle', () => {
  it('stop() closes every server, socket and timer', async () => {
    const before = resources();
    const sim = await startSimulator({
      binance: { pingIntervalMs: 30 },
      upbit: { statusIntervalMs: 30 },
      faultSchedule: ['move:binance:BTCUSDT:1@50ms'],
    });
    const binance = await connect(`${sim.binance.wsUrl}/ws/btcusdt@depth@100ms`);
    const upbit = await connect(`${sim.upbit.wsUrl}/websocket/v1`);
    upbit.send([{ ticket: 'x' }, { type: 'orderbook', codes: ['KRW-BTC'] }]);
    upbit.ws.send('PING');
    const okx = await connect(`${sim.okx.wsUrl}/ws/v5/public`);
    okx.send({ op: 'subscribe', args: [{ channel: 'books', instId: 'BTC-USDT' }] });
    sim.faults.restFault('binance', { hang: true, path: '/api/v3/depth' });
    sim.faults.restFault('okx', { hang: true });
    const hangingOkx = fetch(`${sim.okx.restUrl}/api/v5/public/time`).catch((error: unknown) => error);
    sim.faults.refuseConnections('upbit', 60_000, { mode: 'http-503' });
    const hanging = fetch(`${sim.binance.restUrl}/api/v3/depth?symbol=BTCUSDT`).catch(
      (error: unknown) => error,
    );
    await fetch(`${sim.upbit.restUrl}/v1/market/all`);
    await binance.next();
    await upbit.next();
    await okx.next();
    expect(count(resources(), 'TCPServerWrap')).toBe(count(before, 'TCPServerWrap') + 6);
    await sim.stop();
    expect(await hanging).toBeInstanceOf(Error);
    expect(await hangingOkx).toBeInstanceOf(Error);
    await Promise.all([binance.closed, upbit.closed, okx.closed]);
    // Nothing of ours may remain: no listening or connected TCP handle, no timer beyond the baseline.
    const settled = (): boolean =>
      ['TCPServerWrap', 'TCPSocketWrap', 'Timeout', 'Immediate'].every(
        (kind) => count(resources(), kind) <= count(before, kind),
      );
    await waitFor(settled, 3000, 'resources to return to baseline');
    expect(count(resources(), 'TCPServerWrap')).toBe(count(before, 'TCPServerWrap'));
    expect(sim.connections()).toEqual([]);
    const frozen = sim.market.binanceBook('BTCUSDT').lastUpdateId;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(sim.market.binanceBook('BTCUSDT').lastUpdateId).toBe(frozen);
    await sim.stop();
  });

  it('listens on configurable ports and frees them on stop', async () => {
    const portBase = await freePortBase();
    const sim = await startSimulator({ portBase, autoStart: false });
    expect(sim.upbit).toEqual({
      restUrl: `http://127.0.0.1:${portBase}`,
      wsUrl: `ws://127.0.0.1:${portBase + 1}`,
    });
    expect(sim.binance).toEqual({
      restUrl: `http://127.0.0.1:${portBase + 2}`,
      wsUrl: `ws://127.0.0.1:${portBase + 3}`,
    });
    expect(sim.okx).toEqual({
      restUrl: `http://127.0.0.1:${portBase + 4}`,
      wsUrl: `ws://127.0.0.1:${portBase + 5}`,
    });
    await expect(startSimulator({ portBase, autoStart: false })).rejects.toThrow(/EADDRINUSE/);
    await sim.stop();
    const again = await startSimulator({ portBase, autoStart: false });
    await again.stop();
  });

  it('rejects bad options with a ConfigError that names the option', async () => {
    await expect(startSimulator({ assets: ['NOPE'] })).rejects.toThrow(ConfigError);
    await expect(startSimulator({ assets: ['NOPE'] })).rejects.toThrow(/unknown asset "NOPE"/);
    await expect(startSimulator({ portBase: 70_000 })).rejects.toThrow(/portBase/);
    await expect(startSimulator({ binance: { updatesPerSecond: -1 } })).rejects.toThrow(
      /binance.updatesPerSecond/,
    );
    await expect(startSimulator({ faultSchedule: ['explode:binance'] })).rejects.toThrow(
      /unknown fault "explode"/,
    );
  });

  it('ticks in real time when started, and pauses and resumes', async () => {
    const sim = await simulator({ autoStart: true });
    const start = sim.market.binanceBook('BTCUSDT').lastUpdateId;
    await waitFor(() => sim.market.binanceBook('BTCUSDT').lastUpdateId > start + 2);
    sim.market.pause();
    expect(sim.market.isRunning).toBe(false);
    const paused = sim.market.binanceBook('BTCUSDT').lastUpdateId;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(sim.market.binanceBook('BTCUSDT').lastUpdateId).toBe(paused);
    sim.market.resume();
    await waitFor(() => sim.market.binanceBook('BTCUSDT').lastUpdateId > paused);
  });

  it('records when each update was written to a socket, in a bounded ring', async () => {
    const sim = await simulator({ sendTimeCapacity: 5 });
    const binance = await connect(`${sim.binance.wsUrl}/ws/ethusdt@depth@100ms`);
    const upbit = await connect(`${sim.upbit.wsUrl}/websocket/v1`);
    upbit.send([{ ticket: 'x' }, { type: 'orderbook', codes: ['KRW-ETH'] }]);
    await upbit.next();
    const before = process.hrtime.bigint();
    sim.market.step(8);
    await waitFor(() => binance.received.length === 8 && upbit.received.length === 9);
    const events = binance.parsed<DepthUpdate>();
    const last = events.at(-1)!.u;
    const sent = sim.market.sendTime('binance', 'ETHUSDT', last);
    expect(sent).toBeGreaterThanOrEqual(before);
    expect(sent).toBeLessThanOrEqual(process.hrtime.bigint());
    expect(sim.market.sendTime('binance', 'ETHUSDT', events[0]!.u)).toBeUndefined();
    const frames = upbit.parsed<{ timestamp: number }>();
    expect(sim.market.sendTime('upbit', 'KRW-ETH', frames.at(-1)!.timestamp)).toBeGreaterThanOrEqual(before);
  });

  it('pumps updates as fast as the client reads them, in order, and stop() ends a pump', async () => {
    const sim = await simulator();
    const client = await connect(`${sim.binance.wsUrl}/ws/btcusdt@depth@100ms`);
    const result = await sim.market.pump({ symbols: ['BTCUSDT'], count: 3000 });
    expect(result).toMatchObject({ updates: 3000, aborted: false });
    expect(result.updatesPerSecond).toBeGreaterThan(0);
    await waitFor(() => client.received.length === 3000);
    const events = client.parsed<DepthUpdate>();
    for (let i = 1; i < events.length; i++) expect(events[i]!.U).toBe(events[i - 1]!.u + 1);
    const long = sim.market.pump({ count: 10_000_000 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await sim.stop();
    expect((await long).aborted).toBe(true);
  });

  it('lists connections with their subscriptions', async () => {
    const sim = await simulator();
    await connect(`${sim.binance.wsUrl}/stream?streams=btcusdt@trade`);
    const upbit = await connect(`${sim.upbit.wsUrl}/websocket/v1`);
    upbit.send([{ ticket: 'x' }, { type: 'ticker', codes: ['KRW-XRP'] }]);
    await upbit.next();
    const list = sim.connections();
    expect(list).toHaveLength(2);
    expect(list[0]).toMatchObject({ exchange: 'binance', subscriptions: ['btcusdt@trade'], combined: true });
    expect(list[1]).toMatchObject({ exchange: 'upbit', subscriptions: ['KRW-XRP'] });
    expect(sim.market.marketInfo().find((m) => m.nativeSymbol === 'BTCUSDT')).toMatchObject({
      exchange: 'binance',
      symbol: 'BTC/USDT',
      tickSize: 0.01,
      lotSize: 0.00001,
      minNotional: 5,
    });
  });
});
