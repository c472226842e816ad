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
  type PriceLevel,
  RateLimitError,
  SequenceGapError,
  systemClock,
  TimeoutError,
  type TimerHandle,
} from '@arbitrage/core';
import { applyDelta } from './apply-event.js';
import type { BookEvent } from './book-event.js';
import { BookHaltedError, SnapshotSyncError } from './sync-errors.js';
import { formatId, nextId, type UpdateId } from './update-id.js';

const SUBSCRIBING = 'subscribing; waiting for the confirmation';

/** A book snapshot (REST or WebSocket): levels best first, and the last update id it includes. */
export interface SyncSnapshot {
  readonly lastUpdateId: UpdateId;
  /** The exchange's time of the snapshot, ms since epoch, when it gives one (0 or absent: unknown). */
  readonly exchangeTime?: number;
  readonly bids: readonly PriceLevel[];
  readonly asks: readonly PriceLevel[];
}

/**
 * Where `bookId` came from: a snapshot (no event applied since it was loaded) or the last event
 * applied (or buffered). Exchanges whose updates link exactly to the previous one (OKX
 * `prevSeqId`) accept an overlap only right after a snapshot, and nothing but the exact link after
 * an event.
 */
export type BookIdSource = 'snapshot' | 'event';

/**
 * How an event relates to a book at `bookId`: 'old' (already in the book: dropped), 'gap' (updates
 * were missed: resync) or 'next' (apply it). The same rule judges a snapshot against the first
 * buffered event (`from` 'snapshot') and the buffer's own continuity (`from` 'event'). `bookTime` is
 * the exchange time of what set `bookId` (0 when unknown): an update stamped later than a snapshot
 * yet numbered at or below it shows a sequence that restarted, which ids alone cannot tell from an
 * old update.
 */
export type ContinuityRule = (
  bookId: UpdateId,
  event: BookEvent,
  from: BookIdSource,
  bookTime: number,
) => 'old' | 'gap' | 'next';

/** The range rule (Binance diff depth): old when u <= id, gap when U > id + 1, else next. */
export const rangeContinuity: ContinuityRule = (bookId, event) => {
  if (event.finalId <= bookId) return 'old';
  return event.firstId > nextId(bookId) ? 'gap' : 'next';
};

/** What the sync tells its owner, synchronously, before anything else happens to the book. */
export interface SyncListener {
  /** The book is not live, or the reason why changed. */
  state(state: InstrumentState, reason: string): void;
  /**
   * The book changed and is live: `eventTime` of the last applied event (0 when only a snapshot was
   * loaded), the update id the book is at, and when the change happened locally (the frame's
   * arrival, or the snapshot's for buffered events). Going live is announced by this call alone, so
   * the owner publishes the state and the book it vouches for together.
   */
  applied(eventTime: number, bookId: UpdateId, receivedAt: number): void;
  error(error: ArbitrageError): void;
}

export interface SequencedSyncOptions {
  readonly exchange: string;
  /** Canonical symbol, for messages. */
  readonly symbol: string;
  readonly book: OrderBook;
  /** Fetches a snapshot; the plugin routes it through its request budget. */
  readonly fetchSnapshot: (signal: AbortSignal) => Promise<SyncSnapshot>;
  readonly listener: SyncListener;
  /** Incremented in place: updates (snapshots loaded and events applied), droppedStale, gaps, crossed, resyncs. */
  readonly counters: InstrumentCounters;
  readonly continuity?: ContinuityRule;
  readonly clock?: Clock;
  /** Events kept while a snapshot is fetched; the oldest go first (default 1000). */
  readonly maxBufferedEvents?: number;
  /** Backoff between failed snapshot attempts (default 250 ms doubling to 30 s). */
  readonly snapshotBackoff?: BackoffOptions;
  /** Failed or unusable snapshots before the book is reported stale with an alarm (default 5). */
  readonly maxSnapshotAttempts?: number;
  /**
   * After the subscription is confirmed, wait this long for a snapshot pushed on the stream
   * (`loadSnapshot`) before asking `fetchSnapshot` for one; the first event ends the wait (an
   * exchange sends its push before any update). Default 0: ask at once.
   */
  readonly streamSnapshotWaitMs?: number;
  /** A snapshot request that has not settled after this long is abandoned and retried (default none). */
  readonly snapshotTimeoutMs?: number;
  /** Crossed books in a row (the last right after a resync) before the book is halted (default 2). */
  readonly maxConsecutiveCrossed?: number;
  /** First wait of a halted book before it tries a fresh snapshot, ms (default 1000); doubles from the third halt. */
  readonly haltRetryBaseMs?: number;
  /** Longest wait of a halted book, ms (default 60000). */
  readonly haltRetryCapMs?: number;
}

