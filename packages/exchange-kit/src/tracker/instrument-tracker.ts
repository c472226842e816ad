import {
  type ArbitrageError,
  type Clock,
  type ExchangeId,
  type InstrumentCounters,
  type InstrumentState,
  type InstrumentStateChange,
  type InstrumentStatus,
  LagBaseline,
  Listeners,
  type LiveBook,
  type Logger,
  lagReason,
  type OrderBook,
  positiveNumber,
  UnknownSymbolError,
} from '@arbitrage/core';
import { type BookLevels, replaceBook } from '../book/apply-event.js';
import { TrackedInstrument } from './tracked-instrument.js';

export interface InstrumentTrackerOptions {
  readonly exchange: ExchangeId;
  /** Canonical and native symbol of every instrument the stream keeps. */
  readonly instruments: readonly { readonly symbol: string; readonly nativeSymbol: string }[];
  readonly clock: Clock;
  readonly logger: Logger;
  /** A live book with no update for this long is reported stale, ms. */
  readonly staleAfterMs: number;
  /** A live book lagging more than this behind the exchange (clock offset taken out) is stale, ms. */
  readonly maxLagMs: number;
  /** Window of the clock-offset baseline, ms (see core's LagBaseline). */
  readonly lagBaselineWindowMs: number;
  /** Appended to the reason of a book gone silent (Upbit: why silence is ambiguous there). */
  readonly silenceHint?: string;
  /** Called after every staleness sweep: where a plugin resubscribes silent instruments. */
  readonly onSweep?: (now: number) => void;
}

/** Figures of the whole stream (per-instrument ones are in `counters(symbol)`). */
export interface TrackerStats {
  /** Updates published while their instrument lagged more than maxLagMs (kept, not emitted). */
  laggingUpdates: number;
  /** Listener callbacks that threw. */
  listenerErrors: number;
}

/** A positive number of ms, `fallback` when not given; anything else is a ConfigError naming the option. */
export function positiveMs(owner: string, name: string, value: number | undefined, fallback: number): number {
  return positiveNumber(owner, name, value, fallback, { unit: 'ms' });
}

/**
 * Owns, per instrument, the book, its state, counters, staleness deadline, lag and listeners: the
 * half of an order-book stream that is the same on every exchange. A plugin tells it what happened
 * (a connection opened or was lost, a book was published, a book cannot be trusted, a message was
 * invalid), each with the frame's arrival time where there is one, and the tracker decides what that
 * means for the state.
 *
 * One rule above all: a state change and the book it vouches for are published together. The book
 * and its metadata (sequence, times) are recorded first, lag is judged on the update just applied,
 * and only then do state listeners hear `live` and update listeners the book, so a listener that
 * reads the book inside either callback reads the book that made it live.
 */
export class InstrumentTracker {
  readonly exchange: ExchangeId;
  readonly stats: TrackerStats = { laggingUpdates: 0, listenerErrors: 0 };
  readonly maxLagMs: number;
  readonly staleAfterMs: number;
  private readonly bySymbol = new Map<string, TrackedInstrument>();
  private readonly byNativeSymbol = new Map<string, TrackedInstrument>();
  private readonly list: TrackedInstrument[] = [];
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly lagBaseline: LagBaseline;
  private readonly updates: Listeners<LiveBook>;
  private readonly changes: Listeners<InstrumentStateChange>;
  private readonly errors: Listeners<ArbitrageError>;
  private sweepTimer: ReturnType<Clock['setTimeout']> | undefined;
  private running = false;

  constructor(private readonly options: InstrumentTrackerOptions) {
    this.exchange = options.exchange;
    this.clock = options.clock;
    this.logger = options.logger;
    this.staleAfterMs = options.staleAfterMs;
    this.maxLagMs = options.maxLagMs;
    this.lagBaseline = new LagBaseline(options.lagBaselineWindowMs);
    this.updates = new Listeners((error) => this.listenerFailed('onUpdate', error));
    this.changes = new Listeners((error) => this.listenerFailed('onStateChange', error));
    this.errors = new Listeners((error) => this.listenerFailed('onError', error));
    const now = this.clock.now();
    for (const { symbol, nativeSymbol } of options.instruments) {
      if (this.bySymbol.has(symbol)) continue;
      const instrument = new TrackedInstrument(this.exchange, symbol, nativeSymbol, now);
      this.bySymbol.set(symbol, instrument);
      this.byNativeSymbol.set(nativeSymbol, instrument);
      this.list.push(instrument);
    }
  }

  // ---- lookup ----------------------------------------------------------------------------------

  get instruments(): readonly TrackedInstrument[] {
    return this.list;
  }

  /** The instrument of a canonical symbol; a symbol the stream does not keep is a clear error. */
  get(symbol: string): TrackedInstrument {
    const instrument = this.bySymbol.get(symbol);
    if (instrument === undefined)
      throw new UnknownSymbolError(symbol, `${this.exchange} stream does not keep ${symbol}`);
    return instrument;
  }

