import { type CrossedBookError, RateLimitError, SequenceGapError, TimeoutError } from '@arbitrage/core';
import { describe, expect, it } from 'vitest';
import { SnapshotSyncError } from './errors.js';
import { depthEvent as ev, settle, snapshot, syncHarness } from './test-support/sync-harness.js';

const BIDS = [
  [100, 1],
  [99, 2],
] as [number, number][];
const ASKS = [
  [101, 1],
  [102, 2],
] as [number, number][];

describe('DiffDepthSync: the B5 procedure', () => {
  it('buffers, fetches one snapshot on the first event, drops u <= lastUpdateId, bridges and goes live', async () => {
    const h = syncHarness();
    h.sync.start();
    expect(h.sync.state).toBe('connecting');
    h.sync.onEvent(ev(90, 95, [[100, 5]]));
    expect(h.fetches.length).toBe(1);
    h.sync.onEvent(ev(96, 100, [[100, 6]]));
    // The straddling event: U <= lastUpdateId + 1 <= u (faults.md 12).
    h.sync.onEvent(ev(101, 104, [[99, 0]], [[101, 3]]));
    h.sync.onEvent(ev(105, 106, [], [[103, 1]]));
    expect(h.fetches.length).toBe(1);
    expect(h.sync.phase).toBe('fetching');

    h.fetches[0]!.resolve(snapshot(102, BIDS, ASKS));
    await settle();
    expect(h.sync.phase).toBe('live');
    expect(h.lastState()).toBe('live');
    expect(h.counters.droppedStale).toBe(2);
    expect(h.counters.updates).toBe(2);
    expect(h.sync.updateId).toBe(106);
    expect(h.book.top('bid', 10)).toEqual([[100, 1]]);
    expect(h.book.top('ask', 10)).toEqual([
      [101, 3],
      [102, 2],
      [103, 1],
    ]);
    expect(h.applied.length).toBe(1);

    h.sync.onEvent(ev(107, 107, [[100.5, 1]]));
    expect(h.book.bestPrice('bid')).toBe(100.5);
    expect(h.applied.length).toBe(2);
  });

  it('accepts a snapshot exactly one below the first U (an exact bridge), not refetching', async () => {
    const h = syncHarness();
    h.sync.start();
    h.sync.onEvent(ev(101, 103, [[100, 7]]));
    h.fetches[0]!.resolve(snapshot(100, BIDS, ASKS));
    await settle();
    expect(h.sync.phase).toBe('live');
    expect(h.fetches.length).toBe(1);
    expect(h.book.bestSize('bid')).toBe(7);
  });

  it('refetches a snapshot older than the first buffered event, with backoff (faults.md 10)', async () => {
    const h = syncHarness();
    h.sync.start();
    h.sync.onEvent(ev(200, 205));
    h.fetches[0]!.resolve(snapshot(150, BIDS, ASKS));
    await settle();
    expect(h.sync.phase).toBe('retrying');
    expect(h.sync.stats.snapshotsTooOld).toBe(1);
    expect(h.states.at(-1)?.reason).toMatch(/lastUpdateId 150 is older than the first buffered event U=200/);
    expect(h.fetches.length).toBe(1);
    h.sync.onEvent(ev(206, 210, [[100, 9]]));
    h.clock.advance(99);
    expect(h.fetches.length).toBe(1);
    h.clock.advance(1);
    expect(h.fetches.length).toBe(2);
    h.fetches[1]!.resolve(snapshot(207, BIDS, ASKS));
    await settle();
    expect(h.sync.phase).toBe('live');
    expect(h.sync.updateId).toBe(210);
    expect(h.book.bestSize('bid')).toBe(9);
  });

  it('with a snapshot newer than every buffered event, waits for the bridging event before live (faults.md 11)', async () => {
    const h = syncHarness();
    h.sync.start();
    h.sync.onEvent(ev(10, 12));
    h.sync.onEvent(ev(13, 15));
    h.fetches[0]!.resolve(snapshot(20, BIDS, ASKS));
    await settle();
    expect(h.sync.phase).toBe('bridging');
    expect(h.lastState()).toBe('connecting');
    expect(h.applied.length).toBe(0);
    h.sync.onEvent(ev(16, 20, [[100, 50]]));
    expect(h.sync.phase).toBe('bridging');
    expect(h.counters.droppedStale).toBe(3);
    h.sync.onEvent(ev(19, 22, [[100, 4]]));
    expect(h.sync.phase).toBe('live');
    expect(h.book.bestSize('bid')).toBe(4);
  });

  it('while bridging, an event past lastUpdateId + 1 is a gap: resync, never live', async () => {
    const h = syncHarness();
    h.sync.start();
    h.sync.onEvent(ev(10, 12));
    h.fetches[0]!.resolve(snapshot(20, BIDS, ASKS));
    await settle();
    h.sync.onEvent(ev(25, 26));
    expect(h.sync.phase).toBe('fetching');
    expect(h.counters.gaps).toBe(1);
    expect(h.states.some((s) => s.state === 'live')).toBe(false);
  });

  it('keeps events that arrive during a slow snapshot and replays those newer than it (faults.md 13)', async () => {
    const h = syncHarness();
    h.sync.start();
    for (let i = 0; i < 5; i++) h.sync.onEvent(ev(100 + i, 100 + i, [[100, i + 1]]));
    expect(h.sync.bufferedEvents).toBe(5);
    h.fetches[0]!.resolve(snapshot(101, BIDS, ASKS));
    await settle();
    expect(h.sync.phase).toBe('live');
    expect(h.counters.updates).toBe(3);
    expect(h.book.bestSize('bid')).toBe(5);
  });
});

