import { CrossedBookError, SequenceGapError } from '@arbitrage/core';
import { sleep, waitFor } from '@arbitrage/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { bookPush, lv } from '../test/support/okx-server.js';
import { type StreamHarness, streamHarness } from '../test/support/stream-harness.js';

let h: StreamHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const BTC = 'BTC-USDT';
const SNAPSHOT = { seqId: 100, bids: [lv(100, 1), lv(99, 2)], asks: [lv(101, 1), lv(102, 3)] };

/** Live at seqId 100 from the REST snapshot, no update yet. */
async function liveAt100(): Promise<StreamHarness> {
  const harness = await streamHarness(['BTC/USDT']);
  harness.server.books.set(BTC, SNAPSHOT);
  await harness.stream.start();
  await harness.live();
  return harness;
}

describe('OKX books: the book from the REST snapshot (docs/protocols/okx.md E6)', () => {
  it('without a snapshot push: buffers, drops updates at or below the snapshot, bridges the straddling one', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    h = await streamHarness(['BTC/USDT'], {
      server: {
        rest: async (path, query) => {
          await gate;
          return h!.server.defaultRest(path, query);
        },
      },
    });
    h.server.books.set(BTC, SNAPSHOT);
    await h.stream.start();
    await waitFor(() => h!.server.restRequests.length === 1, 'the snapshot request (sent on the ack)');
    h.server.push(bookPush(BTC, 'update', 90, 95, [lv(99, 5)]));
    h.server.push(bookPush(BTC, 'update', 95, 98, [lv(98, 1)]));
    h.server.push(bookPush(BTC, 'update', 98, 103, [lv(100, 0)], [lv(101, 4)]));
    h.server.push(bookPush(BTC, 'update', 103, 107, [], [lv(103, 1)]));
    await h.received(5);
    expect(h.stream.status('BTC/USDT')?.state).toBe('connecting');
    release();
    await h.live();
    const live = h.stream.book('BTC/USDT')!;
    expect(live.sequence).toBe(107);
    expect(live.book.top('bid', 10)).toEqual([[99, 2]]);
    expect(live.book.top('ask', 10)).toEqual([
      [101, 4],
      [102, 3],
      [103, 1],
    ]);
    expect(h.stream.counters('BTC/USDT')?.droppedStale).toBe(2);

    h.server.push(bookPush(BTC, 'update', 107, 110, [lv(100.5, 1)]));
    await waitFor(() => h!.stream.book('BTC/USDT')?.sequence === 110, 'live update');
    expect(h.stream.book('BTC/USDT')!.book.bestPrice('bid')).toBe(100.5);
    expect(h.errors).toEqual([]);
  });

  it('with the snapshot push after the ack: the book comes from it, with no REST request at all', async () => {
    h = await streamHarness(['BTC/USDT', 'ETH/USDT'], {
      server: {
        afterAck: (connection, instId) =>
          connection.send(bookPush(instId, 'snapshot', -1, 100, [lv(100, 1), lv(99, 2)], [lv(101, 1)])),
      },
    });
    await h.stream.start();
    await h.live();
    expect(h.stream.stats.snapshotPushes).toBe(2);
    expect(h.stream.book('BTC/USDT')?.sequence).toBe(100);
    h.server.push(bookPush(BTC, 'update', 100, 104, [lv(99.5, 7)]));
    await waitFor(() => h!.stream.book('BTC/USDT')?.sequence === 104, 'update after the push');
    expect(h.stream.book('BTC/USDT')!.book.top('bid', 10)).toEqual([
      [100, 1],
      [99.5, 7],
      [99, 2],
    ]);
    await sleep(100);
    expect(h.server.restRequests.length).toBe(0);
    expect(h.errors).toEqual([]);
  });

  it('a snapshot push mid-stream replaces the book and the stream goes on from it, with no resync', async () => {
    h = await liveAt100();
    h.server.push(bookPush(BTC, 'update', 100, 101, [lv(99, 3)]));
    await waitFor(() => h!.stream.book('BTC/USDT')?.sequence === 101, 'linked update');
    const states: string[] = [];
    h.stream.onStateChange((change) => states.push(change.state));
    h.server.push(bookPush(BTC, 'snapshot', -1, 150, [lv(98, 4)], [lv(103, 2)]));
    h.server.push(bookPush(BTC, 'update', 150, 151, [lv(97, 1)]));
    await waitFor(() => h!.stream.book('BTC/USDT')?.sequence === 151, 'update after the push');
    expect(h.stream.book('BTC/USDT')!.book.top('bid', 10)).toEqual([
      [98, 4],
      [97, 1],
    ]);
    expect(h.stream.book('BTC/USDT')!.book.top('ask', 10)).toEqual([[103, 2]]);
    expect(states).toEqual([]);
    expect(h.stream.counters('BTC/USDT')?.gaps).toBe(0);
    expect(h.server.restRequests.length).toBe(1);
  });

  it('a REST snapshot older than the first buffered update is fetched again (E6 step 3)', async () => {
    let calls = 0;
    h = await streamHarness(['BTC/USDT'], {
      server: {
        rest: async (path, query) => {
          calls++;
          if (calls === 1) {
            await sleep(50);
            return { body: { code: '0', msg: '', data: [{ ...SNAPSHOT, seqId: 80, ts: '1' }] } };
          }
          return h!.server.defaultRest(path, query);
        },
      },
    });
    h.server.books.set(BTC, SNAPSHOT);
    await h.stream.start();
    await waitFor(() => calls === 1, 'first snapshot request');
    h.server.push(bookPush(BTC, 'update', 90, 104, [lv(99, 3)]));
    await h.live();
    expect(calls).toBe(2);
    expect(h.stream.book('BTC/USDT')?.sequence).toBe(104);
  });
});

