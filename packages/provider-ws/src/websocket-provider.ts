import {
  type ArbitrageError,
  type Clock,
  emptyInstrumentCounters,
  type InstrumentHealth,
  type InstrumentId,
  InstrumentSet,
  type InstrumentStateChange,
  type InstrumentStatus,
  instrumentHealth,
  Listeners,
  type LiveBook,
  type Logger,
  type MarketDataProvider,
  noopLogger,
  type OrderBookSnapshot,
  type OrderBookStream,
  optionalPositiveNumber,
  type ProviderHealth,
  positiveNumber,
  type ResolvedInstrument,
  systemClock,
} from '@arbitrage/core';
import { DEFAULT_SNAPSHOT_DEPTH, LEVELS, MS, type WebSocketMarketDataProviderOptions } from './options.js';

const OWNER = 'WebSocketMarketDataProvider';

/** One exchange's stream and the configured instruments it carries. */
interface StreamGroup {
  readonly stream: OrderBookStream;
  readonly instruments: readonly ResolvedInstrument[];
}

/** Called on every update applied to a live book, with the instrument it belongs to. */
export type BookUpdateListener = (instrument: ResolvedInstrument, book: LiveBook) => void;

/**
 * A MarketDataProvider over each exchange's WebSocket order-book stream (one stream per exchange for
 * all its instruments). It keeps no copy of any book: the latest snapshot is materialised from the
 * stream's LiveBook only when read (`getLatestSnapshot`) or when `onSnapshot` listeners exist, so a
 * consumer that never reads pays nothing per update beyond the stream applying it.
 *
 * Health per instrument is the stream's state (connecting, live, stale, resyncing, down, failed) with
 * its reason; an instrument whose last update is older than `staleAfterMs` is reported stale even
 * before the stream's own sweep notices. Only `live` books are fresh.
 */
export class WebSocketMarketDataProvider implements MarketDataProvider {
  readonly instruments: InstrumentSet;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly depth: number;
  private readonly staleAfterMs: number | undefined;
  private readonly streamDepth: number | undefined;
  private readonly createdAt: number;
  private groups: StreamGroup[] | undefined;
  private readonly streamById = new Map<InstrumentId, OrderBookStream>();
  private readonly byBook = new Map<LiveBook, ResolvedInstrument>();
  private readonly snapshotListeners: Listeners<OrderBookSnapshot>;
  private readonly healthListeners: Listeners<InstrumentHealth>;
  private bookListeners: readonly BookUpdateListener[] = [];
  private streamDetachers: Array<() => void> = [];
  private updateDetachers: Array<() => void> = [];
  private running = false;
  private starting: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  /** Bumped by stop(), so a start() interrupted by it does not resume. */
  private epoch = 0;
  /** Listener callbacks that threw (each also logged). */
  listenerErrors = 0;

  constructor(private readonly options: WebSocketMarketDataProviderOptions) {
    this.clock = options.clock ?? systemClock;
    this.logger = (options.logger ?? noopLogger).child({ component: 'ws-provider' });
    this.depth = positiveNumber(OWNER, 'depth', options.depth, DEFAULT_SNAPSHOT_DEPTH, LEVELS);
    this.staleAfterMs = optionalPositiveNumber(OWNER, 'staleAfterMs', options.staleAfterMs, MS);
    this.streamDepth = optionalPositiveNumber(OWNER, 'streamDepth', options.streamDepth, LEVELS);
    this.instruments = new InstrumentSet(options.exchanges, options.symbols);
    this.createdAt = this.clock.now();
    const failed = (kind: string) => (error: unknown) => this.listenerFailed(kind, error);
    this.snapshotListeners = new Listeners(failed('onSnapshot'));
    this.healthListeners = new Listeners(failed('onHealthChange'));
  }

  /** Starts every exchange's stream; resolves when each has opened its connection. */
  start(): Promise<void> {
    if (this.running) return this.starting ?? Promise.resolve();
    this.running = true;
    const epoch = this.epoch;
    // Streams exist (and report 'connecting') as soon as start() returns, unless a stop is finishing.
    let starting: Promise<void>;
    try {
      starting = this.stopping
        ? this.stopping.then(() => this.startStreams(epoch))
        : this.startStreams(epoch);
    } catch (error) {
      // A plugin refused to create its stream (configuration): report it as a rejection.
      starting = Promise.reject(error);
    }
    this.starting = starting;
    return starting;
  }

