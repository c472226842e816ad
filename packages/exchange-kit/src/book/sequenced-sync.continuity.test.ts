import { describe, expect, it } from 'vitest';
import { depthEvent as ev, settle, snapshot, syncHarness } from '../test-support/sync-harness.js';
import type { BookIdSource, ContinuityRule } from './sequenced-sync.js';

const BIDS: [number, number][] = [[100, 1]];
const ASKS: [number, number][] = [[101, 1]];

/** An exact-link rule (firstId = the previous id), with an overlap allowed only after a snapshot. */
function linkRule(seen: BookIdSource[]): ContinuityRule {
  return (bookId, event, from) => {
    seen.push(from);
    if (event.firstId === bookId) return 'next';
    if (event.finalId <= bookId) return 'old';
    return from === 'snapshot' && event.firstId <= bookId ? 'next' : 'gap';
  };
}

describe('SequencedSync: the continuity rule is told where the book id came from', () => {
  it('"snapshot" for the first event after a snapshot, "event" once one was applied', async () => {
    const seen: BookIdSource[] = [];
    const h = syncHarness({ continuity: linkRule(seen) });
    h.sync.start();
    h.sync.subscribed();
    h.fetches[0]!.resolve(snapshot(10, BIDS, ASKS));
    await settle();
    expect(h.sync.phase).toBe('live');
    seen.length = 0;
    // Overlapping the snapshot (5 < 10 < 12): accepted right after it.
    h.feed(ev(5, 12, [[100, 2]]));
    expect(seen).toEqual(['snapshot']);
    expect(h.sync.updateId).toBe(12);
    // The same overlap after an event is a gap.
    h.feed(ev(11, 15));
    expect(seen).toEqual(['snapshot', 'event']);
    expect(h.counters.gaps).toBe(1);
    expect(h.sync.state).toBe('resyncing');
  });

  it('judges buffered events by "event" and the snapshot against the first of them by "snapshot"', async () => {
    const seen: BookIdSource[] = [];
    const h = syncHarness({ continuity: linkRule(seen) });
    h.sync.start();
    h.feed(ev(8, 12));
    h.feed(ev(12, 14));
    expect(seen).toEqual(['event']);
    h.fetches[0]!.resolve(snapshot(10, BIDS, ASKS));
    await settle();
    expect(seen).toEqual(['event', 'snapshot', 'snapshot', 'event']);
    expect(h.sync.phase).toBe('live');
    expect(h.sync.updateId).toBe(14);
  });
});