/**
 * Where the sync is:
 * - idle: not started, or reset;
 * - waiting: subscribing; events are buffered, no snapshot asked for yet;
 * - fetching: a snapshot request is in flight, events are buffered;
 * - retrying: the last snapshot failed or was too old, a retry is scheduled, events are buffered;
 * - bridging: the snapshot is loaded and every buffered event was older: waiting for the event that
 *   continues it;
 * - live: every event is continuity-checked and applied;
 * - halted: crossed again right after a resync; a retry is scheduled with backoff.
 */
export type SyncPhase = 'idle' | 'waiting' | 'fetching' | 'retrying' | 'bridging' | 'live' | 'halted';

/** Extra figures beyond InstrumentCounters. */
export interface SyncStats {
  snapshotRequests: number;
  snapshotsTooOld: number;
  snapshotFailures: number;
  bufferOverflows: number;
  halts: number;
  /** Snapshots pushed on the stream and loaded (`loadSnapshot`). */
  streamSnapshots: number;
}

/**
 * Keeps one instrument's book in sync from a snapshot plus update-id'd deltas, with every delta
 * continuity-checked (docs/protocols/binance.md B5 is the model):
 *
 * 1. after `start()` events are buffered; the snapshot is asked for as soon as the subscription is
 *    confirmed (`subscribed()`) or the first event arrives, whichever comes first;
 * 2. a snapshot older than the first buffered event (a gap between them) is refetched with backoff;
 *    after maxSnapshotAttempts the book is reported stale with an alarm, retries continue;
 * 3. the snapshot is loaded and the buffered events past it applied. With no event buffered at all
 *    the book is live at once: the subscription was active before the snapshot was asked for, so
 *    any later event continues it, and a quiet market needs no event to be correct. With events
 *    buffered but all older than the snapshot, the stream is behind REST: the book waits
 *    ('bridging') for the event that continues it, and is never live before (docs/faults.md 11);
 * 4. live: an old event is dropped and counted; a gap makes the state 'resyncing' synchronously,
 *    the event starts the new buffer and a snapshot is fetched; otherwise it is applied.
 *    A crossed book is resynced likewise; crossed again right after the resync, the book is halted
 *    ('failed') and retried after 1 s, 1 s, 2 s, 4 s … up to 60 s, so a short glitch costs about
 *    two seconds and a lasting one one snapshot a minute.
 *
 * Pure logic: no sockets. Time comes from the Clock; snapshots from the injected fetcher.
 */
export class SequencedSync {
  readonly stats: SyncStats = {
    snapshotRequests: 0,
    snapshotsTooOld: 0,
    snapshotFailures: 0,
    bufferOverflows: 0,
    halts: 0,
    streamSnapshots: 0,
  };
  private phaseValue: SyncPhase = 'idle';
  private bookId: UpdateId = 0;
  /** Whether bookId is a snapshot's (no event applied since it was loaded). */
  private bookIdSource: BookIdSource = 'snapshot';
  /** Exchange time of what set bookId (0 when unknown). */
  private bookTime = 0;
  private buffer: BookEvent[] = [];
  private inFlight: AbortController | undefined;
  private fetchTimer: TimerHandle | undefined;
  private retryTimer: TimerHandle | undefined;
  /** Waiting for a snapshot push before fetching (streamSnapshotWaitMs). */
  private pushWaitTimer: TimerHandle | undefined;
  private attempts = 0;
  private alarmed = false;
  private consecutiveCrossed = 0;
  private halts = 0;
  private everLive = false;
  private stateValue: InstrumentState = 'connecting';
  private reasonValue: string | undefined = 'waiting for the subscription';
  private book: OrderBook;
  private readonly clock: Clock;
  private readonly backoff: Backoff;
  private readonly continuity: ContinuityRule;
  private readonly maxBuffered: number;
  private readonly maxAttempts: number;
  private readonly maxCrossed: number;
  private readonly haltBaseMs: number;
  private readonly haltCapMs: number;

