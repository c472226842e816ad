import type { RecordedEntry } from './entry.js';
import type { ExchangeSource } from './exchange-source.js';

/**
 * Every exchange's entries merged by time (a k-way merge over a handful of exchanges: a linear scan
 * beats a heap). Equal times come in the manifest's exchange order, so a replay is deterministic.
 */
export class EntryCursor {
  constructor(private readonly sources: readonly ExchangeSource[]) {}

  /** The next entry, or undefined at the end. Throws RecordingError on bad data. */
  next(): RecordedEntry | undefined {
    let best: ExchangeSource | undefined;
    let bestT = Number.POSITIVE_INFINITY;
    for (const source of this.sources) {
      const head = source.head;
      if (head !== undefined && (best === undefined || head.t < bestT)) {
        best = source;
        bestT = head.t;
      }
    }
    if (best === undefined) return undefined;
    const entry = best.head;
    best.advance();
    return entry;
  }
}
