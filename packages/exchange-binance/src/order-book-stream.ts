import {
  type ArbitrageError,
  type Clock,
  ConfigError,
  createLiveBook,
  emptyInstrumentCounters,
  type InstrumentCounters,
  type InstrumentState,
  type InstrumentStateChange,
  type InstrumentStatus,
  InvalidMessageError,
  LagBaseline,
  type LiveBook,
  type LiveBookState,
  type Logger,
  lagReason,
  noopLogger,
  OrderBook,
  type OrderBookStream,
  type OrderBookStreamOptions,
  systemClock,
  type TimerHandle,
} from '@arbitrage/core';
import type { CloseEvent } from '@arbitrage/ws-client';
import {
  BinanceDepthConnection,
  type BinanceDepthConnectionOptions,
  type DepthConnectionHost,
} from './depth-connection.js';
import type { DepthEvent } from './depth-event.js';
import { type DepthSyncListener, DiffDepthSync, type DiffDepthSyncOptions } from './depth-sync.js';
import { PartialDepthBook } from './partial-depth.js';
import { type BinanceRestClient, type DepthSnapshot, depthWeight } from './rest-client.js';
import { SnapshotScheduler } from './snapshot-scheduler.js';
import { BINANCE_EXCHANGE_ID, type BinanceSymbolMapper } from './symbols.js';
import { idToNumber } from './update-id.js';

export const DEFAULT_WS_URL = 'wss://stream.binance.com:9443';

/** `diff`: full local book from diff depth + REST snapshot (B5). `partial`: depth5/10/20 snapshots. */
export type BinanceBookMode = 'diff' | 'partial';

export type ConnectionTuning = Partial<
  Omit<BinanceDepthConnectionOptions, 'url' | 'streams' | 'host' | 'name' | 'clock' | 'logger'>
>;

export type SyncTuning = Partial<
  Omit<DiffDepthSyncOptions, 'symbol' | 'book' | 'fetchSnapshot' | 'listener' | 'counters' | 'clock'>
>;

export interface BinanceOrderBookStreamOptions extends OrderBookStreamOptions {
  readonly rest: BinanceRestClient;
  /** Told when the stream starts (true) and stops (false); the plugin tracks running streams with it. */
  readonly onRunningChange?: (running: boolean) => void;
  /** Base WebSocket URL (default wss://stream.binance.com:9443); `/stream` is appended. */
  readonly wsUrl?: string;
  /** Shared snapshot scheduler (one per plugin); a private one is made when absent. */
  readonly scheduler?: SnapshotScheduler;
  readonly mode?: BinanceBookMode;
  /** Update speed of the streams (default '100ms'). */
  readonly updateSpeed?: '100ms' | '1000ms';
  /** REST snapshot size in diff mode (default `depth`, else 5000 as B5 says; weight 250). */
  readonly snapshotLimit?: number;
  /** Streams per connection (Binance allows 1024). */
  readonly maxStreamsPerConnection?: number;
  /** A connection is replaced (make-before-break) after this long (default 23 h; Binance cuts at 24 h). */
  readonly maxConnectionAgeMs?: number;
  /** A replacement that has not synced every symbol after this long takes over anyway (default 60 s). */
  readonly rotationTimeoutMs?: number;
  /**
   * Largest lag behind the exchange before a live book is reported `stale`, ms: arrival time minus
   * the event's `E`, minus the clock offset (see `lagBaselineWindowMs`). Default: the smaller of
   * `staleAfterMs` and 1000. Diff mode only: partial-depth messages carry no `E`.
   */
  readonly maxLagMs?: number;
  /**
   * Window of the clock-offset baseline, ms (default 300000): the least `arrival − E` seen over it
   * is taken as clock offset plus network floor, so a constant clock skew is never lag. A delay that
   * stays constant longer than this is absorbed into the baseline.
   */
  readonly lagBaselineWindowMs?: number;
  readonly connection?: ConnectionTuning;
  readonly sync?: SyncTuning;
}

