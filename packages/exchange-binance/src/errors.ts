import { MarketDataError } from '@arbitrage/core';

/**
 * A symbol's book could not be brought in sync: no usable snapshot after several attempts
 * (too old for the buffered events, failing, or rate limited). The book is reported stale and
 * slow retries continue.
 */
export class SnapshotSyncError extends MarketDataError {
  constructor(
    readonly exchange: string,
    readonly symbol: string,
    readonly attempts: number,
    readonly lastProblem: string,
    options?: { cause?: unknown },
  ) {
    super(
      'SNAPSHOT_SYNC_FAILED',
      `${exchange} ${symbol}: no usable depth snapshot after ${attempts} attempts (${lastProblem}); the book is stale and retries continue`,
      options,
    );
  }
}

/** A SUBSCRIBE got an error reply or no reply in time; the symbols it carried are failed and retried. */
export class SubscriptionError extends MarketDataError {
  constructor(
    readonly exchange: string,
    readonly streams: readonly string[],
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      'SUBSCRIBE_FAILED',
      `${exchange} did not confirm SUBSCRIBE of ${streams.length} stream(s) (${streams.slice(0, 5).join(', ')}${streams.length > 5 ? ', …' : ''}): ${reason}; retrying with backoff`,
      options,
    );
  }
}

/** A symbol's book stayed crossed after a resync: it is halted (failed) and retried slowly. */
export class BookHaltedError extends MarketDataError {
  constructor(
    readonly exchange: string,
    readonly symbol: string,
    readonly crossings: number,
  ) {
    super(
      'BOOK_HALTED',
      `${exchange} ${symbol}: the book was crossed ${crossings} times in a row, including right after a resync; it is halted and will be retried later`,
    );
  }
}
