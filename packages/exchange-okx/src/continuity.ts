import type { ContinuityRule } from '@arbitrage/exchange-kit';

/**
 * OKX's link rule for `books` updates (docs/protocols/okx.md E6, E7); the event's `firstId` is its
 * `prevSeqId` and `finalId` its `seqId`.
 *
 * - An update whose prevSeqId is the book's seqId continues it (E6 step 6). That covers the update
 *   with no change (`seqId == prevSeqId`, E7) and the reset after maintenance (`seqId < prevSeqId`,
 *   E7): the book follows the new, lower sequence.
 * - After an applied update nothing else links: any other break is a gap (E7). An update that merely
 *   looks old (its seqId at or below the book's) is a gap too: after a reset the book missed, every
 *   later seqId is below the book's, and calling them old would leave the book stale for good.
 * - Against a REST snapshot's seqId (E6 steps 4–5): an update at or below it is old, unless it is
 *   stamped later than the snapshot: then the sequence restarted after the snapshot and the reset
 *   update was missed, a gap (else every later update would look old and the book stay stale). One
 *   that straddles it (`prevSeqId ≤ seqId of the snapshot < seqId`) continues it; a reset that does
 *   not link to it, or an update starting past it, is a gap.
 */
export const okxContinuity: ContinuityRule = (bookId, event, from, bookTime) => {
  const prevSeqId = event.firstId;
  const seqId = event.finalId;
  if (prevSeqId === bookId) return 'next';
  if (from === 'event' || seqId < prevSeqId) return 'gap';
  if (seqId <= bookId) return bookTime > 0 && event.eventTime > bookTime ? 'gap' : 'old';
  return prevSeqId < bookId ? 'next' : 'gap';
};
