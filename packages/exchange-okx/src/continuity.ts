import type { ContinuityRule } from '@arbitrage/exchange-kit';

/**
 * OKX's link rule for `books` updates (docs/protocols/okx.md E6, E7); the event's `firstId` is its
 * `prevSeqId`, `finalId` its `seqId` and `eventTime` its `ts`.
 *
 * - An update whose prevSeqId is the book's seqId continues it (E6 step 6). That covers the update
 *   with no change (`seqId == prevSeqId`, E7) and the reset after maintenance (`seqId < prevSeqId`,
 *   E7): the book follows the new, lower sequence.
 * - An unlinked update numbered at or below the book is either old (a duplicate, a replay, an update
 *   the snapshot already holds) or the first the client saw of a sequence that restarted after a
 *   reset it missed. Only the time tells them apart: stamped later than what the book is at, it is a
 *   reset (a gap: calling it old would leave the book stale for good); otherwise it is old. Without
 *   times, after an applied update it counts as a gap, after a snapshot as old (E6 step 4).
 * - Otherwise, after an applied update, anything else is a gap (E7). Against a REST snapshot (E6
 *   step 5) an update that straddles it (`prevSeqId ≤ snapshot seqId < seqId`) continues it; a reset
 *   that does not link, or an update starting past it, is a gap.
 */
export const okxContinuity: ContinuityRule = (bookId, event, from, bookTime) => {
  const prevSeqId = event.firstId;
  const seqId = event.finalId;
  if (prevSeqId === bookId) return 'next';
  if (seqId < prevSeqId) return 'gap';
  if (seqId <= bookId) {
    if (bookTime > 0) return event.eventTime > bookTime ? 'gap' : 'old';
    return from === 'snapshot' ? 'old' : 'gap';
  }
  if (from === 'event') return 'gap';
  return prevSeqId < bookId ? 'next' : 'gap';
};
