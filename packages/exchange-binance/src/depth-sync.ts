import {
  type ArbitrageError,
  Backoff,
  type BackoffOptions,
  type Clock,
  CrossedBookError,
  type InstrumentCounters,
  type InstrumentState,
  isArbitrageError,
  NetworkError,
  type OrderBook,
  RateLimitError,
  SequenceGapError,
  systemClock,
  TimeoutError,
  type TimerHandle,
} from '@arbitrage/core';
import type { DepthEvent } from './depth-event.js';
import { BookHaltedError, SnapshotSyncError } from './errors.js';
import type { DepthSnapshot } from './rest-client.js';
import { BINANCE_EXCHANGE_ID } from './symbols.js';
import { formatId, nextId, type UpdateId } from './update-id.js';

/** What the sync tells its owner. Called synchronously, before anything else happens to the book. */
export interface DepthSyncListener {
  /** The book's state changed (or its reason did). */
  state(state: InstrumentState, reason: string | undefined): void;
  /** The live book changed; `eventTime` is the last applied event's E. */
  applied(eventTime: number): void;
  error(error: ArbitrageError): void;
}

export interface DiffDepthSyncOptions {
  /** Canonical symbol, for messages. */
  readonly symbol: string;
  readonly book: OrderBook;
  /** Fetches a REST depth snapshot (the stream routes it through the global snapshot scheduler). */
  readonly fetchSnapshot: (signal: AbortSignal) => Promise<DepthSnapshot>;
  readonly listener: DepthSyncListener;
  /** Incremented in place: updates, droppedStale, gaps, crossed, resyncs. */
  readonly counters: InstrumentCounters;
  readonly clock?: Clock;
  /** Events kept while a snapshot is fetched; the oldest go first (default 1000). */
  readonly maxBufferedEvents?: number;
  /** Backoff between snapshot attempts (default 250 ms doubling to 30 s). */
  readonly snapshotBackoff?: BackoffOptions;
  /** Failed or unusable snapshots before the book is reported stale with an alarm (default 5). */
  readonly maxSnapshotAttempts?: number;
  /**
   * A snapshot request that has not settled after this long is abandoned and retried (default: no
   * deadline here; the stream's scheduler and REST client give every request one).
   */
  readonly snapshotTimeoutMs?: number;
  /** Crossed books in a row (the last right after a resync) before the symbol is halted (default 2). */
  readonly maxConsecutiveCrossed?: number;
  /** How long a halted symbol waits before trying again (default 60 s). */
  readonly haltRetryMs?: number;
}

/**
 * Where the sync is:
 * - idle: not started or stopped;
 * - waiting: no event buffered yet (B5 step 2 waits for the first event before the snapshot);
 * - fetching: a snapshot request is in flight, events are buffered;
 * - retrying: the last snapshot failed or was too old, a retry is scheduled, events are buffered;
 * - bridging: the snapshot is loaded, waiting for the event whose [U, u] holds lastUpdateId + 1;
 * - live: every event is continuity-checked and applied;
 * - halted: crossed again right after a resync; a slow retry is scheduled.
 */
export type SyncPhase = 'idle' | 'waiting' | 'fetching' | 'retrying' | 'bridging' | 'live' | 'halted';

/** Extra figures beyond InstrumentCounters. */
export interface DiffSyncStats {
  snapshotRequests: number;
  snapshotsTooOld: number;
  snapshotFailures: number;
  bufferOverflows: number;
}

