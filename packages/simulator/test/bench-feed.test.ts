import { ConfigError } from '@arbitrage/core';
import { waitFor } from '@arbitrage/test-support';
import { describe, expect, it } from 'vitest';
import { BenchFeed } from '../src/index.js';
import { connect, simulator } from './helpers.js';
import { isPush, OkxLocalBook, type OkxPush } from './okx-helpers.js';

interface Diff {
  readonly e: string;
  readonly U: number;
  readonly u: number;
}
interface UpbitBookFrame {
  readonly type: string;
  readonly code: string;
  readonly timestamp: number;
  readonly stream_type: string;
}

describe('BenchFeed', () => {
  it('paces Binance updates and records each update id with its send time', async () => {
    const sim = await simulator({ assets: ['BTC', 'ETH'] });
    const client = await connect(`${sim.binance.wsUrl}/ws/btcusdt@depth@100ms/ethusdt@depth@100ms`);
    await waitFor(() => sim.connections('binance')[0]?.subscriptions.length === 2);
    const feed = new BenchFeed(sim.market, 'binance');
    const before = process.hrtime.bigint();
    const run = await feed.paced({ count: 4, ratePerSymbol: 200 });
    expect(run.updates).toBe(8);
    expect(run.aborted).toBe(false);
    const sent = run.sent!.BTCUSDT!;
    expect(sent.ids).toHaveLength(4);
    for (let i = 0; i < 4; i++) {
      expect(sent.sentAt[i]!).toBeGreaterThan(before);
      if (i > 0) expect(sent.ids[i]!).toBeGreaterThan(sent.ids[i - 1]!);
    }
    expect(run.finalIds.BTCUSDT).toBe(sent.ids[3]);
    expect(run.finalIds.BTCUSDT).toBe(feed.lastId('BTCUSDT'));
    // 4 ticks 5 ms apart: at least 15 ms (generous upper bound for a loaded machine: 2 s).
    expect(run.elapsedMs).toBeGreaterThanOrEqual(14);
    expect(run.elapsedMs).toBeLessThan(2000);
    await waitFor(() => client.received.length === 8);
    const frames = client.parsed<Diff>().filter((frame) => frame.e === 'depthUpdate');
    expect(frames.map((frame) => frame.u).filter((u) => sent.ids.includes(u))).toHaveLength(4);
  });

  it('bursts Upbit updates: queued while corked, then every frame arrives, and the true book matches', async () => {
    const sim = await simulator({ assets: ['BTC'] });
    const client = await connect(`${sim.upbit.wsUrl}/websocket/v1`, { perMessageDeflate: false });
    client.send([{ ticket: 't' }, { type: 'orderbook', codes: ['KRW-BTC'] }]);
    await client.next<UpbitBookFrame>((frame) => frame.stream_type === 'SNAPSHOT');
    const feed = new BenchFeed(sim.market, 'upbit', ['KRW-BTC']);
    const run = await feed.burst(50);
    expect(run.updates).toBe(50);
    expect(run.generatedMs).toBeGreaterThanOrEqual(0);
    expect(run.finalIds['KRW-BTC']).toBe(sim.market.upbitBook('KRW-BTC').timestamp);
    await waitFor(() => client.received.length === 51);
    const last = client.parsed<UpbitBookFrame>().at(-1)!;
    expect(last.timestamp).toBe(run.finalIds['KRW-BTC']);
    expect(feed.trueBook('KRW-BTC')).toEqual({
      bids: sim.market.upbitBook('KRW-BTC').bids,
      asks: sim.market.upbitBook('KRW-BTC').asks,
    });
  });

  it('pumps Binance updates round-robin with backpressure', async () => {
    const sim = await simulator({ assets: ['BTC', 'ETH'] });
    const client = await connect(`${sim.binance.wsUrl}/ws/btcusdt@depth@100ms/ethusdt@depth@100ms`);
    await waitFor(() => sim.connections('binance')[0]?.subscriptions.length === 2);
    const feed = new BenchFeed(sim.market, 'binance');
    const run = await feed.pump(25);
    expect(run.updates).toBe(50);
    await waitFor(() => client.received.length === 50);
    expect(run.finalIds.ETHUSDT).toBe(sim.market.binanceBook('ETHUSDT').lastUpdateId);
  });

  it('bursts OKX pushes: queued while corked, then every push arrives, ids are seqIds, and the true book matches', async () => {
    const sim = await simulator({ assets: ['BTC', 'ETH'] });
    const client = await connect(`${sim.okx.wsUrl}/ws/v5/public`);
    client.send({ op: 'subscribe', args: [{ channel: 'books', instId: 'BTC-USDT' }] });
    const snapshot = await client.next<OkxPush>(isPush('books', 'BTC-USDT'));
    const feed = new BenchFeed(sim.market, 'okx', ['BTC-USDT']);
    expect(feed.lastId('BTC-USDT')).toBe(snapshot.data[0]!.seqId);
    // 300 pushes: at 2 % each, several have no change (seqId == prevSeqId).
    const run = await feed.burst(300);
    expect(run.updates).toBe(300);
    expect(run.finalIds['BTC-USDT']).toBe(sim.market.okxBook('BTC-USDT').seqId);
    await waitFor(() => client.parsed<OkxPush>().filter(isPush('books')).length === 301);
    const updates = client
      .parsed<OkxPush>()
      .filter((message) => isPush('books')(message) && message.action === 'update');
    expect(updates.some((update) => update.data[0]!.seqId === update.data[0]!.prevSeqId)).toBe(true);
    expect(updates.at(-1)!.data[0]!.seqId).toBe(run.finalIds['BTC-USDT']);
    const book = new OkxLocalBook();
    book.load(snapshot.data[0]!);
    for (const update of updates) book.apply(update.data[0]!);
    const truth = feed.trueBook('BTC-USDT', 100);
    expect(book.top('bids', 100)).toEqual(truth.bids);
    expect(book.top('asks', 100)).toEqual(truth.asks);
  });

  it('paces OKX pushes by seqId; a push with no change keeps its seqId and gets no send time', async () => {
    const sim = await simulator({ assets: ['BTC', 'ETH'] });
    const client = await connect(`${sim.okx.wsUrl}/ws/v5/public`);
    client.send({
      op: 'subscribe',
      args: [
        { channel: 'books', instId: 'BTC-USDT' },
        { channel: 'books', instId: 'ETH-USDT' },
      ],
    });
    await waitFor(() => sim.connections('okx')[0]?.subscriptions.length === 2);
    const feed = new BenchFeed(sim.market, 'okx');
    expect(feed.symbols).toEqual(['BTC-USDT', 'ETH-USDT']);
    const before = process.hrtime.bigint();
    // Enough pushes that some have no change (2 % each): 2 × 100 at 1000/s.
    const run = await feed.paced({ count: 100, ratePerSymbol: 1000 });
    expect(run.updates).toBe(200);
    let empty = 0;
    for (const symbol of feed.symbols) {
      const { ids, sentAt } = run.sent![symbol]!;
      for (let i = 1; i < ids.length; i++) {
        expect(ids[i]!).toBeGreaterThanOrEqual(ids[i - 1]!);
        if (ids[i] === ids[i - 1]) {
          empty++;
          expect(sentAt[i]).toBe(0n);
        } else expect(sentAt[i]!).toBeGreaterThan(before);
      }
      expect(run.finalIds[symbol]).toBe(ids[ids.length - 1]);
      expect(run.finalIds[symbol]).toBe(sim.market.okxBook(symbol).seqId);
    }
    expect(empty).toBeGreaterThan(0);
    await waitFor(() => client.parsed<OkxPush>().filter((m) => m.action === 'update').length === 200);
  });

  it('pumps OKX pushes round-robin with backpressure', async () => {
    const sim = await simulator({ assets: ['BTC', 'ETH'] });
    const client = await connect(`${sim.okx.wsUrl}/ws/v5/public`);
    client.send({ op: 'subscribe', args: [{ channel: 'books', instId: 'ETH-USDT' }] });
    await waitFor(() => sim.connections('okx')[0]?.subscriptions.length === 1);
    const feed = new BenchFeed(sim.market, 'okx', ['ETH-USDT']);
    feed.step(3);
    const run = await feed.pump(25);
    expect(run.updates).toBe(25);
    await waitFor(() => client.parsed<OkxPush>().filter((m) => m.action === 'update').length === 28);
    expect(run.finalIds['ETH-USDT']).toBe(sim.market.okxBook('ETH-USDT').seqId);
  });

  it('rejects unknown symbols and a running simulator', async () => {
    const paused = await simulator();
    expect(() => new BenchFeed(paused.market, 'binance', ['NOPEUSDT'])).toThrow(ConfigError);
    expect(() => new BenchFeed(paused.market, 'okx', ['BTCUSDT'])).toThrow(/unknown okx symbol/);
    const running = await simulator({ autoStart: true });
    expect(() => new BenchFeed(running.market, 'upbit')).toThrow(/paused/);
  });
});
