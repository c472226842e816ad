import { waitFor } from '@arbitrage/test-support';
import { describe, expect, it } from 'vitest';
import { connect, connectLater, getJson, simulator } from './helpers.js';
import { isPush, type OkxEvent, OkxLocalBook, type OkxPush, type OkxRestBooks } from './okx-helpers.js';

const BTC = 'BTC-USDT';

function subscribe(instId: string, channel = 'books', id?: string) {
  return { ...(id === undefined ? {} : { id }), op: 'subscribe', args: [{ channel, instId }] };
}

describe('OKX WebSocket /ws/v5/public', () => {
  it('acks a subscribe with its id, pushes a snapshot (prevSeqId -1) and linked updates that rebuild the true book', async () => {
    const sim = await simulator();
    const client = await connect(`${sim.okx.wsUrl}/ws/v5/public`);
    client.send(subscribe(BTC, 'books', '7'));
    const ack = await client.next<OkxEvent>((m) => m.event === 'subscribe');
    expect(ack).toEqual({
      id: '7',
      event: 'subscribe',
      arg: { channel: 'books', instId: BTC },
      connId: ack.connId,
    });
    expect(ack.connId).toMatch(/^[0-9a-f]{8}$/);
    const snapshot = await client.next<OkxPush>(isPush('books', BTC));
    expect(snapshot.action).toBe('snapshot');
    const first = snapshot.data[0]!;
    expect(first.prevSeqId).toBe(-1);
    expect(first.checksum).toBe(0);
    expect(first.bids).toHaveLength(400);
    expect(first.bids[0]).toEqual([
      expect.any(String),
      expect.any(String),
      '0',
      expect.stringMatching(/^\d+$/),
    ]);
    sim.market.step(60);
    const truth = sim.market.okxBook(BTC);
    await waitFor(() => client.parsed<OkxPush>().at(-1)?.data?.[0]?.seqId === truth.seqId);
    const book = new OkxLocalBook();
    book.load(first);
    const updates = client.parsed<OkxPush>().filter((m) => m.action === 'update');
    expect(updates).toHaveLength(60);
    for (const update of updates) {
      const data = update.data[0]!;
      expect(data.checksum).toBe(0);
      expect(data.ts).toMatch(/^\d+$/);
      book.apply(data);
    }
    expect(book.seqId).toBe(truth.seqId);
    expect(book.top('bids', 400)).toEqual(truth.bids.slice(0, 400));
    expect(book.top('asks', 400)).toEqual(truth.asks.slice(0, 400));
    expect(sim.connections('okx')).toEqual([
      expect.objectContaining({ exchange: 'okx', subscriptions: ['books:BTC-USDT'] }),
    ]);
  });

  it('with checksum crc32, every push carries the former OKX checksum of the book after it (E5)', async () => {
    const sim = await simulator({ okx: { checksum: 'crc32' } });
    const client = await connect(`${sim.okx.wsUrl}/ws/v5/public`);
    client.send(subscribe('XRP-USDT'));
    const snapshot = await client.next<OkxPush>(isPush('books', 'XRP-USDT'));
    const book = new OkxLocalBook();
    book.load(snapshot.data[0]!);
    expect(snapshot.data[0]!.checksum).toBe(book.checksum());
    sim.market.stepOkx(30, ['XRP-USDT']);
    await waitFor(
      () => client.parsed<OkxPush>().at(-1)?.data?.[0]?.seqId === sim.market.okxBook('XRP-USDT').seqId,
    );
    for (const push of client.parsed<OkxPush>().filter((m) => m.action === 'update')) {
      book.apply(push.data[0]!);
      expect(push.data[0]!.checksum).toBe(book.checksum());
      expect(push.data[0]!.checksum).not.toBe(0);
    }
  });

  it('now and then sends an update with no change and seqId == prevSeqId (E7)', async () => {
    const sim = await simulator();
    const client = await connect(`${sim.okx.wsUrl}/ws/v5/public`);
    client.send(subscribe(BTC));
    await client.next<OkxPush>(isPush('books', BTC));
    sim.market.stepOkx(400, [BTC]);
    await waitFor(() => client.parsed<OkxPush>().at(-1)?.data?.[0]?.seqId === sim.market.okxBook(BTC).seqId);
    const updates = client
      .parsed<OkxPush>()
      .filter((m) => m.action === 'update')
      .map((m) => m.data[0]!);
    const empty = updates.filter((d) => d.seqId === d.prevSeqId);
    expect(empty.length).toBeGreaterThan(0);
    for (const d of empty) expect([d.bids, d.asks]).toEqual([[], []]);
    for (let i = 1; i < updates.length; i++) expect(updates[i]!.prevSeqId).toBe(updates[i - 1]!.seqId);
  });

  it('with snapshotPush off, sends no snapshot: the REST book and the buffered updates bridge by seqId (E6)', async () => {
    const sim = await simulator({ okx: { snapshotPush: false } });
    const client = await connect(`${sim.okx.wsUrl}/ws/v5/public`);
    client.send(subscribe(BTC));
    await client.next<OkxEvent>((m) => m.event === 'subscribe');
    sim.market.stepOkx(3, [BTC]);
    const { body } = await getJson<OkxRestBooks>(
      `${sim.okx.restUrl}/api/v5/market/books?instId=${BTC}&sz=400`,
    );
    sim.market.stepOkx(20, [BTC]);
    const truth = sim.market.okxBook(BTC);
    await waitFor(() => client.parsed<OkxPush>().at(-1)?.data?.[0]?.seqId === truth.seqId);
    const pushes = client.parsed<OkxPush>().filter(isPush('books', BTC));
    expect(pushes.every((m) => m.action === 'update')).toBe(true);
    const snapshot = body.data[0]!;
    const book = new OkxLocalBook();
    book.load(snapshot);
    const kept = pushes.map((m) => m.data[0]!).filter((d) => d.seqId > snapshot.seqId);
    expect(kept[0]!.prevSeqId).toBeLessThanOrEqual(snapshot.seqId);
    for (const data of kept) book.apply(data);
    expect(book.top('bids', 400)).toEqual(truth.bids.slice(0, 400));
    expect(book.top('asks', 400)).toEqual(truth.asks.slice(0, 400));
  });

  it('books5 pushes the whole top 5 with seqId and ts, without action or prevSeqId', async () => {
    const sim = await simulator();
    const client = await connect(`${sim.okx.wsUrl}/ws/v5/public`);
    client.send(subscribe('ETH-USDT', 'books5'));
    await client.next<OkxEvent>((m) => m.event === 'subscribe');
    sim.market.stepOkx(5, ['ETH-USDT']);
    await waitFor(() => client.parsed<OkxPush>().filter(isPush('books5')).length >= 4);
    const last = client.parsed<OkxPush>().filter(isPush('books5')).at(-1)!;
    expect(last.action).toBeUndefined();
    const data = last.data[0]!;
    expect(data.prevSeqId).toBeUndefined();
    expect(data.instId).toBe('ETH-USDT');
    expect(data.bids).toHaveLength(5);
    const truth = sim.market.okxBook('ETH-USDT', 5);
    expect(data.seqId).toBe(truth.seqId);
    expect(data.bids.map(([p, s]) => [Number(p), Number(s)])).toEqual(truth.bids);
    expect(data.asks.map(([p, s]) => [Number(p), Number(s)])).toEqual(truth.asks);
  });

  it('answers an unknown instrument with error 60018 that names no arg, and malformed requests with 60012', async () => {
    const sim = await simulator();
    const client = await connect(`${sim.okx.wsUrl}/ws/v5/public`);
    client.send(subscribe('NOPE-USDT', 'books', '12'));
    const error = await client.next<OkxEvent>((m) => m.event === 'error');
    expect(error.code).toBe('60018');
    expect(error.id).toBe('12');
    expect(error.arg).toBeUndefined();
    expect(error.msg).toContain("instId:NOPE-USDT doesn't exist");
    expect(error.connId).toMatch(/^[0-9a-f]{8}$/);
    client.send(subscribe(BTC, 'candle1m'));
    expect((await client.next<OkxEvent>((m) => m.event === 'error')).code).toBe('60018');
    client.send('{"op":"subscribe","args":[{"channel":"books"');
    const illegal = await client.next<OkxEvent>((m) => m.event === 'error');
    expect(illegal.code).toBe('60012');
    expect(illegal.msg).toContain('Illegal request');
    client.send({ op: 'login', args: [] });
    expect((await client.next<OkxEvent>((m) => m.event === 'error')).code).toBe('60012');
    expect(sim.connections('okx')[0]!.subscriptions).toEqual([]);
  });

  it('unsubscribes, answers the text ping with pong, and closes a connection silent for the idle timeout', async () => {
    const sim = await simulator({ okx: { idleTimeoutMs: 400 } });
    const client = await connect(`${sim.okx.wsUrl}/ws/v5/public`);
    client.send(subscribe(BTC));
    await client.next<OkxPush>(isPush('books', BTC));
    client.send({ op: 'unsubscribe', args: [{ channel: 'books', instId: BTC }] });
    const reply = await client.next<OkxEvent>((m) => m.event === 'unsubscribe');
    expect(reply.arg).toEqual({ channel: 'books', instId: BTC });
    const before = client.received.length;
    sim.market.stepOkx(5, [BTC]);
    // Keep it alive with pings for longer than the idle timeout.
    for (let i = 0; i < 4; i++) {
      client.send('ping');
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    const texts = client.received.slice(before).map((r) => r.text);
    expect(texts.filter((t) => t === 'pong')).toHaveLength(4);
    expect(texts.filter((t) => t !== 'pong')).toEqual([]);
    expect(await client.closed).toBe(4004);
  });

  it('keeps a connection that receives data open past the idle timeout, though the client sends nothing', async () => {
    const sim = await simulator({ okx: { idleTimeoutMs: 300 } });
    const client = await connect(`${sim.okx.wsUrl}/ws/v5/public`);
    client.send(subscribe(BTC));
    await client.next<OkxPush>(isPush('books', BTC));
    for (let i = 0; i < 10; i++) {
      sim.market.stepOkx(1, [BTC]);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(sim.connections('okx')).toHaveLength(1);
    // Then nothing is pushed: closed after the idle timeout.
    expect(await client.closed).toBe(4004);
  });

  it('refuses other paths with 404', async () => {
    const sim = await simulator();
    const client = connectLater(`${sim.okx.wsUrl}/ws/v5/private`);
    await expect(client.opened).rejects.toThrow('HTTP 404');
  });
});