  constructor(private readonly options: SequencedSyncOptions) {
    this.clock = options.clock ?? systemClock;
    this.backoff = new Backoff(options.snapshotBackoff ?? { baseMs: 250, capMs: 30_000 });
    this.continuity = options.continuity ?? rangeContinuity;
    this.maxBuffered = Math.max(1, options.maxBufferedEvents ?? 1000);
    this.maxAttempts = Math.max(1, options.maxSnapshotAttempts ?? 5);
    this.book = options.book;
    this.maxCrossed = Math.max(1, options.maxConsecutiveCrossed ?? 2);
    this.haltBaseMs = options.haltRetryBaseMs ?? 1_000;
    this.haltCapMs = Math.max(this.haltBaseMs, options.haltRetryCapMs ?? 60_000);
  }

  get phase(): SyncPhase {
    return this.phaseValue;
  }

  /** 'live' only while the book is complete and continuous. */
  get state(): InstrumentState {
    return this.stateValue;
  }

  get reason(): string | undefined {
    return this.reasonValue;
  }

  /** The update id the book is at (meaningful while live). */
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

  /** Re-points the sync at a book whose contents equal the current one (a connection switch copies it first). */
  setBook(book: OrderBook): void {
    this.book = book;
  }

  /** The connection is open and the subscription sent: buffer events until a snapshot can be asked for. */
  start(): void {
    if (this.phaseValue !== 'idle') return;
    this.phaseValue = 'waiting';
    this.report(this.everLive ? 'resyncing' : 'connecting', SUBSCRIBING);
  }

  /** The exchange confirmed the subscription: ask for the snapshot now, without waiting for an event. */
  subscribed(): void {
    if (this.phaseValue !== 'waiting') return;
    const waitMs = this.options.streamSnapshotWaitMs ?? 0;
    const wait = waitMs > 0 && this.buffer.length === 0;
    if (this.stateValue !== 'live' && this.reasonValue === SUBSCRIBING) {
      this.report(
        this.stateValue,
        wait ? 'subscribed; waiting for the snapshot push' : 'subscribed; fetching a snapshot',
      );
    }
    if (!wait) {
      this.requestSnapshot();
      return;
    }
    this.pushWaitTimer ??= this.clock.setTimeout(() => {
      this.pushWaitTimer = undefined;
      if (this.phaseValue === 'waiting') this.requestSnapshot();
    }, waitMs);
  }

  /**
   * A whole book that arrived on the stream (an exchange's snapshot push), taken as a fetched
   * snapshot would be: a pending request or retry is abandoned, buffered events at or below it are
   * dropped and the rest bridged; `exchangeTime` is the time of the book going live. While live or
   * bridging it replaces the book and the sequence starts again from its id, unless it is older
   * than the book (numbered below it and not stamped later): then it is dropped as old. One older
   * than the first buffered event is not used (the fetch goes on). Ignored while idle or halted.
   * Returns whether it was loaded.
   */
  loadSnapshot(snapshot: SyncSnapshot, receivedAt = this.clock.now()): boolean {
    const time = snapshot.exchangeTime ?? 0;
    const id = snapshot.lastUpdateId;
    switch (this.phaseValue) {
      case 'idle':
      case 'halted':
        return false;
      case 'live':
      case 'bridging':
        if (id < this.bookId && !(time > this.bookTime)) {
          this.options.counters.droppedStale++;
          return false;
        }
        break;
      default: {
        const first = this.buffer[0];
        if (first !== undefined && this.continuity(id, first, 'snapshot', time) === 'gap') {
          this.stats.snapshotsTooOld++;
          if (this.phaseValue === 'waiting') this.requestSnapshot();
          return false;
        }
      }
    }
    this.cancelWork('a snapshot arrived on the stream');
    if (!this.install(snapshot, time, receivedAt)) return false;
    this.stats.streamSnapshots++;
    return true;
  }