  /** The instrument of a native symbol ('BTCUSDT', 'KRW-BTC'), if the stream keeps it. */
  byNative(nativeSymbol: string): TrackedInstrument | undefined {
    return this.byNativeSymbol.get(nativeSymbol);
  }

  // ---- lifecycle -------------------------------------------------------------------------------

  start(): void {
    if (this.running) return;
    this.running = true;
    for (const instrument of this.list) {
      if (instrument.link === 'connecting') instrument.linkReason = 'connecting';
      this.evaluate(instrument);
    }
    this.scheduleSweep();
  }

  /** Every instrument goes down ('stream stopped'); the sweep ends. Listeners stay attached. */
  stop(): void {
    this.running = false;
    this.clock.clearTimeout(this.sweepTimer);
    this.sweepTimer = undefined;
    for (const instrument of this.list) this.evaluate(instrument);
  }

  // ---- what plugins report ---------------------------------------------------------------------

  /** The connection carrying `instruments` opened; their books wait for fresh data. */
  linkOpened(instruments: readonly TrackedInstrument[] = this.list): void {
    for (const instrument of instruments) {
      instrument.link = 'open';
      // The new connection's data says afresh whether the feed lags.
      instrument.lagging = false;
      if (instrument.bookState === 'connecting' || instrument.bookState === 'resyncing') {
        instrument.bookReason = instrument.published
          ? 'reconnected; waiting for a fresh book'
          : 'connected; waiting for the first book';
      }
      this.evaluate(instrument);
    }
  }

  /**
   * The connection carrying `instruments` is gone (or not yet open: `everOpened` false). Their
   * books can no longer be trusted; a failed one stays failed unless `clearFailed`.
   */
  linkLost(
    reason: string,
    instruments: readonly TrackedInstrument[] = this.list,
    options: { clearFailed?: boolean; everOpened?: boolean } = {},
  ): void {
    for (const instrument of instruments) {
      instrument.link = options.everOpened === false ? 'connecting' : 'down';
      instrument.linkReason = reason;
      instrument.lagging = false;
      if (instrument.bookState !== 'failed' || options.clearFailed) {
        instrument.bookState = instrument.published ? 'resyncing' : 'connecting';
        instrument.bookReason = reason;
      }
      this.evaluate(instrument);
    }
  }

  /** The book cannot be served as live (resyncing, failed, stale for want of a snapshot …), and why. */
  setBookState(instrument: TrackedInstrument, state: Exclude<InstrumentState, 'live'>, reason: string): void {
    instrument.bookState = state;
    instrument.bookReason = reason;
    this.evaluate(instrument);
  }

  /**
   * The plugin changed `instrument.live.book` and it is complete and continuous: record when and
   * at which sequence, judge lag on it (when `lagSample` carries the exchange time to judge by),
   * then announce the state and the book together. The hot path: no allocation when nothing changes.
   */
  published(
    instrument: TrackedInstrument,
    exchangeTime: number,
    receivedAt: number,
    sequence?: number,
    lagSample?: number,
  ): void {
    instrument.live.recordUpdate(exchangeTime, receivedAt, sequence);
    instrument.lastUpdateAt = receivedAt;
    instrument.published = true;
    instrument.bookState = 'live';
    instrument.bookReason = undefined;
    if (lagSample !== undefined && lagSample > 0) this.judgeLag(instrument, receivedAt, lagSample);
    if (instrument.status.state !== 'live' || instrument.lagging) this.evaluate(instrument);
    if (instrument.status.state !== 'live') {
      if (instrument.lagging) this.stats.laggingUpdates++;
      return;
    }
    this.updates.emit(instrument.live);
  }

  /**
   * A full book replaces the instrument's book (its best `depth` levels) and is published: for
   * exchanges whose every message is a whole book (Upbit, Binance partial depth).
   */
  publishFullBook(
    instrument: TrackedInstrument,
    levels: BookLevels,
    depth: number,
    exchangeTime: number,
    receivedAt: number,
    sequence?: number,
    lagSample?: number,
  ): void {
    replaceBook(instrument.live.book, levels, depth);
    instrument.counters.updates++;
    this.published(instrument, exchangeTime, receivedAt, sequence, lagSample);
  }

  /** Copies `source` into the instrument's book (a connection switch) and republishes it as it was. */
  adoptBook(instrument: TrackedInstrument, source: OrderBook, sequence: number | undefined): void {
    const book = instrument.live.book;
    if (source !== book) book.applySnapshot(source.top('bid'), source.top('ask'));
    this.published(instrument, instrument.live.exchangeTime, this.clock.now(), sequence);
  }

  /** A message for `instrument` (or for none known) failed validation: counted and reported. */
  invalid(instrument: TrackedInstrument | undefined, error: ArbitrageError): void {
    if (instrument !== undefined) instrument.counters.invalidMessages++;
    this.errors.emit(error);
  }