  /**
   * Stops every stream: no socket, timer or stream listener is left. start() may follow.
   * Does not wait for a pending start(): that may be waiting for a host that never answers, and
   * stopping the streams is what makes it give up (it then resolves).
   */
  stop(): Promise<void> {
    if (!this.running) return this.stopping ?? Promise.resolve();
    this.running = false;
    this.epoch++;
    this.starting = undefined;
    // A start() queued behind an earlier stop sees the new epoch and opens nothing.
    const previous = this.stopping;
    const stopping = (previous ? previous.then(() => this.stopStreams()) : this.stopStreams()).finally(() => {
      if (this.stopping === stopping) this.stopping = undefined;
    });
    this.stopping = stopping;
    return stopping;
  }

  getLatestSnapshot(symbol: string): OrderBookSnapshot | undefined {
    return this.liveBook(this.instruments.lookup(symbol))?.snapshot(this.depth);
  }

  onSnapshot(listener: (snapshot: OrderBookSnapshot) => void): () => void {
    const unsubscribe = this.snapshotListeners.add(listener);
    this.syncUpdateSubscription();
    return () => {
      unsubscribe();
      this.syncUpdateSubscription();
    };
  }

  /** Called on every state change of an instrument (with its full health). Returns unsubscribe. */
  onHealthChange(listener: (health: InstrumentHealth) => void): () => void {
    return this.healthListeners.add(listener);
  }

  /**
   * Called on every update applied to a live book, with the stream's LiveBook (nothing
   * materialised). For composing providers (fail-over); most consumers want onSnapshot.
   */
  onBookUpdate(listener: BookUpdateListener): () => void {
    this.bookListeners = [...this.bookListeners, listener];
    this.syncUpdateSubscription();
    return () => {
      this.bookListeners = this.bookListeners.filter((entry) => entry !== listener);
      this.syncUpdateSubscription();
    };
  }

  health(): ProviderHealth {
    const now = this.clock.now();
    const instruments: Record<InstrumentId, InstrumentHealth> = {};
    let allLive = true;
    for (const instrument of this.instruments.instruments) {
      const health = this.instrumentHealth(instrument, now);
      instruments[instrument.id] = health;
      if (health.state !== 'live') allLive = false;
    }
    return { at: now, allLive, instruments };
  }

  /** The stream's LiveBook of a configured instrument, once one exists (whatever its state). */
  liveBook(instrument: ResolvedInstrument): LiveBook | undefined {
    return this.streamOf(instrument)?.book(instrument.symbol);
  }

  /** One instrument's health as `health()` reports it. */
  instrumentHealth(instrument: ResolvedInstrument, now = this.clock.now()): InstrumentHealth {
    const stream = this.streamOf(instrument);
    const book = stream?.book(instrument.symbol);
    let status: InstrumentStatus = stream?.status(instrument.symbol) ?? {
      state: 'connecting',
      reason: 'provider not started',
      since: this.createdAt,
    };
    const lastUpdateAt = book !== undefined && book.receivedAt > 0 ? book.receivedAt : undefined;
    const ageMs = lastUpdateAt === undefined ? undefined : Math.max(0, now - lastUpdateAt);
    if (
      status.state === 'live' &&
      this.staleAfterMs !== undefined &&
      ageMs !== undefined &&
      ageMs > this.staleAfterMs
    ) {
      // The stream sweeps on a timer; between sweeps (or after an event-loop stall) age decides.
      status = {
        state: 'stale',
        reason: `no update for ${ageMs} ms (staleAfterMs ${this.staleAfterMs})`,
        since: lastUpdateAt! + this.staleAfterMs,
      };
    }
    return instrumentHealth(
      instrument,
      {
        ...status,
        reason: status.reason,
        source: 'ws',
        lastUpdateAt,
        counters: stream?.counters(instrument.symbol) ?? emptyInstrumentCounters(),
      },
      now,
    );
  }

