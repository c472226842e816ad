import { describe, expect, it } from 'vitest';
import { depthEvent as ev, settle, snapshot, syncHarness } from '../test-support/sync-harness.js';

const BIDS: [number, number][] = [
  [100, 1],
  [99, 2],
];
const ASKS: [number, number][] = [[101, 1]];
const T = 1_700_000_000_000;

describe('SequencedSync: a snapshot pushed on the stream (loadSnapshot)', () => {
  it('waits streamSnapshotWaitMs after the ack; a push in time means no fetch at all', () => {
    const h = syncHarness({ streamSnapshotWaitMs: 50 });
    h.sync.start();
    h.sync.subscribed();
    expect(h.sync.reason).toBe('subscribed; waiting for the snapshot push');
    h.clock.advance(10);
    expect(h.sync.loadSnapshot({ ...snapshot(50, BIDS, ASKS), exchangeTime: T }, 123)).toBe(true);
    expect(h.sync.phase).toBe('live');
    // Its exchange time is the event time of going live.
    expect(h.applied).toEqual([T]);
    h.clock.advance(100);
    expect(h.fetches.length).toBe(0);
    expect(h.sync.stats.streamSnapshots).toBe(1);
    expect(h.clock.pendingTimers).toBe(0);
  });

  it('without a push: fetches when the wait is over, or at the first event, whichever is first', async () => {
    const quiet = syncHarness({ streamSnapshotWaitMs: 50 });
    quiet.sync.start();
    quiet.sync.subscribed();
    quiet.clock.advance(49);
    expect(quiet.fetches.length).toBe(0);
    quiet.clock.advance(1);
    expect(quiet.fetches.length).toBe(1);

    const active = syncHarness({ streamSnapshotWaitMs: 50 });
    active.sync.start();
    active.sync.subscribed();
    active.feed(ev(48, 52, [[100, 4]]));
    expect(active.fetches.length).toBe(1);
    active.fetches[0]!.resolve(snapshot(50, BIDS, ASKS));
    await settle();
    expect(active.sync.phase).toBe('live');
    expect(active.sync.updateId).toBe(52);
    active.clock.advance(100);
    expect(active.fetches.length).toBe(1);
  });

  it('a push while the fetch is in flight abandons it and bridges the buffered events past it', async () => {
    const h = syncHarness();
    h.sync.start();
    h.sync.subscribed();
    expect(h.fetches.length).toBe(1);
    h.feed(ev(40, 45));
    h.feed(ev(45, 52, [[100, 7]]));
    expect(h.sync.loadSnapshot(snapshot(45, BIDS, ASKS))).toBe(true);
    expect(h.fetches[0]!.signal.aborted).toBe(true);
    expect(h.sync.phase).toBe('live');
    expect(h.sync.updateId).toBe(52);
    expect(h.book.bestSize('bid')).toBe(7);
    expect(h.counters.droppedStale).toBe(1);
    // The abandoned request's late answer changes nothing.
    h.fetches[0]!.resolve(snapshot(10, [[1, 1]], [[2, 1]]));
    await settle();
    expect(h.sync.updateId).toBe(52);
    expect(h.book.bestSize('bid')).toBe(7);
  });

  it('a push older than the first buffered event is not used; the fetch goes on', async () => {
    const h = syncHarness();
    h.sync.start();
    h.feed(ev(60, 62));
    expect(h.sync.loadSnapshot(snapshot(50, BIDS, ASKS))).toBe(false);
    expect(h.sync.stats.snapshotsTooOld).toBe(1);
    expect(h.fetches.length).toBe(1);
    expect(h.fetches[0]!.signal.aborted).toBe(false);
    h.fetches[0]!.resolve(snapshot(61, BIDS, ASKS));
    await settle();
    expect(h.sync.phase).toBe('live');
  });

  it('mid-stream: replaces the book and restarts the sequence from its id; an older one is dropped', async () => {
    const h = syncHarness();
    h.sync.start();
    h.sync.subscribed();
    h.fetches[0]!.resolve(snapshot(50, BIDS, ASKS));
    await settle();
    h.feed(ev(51, 55, [[100, 3]], [], T + 10));
    expect(h.sync.updateId).toBe(55);
    expect(h.sync.loadSnapshot({ ...snapshot(60, [[98, 1]], [[102, 1]]), exchangeTime: T + 20 })).toBe(true);
    expect(h.sync.phase).toBe('live');
    expect(h.book.top('bid', 5)).toEqual([[98, 1]]);
    expect(h.applied.at(-1)).toBe(T + 20);
    // The next update links to the pushed snapshot: no gap, no fetch.
    h.feed(ev(60, 61, [[97, 1]], [], T + 30));
    expect(h.sync.updateId).toBe(61);
    expect(h.counters.gaps).toBe(0);
    expect(h.fetches.length).toBe(1);
    // Numbered below the book and not stamped later: old (a replay), dropped.
    expect(h.sync.loadSnapshot({ ...snapshot(58, BIDS, ASKS), exchangeTime: T + 25 })).toBe(false);
    expect(h.counters.droppedStale).toBe(1);
    expect(h.book.top('bid', 5)).toEqual([
      [98, 1],
      [97, 1],
    ]);
    // Numbered below but stamped later: the sequence restarted, taken.
    expect(h.sync.loadSnapshot({ ...snapshot(3, BIDS, ASKS), exchangeTime: T + 40 })).toBe(true);
    expect(h.sync.updateId).toBe(3);
  });

  it('a crossed push resyncs like a crossed snapshot; ignored while idle', () => {
    const h = syncHarness();
    expect(h.sync.loadSnapshot(snapshot(5, BIDS, ASKS))).toBe(false);
    h.sync.start();
    expect(h.sync.loadSnapshot(snapshot(5, [[102, 1]], ASKS))).toBe(false);
    expect(h.counters.crossed).toBe(1);
    expect(h.fetches.length).toBe(1);
  });
});
