import {
  type BookDefect,
  type InstrumentHealth,
  type InstrumentState,
  isOlderUpdate,
  type LiveBook,
  type OrderBookSnapshot,
  type ResolvedInstrument,
  type SnapshotSource,
  type TimerHandle,
} from '@arbitrage/core';

/** The fail-over thresholds (see the README's policy section). */
export interface FailoverPolicy {
  /** The stream not live this long -> REST takes over the instrument. */
  readonly failoverAfterMs: number;
  /** The stream live again this long -> back to the stream. */
  readonly switchBackAfterMs: number;
  /** A REST snapshot older than this (local receive time) is stale. */
  readonly restStaleAfterMs: number;
}

/** What to serve for an instrument now, and what health to report for it. */
export interface Served {
  readonly snapshotFrom: 'ws' | 'rest' | 'none';
  readonly state: InstrumentState;
  readonly reason: string | undefined;
}

export type SwitchDecision = { readonly to: SnapshotSource; readonly reason: string } | undefined;

/**
 * One instrument's fail-over state: which source it is on, how long the stream has been (not) live,
 * the newest update the stream has applied, and the latest REST snapshot. Pure bookkeeping on times
 * passed in, so the policy is tested without sockets or timers.
 */
export class FailoverInstrument {
  source: SnapshotSource = 'ws';
  /** When the stream was last seen leaving 'live' (or the start); undefined while live. */
  wsBadSince: number | undefined;
  /** When the stream was last seen entering 'live'; undefined while not live. */
  wsLiveSince: number | undefined;
  /** The newest update the stream applied (kept across resyncs, which forget the book's sequence). */
  wsMark: { sequence: number | undefined; exchangeTime: number } | undefined;
  rest: OrderBookSnapshot | undefined;
  restError: string | undefined;
  restUpdates = 0;
  restDroppedStale = 0;
  restCrossed = 0;
  restInvalid = 0;
  /** The newest update handed to onSnapshot listeners: nothing older is ever emitted after it. */
  lastEmitted: { readonly sequence?: number; readonly exchangeTime: number } | undefined;
  switches = 0;
  lastSwitchAt: number | undefined;
  timer: TimerHandle | undefined;
  /** The last health reported through onHealthChange (state, source and reason), to report changes only. */
  reportedKey = '';
  private observedState: InstrumentState | undefined;
  private observedSince = 0;

  constructor(readonly instrument: ResolvedInstrument) {}

  /** Back to the initial state (on start). */
  reset(now: number): void {
    this.source = 'ws';
    this.wsBadSince = now;
    this.wsLiveSince = undefined;
    this.rest = undefined;
    this.restError = undefined;
    this.lastEmitted = undefined;
    this.reportedKey = '';
    this.observedState = undefined;
  }

  /** When the instrument entered `state` as this provider reports it (first seen at `now`). */
  sinceFor(state: InstrumentState, now: number): number {
    if (state !== this.observedState) {
      this.observedState = state;
      this.observedSince = now;
    }
    return this.observedSince;
  }

  /** Records the stream's current state (call on every observation; only transitions count). */
  observeStream(live: boolean, now: number): void {
    if (live) {
      this.wsBadSince = undefined;
      this.wsLiveSince ??= now;
    } else {
      this.wsLiveSince = undefined;
      this.wsBadSince ??= now;
    }
  }

  /** Records an update the stream applied to its live book (two field writes: this runs per update). */
  observeBook(book: LiveBook): void {
    const mark = this.wsMark;
    if (mark === undefined) {
      this.wsMark = { sequence: book.sequence, exchangeTime: book.exchangeTime };
    } else if (!isOlderUpdate(book, mark)) {
      if (book.sequence !== undefined) mark.sequence = book.sequence;
      mark.exchangeTime = book.exchangeTime;
    }
  }

  /** Takes a REST snapshot if it is not older than the one held; returns whether it did. */
  acceptRest(snapshot: OrderBookSnapshot): boolean {
    if (this.rest !== undefined && isOlderUpdate(snapshot, this.rest)) {
      this.restDroppedStale++;
      return false;
    }
    this.rest = snapshot;
    this.restError = undefined;
    this.restUpdates++;
    return true;
  }