describe('OKX books: the link rule (E7)', () => {
  it('an update with no change and seqId == prevSeqId is not a gap', async () => {
    h = await liveAt100();
    h.server.push(bookPush(BTC, 'update', 100, 100));
    h.server.push(bookPush(BTC, 'update', 100, 102, [lv(100, 9)]));
    await waitFor(() => h!.stream.book('BTC/USDT')?.sequence === 102, 'update after the empty one');
    expect(h.stream.counters('BTC/USDT')?.gaps).toBe(0);
    expect(h.stream.book('BTC/USDT')!.book.bestPrice('bid')).toBe(100);
    expect(h.server.restRequests.length).toBe(1);
  });

  it('a sequence reset on a linked update (seqId < prevSeqId) is followed', async () => {
    h = await liveAt100();
    h.server.push(bookPush(BTC, 'update', 100, 3, [lv(100, 4)]));
    h.server.push(bookPush(BTC, 'update', 3, 8, [], [lv(101, 2)]));
    await waitFor(() => h!.stream.book('BTC/USDT')?.sequence === 8, 'updates after the reset');
    expect(h.stream.status('BTC/USDT')?.state).toBe('live');
    expect(h.stream.counters('BTC/USDT')?.gaps).toBe(0);
    expect(h.stream.book('BTC/USDT')!.book.top('ask', 1)).toEqual([[101, 2]]);
  });

  it('a broken link resyncs from REST; a missed reset is a gap, not an old update forever', async () => {
    h = await liveAt100();
    h.server.push(bookPush(BTC, 'update', 100, 101, [lv(99, 3)]));
    await waitFor(() => h!.stream.book('BTC/USDT')?.sequence === 101, 'linked update');
    const states: string[] = [];
    h.stream.onStateChange((change) => states.push(change.state));
    const resetAt = Date.now() + 1_000;
    // The book after the reset holds the reset update: it is stamped no earlier.
    h.server.books.set(BTC, { ...SNAPSHOT, seqId: 9, bids: [lv(98, 1)], ts: resetAt });
    // After a reset the client never saw: lower ids that do not link, stamped later.
    h.server.push(bookPush(BTC, 'update', 5, 9, [lv(97, 1)], [], resetAt));
    await waitFor(() => h!.server.restRequests.length === 2, 'resync snapshot');
    h.server.push(bookPush(BTC, 'update', 9, 12, [lv(97.5, 1)]));
    await waitFor(() => h!.stream.book('BTC/USDT')?.sequence === 12, 'live after the resync');
    expect(states).toEqual(['resyncing', 'live']);
    expect(h.stream.counters('BTC/USDT')?.gaps).toBe(1);
    expect(h.errors.some((e) => e instanceof SequenceGapError)).toBe(true);
    expect(h.stream.book('BTC/USDT')!.book.top('bid', 10)).toEqual([
      [98, 1],
      [97.5, 1],
    ]);
  });

  it('a reset missed right after the snapshot is a gap (the update is stamped after the snapshot), not old', async () => {
    h = await liveAt100();
    const resetAt = Date.now() + 1_000;
    h.server.books.set(BTC, { ...SNAPSHOT, seqId: 9, bids: [lv(98, 1)], ts: resetAt });
    // Numbered below the snapshot's 100, but stamped after it: the sequence restarted unseen.
    h.server.push(bookPush(BTC, 'update', 5, 9, [lv(97, 1)], [], resetAt));
    await waitFor(() => h!.server.restRequests.length === 2, 'resync snapshot');
    h.server.push(bookPush(BTC, 'update', 9, 12, [lv(97.5, 1)]));
    await waitFor(() => h!.stream.book('BTC/USDT')?.sequence === 12, 'live after the resync');
    expect(h.stream.counters('BTC/USDT')?.gaps).toBe(1);
    // Only the reset update itself, already in the new snapshot (seqId 9), is dropped as old.
    expect(h.stream.counters('BTC/USDT')?.droppedStale).toBe(1);
    expect(h.stream.book('BTC/USDT')!.book.top('bid', 10)).toEqual([
      [98, 1],
      [97.5, 1],
    ]);
  });

  it('a crossed book is resynced as the kit does, and reported', async () => {
    h = await liveAt100();
    h.server.books.set(BTC, { ...SNAPSHOT, seqId: 120 });
    h.server.push(bookPush(BTC, 'update', 100, 110, [lv(105, 1)]));
    await waitFor(() => h!.errors.some((e) => e instanceof CrossedBookError), 'crossed error');
    expect(h.stream.counters('BTC/USDT')?.crossed).toBe(1);
    await h.live();
    expect(h.stream.book('BTC/USDT')!.book.bestPrice('bid')).toBe(100);
    expect(h.stream.book('BTC/USDT')!.sequence).toBe(120);
  });
});