/** One subscribed symbol: its LiveBook, counters and reported state. */
interface SymbolFeed {
  readonly symbol: string;
  readonly nativeSymbol: string;
  readonly stream: string;
  readonly live: LiveBookState;
  readonly counters: InstrumentCounters;
  readonly shard: Shard;
  status: InstrumentStatus;
  /** The connection attachment whose book is `live.book`. */
  active: Attachment;
  everLive: boolean;
  lastUpdateAt: number;
  lastResubscribeAt: number;
  /** Lag of the last event with an `E` on the active connection, offset taken out; undefined before one. */
  lagMs: number | undefined;
  /** That lag is over maxLagMs: the book is not fresh however often it updates. */
  lagging: boolean;
}

/** A symbol's book keeper on one connection. */
interface Attachment {
  readonly feed: SymbolFeed;
  readonly handle: ConnectionHandle;
  keeper: DiffDepthSync | PartialDepthBook;
  subscription: 'pending' | 'acked' | 'failed';
  subscriptionReason: string | undefined;
}

interface ConnectionHandle {
  conn: BinanceDepthConnection;
  readonly shard: Shard;
  readonly attachments: Map<string, Attachment>;
  everOpened: boolean;
  downReason: string;
  ageTimer: TimerHandle | undefined;
}

interface Shard {
  readonly index: number;
  readonly feeds: SymbolFeed[];
  current: ConnectionHandle | undefined;
  replacement: ConnectionHandle | undefined;
  rotationTimer: TimerHandle | undefined;
  rotations: number;
}

function positiveMs(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(value > 0))
    throw new ConfigError(`Binance stream option ${name} must be a positive number of ms, got ${value}`);
  return value;
}

function streamUrl(wsUrl: string): string {
  const base = wsUrl.replace(/\/+$/, '');
  if (base.endsWith('/stream')) return base;
  if (base.endsWith('/ws')) return `${base.slice(0, -3)}/stream`;
  return `${base}/stream`;
}

/**
 * Binance order books over combined streams, implementing core's OrderBookStream.
 *
 * Symbols are sharded across connections (≤ maxStreamsPerConnection streams each). On every
 * connection each symbol has a keeper (DiffDepthSync or PartialDepthBook); the one on the active
 * connection writes into the symbol's LiveBook. Before the 24 h cut-off and on serverShutdown a
 * replacement connection is opened and synced with private books; each symbol switches over as
 * soon as its new book is live and caught up (the book is copied once), then the old connection is
 * closed, so no symbol goes stale. Per-symbol states: connecting, live, stale (no update for
 * staleAfterMs, or no usable snapshot), resyncing, down (connection lost), failed (SUBSCRIBE
 * failed, or halted on a crossed book). onUpdate fires only for live books.
 *
 * Lag: every depthUpdate's `arrival − E`, less the clock offset (`LagBaseline`), is its lag; over
 * `maxLagMs` a live book is reported stale ('lagging N ms behind the exchange …') and not emitted,
 * until an event arrives within `maxLagMs` again. Partial depth carries no `E`: no lag check there.
 */
export class BinanceOrderBookStream implements OrderBookStream {
  readonly mode: BinanceBookMode;
  private readonly rest: BinanceRestClient;
  private readonly scheduler: SnapshotScheduler;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly url: string;
  private readonly feeds = new Map<string, SymbolFeed>();
  private readonly shards: Shard[] = [];
  private readonly closing = new Set<Promise<void>>();
  private readonly updateListeners: Array<(book: LiveBook) => void> = [];
  private readonly stateListeners: Array<(change: InstrumentStateChange) => void> = [];
  private readonly errorListeners: Array<(error: ArbitrageError) => void> = [];
  private readonly staleAfterMs: number;
  private readonly snapshotLimit: number;
  private readonly maxStreams: number;
  private readonly maxAgeMs: number;
  private readonly rotationTimeoutMs: number;
  private readonly maxLagMs: number;
  private readonly lagBaseline: LagBaseline;
  /** Arrival time of the frame being applied (ws-client's), 0 outside one. */
  private frameReceivedAt = 0;
  private sweepTimer: TimerHandle | undefined;
  private readonly retryTimers = new Set<TimerHandle>();
  private running = false;
  private connectionCount = 0;
  /** Invalid frames that named no symbol of this stream. */
  unattributedInvalid = 0;