/**
 * Keeps one symbol's full book in sync with Binance diff depth by the official procedure
 * (protocols.md B5, text of 2025-11-12), with every delta continuity-checked:
 *
 * 1. buffer events, remembering the first U; 2. fetch a snapshot (one in flight at most);
 * 3. a snapshot with lastUpdateId + 1 < first buffered U is too old: refetch with backoff (after
 *    maxSnapshotAttempts the book is reported stale with an alarm, retries continue slowly);
 * 4. drop buffered events with u <= lastUpdateId; load the snapshot; the first remaining event
 *    bridges it (U <= lastUpdateId + 1 <= u); none left → wait for it ('bridging'), never live before;
 * 5. live: u <= id → duplicate, ignored and counted; U > id + 1 → gap (a reorder shows as one):
 *    the state becomes 'resyncing' synchronously, the event is not applied (it starts the new
 *    buffer) and a new snapshot is fetched; otherwise apply every level and set id = u.
 *    A book crossed after an update is resynced likewise; crossed again right after the resync,
 *    the symbol is halted ('failed') and retried slowly.
 *
 * One deviation from the letter of step 4: B5 refetches when lastUpdateId < first U, which would
 * also reject lastUpdateId = U - 1, an exact bridge (faults.md 12). The test used here is the
 * mathematical one, lastUpdateId + 1 < U.
 *
 * Pure logic: no sockets. Time comes from the Clock; snapshots from the injected fetcher.
 */
export class DiffDepthSync {
  readonly stats: DiffSyncStats = {
    snapshotRequests: 0,
    snapshotsTooOld: 0,
    snapshotFailures: 0,
    bufferOverflows: 0,
  };
  private phaseValue: SyncPhase = 'idle';
  private bookId: UpdateId = 0;
  private buffer: DepthEvent[] = [];
  private inFlight: AbortController | undefined;
  private fetchTimer: TimerHandle | undefined;
  private retryTimer: TimerHandle | undefined;
  private attempts = 0;
  private alarmed = false;
  private consecutiveCrossed = 0;
  private everLive = false;
  private stateValue: InstrumentState = 'connecting';
  private reasonValue: string | undefined = 'waiting for the first depth event';
  private readonly clock: Clock;
  private readonly backoff: Backoff;
  private readonly maxBuffered: number;
  private readonly maxAttempts: number;
  private readonly snapshotTimeoutMs: number | undefined;
  private book: OrderBook;
  private readonly maxCrossed: number;
  private readonly haltRetryMs: number;

  constructor(private readonly options: DiffDepthSyncOptions) {
    this.clock = options.clock ?? systemClock;
    this.backoff = new Backoff(options.snapshotBackoff ?? { baseMs: 250, capMs: 30_000 });
    this.maxBuffered = Math.max(1, options.maxBufferedEvents ?? 1000);
    this.maxAttempts = Math.max(1, options.maxSnapshotAttempts ?? 5);
    this.snapshotTimeoutMs = options.snapshotTimeoutMs;
    this.book = options.book;
    this.maxCrossed = Math.max(1, options.maxConsecutiveCrossed ?? 2);
    this.haltRetryMs = options.haltRetryMs ?? 60_000;
  }

  get phase(): SyncPhase {
    return this.phaseValue;
  }

  get state(): InstrumentState {
    return this.stateValue;
  }

  get reason(): string | undefined {
    return this.reasonValue;
  }

  /** The update id the book is at (meaningful in 'bridging' and 'live'). */
  get updateId(): UpdateId {
    return this.bookId;
  }

  get bufferedEvents(): number {
    return this.buffer.length;
  }

  get snapshotInFlight(): boolean {
    return this.inFlight !== undefined;
  }

  /** The book this sync writes into. */
  get orderBook(): OrderBook {
    return this.book;
  }

  /**
   * Moves the sync onto another book whose contents equal the current one (a connection switch
   * copies the book, then re-points the sync), so later events land in `book`.
   */
  setBook(book: OrderBook): void {
    this.book = book;
  }

  /** Starts (or restarts after reset) waiting for the first event. */
  start(): void {
    if (this.phaseValue !== 'idle') return;
    this.phaseValue = 'waiting';
    this.report(this.everLive ? 'resyncing' : 'connecting', 'waiting for the first depth event');
  }