  error(error: ArbitrageError): void {
    this.errors.emit(error);
  }

  // ---- OrderBookStream reads -------------------------------------------------------------------

  onUpdate(listener: (book: LiveBook) => void): () => void {
    return this.updates.add(listener);
  }

  onStateChange(listener: (change: InstrumentStateChange) => void): () => void {
    return this.changes.add(listener);
  }

  onError(listener: (error: ArbitrageError) => void): () => void {
    return this.errors.add(listener);
  }

  /** The live book of a canonical symbol, once one was published (whatever its state now). */
  book(symbol: string): LiveBook | undefined {
    const instrument = this.bySymbol.get(symbol);
    return instrument?.published ? instrument.live : undefined;
  }

  status(symbol: string): InstrumentStatus | undefined {
    const instrument = this.bySymbol.get(symbol);
    if (instrument === undefined) return undefined;
    if (this.running) this.evaluate(instrument);
    return instrument.status;
  }

  counters(symbol: string): Readonly<InstrumentCounters> | undefined {
    return this.bySymbol.get(symbol)?.counters;
  }

  /** How far `symbol`'s feed is behind the exchange, ms, clock offset taken out; undefined before a sample. */
  lagMs(symbol: string): number | undefined {
    return this.bySymbol.get(symbol)?.lagMs;
  }

  /** The measured clock offset (local − exchange, network floor included), ms; undefined before a sample. */
  get clockOffsetMs(): number | undefined {
    return this.lagBaseline.offsetMs;
  }

  // ---- state -----------------------------------------------------------------------------------

  private judgeLag(instrument: TrackedInstrument, receivedAt: number, exchangeTime: number): void {
    const lag = this.lagBaseline.lagOf(receivedAt, exchangeTime);
    if (lag === undefined) return;
    instrument.lagMs = lag;
    const lagging = lag > this.maxLagMs;
    if (lagging === instrument.lagging) return;
    instrument.lagging = lagging;
    this.logger.info(
      { symbol: instrument.symbol, lagMs: lag, maxLagMs: this.maxLagMs },
      lagging ? 'feed lagging behind the exchange' : 'feed caught up with the exchange',
    );
  }

  private evaluate(instrument: TrackedInstrument): void {
    const now = this.clock.now();
    let state: InstrumentState;
    let reason: string | undefined;
    if (!this.running) {
      state = 'down';
      reason = 'stream stopped';
    } else if (instrument.bookState === 'failed') {
      state = 'failed';
      reason = instrument.bookReason;
    } else if (instrument.link !== 'open') {
      state = instrument.link;
      reason = instrument.linkReason;
    } else if (instrument.bookState !== 'live') {
      state = instrument.bookState;
      reason = instrument.bookReason;
    } else if (now - instrument.lastUpdateAt >= this.staleAfterMs) {
      state = 'stale';
      reason = `no update for ${now - instrument.lastUpdateAt} ms (staleAfterMs ${this.staleAfterMs})${this.options.silenceHint ?? ''}`;
    } else if (instrument.lagging) {
      state = 'stale';
      reason = lagReason(instrument.lagMs ?? 0, this.maxLagMs, this.lagBaseline.offsetMs ?? 0);
    } else {
      state = 'live';
      reason = undefined;
    }
    this.setStatus(instrument, state, reason, now);
  }

  private setStatus(
    instrument: TrackedInstrument,
    state: InstrumentState,
    reason: string | undefined,
    now: number,
  ): void {
    const previous = instrument.status;
    if (previous.state === state) {
      if (previous.reason !== reason) instrument.status = statusOf(state, reason, previous.since);
      return;
    }
    if (state === 'stale') instrument.counters.staleEvents++;
    instrument.status = statusOf(state, reason, now);
    if (state === 'failed') this.logger.warn({ symbol: instrument.symbol, reason }, 'book failed');
    else if (state !== 'live')
      this.logger.info({ symbol: instrument.symbol, state, previous: previous.state, reason }, 'book state');
    this.changes.emit({
      exchange: this.exchange,
      symbol: instrument.symbol,
      previous: previous.state,
      ...instrument.status,
    });
  }

  private scheduleSweep(): void {
    const interval = Math.max(5, Math.min(1_000, Math.floor(this.staleAfterMs / 4)));
    this.sweepTimer = this.clock.setTimeout(() => {
      this.sweepTimer = undefined;
      if (!this.running) return;
      for (const instrument of this.list) if (instrument.status.state === 'live') this.evaluate(instrument);
      this.options.onSweep?.(this.clock.now());
      if (this.running) this.scheduleSweep();
    }, interval);
  }

  private listenerFailed(kind: string, error: unknown): void {
    this.stats.listenerErrors++;
    this.logger.error({ err: error, exchange: this.exchange }, `an ${kind} listener threw; ignored`);
  }
}

function statusOf(state: InstrumentState, reason: string | undefined, since: number): InstrumentStatus {
  return reason === undefined ? { state, since } : { state, reason, since };
}