  constructor(private readonly options: BinanceOrderBookStreamOptions) {
    this.rest = options.rest;
    this.clock = options.clock ?? systemClock;
    this.logger = (options.logger ?? noopLogger).child({ exchange: BINANCE_EXCHANGE_ID });
    this.mode = options.mode ?? 'diff';
    this.url = streamUrl(options.wsUrl ?? DEFAULT_WS_URL);
    this.staleAfterMs = options.staleAfterMs ?? 5_000;
    this.snapshotLimit = Math.min(5000, Math.max(1, options.snapshotLimit ?? options.depth ?? 5000));
    this.maxStreams = Math.min(1024, Math.max(1, options.maxStreamsPerConnection ?? 1024));
    this.maxAgeMs = options.maxConnectionAgeMs ?? 23 * 60 * 60 * 1000;
    this.rotationTimeoutMs = options.rotationTimeoutMs ?? 60_000;
    this.maxLagMs = positiveMs('maxLagMs', options.maxLagMs, Math.min(this.staleAfterMs, 1_000));
    this.lagBaseline = new LagBaseline(
      positiveMs('lagBaselineWindowMs', options.lagBaselineWindowMs, 300_000),
    );
    this.scheduler =
      options.scheduler ?? new SnapshotScheduler({ budget: this.rest.budget, clock: this.clock });
    this.buildFeeds(options.symbols, this.rest.symbols);
  }

