import { BookEvent } from '@arbitrage/exchange-kit';
import { describe, expect, it } from 'vitest';
import { okxContinuity } from './continuity.js';

function update(prevSeqId: number, seqId: number, ts = 0): BookEvent {
  const event = new BookEvent(1);
  event.firstId = prevSeqId;
  event.finalId = seqId;
  event.eventTime = ts;
  return event;
}

describe('okxContinuity (docs/protocols/okx.md E6, E7)', () => {
  it('after an update: only the exact link continues', () => {
    expect(okxContinuity(100, update(100, 105), 'event', 0)).toBe('next');
    expect(okxContinuity(100, update(100, 100), 'event', 0)).toBe('next'); // no change
    expect(okxContinuity(100, update(100, 3), 'event', 0)).toBe('next'); // reset
    expect(okxContinuity(100, update(101, 105), 'event', 0)).toBe('gap');
    expect(okxContinuity(100, update(95, 100), 'event', 0)).toBe('gap');
    expect(okxContinuity(100, update(3, 8), 'event', 0)).toBe('gap'); // a reset that was missed
  });

  it('against a snapshot: old at or below it, straddling continues, past it is a gap', () => {
    expect(okxContinuity(100, update(90, 95), 'snapshot', 0)).toBe('old');
    expect(okxContinuity(100, update(95, 100), 'snapshot', 0)).toBe('old');
    expect(okxContinuity(100, update(100, 104), 'snapshot', 0)).toBe('next');
    expect(okxContinuity(100, update(98, 104), 'snapshot', 0)).toBe('next');
    expect(okxContinuity(100, update(101, 104), 'snapshot', 0)).toBe('gap');
    expect(okxContinuity(100, update(90, 2), 'snapshot', 0)).toBe('gap'); // a reset not linked to it
  });

  it('against a snapshot: an update numbered below it but stamped later is a missed reset, a gap', () => {
    const snapshotTs = 1_700_000_000_000;
    expect(okxContinuity(100, update(3, 8, snapshotTs + 5), 'snapshot', snapshotTs)).toBe('gap');
    expect(okxContinuity(100, update(90, 95, snapshotTs), 'snapshot', snapshotTs)).toBe('old');
    expect(okxContinuity(100, update(90, 95, snapshotTs - 20), 'snapshot', snapshotTs)).toBe('old');
    // A snapshot without a time keeps the id-only rule.
    expect(okxContinuity(100, update(3, 8, snapshotTs + 5), 'snapshot', 0)).toBe('old');
  });

  it('after an update: a duplicate or replay (not stamped later than the book) is old, not a gap', () => {
    const bookTs = 1_700_000_000_000;
    expect(okxContinuity(100, update(95, 100, bookTs), 'event', bookTs)).toBe('old'); // the same push again
    expect(okxContinuity(100, update(90, 95, bookTs - 100), 'event', bookTs)).toBe('old'); // an older one replayed
    expect(okxContinuity(100, update(3, 8, bookTs + 5), 'event', bookTs)).toBe('gap'); // a missed reset
  });

  it('compares ids above 2^53 exactly', () => {
    const big = 2n ** 60n;
    const event = new BookEvent(1);
    event.firstId = big;
    event.finalId = big + 5n;
    expect(okxContinuity(big, event, 'event', 0)).toBe('next');
    expect(okxContinuity(big + 1n, event, 'event', 0)).toBe('gap');
  });
});
