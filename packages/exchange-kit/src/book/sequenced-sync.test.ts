import { type CrossedBookError, RateLimitError, SequenceGapError, TimeoutError } from '@arbitrage/core';
import { describe, expect, it } from 'vitest';
import { depthEvent as ev, settle, snapshot, syncHarness } from '../test-support/sync-harness.js';
import { SnapshotSyncError } from './sync-errors.js';

const BIDS = [
  [100, 1],
  [99, 2],
] as [number, number][];
const ASKS = [
  [101, 1],
  [102, 2],
] as [number, number][];

describe('SequencedSync: the B5 procedure', () => {
  it('buffers, fetches one snapshot on the first event, drops u <= lastUpdateId, bridges and goes live', async () => {
    const h = syncHarness();
    h.sync.start();
    expect(h.sync.state).toBe('connecting');
    h.feed(ev(90, 95, [[100, 5]]));
    expect(h.fetches.length).toBe(1);
    h.feed(ev(96, 100, [[100, 6]]));
    // The straddling event: U <= lastUpdateId + 1 <= u (docs/faults.md 12).
    h.feed(ev(101, 104, [[99, 0]], [[101, 3]]));
    h.feed(ev(105, 106, [], [[103, 1]]));
    expect(h.fetches.length).toBe(1);
    expect(h.sync.phase).toBe('fetching');

    h.fetches[0]!.resolve(snapshot(102, BIDS, ASKS));
    await settle();
    expect(h.sync.phase).toBe('live');
    expect(h.lastState()).toBe('live');
    expect(h.counters.droppedStale).toBe(2);
    expect(h.counters.updates).toBe(3);
    expect(h.sync.updateId).toBe(106);
    expect(h.book.top('bid', 10)).toEqual([[100, 1]]);
    expect(h.book.top('ask', 10)).toEqual([
      [101, 3],
      [102, 2],
      [103, 1],
    ]);
    expect(h.applied.length).toBe(1);

    h.feed(ev(107, 107, [[100.5, 1]]));
    expect(h.book.bestPrice('bid')).toBe(100.5);
    expect(h.applied.length).toBe(2);
  });

  it('asks for the snapshot on the subscription ack: a quiet symbol is live with no event at all (3b)', async () => {
    const h = syncHarness();
    h.sync.start();
    expect(h.fetches.length).toBe(0);
    h.sync.subscribed();
    expect(h.fetches.length).toBe(1);
    h.fetches[0]!.resolve(snapshot(50, BIDS, ASKS));
    await settle();
    expect(h.lastState()).toBe('live');
    expect(h.sync.updateId).toBe(50);
    expect(h.applied).toEqual([0]);
    // The first event after it must continue it: an old one is dropped, a gap resyncs.
    h.feed(ev(40, 50));
    expect(h.counters.droppedStale).toBe(1);
    h.feed(ev(51, 53, [[100, 9]]));
    expect(h.book.bestSize('bid')).toBe(9);
    h.feed(ev(60, 61));
    expect(h.sync.state).toBe('resyncing');
    expect(h.counters.gaps).toBe(1);
  });

  it('takes the snapshot and the first event in either order (3b)', async () => {
    // Event first, then the ack: one snapshot only, bridged by the buffered event.
    const h = syncHarness();
    h.sync.start();
    h.feed(ev(48, 52, [[100, 4]]));
    h.sync.subscribed();
    expect(h.fetches.length).toBe(1);
    h.fetches[0]!.resolve(snapshot(50, BIDS, ASKS));
    await settle();
    expect(h.lastState()).toBe('live');
    expect(h.sync.updateId).toBe(52);
    expect(h.book.bestSize('bid')).toBe(4);
  });

  it('accepts a snapshot exactly one below the first U (an exact bridge), not refetching', async () => {
    const h = syncHarness();
    h.sync.start();
    h.feed(ev(101, 103, [[100, 7]]));
    h.fetches[0]!.resolve(snapshot(100, BIDS, ASKS));
    await settle();
    expect(h.sync.phase).toBe('live');
    expect(h.fetches.length).toBe(1);
    expect(h.book.bestSize('bid')).toBe(7);
  });

  it('refetches a snapshot older than the first buffered event, with backoff (docs/faults.md 10)', async () => {
    const h = syncHarness();
    h.sync.start();
    h.feed(ev(200, 205));
    h.fetches[0]!.resolve(snapshot(150, BIDS, ASKS));
    await settle();
    expect(h.sync.phase).toBe('retrying');
    expect(h.sync.stats.snapshotsTooOld).toBe(1);
    expect(h.states.at(-1)?.reason).toMatch(/snapshot 150 is older than the first buffered event \(200\)/);
    expect(h.fetches.length).toBe(1);
    h.feed(ev(206, 210, [[100, 9]]));
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

  it('with a snapshot newer than every buffered event, waits for the bridging event before live (docs/faults.md 11)', async () => {
    const h = syncHarness();
    h.sync.start();
    h.feed(ev(10, 12));
    h.feed(ev(13, 15));
    h.fetches[0]!.resolve(snapshot(20, BIDS, ASKS));
    await settle();
    expect(h.sync.phase).toBe('bridging');
    expect(h.lastState()).toBe('connecting');
    expect(h.applied.length).toBe(0);
    h.feed(ev(16, 20, [[100, 50]]));
    expect(h.sync.phase).toBe('bridging');
    expect(h.counters.droppedStale).toBe(3);
    h.feed(ev(19, 22, [[100, 4]]));
    expect(h.sync.phase).toBe('live');
    expect(h.book.bestSize('bid')).toBe(4);
  });

  it('while bridging, an event past lastUpdateId + 1 is a gap: resync, never live', async () => {
    const h = syncHarness();
    h.sync.start();
    h.feed(ev(10, 12));
    h.fetches[0]!.resolve(snapshot(20, BIDS, ASKS));
    await settle();
    h.feed(ev(25, 26));
    expect(h.sync.phase).toBe('fetching');
    expect(h.counters.gaps).toBe(1);
    expect(h.states.some((s) => s.state === 'live')).toBe(false);
  });

  it('keeps events that arrive during a slow snapshot and replays those newer than it (docs/faults.md 13)', async () => {
    const h = syncHarness();
    h.sync.start();
    for (let i = 0; i < 5; i++) h.feed(ev(100 + i, 100 + i, [[100, i + 1]]));
    expect(h.sync.bufferedEvents).toBe(5);
    h.fetches[0]!.resolve(snapshot(101, BIDS, ASKS));
    await settle();
    expect(h.sync.phase).toBe('live');
    expect(h.counters.updates).toBe(4);
    expect(h.book.bestSize('bid')).toBe(5);
  });
});

describe('SequencedSync: continuity on every live delta', () => {
  async function live() {
    const h = syncHarness();
    h.sync.start();
    h.feed(ev(1, 10));
    h.fetches[0]!.resolve(snapshot(10, BIDS, ASKS));
    await settle();
    h.feed(ev(11, 12, [[100, 3]]));
    expect(h.sync.phase).toBe('live');
    h.log.length = 0;
    h.counters.droppedStale = 0;
    return h;
  }

  it('a gap marks the symbol resyncing synchronously, applies neither side, and refetches (docs/faults.md 7)', async () => {
    const h = await live();
    const version = h.book.version;
    h.feed(ev(14, 15, [[100, 999]], [[101, 999]]));
    // Said first, before anything else: state, then the error. Nothing applied or emitted.
    expect(h.log).toEqual(['state:resyncing', 'error:SEQUENCE_GAP']);
    expect(h.lastState()).toBe('resyncing');
    expect(h.states.at(-1)?.reason).toBe('gap: expected update id 13, got 14');
    const gap = h.errors.at(-1) as SequenceGapError;
    expect(gap).toBeInstanceOf(SequenceGapError);
    expect([gap.expected, gap.received]).toEqual([13, 14]);
    expect(h.book.version).toBeGreaterThan(version);
    expect(h.book.depth('bid') + h.book.depth('ask')).toBe(0);
    expect(h.counters.gaps).toBe(1);
    expect(h.counters.resyncs).toBe(1);
    expect(h.fetches.length).toBe(2);
    // The gapped event starts the new buffer, so the next snapshot can bridge it.
    h.feed(ev(16, 16, [[100, 4]]));
    h.fetches[1]!.resolve(snapshot(14, [[100, 1]], ASKS));
    await settle();
    expect(h.sync.phase).toBe('live');
    expect(h.book.bestSize('bid')).toBe(4);
    expect(h.sync.updateId).toBe(16);
  });

  it('ignores and counts duplicates and replays (u <= book id), without resync (docs/faults.md 8)', async () => {
    const h = await live();
    const version = h.book.version;
    h.feed(ev(11, 12, [[100, 777]]));
    h.feed(ev(5, 8, [[100, 888]]));
    expect(h.counters.droppedStale).toBe(2);
    expect(h.book.version).toBe(version);
    expect(h.book.bestSize('bid')).toBe(3);
    expect(h.log).toEqual([]);
    expect(h.sync.phase).toBe('live');
  });

  it('treats a reordered pair as a gap (docs/faults.md 9)', async () => {
    const h = await live();
    h.feed(ev(15, 16, [[100, 16]]));
    h.feed(ev(13, 14, [[100, 14]]));
    expect(h.counters.gaps).toBe(1);
    expect(h.lastState()).toBe('resyncing');
    expect(h.book.bestSize('bid')).toBeNaN();
  });

  it('applies an event overlapping the book id (U <= id < u), as B5 allows', async () => {
    const h = await live();
    h.feed(ev(12, 14, [[100, 5]]));
    expect(h.sync.updateId).toBe(14);
    expect(h.book.bestSize('bid')).toBe(5);
  });

  it('a crossed book after an update resyncs at once; crossed again right after the resync halts it (docs/faults.md 26)', async () => {
    const h = await live();
    h.feed(ev(13, 13, [[101.5, 1]]));
    expect(h.log).toEqual(['state:resyncing', 'error:BOOK_CROSSED']);
    expect((h.errors.at(-1) as CrossedBookError).bestBid).toBe(101.5);
    expect(h.counters.crossed).toBe(1);
    // The subscription is live: the snapshot is fetched at once, without waiting for an event.
    expect(h.sync.phase).toBe('fetching');
    expect(h.fetches.length).toBe(2);
    h.feed(ev(14, 14));
    h.fetches[1]!.resolve(snapshot(13, [[101.5, 1]], ASKS));
    await settle();
    expect(h.lastState()).toBe('failed');
    expect(h.sync.phase).toBe('halted');
    expect(h.errors.map((e) => e.code)).toContain('BOOK_HALTED');
    h.feed(ev(15, 15));
    expect(h.fetches.length).toBe(2);
    // Retry with backoff: a fresh snapshot after 1 s; still crossed → halted again, 1 s, then 2 s.
    h.clock.advance(999);
    expect(h.fetches.length).toBe(2);
    h.clock.advance(1);
    expect(h.lastState()).toBe('resyncing');
    expect(h.fetches.length).toBe(3);
    h.fetches[2]!.resolve(snapshot(15, [[101.5, 1]], ASKS));
    await settle();
    expect(h.sync.phase).toBe('halted');
    h.clock.advance(1_000);
    expect(h.fetches.length).toBe(4);
    h.fetches[3]!.resolve(snapshot(15, [[101.5, 1]], ASKS));
    await settle();
    h.clock.advance(1_999);
    expect(h.fetches.length).toBe(4);
    h.clock.advance(1);
    expect(h.fetches.length).toBe(5);
    // Uncrossed at last: live on the snapshot, and the next event continues it.
    h.fetches[4]!.resolve(snapshot(15, [[100, 1]], ASKS));
    await settle();
    expect(h.lastState()).toBe('live');
    h.feed(ev(16, 16, [[100, 2]]));
    expect(h.book.bestSize('bid')).toBe(2);
  });

  it('a crossed snapshot backs off from 1 s to 60 s: a 1.5 s glitch costs about 2 s, a lasting one one request a minute (3c)', async () => {
    const h = await live();
    h.feed(ev(13, 13, [[101.5, 1]]));
    const crossedUntil = h.clock.now() + 1_500;
    let liveAt = 0;
    for (let next = 1; liveAt === 0 && h.clock.now() < crossedUntil + 10_000; ) {
      const pending = h.fetches[next];
      if (pending === undefined) {
        h.clock.advance(100);
        continue;
      }
      next++;
      pending.resolve(snapshot(20, [[h.clock.now() < crossedUntil ? 101.5 : 100, 1]], ASKS));
      await settle();
      if (h.sync.state === 'live') liveAt = h.clock.now();
    }
    expect(liveAt - (crossedUntil - 1_500)).toBeGreaterThanOrEqual(1_500);
    expect(liveAt - (crossedUntil - 1_500)).toBeLessThanOrEqual(2_100);

    // A lasting glitch: the waits grow to 60 s and stay there.
    const g = await live();
    g.feed(ev(13, 13, [[101.5, 1]]));
    const waits: number[] = [];
    let last = g.clock.now();
    for (let i = 1; i <= 10; i++) {
      while (g.fetches.length <= i) g.clock.advance(500);
      waits.push(g.clock.now() - last);
      last = g.clock.now();
      g.fetches[i]!.resolve(snapshot(20, [[101.5, 1]], ASKS));
      await settle();
    }
    expect(waits.slice(0, 3)).toEqual([0, 1_000, 1_000]);
    expect(waits.slice(-2)).toEqual([60_000, 60_000]);
    expect(g.sync.stats.halts).toBe(10);
  });

  it('an invalid message for the symbol loses continuity: resync', async () => {
    const h = await live();
    h.sync.onInvalidEvent('bids[0] quantity -1 is out of range');
    expect(h.lastState()).toBe('resyncing');
    expect(h.states.at(-1)?.reason).toMatch(/invalid depth message/);
    expect(h.book.depth('bid')).toBe(0);
    expect(h.fetches.length).toBe(2);
    h.feed(ev(20, 21));
    expect(h.fetches.length).toBe(2);
  });

  it('compares 19-digit ids exactly (docs/faults.md 28)', async () => {
    const h = syncHarness();
    const base = 9_223_372_036_854_775_000n;
    h.sync.start();
    h.feed(ev(base + 1n, base + 3n, [[100, 2]]));
    h.fetches[0]!.resolve(snapshot(base + 2n, BIDS, ASKS));
    await settle();
    expect(h.sync.phase).toBe('live');
    expect(h.sync.updateId).toBe(base + 3n);
    h.feed(ev(base + 4n, base + 4n, [[100, 5]]));
    expect(h.book.bestSize('bid')).toBe(5);
    h.feed(ev(base + 4n, base + 4n, [[100, 6]]));
    expect(h.counters.droppedStale).toBe(1);
    // One id apart at 2^63: a float would not see this gap.
    h.feed(ev(base + 6n, base + 6n));
    expect(h.counters.gaps).toBe(1);
  });
});

describe('SequencedSync: snapshot failures', () => {
  it('429 then 418 with Retry-After: stale, and no fetch until Retry-After has passed (docs/faults.md 14)', async () => {
    const h = syncHarness();
    h.sync.start();
    h.feed(ev(1, 2));
    h.fetches[0]!.reject(new RateLimitError('binance', 429, 500, 'Binance answered 429'));
    await settle();
    expect(h.lastState()).toBe('stale');
    expect(h.states.at(-1)?.reason).toMatch(/rate limited by binance \(429\)/);
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
    h.feed(ev(3, 3));
    expect(h.lastState()).toBe('live');
  });

  it('a hanging snapshot times out and is retried (docs/faults.md 15)', async () => {
    const h = syncHarness({ snapshotTimeoutMs: 200 });
    h.sync.start();
    h.feed(ev(1, 2));
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
    h.feed(ev(100, 100));
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
    h.feed(ev(1, 1));
    h.feed(ev(5, 5));
    h.feed(ev(9, 9));
    h.sync.onInvalidEvent('bad');
    h.feed(ev(20, 20));
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
    for (let i = 1; i <= 5; i++) h.feed(ev(i, i));
    expect(h.sync.bufferedEvents).toBe(3);
    expect(h.sync.stats.bufferOverflows).toBe(2);
  });

  it('reset() abandons the snapshot: a late result never touches the book (docs/faults.md 21)', async () => {
    const h = syncHarness();
    h.sync.start();
    h.feed(ev(1, 2));
    const first = h.fetches[0]!;
    h.sync.reset();
    expect(first.signal.aborted).toBe(true);
    h.sync.start();
    h.feed(ev(50, 51));
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
    h.feed(ev(1, 2));
    h.fetches[0]!.reject(new Error('boom'));
    await settle();
    expect(h.clock.pendingTimers).toBe(1);
    h.sync.stop();
    expect(h.clock.pendingTimers).toBe(0);
  });
});
