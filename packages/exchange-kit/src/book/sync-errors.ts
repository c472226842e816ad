import { MarketDataError } from '@arbitrage/core';

/**
 * A book could not be brought in sync: no usable snapshot after several attempts (too old for the
 * buffered events, failing, or rate limited). The book is reported stale and slow retries continue.
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

/** A book stayed crossed after a resync: it is halted (failed) and retried with backoff. */
export class BookHaltedError extends MarketDataError {
  constructor(
    readonly exchange: string,
    readonly symbol: string,
    readonly crossings: number,
    readonly retryInMs: number,
  ) {
    super(
      'BOOK_HALTED',
      `${exchange} ${symbol}: the book was crossed ${crossings} times in a row, including right after a resync; it is halted and a fresh snapshot is tried in ${retryInMs} ms`,
    );
  }
}