describe('DiffDepthSync: continuity on every live delta', () => {
  async function live() {
    const h = syncHarness();
    h.sync.start();
    h.sync.onEvent(ev(1, 10));
    h.fetches[0]!.resolve(snapshot(10, BIDS, ASKS));
    await settle();
    h.sync.onEvent(ev(11, 12, [[100, 3]]));
    expect(h.sync.phase).toBe('live');
    h.log.length = 0;
    h.counters.droppedStale = 0;
    return h;
  }

  it('a gap marks the symbol resyncing synchronously, applies neither side, and refetches (faults.md 7)', async () => {
    const h = await live();
    const version = h.book.version;
    h.sync.onEvent(ev(14, 15, [[100, 999]], [[101, 999]]));
    // Said first, before anything else: state, then the error. Nothing applied or emitted.
    expect(h.log).toEqual(['state:resyncing', 'error:SEQUENCE_GAP']);
    expect(h.lastState()).toBe('resyncing');
    expect(h.states.at(-1)?.reason).toBe('gap: expected update id 13, got U=14');
    const gap = h.errors.at(-1) as SequenceGapError;
    expect(gap).toBeInstanceOf(SequenceGapError);
    expect([gap.expected, gap.received]).toEqual([13, 14]);
    expect(h.book.version).toBeGreaterThan(version);
    expect(h.book.depth('bid') + h.book.depth('ask')).toBe(0);
    expect(h.counters.gaps).toBe(1);
    expect(h.counters.resyncs).toBe(1);
    expect(h.fetches.length).toBe(2);
    // The gapped event starts the new buffer, so the next snapshot can bridge it.
    h.sync.onEvent(ev(16, 16, [[100, 4]]));
    h.fetches[1]!.resolve(snapshot(14, [[100, 1]], ASKS));
    await settle();
    expect(h.sync.phase).toBe('live');
    expect(h.book.bestSize('bid')).toBe(4);
    expect(h.sync.updateId).toBe(16);
  });

  it('ignores and counts duplicates and replays (u <= book id), without resync (faults.md 8)', async () => {
    const h = await live();
    const version = h.book.version;
    h.sync.onEvent(ev(11, 12, [[100, 777]]));
    h.sync.onEvent(ev(5, 8, [[100, 888]]));
    expect(h.counters.droppedStale).toBe(2);
    expect(h.book.version).toBe(version);
    expect(h.book.bestSize('bid')).toBe(3);
    expect(h.log).toEqual([]);
    expect(h.sync.phase).toBe('live');
  });

  it('treats a reordered pair as a gap (faults.md 9)', async () => {
    const h = await live();
    h.sync.onEvent(ev(15, 16, [[100, 16]]));
    h.sync.onEvent(ev(13, 14, [[100, 14]]));
    expect(h.counters.gaps).toBe(1);
    expect(h.lastState()).toBe('resyncing');
    expect(h.book.bestSize('bid')).toBeNaN();
  });

  it('applies an event overlapping the book id (U <= id < u), as B5 allows', async () => {
    const h = await live();
    h.sync.onEvent(ev(12, 14, [[100, 5]]));
    expect(h.sync.updateId).toBe(14);
    expect(h.book.bestSize('bid')).toBe(5);
  });

  it('a crossed book after an update resyncs at once; crossed again right after the resync halts it (faults.md 26)', async () => {
    const h = await live();
    h.sync.onEvent(ev(13, 13, [[101.5, 1]]));
    expect(h.log).toEqual(['state:resyncing', 'error:BOOK_CROSSED']);
    expect((h.errors.at(-1) as CrossedBookError).bestBid).toBe(101.5);
    expect(h.counters.crossed).toBe(1);
    // The subscription is live: the snapshot is fetched at once, without waiting for an event.
    expect(h.sync.phase).toBe('fetching');
    expect(h.fetches.length).toBe(2);
    h.sync.onEvent(ev(14, 14));
    h.fetches[1]!.resolve(snapshot(13, [[101.5, 1]], ASKS));
    await settle();
    expect(h.lastState()).toBe('failed');
    expect(h.sync.phase).toBe('halted');
    expect(h.errors.map((e) => e.code)).toContain('BOOK_HALTED');
    h.sync.onEvent(ev(15, 15));
    expect(h.fetches.length).toBe(2);
    // Slow retry: a new snapshot after haltRetryMs; still crossed → halted again.
    h.clock.advance(60_000);
    expect(h.lastState()).toBe('resyncing');
    expect(h.fetches.length).toBe(3);
    h.fetches[2]!.resolve(snapshot(15, [[100, 1]], ASKS));
    await settle();
    expect(h.sync.phase).toBe('bridging');
    h.sync.onEvent(ev(16, 16));
    expect(h.lastState()).toBe('live');
  });

  it('an invalid message for the symbol loses continuity: resync', async () => {
    const h = await live();
    h.sync.onInvalidEvent('bids[0] quantity -1 is out of range');
    expect(h.lastState()).toBe('resyncing');
    expect(h.states.at(-1)?.reason).toMatch(/invalid depth message/);
    expect(h.book.depth('bid')).toBe(0);
    expect(h.fetches.length).toBe(2);
    h.sync.onEvent(ev(20, 21));
    expect(h.fetches.length).toBe(2);
  });

  it('compares 19-digit ids exactly (faults.md 28)', async () => {
    const h = syncHarness();
    const base = 9_223_372_036_854_775_000n;
    h.sync.start();
    h.sync.onEvent(ev(base + 1n, base + 3n, [[100, 2]]));
    h.fetches[0]!.resolve(snapshot(base + 2n, BIDS, ASKS));
    await settle();
    expect(h.sync.phase).toBe('live');
    expect(h.sync.updateId).toBe(base + 3n);
    h.sync.onEvent(ev(base + 4n, base + 4n, [[100, 5]]));
    expect(h.book.bestSize('bid')).toBe(5);
    h.sync.onEvent(ev(base + 4n, base + 4n, [[100, 6]]));
    expect(h.counters.droppedStale).toBe(1);
    // One id apart at 2^63: a float would not see this gap.
    h.sync.onEvent(ev(base + 6n, base + 6n));
    expect(h.counters.gaps).toBe(1);
  });
});

