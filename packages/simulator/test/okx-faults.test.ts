import { ConfigError } from '@arbitrage/core';
import { waitFor } from '@arbitrage/test-support';
import { describe, expect, it } from 'vitest';
import { FaultProxy, MALFORMED_KINDS, parseFaultSpec } from '../src/index.js';
import { connect, connectLater, getJson, simulator } from './helpers.js';
import { isPush, type OkxEvent, OkxLocalBook, type OkxPush, type OkxRestBooks } from './okx-helpers.js';

const BTC = 'BTC-USDT';

async function subscribed(url: string, instId = BTC) {
  const client = await connect(`${url}/ws/v5/public`);
  client.send({ op: 'subscribe', args: [{ channel: 'books', instId }] });
  await client.next<OkxPush>(isPush('books', instId));
  return client;
}

function updates(messages: OkxPush[]) {
  return messages.filter((m) => m.action !== undefined && m.arg?.channel === 'books');
}

describe('faults: OKX', () => {
  it('skipUpdates drops books updates: the next prevSeqId does not link (a gap)', async () => {
    const sim = await simulator();
    const client = await subscribed(sim.okx.wsUrl);
    sim.faults.skipUpdates('okx', BTC, 2);
    sim.market.stepOkx(5, [BTC]);
    await waitFor(() => client.parsed<OkxPush>().at(-1)?.data?.[0]?.seqId === sim.market.okxBook(BTC).seqId);
    const pushes = updates(client.parsed<OkxPush>());
    expect(pushes).toHaveLength(4);
    const [snapshot, next] = [pushes[0]!.data[0]!, pushes[1]!.data[0]!];
    expect(next.prevSeqId).not.toBe(snapshot.seqId);
  });

  it('duplicates and reorders books updates, and can stop answering the text ping', async () => {
    const sim = await simulator();
    const client = await subscribed(sim.okx.wsUrl);
    sim.faults.duplicateMessages('okx', BTC, 1);
    sim.market.stepOkx(1, [BTC]);
    sim.faults.reorderMessages('okx', BTC);
    sim.market.stepOkx(2, [BTC]);
    await waitFor(() => updates(client.parsed<OkxPush>()).length === 5);
    const seqIds = updates(client.parsed<OkxPush>())
      .slice(1)
      .map((m) => [m.data[0]!.prevSeqId, m.data[0]!.seqId]);
    expect(seqIds[0]).toEqual(seqIds[1]);
    // Swapped: the second update arrives after the third.
    expect(seqIds[3]![0]).toBe(seqIds[0]![1]);
    expect(seqIds[2]![0]).toBe(seqIds[3]![1]);
    sim.faults.ignorePings('okx');
    client.send('ping');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(client.received.map((r) => r.text)).not.toContain('pong');
  });

  it('resetSequence: one linked push whose seqId is below its prevSeqId, then the stream and REST go on from it (E7)', async () => {
    const sim = await simulator();
    const client = await subscribed(sim.okx.wsUrl);
    const book = new OkxLocalBook();
    book.load(client.parsed<OkxPush>().find(isPush('books', BTC))!.data[0]!);
    sim.market.stepOkx(3, [BTC]);
    const before = sim.market.okxBook(BTC).seqId;
    sim.faults.resetSequence('okx', BTC);
    sim.market.stepOkx(3, [BTC]);
    const truth = sim.market.okxBook(BTC);
    expect(truth.seqId).toBeLessThan(before);
    await waitFor(() => client.parsed<OkxPush>().at(-1)?.data?.[0]?.seqId === truth.seqId);
    const pushes = updates(client.parsed<OkxPush>()).slice(1);
    for (const push of pushes) book.apply(push.data[0]!);
    const reset = pushes[3]!.data[0]!;
    expect(reset.prevSeqId).toBe(before);
    expect(reset.seqId).toBeLessThan(reset.prevSeqId!);
    expect(book.top('bids', 50)).toEqual(truth.bids.slice(0, 50));
    const { body } = await getJson<OkxRestBooks>(`${sim.okx.restUrl}/api/v5/market/books?instId=${BTC}&sz=1`);
    expect(body.data[0]!.seqId).toBe(truth.seqId);
    expect(() => sim.faults.resetSequence('binance', 'BTCUSDT')).toThrow(ConfigError);
  });

  it('resendSnapshot: a snapshot push mid-stream stands for one update; the next update links to it', async () => {
    const sim = await simulator();
    const client = await subscribed(sim.okx.wsUrl);
    const other = await connect(`${sim.okx.wsUrl}/ws/v5/public`);
    sim.market.stepOkx(2, [BTC]);
    expect(sim.faults.resendSnapshot('okx', BTC)).toBe(1);
    sim.market.stepOkx(2, [BTC]);
    const truth = sim.market.okxBook(BTC);
    await waitFor(() => client.parsed<OkxPush>().at(-1)?.data?.[0]?.seqId === truth.seqId);
    const pushes = updates(client.parsed<OkxPush>());
    expect(pushes.map((m) => m.action)).toEqual([
      'snapshot',
      'update',
      'update',
      'snapshot',
      'update',
      'update',
    ]);
    const resent = pushes[3]!.data[0]!;
    expect(resent.prevSeqId).toBe(-1);
    expect(resent.seqId).not.toBe(pushes[2]!.data[0]!.seqId);
    expect(pushes[4]!.data[0]!.prevSeqId).toBe(resent.seqId);
    const book = new OkxLocalBook();
    book.load(resent);
    for (const push of pushes.slice(4)) book.apply(push.data[0]!);
    expect(book.top('bids', 100)).toEqual(truth.bids.slice(0, 100));
    expect(other.received).toHaveLength(0);
  });

  it('serviceNotice sends the 64008 notice, then drops the connection', async () => {
    const sim = await simulator();
    const client = await subscribed(sim.okx.wsUrl);
    expect(sim.faults.serviceNotice('okx', 50)).toBe(1);
    const notice = await client.next<OkxEvent>((m) => m.event === 'notice');
    expect(notice.code).toBe('64008');
    expect(notice.connId).toMatch(/^[0-9a-f]{8}$/);
    expect(await client.closed).toBe(1006);
  });

  it('sends every malformed kind as an OKX frame, and crosses the next update', async () => {
    const sim = await simulator();
    const client = await subscribed(sim.okx.wsUrl);
    sim.faults.crossBook('okx', BTC);
    sim.market.stepOkx(1, [BTC]);
    const crossed = await client.next<OkxPush>((m) => m.action === 'update');
    const truthAsk = sim.market.okxBook(BTC, 1).asks[0]![0];
    expect(Number(crossed.data[0]!.bids[0]![0])).toBeGreaterThan(truthAsk);
    const before = client.received.length;
    const kinds = MALFORMED_KINDS.filter((kind) => kind !== 'invalid-utf8');
    for (const kind of kinds) expect(sim.faults.sendMalformed('okx', kind, { symbol: BTC })).toBe(1);
    await waitFor(() => client.received.length === before + kinds.length);
    const frames = client.received.slice(before).map((r) => r.text);
    expect(() => JSON.parse(frames[0]!)).toThrow();
    expect(frames[kinds.indexOf('unknown-event')]).toContain('"action":"mystery"');
    // A conforming client fails the connection on invalid UTF-8 in a text frame.
    client.ws.on('error', () => {});
    expect(sim.faults.sendMalformed('okx', 'invalid-utf8')).toBe(1);
    expect([1006, 1007]).toContain(await client.closed);
  });

  it('closes and refuses OKX connections; okx is accepted wherever an exchange is', async () => {
    const sim = await simulator();
    const client = await connect(`${sim.okx.wsUrl}/ws/v5/public`);
    expect(sim.faults.closeConnections('okx', 4000, { reason: 'bye' })).toBe(1);
    expect(await client.closed).toBe(4000);
    sim.faults.refuseConnections('okx', 10_000, { mode: 'http-503' });
    await expect(connectLater(`${sim.okx.wsUrl}/ws/v5/public`).opened).rejects.toThrow('HTTP 503');
    sim.faults.clear();
    const again = await subscribed(sim.okx.wsUrl);
    const stall = sim.faults.stallStream('okx', { symbol: BTC });
    const count = again.received.length;
    sim.market.stepOkx(3, [BTC]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(again.received).toHaveLength(count);
    stall.clear();
    sim.faults.moveBook('okx', BTC, 50);
    await again.next<OkxPush>((m) => m.action === 'update');
  });

  it('the FaultProxy works in front of OKX like any port (exchange-agnostic)', async () => {
    const sim = await simulator();
    const proxy = await FaultProxy.start(sim.okx.wsUrl);
    try {
      proxy.mode = 'slice';
      const client = await subscribed(proxy.url());
      sim.market.stepOkx(3, [BTC]);
      await waitFor(
        () => client.parsed<OkxPush>().at(-1)?.data?.[0]?.seqId === sim.market.okxBook(BTC).seqId,
      );
      expect(proxy.stats.downstreamWrites).toBeGreaterThan(100);
      proxy.reset();
      expect([1005, 1006]).toContain(await client.closed);
    } finally {
      await proxy.close();
    }
  });

  it('parses the OKX fault specs', () => {
    for (const spec of [
      'gap:okx:BTC-USDT:2',
      'seqreset:okx:BTC-USDT@30s',
      'snapshot:okx:ETH-USDT',
      'notice:okx:500',
      'refuse:okx:reset+2s',
      'malformed:okx:nan-string:BTC-USDT',
    ]) {
      expect(parseFaultSpec(spec).spec).toBe(spec);
    }
    expect(() => parseFaultSpec('seqreset:binance:BTCUSDT')).toThrow(ConfigError);
    expect(() => parseFaultSpec('notice:upbit')).toThrow(ConfigError);
  });

  it('runs scheduled OKX faults', async () => {
    const sim = await simulator({ faultSchedule: ['seqreset:okx:ETH-USDT'] });
    const before = sim.market.okxBook('ETH-USDT').seqId;
    await waitFor(() => sim.market.okxBook('ETH-USDT').seqId < before);
  });
});