  /**
   * Refuses a REST book that is crossed or malformed. The exchange's current book is wrong, so the
   * REST snapshot held before it is no longer current either: nothing is served from REST until a
   * sound one arrives.
   */
  rejectRest(defect: BookDefect): void {
    if (defect.kind === 'crossed') this.restCrossed++;
    else this.restInvalid++;
    this.rest = undefined;
    this.restError = `REST book rejected (${defect.detail})`;
  }

  /** Whether the REST snapshot may be served: it exists and is not older than the stream's newest update. */
  restServable(): boolean {
    return this.rest !== undefined && (this.wsMark === undefined || !isOlderUpdate(this.rest, this.wsMark));
  }

  /** The switch the policy calls for now, if any. */
  decide(now: number, policy: FailoverPolicy, wsReason: string | undefined): SwitchDecision {
    if (this.source === 'ws' && this.wsBadSince !== undefined) {
      const down = now - this.wsBadSince;
      if (down >= policy.failoverAfterMs) {
        return { to: 'rest', reason: `stream not live for ${down} ms (${wsReason ?? 'no reason given'})` };
      }
    }
    if (this.source === 'rest' && this.wsLiveSince !== undefined) {
      const live = now - this.wsLiveSince;
      if (live >= policy.switchBackAfterMs) return { to: 'ws', reason: `stream live again for ${live} ms` };
    }
    return undefined;
  }

  /** When the policy must look again (a switch or a REST snapshot going stale), or undefined. */
  nextDeadline(policy: FailoverPolicy): number | undefined {
    if (this.source === 'ws') {
      return this.wsBadSince === undefined ? undefined : this.wsBadSince + policy.failoverAfterMs;
    }
    const deadlines: number[] = [];
    if (this.wsLiveSince !== undefined) deadlines.push(this.wsLiveSince + policy.switchBackAfterMs);
    if (this.rest !== undefined) deadlines.push(this.rest.receivedAt + policy.restStaleAfterMs + 1);
    return deadlines.length === 0 ? undefined : Math.min(...deadlines);
  }

  switchTo(to: SnapshotSource, now: number): void {
    this.source = to;
    this.switches++;
    this.lastSwitchAt = now;
    // A REST snapshot from an earlier fail-over is older than everything since: start afresh.
    this.rest = undefined;
    this.restError = undefined;
    this.observedState = undefined;
  }

  /** What to serve and report, given the stream's own health. */
  served(ws: InstrumentHealth, now: number, policy: FailoverPolicy): Served {
    if (this.source === 'ws') return { snapshotFrom: 'ws', state: ws.state, reason: ws.reason };
    const wsLive = ws.state === 'live';
    const rest = this.rest;
    if (wsLive && (rest === undefined || this.wsMark === undefined || !isOlderUpdate(this.wsMark, rest))) {
      // The stream is back and at least as new: serve it while the hold period runs.
      return { snapshotFrom: 'ws', state: 'live', reason: undefined };
    }
    const wsWhy = `stream ${ws.state}${ws.reason === undefined ? '' : `: ${ws.reason}`}`;
    const lastError = this.restError === undefined ? '' : `; last REST error: ${this.restError}`;
    if (rest === undefined) {
      return {
        snapshotFrom: 'ws',
        state: wsLive ? 'live' : ws.state,
        reason: wsLive
          ? undefined
          : `on REST backup, waiting for the first REST snapshot${lastError}; ${wsWhy}`,
      };
    }
    if (!this.restServable()) {
      return {
        snapshotFrom: 'ws',
        state: wsLive ? 'live' : 'stale',
        reason: wsLive
          ? undefined
          : `the REST snapshot is older than the stream's last update and is not served${lastError}; ${wsWhy}`,
      };
    }
    const age = now - rest.receivedAt;
    if (age > policy.restStaleAfterMs) {
      return {
        snapshotFrom: 'rest',
        state: 'stale',
        reason: `on REST backup: last REST snapshot ${age} ms old (limit ${policy.restStaleAfterMs} ms)${lastError}; ${wsWhy}`,
      };
    }
    return { snapshotFrom: 'rest', state: 'live', reason: undefined };
  }
}