  // ------------------------------------------------------------------ lifecycle

  private startStreams(epoch: number): Promise<void> {
    if (epoch !== this.epoch) return Promise.resolve();
    const groups = this.ensureStreams();
    for (const group of groups) {
      this.streamDetachers.push(
        group.stream.onStateChange((change) => this.stateChanged(change)),
        group.stream.onError((error) => this.streamError(error)),
      );
    }
    this.syncUpdateSubscription();
    return Promise.all(groups.map((group) => group.stream.start())).then(
      () => undefined,
      (error: unknown) => {
        // A stop() during start makes the streams give up opening: that is not a failure.
        if (epoch === this.epoch) throw error;
      },
    );
  }

  private async stopStreams(): Promise<void> {
    const groups = this.groups ?? [];
    // Stopped first, detached after: health listeners see every instrument go down.
    await Promise.all(groups.map((group) => group.stream.stop()));
    for (const detach of this.streamDetachers) detach();
    this.streamDetachers = [];
    this.detachUpdates();
  }

  /** Streams are made once and reused across restarts (plugins keep every stream they made). */
  private ensureStreams(): StreamGroup[] {
    if (this.groups) return this.groups;
    const groups: StreamGroup[] = [];
    for (const [plugin, instruments] of this.instruments.byPlugin()) {
      const stream = plugin.createOrderBookStream({
        symbols: instruments.map((instrument) => instrument.symbol),
        ...(this.staleAfterMs === undefined ? {} : { staleAfterMs: this.staleAfterMs }),
        ...(this.streamDepth === undefined ? {} : { depth: this.streamDepth }),
        ...(this.options.clock === undefined ? {} : { clock: this.options.clock }),
        ...(this.options.logger === undefined ? {} : { logger: this.options.logger }),
      });
      groups.push({ stream, instruments });
      for (const instrument of instruments) this.streamById.set(instrument.id, stream);
    }
    this.groups = groups;
    return groups;
  }

  private streamOf(instrument: ResolvedInstrument): OrderBookStream | undefined {
    return this.streamById.get(instrument.id);
  }

  /** The per-update listener is attached only while someone wants updates (and the provider runs). */
  private syncUpdateSubscription(): void {
    const wanted = this.running && (this.snapshotListeners.size > 0 || this.bookListeners.length > 0);
    if (!wanted) {
      this.detachUpdates();
      return;
    }
    if (this.updateDetachers.length > 0 || !this.groups) return;
    for (const group of this.groups) {
      this.updateDetachers.push(group.stream.onUpdate((book) => this.updated(group, book)));
    }
  }

  private detachUpdates(): void {
    for (const detach of this.updateDetachers) detach();
    this.updateDetachers = [];
  }

  // ------------------------------------------------------------------ stream events

  private updated(group: StreamGroup, book: LiveBook): void {
    let instrument = this.byBook.get(book);
    if (instrument === undefined) {
      instrument = group.instruments.find((candidate) => candidate.symbol === book.symbol);
      if (instrument === undefined) return;
      this.byBook.set(book, instrument);
    }
    const bookListeners = this.bookListeners;
    for (let i = 0; i < bookListeners.length; i++) {
      try {
        bookListeners[i]!(instrument, book);
      } catch (error) {
        this.listenerFailed('onBookUpdate', error);
      }
    }
    if (this.snapshotListeners.size > 0) this.snapshotListeners.emit(book.snapshot(this.depth));
  }

  private stateChanged(change: InstrumentStateChange): void {
    if (this.healthListeners.size === 0) return;
    const instrument = this.instruments.instruments.find(
      (candidate) => candidate.exchange === change.exchange && candidate.symbol === change.symbol,
    );
    if (instrument !== undefined) this.healthListeners.emit(this.instrumentHealth(instrument));
  }

  private listenerFailed(kind: string, error: unknown): void {
    this.listenerErrors++;
    this.logger.error({ err: error }, `an ${kind} listener threw; ignored`);
  }

  private streamError(error: ArbitrageError): void {
    // Already counted per instrument by the stream and reflected in its state; kept for diagnosis.
    this.logger.debug({ code: error.code, err: error }, error.message);
  }
}