  /** Forgets everything (the connection went away or is replaced): no request, timer, buffer or level left. */
  reset(): void {
    this.cancelWork();
    this.buffer = [];
    this.book.clear();
    this.phaseValue = 'idle';
    this.attempts = 0;
    this.alarmed = false;
    this.consecutiveCrossed = 0;
    this.halts = 0;
    this.backoff.reset();
  }

  stop(): void {
    this.reset();
  }

  /**
   * One event for this instrument, with the local time its frame arrived. `event` may be the
   * parser's reused instance: copied if kept.
   */
  onEvent(event: BookEvent, receivedAt: number): void {
    switch (this.phaseValue) {
      case 'live':
        this.applyLive(event, receivedAt);
        return;
      case 'waiting':
        // Events prove the subscription as well as an ack does.
        this.bufferEvent(event);
        this.subscribed();
        return;
      case 'fetching':
      case 'retrying':
        this.bufferEvent(event);
        return;
      case 'bridging':
        this.applyBridging(event, receivedAt);
        return;
      default:
        return;
    }
  }

  /** A message for this instrument failed validation: its continuity is lost, resync. */
  onInvalidEvent(reason: string): void {
    if (this.phaseValue === 'idle' || this.phaseValue === 'halted') return;
    this.resync(`invalid depth message (${reason})`, undefined);
  }

  // ---- live ------------------------------------------------------------------------------------

  private applyLive(event: BookEvent, receivedAt: number): void {
    if (!this.continues(event)) return;
    this.apply(event);
    if (this.checkCrossed()) return;
    this.consecutiveCrossed = 0;
    this.options.listener.applied(event.eventTime, this.bookId, receivedAt);
  }

  private applyBridging(event: BookEvent, receivedAt: number): void {
    if (!this.continues(event)) return;
    this.apply(event);
    this.goLive(event.eventTime, receivedAt);
  }

  /** Whether the event follows the book on; an old one is dropped, one past a gap starts a resync. */
  private continues(event: BookEvent): boolean {
    const verdict = this.continuity(this.bookId, event, this.bookIdSource, this.bookTime);
    if (verdict === 'next') return true;
    if (verdict === 'old') this.options.counters.droppedStale++;
    else this.gap(event);
    return false;
  }

  private gap(event: BookEvent): void {
    this.options.counters.gaps++;
    const expected = nextId(this.bookId);
    const reason = `gap: expected update id ${formatId(expected)}, got ${formatId(event.firstId)}`;
    // Report first (synchronously), then restart with this event as the first buffered one.
    this.resync(reason, event);
    this.options.listener.error(
      new SequenceGapError(
        this.options.exchange,
        this.options.symbol,
        Number(expected),
        Number(event.firstId),
      ),
    );
  }

  private apply(event: BookEvent): void {
    applyDelta(this.book, event);
    this.bookId = event.finalId;
    this.bookIdSource = 'event';
    this.bookTime = event.eventTime;
    this.options.counters.updates++;
  }

  private checkCrossed(): boolean {
    const book = this.book;
    if (!book.isCrossed()) return false;
    this.crossed(book.bestPrice('bid'), book.bestPrice('ask'));
    return true;
  }

  private crossed(bid: number, ask: number): void {
    this.options.counters.crossed++;
    this.consecutiveCrossed++;
    const error = new CrossedBookError(this.options.exchange, this.options.symbol, bid, ask);
    if (this.consecutiveCrossed >= this.maxCrossed) {
      const delay = this.halt(bid, ask);
      this.options.listener.error(error);
      this.options.listener.error(
        new BookHaltedError(this.options.exchange, this.options.symbol, this.consecutiveCrossed, delay),
      );
      return;
    }
    this.resync(`crossed book: best bid ${bid} >= best ask ${ask}`, undefined);
    this.options.listener.error(error);
  }