  // ---- OrderBookStream -------------------------------------------------------------------------

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.options.onRunningChange?.(true);
    const opening: Promise<void>[] = [];
    for (const shard of this.shards) {
      const handle = this.openConnection(shard, false);
      shard.current = handle;
      for (const feed of shard.feeds) feed.active = handle.attachments.get(feed.stream)!;
      opening.push(handle.conn.connect());
    }
    this.scheduleSweep();
    try {
      await Promise.all(opening);
    } catch (error) {
      if (this.running) throw error;
    }
  }

  async stop(): Promise<void> {
    if (this.running) this.options.onRunningChange?.(false);
    this.running = false;
    this.clock.clearTimeout(this.sweepTimer);
    this.sweepTimer = undefined;
    for (const timer of this.retryTimers) this.clock.clearTimeout(timer);
    this.retryTimers.clear();
    const closing: Promise<void>[] = [...this.closing];
    for (const shard of this.shards) {
      this.clock.clearTimeout(shard.rotationTimer);
      shard.rotationTimer = undefined;
      for (const handle of [shard.current, shard.replacement]) {
        if (!handle) continue;
        closing.push(this.closeConnection(handle));
      }
      shard.current = undefined;
      shard.replacement = undefined;
    }
    // Stopping the keepers aborted their snapshot requests, queued or running.
    await Promise.all(closing);
  }

  onUpdate(listener: (book: LiveBook) => void): () => void {
    return this.listen(this.updateListeners, listener);
  }

  onStateChange(listener: (change: InstrumentStateChange) => void): () => void {
    return this.listen(this.stateListeners, listener);
  }

  onError(listener: (error: ArbitrageError) => void): () => void {
    return this.listen(this.errorListeners, listener);
  }

  book(symbol: string): LiveBook | undefined {
    const feed = this.feeds.get(symbol);
    return feed?.everLive ? feed.live : undefined;
  }

  status(symbol: string): InstrumentStatus | undefined {
    const feed = this.feeds.get(symbol);
    if (!feed) return undefined;
    if (this.running) this.evaluate(feed);
    return feed.status;
  }

  counters(symbol: string): Readonly<InstrumentCounters> | undefined {
    return this.feeds.get(symbol)?.counters;
  }

  /**
   * How far `symbol`'s feed is behind the exchange, ms, measured on its last event with an `E`
   * (clock offset taken out); undefined before the first such event, and always in partial mode.
   */
  lagMs(symbol: string): number | undefined {
    return this.feeds.get(symbol)?.lagMs;
  }

  /** The measured clock offset (local − exchange, network floor included), ms; undefined before the first event. */
  get clockOffsetMs(): number | undefined {
    return this.lagBaseline.offsetMs;
  }

  /** Connections open or opening now (replacements during a rotation included). */
  get connections(): number {
    let count = 0;
    for (const shard of this.shards) count += (shard.current ? 1 : 0) + (shard.replacement ? 1 : 0);
    return count;
  }

  /** Completed make-before-break rotations (24 h age or serverShutdown). */
  get rotations(): number {
    return this.shards.reduce((sum, shard) => sum + shard.rotations, 0);
  }

  /** The connection objects of every shard (current ones), for diagnostics and tests. */
  connectionClients(): BinanceDepthConnection[] {
    return this.shards.flatMap((shard) => (shard.current ? [shard.current.conn] : []));
  }

  /** Starts a make-before-break replacement of every connection now (what serverShutdown triggers). */
  rotateConnections(reason = 'requested'): void {
    for (const shard of this.shards) this.rotate(shard, reason);
  }

  // ---- setup -----------------------------------------------------------------------------------

  private buildFeeds(symbols: readonly string[], mapper: BinanceSymbolMapper): void {
    const unique = [...new Set(symbols)];
    const suffix =
      this.mode === 'partial'
        ? `@depth${this.partialLevels()}${this.options.updateSpeed === '1000ms' ? '' : '@100ms'}`
        : `@depth${this.options.updateSpeed === '1000ms' ? '' : '@100ms'}`;
    let shard: Shard | undefined;
    for (const symbol of unique) {
      const nativeSymbol = mapper.toNative(symbol);
      if (!shard || shard.feeds.length >= this.maxStreams) {
        shard = {
          index: this.shards.length,
          feeds: [],
          current: undefined,
          replacement: undefined,
          rotationTimer: undefined,
          rotations: 0,
        };
        this.shards.push(shard);
      }
      const feed: SymbolFeed = {
        symbol,
        nativeSymbol,
        stream: `${nativeSymbol.toLowerCase()}${suffix}`,
        live: createLiveBook({ exchange: BINANCE_EXCHANGE_ID, symbol, nativeSymbol }),
        counters: emptyInstrumentCounters(),
        shard,
        status: { state: 'connecting', reason: 'not started', since: this.clock.now() },
        active: undefined as unknown as Attachment,
        everLive: false,
        lastUpdateAt: 0,
        lastResubscribeAt: 0,
        lagMs: undefined,
        lagging: false,
      };
      shard.feeds.push(feed);
      this.feeds.set(symbol, feed);
    }
  }

  private partialLevels(): 5 | 10 | 20 {
    const depth = this.options.depth ?? 20;
    return depth <= 5 ? 5 : depth <= 10 ? 10 : 20;
  }

  private openConnection(shard: Shard, replacement: boolean): ConnectionHandle {
    const attachments = new Map<string, Attachment>();
    const handle: ConnectionHandle = {
      conn: undefined as unknown as BinanceDepthConnection,
      shard,
      attachments,
      everOpened: false,
      downReason: 'connecting',
      ageTimer: undefined,
    };
    const host: DepthConnectionHost = {
      depth: (_c, stream, event, receivedAt) => this.onDepth(handle, stream, event, receivedAt),
      invalid: (_c, stream, error) => this.onInvalid(handle, stream, error),
      error: (_c, error) => this.onConnectionError(error),
      opened: () => this.onOpened(handle),
      closed: (_c, event) => this.onClosed(handle, event),
      subscription: (_c, streams, ok, reason) => this.onSubscription(handle, streams, ok, reason),
      shutdown: () => this.onShutdown(handle),
    };
    const tuning = this.options.connection ?? {};
    const conn = new BinanceDepthConnection({
      ...tuning,
      url: this.url,
      name: `binance-depth-${shard.index}-${++this.connectionCount}`,
      streams: shard.feeds.map((feed) => feed.stream),
      host,
      clock: this.clock,
      logger: this.logger,
      // Nothing at all for two freshness windows: the connection is dead, reconnect.
      staleAfterMs: tuning.staleAfterMs ?? this.staleAfterMs * 2,
    });
    handle.conn = conn;
    for (const feed of shard.feeds) {
      // The first connection writes straight into the LiveBook; a replacement into private books.
      const book = replacement ? new OrderBook() : feed.live.book;
      attachments.set(feed.stream, this.attach(feed, handle, book));
    }
    return handle;
  }

  private attach(feed: SymbolFeed, handle: ConnectionHandle, book: OrderBook): Attachment {
    const attachment: Attachment = {
      feed,
      handle,
      keeper: undefined as unknown as DiffDepthSync | PartialDepthBook,
      subscription: 'pending',
      subscriptionReason: undefined,
    };
    const listener: DepthSyncListener = {
      state: () => this.onKeeperState(attachment),
      applied: (eventTime) => this.onApplied(attachment, eventTime),
      error: (error) => this.emitError(error),
    };
    const keeper =
      this.mode === 'partial'
        ? new PartialDepthBook({ symbol: feed.symbol, book, listener, counters: feed.counters })
        : new DiffDepthSync({
            ...this.options.sync,
            symbol: feed.symbol,
            book,
            listener,
            counters: feed.counters,
            clock: this.clock,
            fetchSnapshot: (signal) => this.fetchSnapshot(feed.nativeSymbol, signal),
          });
    attachment.keeper = keeper;
    return attachment;
  }

  private fetchSnapshot(nativeSymbol: string, signal: AbortSignal): Promise<DepthSnapshot> {
    const limit = this.snapshotLimit;
    return this.scheduler.run(depthWeight(limit), signal, (taskSignal) =>
      this.rest.depth(nativeSymbol, limit, taskSignal),
    );
  }

  private closeConnection(handle: ConnectionHandle): Promise<void> {
    this.clock.clearTimeout(handle.ageTimer);
    handle.ageTimer = undefined;
    // A detached keeper writes into a private book, so stopping it touches nothing shared.
    for (const attachment of handle.attachments.values()) attachment.keeper.stop();
    const done = handle.conn.disconnect().catch((error: unknown) => {
      this.logger.warn({ err: error }, 'closing a Binance connection failed');
    });
    this.closing.add(done);
    void done.finally(() => this.closing.delete(done));
    return done;
  }

  // ---- connection events -----------------------------------------------------------------------

  private onDepth(handle: ConnectionHandle, stream: string, event: DepthEvent, receivedAt: number): void {
    const attachment = handle.attachments.get(stream);
    if (!attachment) return;
    if (attachment.subscription !== 'acked') {
      // Data is proof enough of a subscription (an ack may be late).
      attachment.subscription = 'acked';
      attachment.subscriptionReason = undefined;
    }
    if (event.eventTime > 0) this.measureLag(attachment, event.eventTime, receivedAt);
    this.frameReceivedAt = receivedAt;
    try {
      attachment.keeper.onEvent(event);
    } finally {
      this.frameReceivedAt = 0;
    }
  }

  /** Judged before the event is applied, so a lagging book is never emitted as live. */
  private measureLag(attachment: Attachment, eventTime: number, receivedAt: number): void {
    const lag = this.lagBaseline.lagOf(receivedAt, eventTime);
    const feed = attachment.feed;
    if (lag === undefined || feed.active !== attachment) return;
    feed.lagMs = lag;
    const lagging = lag > this.maxLagMs;
    if (lagging === feed.lagging) return;
    feed.lagging = lagging;
    this.logger.info(
      { symbol: feed.symbol, lagMs: lag, maxLagMs: this.maxLagMs },
      lagging ? 'feed lagging behind the exchange' : 'feed caught up with the exchange',
    );
    this.evaluate(feed);
  }

  private onInvalid(handle: ConnectionHandle, stream: string, error: InvalidMessageError): void {
    const attachment = handle.attachments.get(stream);
    if (!attachment) {
      this.onConnectionError(error);
      return;
    }
    attachment.feed.counters.invalidMessages++;
    attachment.keeper.onInvalidEvent(error.reason);
    this.emitError(error);
  }

  private onConnectionError(error: ArbitrageError): void {
    if (error instanceof InvalidMessageError) this.unattributedInvalid++;
    this.emitError(error);
  }

  private onOpened(handle: ConnectionHandle): void {
    handle.everOpened = true;
    for (const attachment of handle.attachments.values()) {
      attachment.subscription = 'pending';
      attachment.subscriptionReason = undefined;
      attachment.keeper.start();
      if (attachment.feed.active === attachment) this.evaluate(attachment.feed);
    }
    const shard = handle.shard;
    if (shard.current === handle) this.scheduleAgeRotation(handle);
  }

  private onClosed(handle: ConnectionHandle, event: CloseEvent): void {
    this.clock.clearTimeout(handle.ageTimer);
    handle.ageTimer = undefined;
    handle.downReason = `connection closed with ${event.code}${event.reason ? ` (${event.reason})` : ''}${event.requested ? '' : '; reconnecting'}`;
    const shard = handle.shard;
    const isCurrent = shard.current === handle;
    const isReplacement = shard.replacement === handle;
    for (const attachment of handle.attachments.values()) {
      attachment.subscription = 'pending';
      attachment.keeper.reset();
      if (attachment.feed.active === attachment) {
        // The next connection's events say afresh whether the feed lags.
        attachment.feed.lagging = false;
        attachment.feed.live.reset();
        this.evaluate(attachment.feed);
      }
    }
    if (isCurrent && shard.replacement !== undefined && !event.requested) {
      // The old connection died mid-rotation: the replacement takes over now.
      this.completeRotation(shard);
    } else if (!isCurrent && !isReplacement) {
      this.logger.debug({ code: event.code }, 'retired connection closed');
    }
  }

  private onSubscription(
    handle: ConnectionHandle,
    streams: readonly string[],
    ok: boolean,
    reason?: string,
  ): void {
    for (const stream of streams) {
      const attachment = handle.attachments.get(stream);
      if (!attachment) continue;
      if (ok) {
        if (attachment.subscription !== 'acked') attachment.subscription = 'acked';
        attachment.subscriptionReason = undefined;
      } else {
        attachment.subscription = 'failed';
        attachment.subscriptionReason = `SUBSCRIBE failed: ${reason ?? 'unknown reason'}; retrying`;
      }
      if (attachment.feed.active === attachment) this.evaluate(attachment.feed);
    }
  }

  private onShutdown(handle: ConnectionHandle): void {
    if (handle.shard.current === handle) this.rotate(handle.shard, 'serverShutdown');
  }

  // ---- keeper events -----------------------------------------------------------------------------

  private onKeeperState(attachment: Attachment): void {
    const feed = attachment.feed;
    if (feed.active === attachment) {
      if (attachment.keeper.state === 'live') feed.lastUpdateAt = this.clock.now();
      this.evaluate(feed);
      return;
    }
    if (feed.shard.replacement === attachment.handle && attachment.keeper.state === 'live') {
      this.maybeSwitch(feed, attachment);
    }
  }

  private onApplied(attachment: Attachment, eventTime: number): void {
    const feed = attachment.feed;
    if (feed.active !== attachment) {
      if (feed.shard.replacement === attachment.handle) this.maybeSwitch(feed, attachment);
      return;
    }
    // An event applied as its frame arrives carries the frame's arrival; one applied later (bridging
    // after a REST snapshot) the time it was applied.
    const now = this.frameReceivedAt > 0 ? this.frameReceivedAt : this.clock.now();
    feed.live.recordUpdate(eventTime > 0 ? eventTime : now, now, idToNumber(attachment.keeper.updateId));
    feed.lastUpdateAt = now;
    if (feed.status.state !== 'live') this.evaluate(feed);
    if (feed.status.state !== 'live') return;
    const listeners = this.updateListeners;
    for (let i = 0; i < listeners.length; i++) {
      try {
        listeners[i]!(feed.live);
      } catch (error) {
        this.logger.error({ err: error, symbol: feed.symbol }, 'an onUpdate listener threw; ignored');
      }
    }
  }

  // ---- state -------------------------------------------------------------------------------------

  private evaluate(feed: SymbolFeed): void {
    const attachment = feed.active;
    const handle = attachment.handle;
    const now = this.clock.now();
    let state: InstrumentState;
    let reason: string | undefined;
    if (!this.running) {
      state = 'down';
      reason = 'stream stopped';
    } else if (!handle.conn.isOpen) {
      state = handle.everOpened ? 'down' : 'connecting';
      reason = handle.downReason;
    } else if (attachment.subscription === 'failed') {
      state = 'failed';
      reason = attachment.subscriptionReason;
    } else {
      state = attachment.keeper.state;
      reason = attachment.keeper.reason;
      if (state !== 'live' && attachment.subscription === 'pending') {
        reason = 'SUBSCRIBE sent; waiting for the ack';
      } else if (state === 'live' && now - feed.lastUpdateAt >= this.staleAfterMs) {
        state = 'stale';
        reason = `no update for ${now - feed.lastUpdateAt} ms (staleAfterMs ${this.staleAfterMs})`;
      } else if (state === 'live' && feed.lagging) {
        state = 'stale';
        reason = lagReason(feed.lagMs ?? 0, this.maxLagMs, this.lagBaseline.offsetMs ?? 0);
      }
    }
    this.setStatus(feed, state, reason, now);
  }

  private setStatus(feed: SymbolFeed, state: InstrumentState, reason: string | undefined, now: number): void {
    const previous = feed.status;
    if (previous.state === state) {
      if (previous.reason !== reason) {
        feed.status = { state, ...(reason === undefined ? {} : { reason }), since: previous.since };
      }
      return;
    }
    if (state === 'stale') feed.counters.staleEvents++;
    if (state === 'live') feed.everLive = true;
    feed.status = { state, ...(reason === undefined ? {} : { reason }), since: now };
    const change: InstrumentStateChange = {
      exchange: BINANCE_EXCHANGE_ID,
      symbol: feed.symbol,
      state,
      ...(reason === undefined ? {} : { reason }),
      since: now,
      previous: previous.state,
    };
    if (state !== 'live')
      this.logger.info({ symbol: feed.symbol, state, previous: previous.state, reason }, 'book state');
    for (const listener of [...this.stateListeners]) {
      try {
        listener(change);
      } catch (error) {
        this.logger.error({ err: error, symbol: feed.symbol }, 'an onStateChange listener threw; ignored');
      }
    }
  }

  /** Freshness: live books with no update for staleAfterMs go stale; silent ones are resubscribed. */
  private scheduleSweep(): void {
    const interval = Math.max(5, Math.min(1_000, Math.floor(this.staleAfterMs / 4)));
    this.sweepTimer = this.clock.setTimeout(() => {
      this.sweepTimer = undefined;
      if (!this.running) return;
      this.sweep();
      this.scheduleSweep();
    }, interval);
  }

  private sweep(): void {
    const now = this.clock.now();
    for (const feed of this.feeds.values()) {
      const attachment = feed.active;
      if (attachment === undefined || attachment.keeper.state !== 'live') continue;
      this.evaluate(feed);
      const silentFor = now - feed.lastUpdateAt;
      const conn = attachment.handle.conn;
      if (
        silentFor >= 2 * this.staleAfterMs &&
        now - feed.lastResubscribeAt >= 2 * this.staleAfterMs &&
        now - conn.counters.lastDataAt < this.staleAfterMs
      ) {
        // Others flow on this connection, this one is silent: ask again for its stream.
        feed.lastResubscribeAt = now;
        this.logger.warn(
          { symbol: feed.symbol, silentFor },
          'stream silent while others flow; resubscribing',
        );
        conn.resubscribe([feed.stream]);
      }
    }
  }

  // ---- rotation ----------------------------------------------------------------------------------

  private scheduleAgeRotation(handle: ConnectionHandle): void {
    this.clock.clearTimeout(handle.ageTimer);
    handle.ageTimer = this.clock.setTimeout(() => {
      handle.ageTimer = undefined;
      if (handle.shard.current === handle) this.rotate(handle.shard, `connection age ${this.maxAgeMs} ms`);
    }, this.maxAgeMs);
  }

  private rotate(shard: Shard, reason: string): void {
    if (!this.running || shard.replacement !== undefined || shard.current === undefined) return;
    this.logger.info({ shard: shard.index, reason }, 'opening a replacement connection');
    const handle = this.openConnection(shard, true);
    shard.replacement = handle;
    shard.rotationTimer = this.clock.setTimeout(() => {
      shard.rotationTimer = undefined;
      if (shard.replacement !== handle) return;
      if (handle.conn.isOpen || !shard.current?.conn.isOpen) {
        this.completeRotation(shard);
        return;
      }
      // The replacement never opened while the old connection still works: keep the old one, try later.
      this.logger.warn(
        { shard: shard.index },
        'replacement connection did not open in time; keeping the current one',
      );
      shard.replacement = undefined;
      void this.closeConnection(handle);
      const retry = this.clock.setTimeout(() => {
        this.retryTimers.delete(retry);
        if (shard.current !== undefined) this.rotate(shard, `retry: ${reason}`);
      }, this.rotationTimeoutMs);
      this.retryTimers.add(retry);
    }, this.rotationTimeoutMs);
    handle.conn.connect().catch((error: unknown) => {
      if (this.running) this.logger.warn({ err: error }, 'replacement connection did not open');
    });
  }

  /** Switches a symbol to the replacement once its book there is live and not behind the old one. */
  private maybeSwitch(feed: SymbolFeed, candidate: Attachment): void {
    const current = feed.active;
    if (current === candidate || candidate.keeper.state !== 'live') return;
    if (
      current.keeper.state === 'live' &&
      current.handle.conn.isOpen &&
      candidate.keeper.updateId < current.keeper.updateId
    ) {
      return;
    }
    this.switchTo(feed, candidate);
    const shard = feed.shard;
    if (shard.feeds.every((f) => f.active.handle === shard.replacement)) this.completeRotation(shard);
  }

  private switchTo(feed: SymbolFeed, next: Attachment): void {
    const previous = feed.active;
    const live = feed.live;
    const source = next.keeper.orderBook;
    if (source !== live.book) {
      live.book.applySnapshot(source.top('bid'), source.top('ask'));
      next.keeper.setBook(live.book);
    }
    // The old keeper keeps running on a private book until its connection closes.
    previous.keeper.setBook(new OrderBook());
    feed.active = next;
    if (next.keeper.state === 'live') {
      const now = this.clock.now();
      live.recordUpdate(live.exchangeTime, now, idToNumber(next.keeper.updateId));
      feed.lastUpdateAt = now;
    }
    this.evaluate(feed);
  }

  private completeRotation(shard: Shard): void {
    const next = shard.replacement;
    const old = shard.current;
    if (!next || !old) return;
    this.clock.clearTimeout(shard.rotationTimer);
    shard.rotationTimer = undefined;
    for (const feed of shard.feeds) {
      if (feed.active.handle !== next) this.switchTo(feed, next.attachments.get(feed.stream)!);
    }
    shard.current = next;
    shard.replacement = undefined;
    shard.rotations++;
    if (next.conn.isOpen) this.scheduleAgeRotation(next);
    this.logger.info({ shard: shard.index }, 'switched to the replacement connection; closing the old one');
    void this.closeConnection(old);
  }

  // ---- listeners ---------------------------------------------------------------------------------

  private emitError(error: ArbitrageError): void {
    for (const listener of [...this.errorListeners]) {
      try {
        listener(error);
      } catch (cause) {
        this.logger.error({ err: cause }, 'an onError listener threw; ignored');
      }
    }
  }

  private listen<T>(listeners: T[], listener: T): () => void {
    listeners.push(listener);
    return () => {
      const index = listeners.indexOf(listener);
      if (index >= 0) listeners.splice(index, 1);
    };
  }
}
