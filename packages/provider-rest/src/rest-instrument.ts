import {
  type ArbitrageError,
  bookDefect,
  ConfigError,
  ExchangeApiError,
  emptyInstrumentCounters,
  type InstrumentCounters,
  type InstrumentHealth,
  type InstrumentState,
  instrumentHealth,
  isOlderUpdate,
  type OrderBookSnapshot,
  RateLimitError,
  type ResolvedInstrument,
  type TimerHandle,
  UnknownSymbolError,
} from '@arbitrage/core';

/** Errors that another request will not fix: the instrument is 'failed' until a snapshot arrives. */
function isPermanent(error: ArbitrageError): boolean {
  if (error instanceof ConfigError || error instanceof UnknownSymbolError) return true;
  return (
    error instanceof ExchangeApiError &&
    error.status !== undefined &&
    error.status >= 400 &&
    error.status < 500 &&
    error.status !== 429
  );
}

function describe(error: ArbitrageError): string {
  if (error instanceof RateLimitError) {
    return `rate limited by the exchange (${error.status}); no request for ${error.retryAfterMs} ms`;
  }
  return `${error.code}: ${error.message}`;
}

/** One polled instrument: its latest REST snapshot, state and counters. */
export class RestInstrument {
  snapshot: OrderBookSnapshot | undefined;
  state: InstrumentState = 'connecting';
  reason: string | undefined = 'not started';
  since: number;
  lastError: string | undefined;
  readonly counters: InstrumentCounters = emptyInstrumentCounters();
  staleTimer: TimerHandle | undefined;

  constructor(
    readonly instrument: ResolvedInstrument,
    now: number,
  ) {
    this.since = now;
  }

  /** Takes a snapshot unless it is older than the one held; returns whether it did. */
  accept(snapshot: OrderBookSnapshot, now: number): boolean {
    if (this.snapshot !== undefined && isOlderUpdate(snapshot, this.snapshot)) {
      this.counters.droppedStale++;
      return false;
    }
    const defect = bookDefect(snapshot);
    if (defect !== undefined) {
      // The exchange's current book is wrong: the last good one is no longer current either.
      if (defect.kind === 'crossed') this.counters.crossed++;
      else this.counters.invalidMessages++;
      this.setState('resyncing', `REST book rejected (${defect.detail}); waiting for a sound one`, now);
      return false;
    }
    this.snapshot = snapshot;
    this.lastError = undefined;
    this.counters.updates++;
    this.setState('live', undefined, now);
    return true;
  }

  /** Records a failed request; a permanent failure marks the instrument failed at once. */
  failed(error: ArbitrageError, now: number): void {
    this.lastError = describe(error);
    // A market the exchange never answered for is failed; one that had books just goes stale.
    if (isPermanent(error) || (error.code === 'BOOK_MISSING' && this.snapshot === undefined)) {
      this.setState('failed', `REST request failed: ${this.lastError}`, now);
    } else if (error.code === 'BOOK_MISSING') {
      // The exchange answered without this book (or the client rejected it): the one held is not current.
      this.setState('resyncing', `no valid REST book in the last answer: ${this.lastError}`, now);
    } else if (this.state === 'connecting') {
      this.setState('connecting', `no REST snapshot yet; last error: ${this.lastError}`, now);
    }
  }

  /** Marks the instrument stale when its snapshot is older than `staleAfterMs`; returns whether it did. */
  checkStale(now: number, staleAfterMs: number): boolean {
    if (this.state !== 'live' || this.snapshot === undefined) return false;
    const age = now - this.snapshot.receivedAt;
    if (age <= staleAfterMs) return false;
    this.counters.staleEvents++;
    this.setState('stale', this.staleReason(age, staleAfterMs), now);
    return true;
  }

  private staleReason(ageMs: number, staleAfterMs: number): string {
    const error = this.lastError === undefined ? '' : `; last error: ${this.lastError}`;
    return `no REST snapshot for ${ageMs} ms (staleAfterMs ${staleAfterMs})${error}`;
  }

  setState(state: InstrumentState, reason: string | undefined, now: number): void {
    if (state !== this.state) this.since = now;
    this.state = state;
    this.reason = reason;
  }

  health(now: number, staleAfterMs: number): InstrumentHealth {
    const { instrument, snapshot } = this;
    let state = this.state;
    let reason = this.reason;
    let since = this.since;
    const ageMs = snapshot === undefined ? undefined : Math.max(0, now - snapshot.receivedAt);
    if (state === 'live' && ageMs !== undefined && ageMs > staleAfterMs) {
      // The stale timer may not have fired yet (a busy event loop): age decides.
      state = 'stale';
      since = snapshot!.receivedAt + staleAfterMs;
    }
    if (state === 'stale' && ageMs !== undefined) {
      // Said as of now: the age grows and later requests may have failed differently.
      reason = this.staleReason(ageMs, staleAfterMs);
    }
    return instrumentHealth(
      instrument,
      { state, reason, since, source: 'rest', lastUpdateAt: snapshot?.receivedAt, counters: this.counters },
      now,
    );
  }
}
