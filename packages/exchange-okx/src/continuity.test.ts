import { BookEvent } from '@arbitrage/exchange-kit';
import { describe, expect, it } from 'vitest';
import { okxContinuity } from './continuity.js';

function update(prevSeqId: number, seqId: number): BookEvent {
  const event = new BookEvent(1);
  event.firstId = prevSeqId;
  event.finalId = seqId;
  return event;
}

describe('okxContinuity (docs/protocols/okx.md E6, E7)', () => {
  it('after an update: only the exact link continues', () => {
    expect(okxContinuity(100, update(100, 105), 'event')).toBe('next');
    expect(okxContinuity(100, update(100, 100), 'event')).toBe('next'); // no change
    expect(okxContinuity(100, update(100, 3), 'event')).toBe('next'); // reset
    expect(okxContinuity(100, update(101, 105), 'event')).toBe('gap');
    expect(okxContinuity(100, update(95, 100), 'event')).toBe('gap');
    expect(okxContinuity(100, update(3, 8), 'event')).toBe('gap'); // a reset that was missed
  });

  it('against a snapshot: old at or below it, straddling continues, past it is a gap', () => {
    expect(okxContinuity(100, update(90, 95), 'snapshot')).toBe('old');
    expect(okxContinuity(100, update(95, 100), 'snapshot')).toBe('old');
    expect(okxContinuity(100, update(100, 104), 'snapshot')).toBe('next');
    expect(okxContinuity(100, update(98, 104), 'snapshot')).toBe('next');
    expect(okxContinuity(100, update(101, 104), 'snapshot')).toBe('gap');
    expect(okxContinuity(100, update(90, 2), 'snapshot')).toBe('gap'); // a reset not linked to it
  });

  it('compares ids above 2^53 exactly', () => {
    const big = 2n ** 60n;
    const event = new BookEvent(1);
    event.firstId = big;
    event.finalId = big + 5n;
    expect(okxContinuity(big, event, 'event')).toBe('next');
    expect(okxContinuity(big + 1n, event, 'event')).toBe('gap');
  });
});