describe('DiffDepthSync: snapshot failures', () => {
  it('429 then 418 with Retry-After: stale, and no fetch until Retry-After has passed (faults.md 14)', async () => {
    const h = syncHarness();
    h.sync.start();
    h.sync.onEvent(ev(1, 2));
    h.fetches[0]!.reject(new RateLimitError('binance', 429, 500, 'Binance answered 429'));
    await settle();
    expect(h.lastState()).toBe('stale');
    expect(h.states.at(-1)?.reason).toMatch(/rate limited by Binance \(429\)/);
    h.clock.advance(499);
    expect(h.fetches.length).toBe(1);
    h.clock.advance(1);
    expect(h.fetches.length).toBe(2);
    h.fetches[1]!.reject(new RateLimitError('binance', 418, 120_000, 'Binance answered 418'));
    await settle();
    h.clock.advance(119_999);
    expect(h.fetches.length).toBe(2);
    h.clock.advance(1);
    expect(h.fetches.length).toBe(3);
    h.fetches[2]!.resolve(snapshot(2, BIDS, ASKS));
    await settle();
    h.sync.onEvent(ev(3, 3));
    expect(h.lastState()).toBe('live');
  });

  it('a hanging snapshot times out and is retried (faults.md 15)', async () => {
    const h = syncHarness({ snapshotTimeoutMs: 200 });
    h.sync.start();
    h.sync.onEvent(ev(1, 2));
    h.clock.advance(200);
    await settle();
    expect(h.fetches[0]!.signal.aborted).toBe(true);
    expect(h.errors[0]).toBeInstanceOf(TimeoutError);
    h.clock.advance(100);
    expect(h.fetches.length).toBe(2);
    // A late answer to the abandoned request is ignored.
    h.fetches[0]!.resolve(snapshot(1, BIDS, ASKS));
    await settle();
    expect(h.sync.phase).toBe('fetching');
    h.fetches[1]!.resolve(snapshot(1, BIDS, ASKS));
    await settle();
    expect(h.sync.phase).toBe('live');
  });

  it('after maxSnapshotAttempts: stale with an alarm, slow retries continue', async () => {
    const h = syncHarness({ maxSnapshotAttempts: 3 });
    h.sync.start();
    h.sync.onEvent(ev(100, 100));
    for (let attempt = 0; attempt < 5; attempt++) {
      h.fetches[attempt]!.resolve(snapshot(10, BIDS, ASKS));
      await settle();
      h.clock.advance(1_000);
    }
    expect(h.fetches.length).toBe(6);
    expect(h.lastState()).toBe('stale');
    const alarms = h.errors.filter((e) => e instanceof SnapshotSyncError);
    expect(alarms.length).toBe(1);
    expect(alarms[0]?.message).toMatch(/after 3 attempts/);
  });

  it('keeps at most one snapshot in flight, however many events or gaps arrive', async () => {
    const h = syncHarness();
    h.sync.start();
    h.sync.onEvent(ev(1, 1));
    h.sync.onEvent(ev(5, 5));
    h.sync.onEvent(ev(9, 9));
    h.sync.onInvalidEvent('bad');
    h.sync.onEvent(ev(20, 20));
    expect(h.fetches.length).toBe(1);
    expect(h.sync.snapshotInFlight).toBe(true);
    // The gaps inside the buffer left only the newest run.
    expect(h.sync.bufferedEvents).toBe(1);
    h.fetches[0]!.resolve(snapshot(19, BIDS, ASKS));
    await settle();
    expect(h.sync.phase).toBe('live');
  });

  it('bounds the buffer, dropping the oldest events', () => {
    const h = syncHarness({ maxBufferedEvents: 3 });
    h.sync.start();
    for (let i = 1; i <= 5; i++) h.sync.onEvent(ev(i, i));
    expect(h.sync.bufferedEvents).toBe(3);
    expect(h.sync.stats.bufferOverflows).toBe(2);
  });

  it('reset() abandons the snapshot: a late result never touches the book (faults.md 21)', async () => {
    const h = syncHarness();
    h.sync.start();
    h.sync.onEvent(ev(1, 2));
    const first = h.fetches[0]!;
    h.sync.reset();
    expect(first.signal.aborted).toBe(true);
    h.sync.start();
    h.sync.onEvent(ev(50, 51));
    first.resolve(snapshot(2, BIDS, ASKS));
    await settle();
    expect(h.sync.phase).toBe('fetching');
    expect(h.book.depth('bid')).toBe(0);
    h.fetches[1]!.resolve(snapshot(50, BIDS, ASKS));
    await settle();
    expect(h.sync.phase).toBe('live');
  });

  it('stop() leaves no timer behind', async () => {
    const h = syncHarness({ snapshotTimeoutMs: 1_000 });
    h.sync.start();
    h.sync.onEvent(ev(1, 2));
    h.fetches[0]!.reject(new Error('boom'));
    await settle();
    expect(h.clock.pendingTimers).toBe(1);
    h.sync.stop();
    expect(h.clock.pendingTimers).toBe(0);
  });
});