  /**
   * Forgets everything about the stream (its connection went away or is being replaced): cancels
   * the snapshot and timers, empties the book and the buffer. The state is left to the owner.
   */
  reset(): void {
    this.cancelWork();
    this.buffer = [];
    this.book.clear();
    this.phaseValue = 'idle';
    this.attempts = 0;
    this.alarmed = false;
    this.consecutiveCrossed = 0;
    this.backoff.reset();
  }

  /** Stops for good: nothing pending afterwards. */
  stop(): void {
    this.reset();
  }

  /** One depth event for this symbol. `event` is the parser's reused instance: copied if kept. */
  onEvent(event: DepthEvent): void {
    switch (this.phaseValue) {
      case 'live':
        this.applyLive(event);
        return;
      case 'waiting':
        this.bufferEvent(event);
        this.requestSnapshot();
        return;
      case 'fetching':
      case 'retrying':
        this.bufferEvent(event);
        return;
      case 'bridging':
        this.applyBridging(event);
        return;
      default:
        return;
    }
  }

  /** A depth message for this symbol failed validation: its continuity is lost, resync. */
  onInvalidEvent(reason: string): void {
    if (this.phaseValue === 'idle' || this.phaseValue === 'halted') return;
    this.resync(`invalid depth message (${reason})`, undefined);
  }

  // ---- live ------------------------------------------------------------------------------------

  private applyLive(event: DepthEvent): void {
    if (!this.continuesBook(event)) return;
    this.apply(event);
    if (this.checkCrossed()) return;
    this.consecutiveCrossed = 0;
    this.options.listener.applied(event.eventTime);
  }

  private applyBridging(event: DepthEvent): void {
    if (!this.continuesBook(event)) return;
    this.apply(event);
    this.goLive(event.eventTime);
  }

  /** Whether the event follows the book on; an old one is dropped, one past a gap starts a resync. */
  private continuesBook(event: DepthEvent): boolean {
    if (event.finalId <= this.bookId) {
      this.options.counters.droppedStale++;
      return false;
    }
    const expected = nextId(this.bookId);
    if (event.firstId > expected) {
      this.gap(expected, event);
      return false;
    }
    return true;
  }

  private gap(expected: UpdateId, event: DepthEvent): void {
    this.options.counters.gaps++;
    const reason = `gap: expected update id ${formatId(expected)}, got U=${formatId(event.firstId)}`;
    // Report first (synchronously), then restart with this event as the first buffered one.
    this.resync(reason, event);
    this.options.listener.error(
      new SequenceGapError(BINANCE_EXCHANGE_ID, this.options.symbol, Number(expected), Number(event.firstId)),
    );
  }

  private apply(event: DepthEvent): void {
    const book = this.book;
    const bidPrices = event.bidPrices;
    const bidSizes = event.bidSizes;
    for (let i = 0; i < event.bidCount; i++) book.set('bid', bidPrices[i]!, bidSizes[i]!);
    const askPrices = event.askPrices;
    const askSizes = event.askSizes;
    for (let i = 0; i < event.askCount; i++) book.set('ask', askPrices[i]!, askSizes[i]!);
    this.bookId = event.finalId;
    this.options.counters.updates++;
  }

  /** After an update: a crossed book is resynced at once, or halted when it follows a resync. */
  private checkCrossed(): boolean {
    const book = this.book;
    if (!book.isCrossed()) return false;
    const bid = book.bestPrice('bid');
    const ask = book.bestPrice('ask');
    this.crossed(bid, ask);
    return true;
  }

  private crossed(bid: number, ask: number): void {
    this.options.counters.crossed++;
    this.consecutiveCrossed++;
    const error = new CrossedBookError(BINANCE_EXCHANGE_ID, this.options.symbol, bid, ask);
    if (this.consecutiveCrossed >= this.maxCrossed) {
      this.halt(bid, ask);
      this.options.listener.error(error);
      this.options.listener.error(
        new BookHaltedError(BINANCE_EXCHANGE_ID, this.options.symbol, this.consecutiveCrossed),
      );
      return;
    }
    this.resync(`crossed book: best bid ${bid} >= best ask ${ask}`, undefined);
    this.options.listener.error(error);
  }