  /** 1 s, 1 s, 2 s, 4 s … capped: a glitch of a second or two costs about two seconds. */
  private haltDelay(): number {
    return Math.min(this.haltCapMs, this.haltBaseMs * 2 ** Math.max(0, this.halts - 2));
  }

  private halt(bid: number, ask: number): number {
    this.cancelWork();
    this.buffer = [];
    this.book.clear();
    this.phaseValue = 'halted';
    this.halts++;
    this.stats.halts++;
    const delay = this.haltDelay();
    this.report(
      'failed',
      `halted: book crossed ${this.consecutiveCrossed} times in a row (bid ${bid} >= ask ${ask}); ` +
        `fresh snapshot in ${delay} ms`,
    );
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = undefined;
      if (this.phaseValue !== 'halted') return;
      this.phaseValue = 'waiting';
      this.report('resyncing', 'retrying after a halt');
      this.requestSnapshot();
    }, delay);
    return delay;
  }

  private goLive(eventTime: number, receivedAt: number): void {
    if (this.checkCrossed()) return;
    this.phaseValue = 'live';
    this.everLive = true;
    this.attempts = 0;
    this.alarmed = false;
    this.halts = 0;
    this.backoff.reset();
    this.stateValue = 'live';
    this.reasonValue = undefined;
    this.options.listener.applied(eventTime, this.bookId, receivedAt);
  }

  /** The book is wrong: say so first, then rebuild. `first` (a gapped event) starts the new buffer. */
  private resync(reason: string, first: BookEvent | undefined): void {
    this.options.counters.resyncs++;
    this.book.clear();
    this.buffer = [];
    this.report(this.everLive ? 'resyncing' : 'connecting', reason);
    if (this.inFlight !== undefined || this.retryTimer !== undefined) {
      // The pending snapshot (or retry) is judged against the new buffer.
      this.phaseValue = this.inFlight !== undefined ? 'fetching' : 'retrying';
      if (first) this.buffer.push(first.clone());
      return;
    }
    // The subscription is active (events flowed): the snapshot need not wait for another event.
    this.phaseValue = 'waiting';
    if (first) this.bufferEvent(first);
    this.requestSnapshot();
  }

  // ---- buffering and snapshots -----------------------------------------------------------------

  private bufferEvent(event: BookEvent): void {
    const buffer = this.buffer;
    const last = buffer[buffer.length - 1];
    if (last !== undefined) {
      const verdict = this.continuity(last.finalId, event, 'event', last.eventTime);
      if (verdict === 'old') {
        this.options.counters.droppedStale++;
        return;
      }
      if (verdict === 'gap') {
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
    this.clock.clearTimeout(this.pushWaitTimer);
    this.pushWaitTimer = undefined;
    if (this.inFlight !== undefined || this.retryTimer !== undefined) return;
    if (this.phaseValue === 'idle' || this.phaseValue === 'halted') return;
    this.phaseValue = 'fetching';
    this.stats.snapshotRequests++;
    const controller = new AbortController();
    this.inFlight = controller;
    const timeoutMs = this.options.snapshotTimeoutMs;
    if (timeoutMs !== undefined) {
      this.fetchTimer = this.clock.setTimeout(() => {
        this.fetchTimer = undefined;
        const error = new TimeoutError(
          `${this.options.exchange} snapshot for ${this.options.symbol}`,
          timeoutMs,
        );
        controller.abort(error);
        this.onSnapshotFailure(controller, error);
      }, timeoutMs);
    }
    let promise: Promise<SyncSnapshot>;
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

  private onSnapshot(request: AbortController, snapshot: SyncSnapshot): void {
    if (!this.settle(request)) return;
    const { lastUpdateId } = snapshot;
    const snapshotTime = snapshot.exchangeTime ?? 0;
    const first = this.buffer[0];
    if (first !== undefined && this.continuity(lastUpdateId, first, 'snapshot', snapshotTime) === 'gap') {
      this.stats.snapshotsTooOld++;
      this.retryLater(
        `snapshot ${formatId(lastUpdateId)} is older than the first buffered event (${formatId(first.firstId)})`,
        undefined,
      );
      return;
    }
    this.install(snapshot, 0, this.clock.now());
  }

  /**
   * Loads a usable snapshot and bridges the buffer past it. `liveTime`: the event time announced
   * when it goes live with nothing applied (0 for a REST snapshot: no lag sample). False when it
   * was crossed (and a resync started instead).
   */
  private install(snapshot: SyncSnapshot, liveTime: number, receivedAt: number): boolean {
    const { lastUpdateId, bids, asks } = snapshot;
    const snapshotTime = snapshot.exchangeTime ?? 0;
    const bestBid = bids[0]?.[0];
    const bestAsk = asks[0]?.[0];
    if (bestBid !== undefined && bestAsk !== undefined && bestBid >= bestAsk) {
      this.crossed(bestBid, bestAsk);
      return false;
    }
    this.book.applySnapshot(bids, asks);
    this.bookId = lastUpdateId;
    this.bookIdSource = 'snapshot';
    this.bookTime = snapshotTime;
    this.options.counters.updates++;
    const buffered = this.buffer;
    this.buffer = [];
    let lastTime = liveTime;
    let applied = false;
    for (let i = 0; i < buffered.length; i++) {
      const event = buffered[i]!;
      const verdict = this.continuity(this.bookId, event, this.bookIdSource, this.bookTime);
      if (verdict === 'old') {
        this.options.counters.droppedStale++;
        continue;
      }
      if (verdict === 'gap') {
        // Cannot happen with a contiguous buffer; a guard against bridging across a hole.
        this.gap(event);
        const now = this.clock.now();
        for (const later of buffered.slice(i + 1)) this.onEvent(later, now);
        return true;
      }
      this.apply(event);
      lastTime = event.eventTime;
      applied = true;
    }
    if (applied || buffered.length === 0) {
      this.goLive(lastTime, receivedAt);
      return true;
    }
    this.phaseValue = 'bridging';
    this.report(
      this.everLive ? 'resyncing' : 'connecting',
      `snapshot ${formatId(lastUpdateId)} loaded; waiting for the event that continues it`,
    );
    return true;
  }

  private onSnapshotFailure(request: AbortController, error: unknown): void {
    if (!this.settle(request)) return;
    this.stats.snapshotFailures++;
    const reported = isArbitrageError(error)
      ? error
      : new NetworkError(
          `${this.options.exchange} snapshot for ${this.options.symbol} failed: ${String(error)}`,
          { cause: error },
        );
    this.options.listener.error(reported);
    this.retryLater(reported.message, reported);
  }

  /** Schedules the next snapshot attempt; reports stale with an alarm once attempts run out. */
  private retryLater(problem: string, error: ArbitrageError | undefined): void {
    this.attempts++;
    let delay = this.backoff.next();
    if (error instanceof RateLimitError) {
      delay = Math.max(delay, error.retryAfterMs);
      const by =
        error.status === 0 ? 'the client-side request budget' : `${this.options.exchange} (${error.status})`;
      this.report('stale', `rate limited by ${by}; next snapshot in ${delay} ms`);
    } else if (this.attempts >= this.maxAttempts) {
      this.report('stale', `no usable snapshot after ${this.attempts} attempts: ${problem}`);
    } else {
      this.report(this.everLive ? 'resyncing' : 'connecting', problem);
    }
    if (this.attempts >= this.maxAttempts && !this.alarmed) {
      this.alarmed = true;
      this.options.listener.error(
        new SnapshotSyncError(this.options.exchange, this.options.symbol, this.attempts, problem, {
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

  private cancelWork(why = 'the stream was reset'): void {
    this.inFlight?.abort(new NetworkError(`snapshot abandoned: ${why}`));
    this.inFlight = undefined;
    this.clock.clearTimeout(this.fetchTimer);
    this.fetchTimer = undefined;
    this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.clock.clearTimeout(this.pushWaitTimer);
    this.pushWaitTimer = undefined;
  }

  private report(state: InstrumentState, reason: string): void {
    if (state === this.stateValue && reason === this.reasonValue) return;
    this.stateValue = state;
    this.reasonValue = reason;
    this.options.listener.state(state, reason);
  }
}