  private halt(bid: number, ask: number): void {
    this.cancelWork();
    this.buffer = [];
    this.book.clear();
    this.phaseValue = 'halted';
    this.report(
      'failed',
      `halted: book crossed ${this.consecutiveCrossed} times in a row (bid ${bid} >= ask ${ask})`,
    );
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = undefined;
      if (this.phaseValue !== 'halted') return;
      this.phaseValue = 'waiting';
      this.report('resyncing', 'retrying after halt');
      this.requestSnapshot();
    }, this.haltRetryMs);
  }

  private goLive(eventTime: number): void {
    if (this.checkCrossed()) return;
    this.phaseValue = 'live';
    this.everLive = true;
    this.attempts = 0;
    this.alarmed = false;
    this.backoff.reset();
    this.report('live', undefined);
    this.options.listener.applied(eventTime);
  }

  /** The book is wrong: say so first, then rebuild. `first` (a gapped event) starts the new buffer. */
  private resync(reason: string, first: DepthEvent | undefined): void {
    this.options.counters.resyncs++;
    this.book.clear();
    this.buffer = [];
    this.report(this.everLive ? 'resyncing' : 'connecting', reason);
    if (this.inFlight !== undefined || this.retryTimer !== undefined) {
      // The pending snapshot (or retry) will be judged against the new buffer.
      this.phaseValue = this.inFlight !== undefined ? 'fetching' : 'retrying';
      if (first) this.buffer.push(first.clone());
      return;
    }
    // The subscription is active (events flowed), so the snapshot need not wait for an event: the
    // first event after it must bridge it, and a crossed snapshot is seen at once.
    this.phaseValue = 'waiting';
    if (first) this.bufferEvent(first);
    this.requestSnapshot();
  }

  // ---- buffering and snapshots -----------------------------------------------------------------

  private bufferEvent(event: DepthEvent): void {
    const buffer = this.buffer;
    const last = buffer[buffer.length - 1];
    if (last !== undefined) {
      if (event.finalId <= last.finalId) {
        this.options.counters.droppedStale++;
        return;
      }
      if (event.firstId > nextId(last.finalId)) {
        // A hole inside the buffer: nothing before it can be bridged any more.
        this.options.counters.gaps++;
        buffer.length = 0;
      }
    }
    buffer.push(event.clone());
    if (buffer.length > this.maxBuffered) {
      buffer.shift();
      this.stats.bufferOverflows++;
    }
  }

  private requestSnapshot(): void {
    if (this.inFlight !== undefined || this.retryTimer !== undefined) return;
    if (this.phaseValue === 'idle' || this.phaseValue === 'halted') return;
    this.phaseValue = 'fetching';
    this.stats.snapshotRequests++;
    const controller = new AbortController();
    this.inFlight = controller;
    const timeoutMs = this.snapshotTimeoutMs;
    if (timeoutMs !== undefined) {
      this.fetchTimer = this.clock.setTimeout(() => {
        this.fetchTimer = undefined;
        const error = new TimeoutError(`Binance depth snapshot for ${this.options.symbol}`, timeoutMs);
        controller.abort(error);
        this.onSnapshotFailure(controller, error);
      }, timeoutMs);
    }
    let promise: Promise<DepthSnapshot>;
    try {
      promise = this.options.fetchSnapshot(controller.signal);
    } catch (error) {
      promise = Promise.reject(error);
    }
    promise.then(
      (snapshot) => this.onSnapshot(controller, snapshot),
      (error: unknown) => this.onSnapshotFailure(controller, error),
    );
  }

  /** Whether `request` is the one in flight (a late answer to an abandoned request is ignored). */
  private settle(request: AbortController): boolean {
    if (this.inFlight !== request) return false;
    this.inFlight = undefined;
    this.clock.clearTimeout(this.fetchTimer);
    this.fetchTimer = undefined;
    return true;
  }

  private onSnapshot(request: AbortController, snapshot: DepthSnapshot): void {
    if (!this.settle(request)) return;
    const { lastUpdateId, bids, asks } = snapshot;
    const first = this.buffer[0];
    if (first !== undefined && nextId(lastUpdateId) < first.firstId) {
      this.stats.snapshotsTooOld++;
      this.retryLater(
        `snapshot lastUpdateId ${formatId(lastUpdateId)} is older than the first buffered event U=${formatId(first.firstId)}`,
        undefined,
      );
      return;
    }
    const bestBid = bids[0]?.[0];
    const bestAsk = asks[0]?.[0];
    if (bestBid !== undefined && bestAsk !== undefined && bestBid >= bestAsk) {
      this.crossed(bestBid, bestAsk);
      return;
    }
    this.book.applySnapshot(bids, asks);
    this.bookId = lastUpdateId;
    const counters = this.options.counters;
    let lastTime = 0;
    let applied = false;
    for (const event of this.buffer) {
      if (event.finalId <= this.bookId) {
        counters.droppedStale++;
        continue;
      }
      const expected = nextId(this.bookId);
      if (event.firstId > expected) {
        // Cannot happen with a contiguous buffer; kept as a guard against bridging across a hole.
        const rest = this.buffer.slice(this.buffer.indexOf(event));
        this.gap(expected, event);
        for (const later of rest.slice(1)) this.onEvent(later);
        return;
      }
      this.apply(event);
      lastTime = event.eventTime;
      applied = true;
    }
    this.buffer = [];
    if (applied) {
      this.goLive(lastTime);
      return;
    }
    this.phaseValue = 'bridging';
    this.report(
      this.everLive ? 'resyncing' : 'connecting',
      `snapshot ${formatId(lastUpdateId)} loaded; waiting for the event that bridges it`,
    );
  }

  private onSnapshotFailure(request: AbortController, error: unknown): void {
    if (!this.settle(request)) return;
    this.stats.snapshotFailures++;
    const reported = isArbitrageError(error)
      ? error
      : new NetworkError(`Binance depth snapshot for ${this.options.symbol} failed: ${String(error)}`, {
          cause: error,
        });
    this.options.listener.error(reported);
    this.retryLater(reported.message, reported);
  }

  /** Schedules the next snapshot attempt; reports stale with an alarm once attempts run out. */
  private retryLater(problem: string, error: ArbitrageError | undefined): void {
    this.attempts++;
    let delay = this.backoff.next();
    if (error instanceof RateLimitError) {
      delay = Math.max(delay, error.retryAfterMs);
      const by = error.status === 0 ? 'the client-side weight budget' : `Binance (${error.status})`;
      this.report('stale', `rate limited by ${by}; next snapshot in ${delay} ms`);
    } else if (this.attempts >= this.maxAttempts) {
      this.report('stale', `no usable snapshot after ${this.attempts} attempts: ${problem}`);
    } else {
      this.report(this.everLive ? 'resyncing' : 'connecting', problem);
    }
    if (this.attempts >= this.maxAttempts && !this.alarmed) {
      this.alarmed = true;
      this.options.listener.error(
        new SnapshotSyncError(BINANCE_EXCHANGE_ID, this.options.symbol, this.attempts, problem, {
          cause: error,
        }),
      );
    }
    this.phaseValue = 'retrying';
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = undefined;
      if (this.phaseValue !== 'retrying') return;
      this.requestSnapshot();
    }, delay);
  }

  private cancelWork(): void {
    this.inFlight?.abort(new NetworkError('snapshot abandoned: the stream was reset'));
    this.inFlight = undefined;
    this.clock.clearTimeout(this.fetchTimer);
    this.fetchTimer = undefined;
    this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private report(state: InstrumentState, reason: string | undefined): void {
    if (state === this.stateValue && reason === this.reasonValue) return;
    this.stateValue = state;
    this.reasonValue = reason;
    this.options.listener.state(state, reason);
  }
}
