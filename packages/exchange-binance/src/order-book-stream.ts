import {
  type ArbitrageError,
  type ExchangeTransport,
  InvalidMessageError,
  type Logger,
  noopLogger,
  OrderBook,
  type OrderBookStreamOptions,
  systemClock,
  type TimerHandle,
  type WireTap,
} from '@arbitrage/core';
import {
  InstrumentTracker,
  idToNumber,
  positiveMs,
  RequestScheduler,
  SequencedSync,
  type SequencedSyncOptions,
  type SyncListener,
  type TrackedInstrument,
  TrackedStream,
  type UpdateId,
} from '@arbitrage/exchange-kit';
import type { CloseEvent } from '@arbitrage/ws-client';
import {
  BinanceDepthConnection,
  type BinanceDepthConnectionOptions,
  type DepthConnectionHost,
} from './depth-connection.js';
import { PartialDepthBook } from './partial-depth.js';
import { type BinanceRestClient, depthWeight } from './rest-client.js';
import { snapshotLimitFor } from './snapshot-limit.js';
import { BINANCE_EXCHANGE_ID } from './symbols.js';

export const DEFAULT_WS_URL = 'wss://stream.binance.com:9443';

/** `diff`: full local book from diff depth + REST snapshot (B5). `partial`: depth5/10/20 snapshots. */
export type BinanceBookMode = 'diff' | 'partial';

export type ConnectionTuning = Partial<
  Omit<BinanceDepthConnectionOptions, 'url' | 'streams' | 'host' | 'name' | 'clock' | 'logger'>
>;

export type SyncTuning = Partial<
  Omit<
    SequencedSyncOptions,
    'exchange' | 'symbol' | 'book' | 'fetchSnapshot' | 'listener' | 'counters' | 'clock' | 'continuity'
  >
>;

export interface BinanceOrderBookStreamOptions extends OrderBookStreamOptions {
  readonly rest: BinanceRestClient;
  /** Told when the stream starts (true) and stops (false); the plugin tracks running streams with it. */
  readonly onRunningChange?: (running: boolean) => void;
  /** Base WebSocket URL (default wss://stream.binance.com:9443); `/stream` is appended. */
  readonly wsUrl?: string;
  /** Sees every frame as it arrives (recording). */
  readonly wireTap?: WireTap;
  /** Opens sockets instead of the network (replay). */
  readonly transport?: ExchangeTransport;
  /** Shared snapshot scheduler (one per plugin); a private one is made when absent. */
  readonly scheduler?: RequestScheduler;
  readonly mode?: BinanceBookMode;
  /** Update speed of the streams (default '100ms'). */
  readonly updateSpeed?: '100ms' | '1000ms';
  /**
   * REST snapshot size in diff mode, 1–5000 levels. Default: the cheapest of Binance's weight tiers
   * (100, 500, 1000, 5000 levels) that covers `depth`, and 1000 (weight 50) when `depth` is not set.
   */
  readonly snapshotLimit?: number;
  /** Streams per connection (Binance allows 1024). */
  readonly maxStreamsPerConnection?: number;
  /** A connection is replaced (make-before-break) after this long (default 23 h; Binance cuts at 24 h). */
  readonly maxConnectionAgeMs?: number;
  /** A replacement that has not synced every symbol after this long takes over anyway (default 60 s). */
  readonly rotationTimeoutMs?: number;
  /**
   * Largest lag behind the exchange before a live book is reported `stale`, ms: arrival time minus
   * the event's `E`, minus the clock offset. Default: the smaller of `staleAfterMs` and 1000. Diff
   * mode only: partial-depth messages carry no `E`.
   */
  readonly maxLagMs?: number;
  /** Window of the clock-offset baseline, ms (default 300000); see core's LagBaseline. */
  readonly lagBaselineWindowMs?: number;
  readonly connection?: ConnectionTuning;
  readonly sync?: SyncTuning;
}

type BookKeeper = SequencedSync | PartialDepthBook;

/**
 * The longest wait between asks for a stream that stays silent, in stale periods (1 min at 3 s): a
 * subscription the server really lost is back within that, and a quiet market costs one ask a minute.
 */
const RESUBSCRIBE_WAIT_CAP = 20;

/** One subscribed symbol: the tracker's instrument, its stream name, and which connection feeds it. */
interface Feed {
  readonly instrument: TrackedInstrument;
  readonly stream: string;
  readonly shard: Shard;
  /** The connection attachment whose book is the instrument's book. */
  active: Attachment;
  lastResubscribeAt: number;
  /** Wait before asking again for a stream still silent: doubles while it stays silent. */
  resubscribeWaitMs: number;
  /** When its keeper was first seen waiting for a bridging event (undefined = not waiting). */
  bridgingSince: number | undefined;
}

/** A symbol's book keeper on one connection. */
interface Attachment {
  readonly feed: Feed;
  readonly handle: ConnectionHandle;
  readonly keeper: BookKeeper;
  subscription: 'pending' | 'acked' | 'failed';
}

interface ConnectionHandle {
  readonly conn: BinanceDepthConnection;
  readonly shard: Shard;
  readonly attachments: Map<string, Attachment>;
  everOpened: boolean;
  ageTimer: TimerHandle | undefined;
}

interface Shard {
  readonly index: number;
  readonly feeds: Feed[];
  current: ConnectionHandle | undefined;
  replacement: ConnectionHandle | undefined;
  rotationTimer: TimerHandle | undefined;
  rotations: number;
}

function streamUrl(wsUrl: string): string {
  const base = wsUrl.replace(/\/+$/, '');
  if (base.endsWith('/stream')) return base;
  if (base.endsWith('/ws')) return `${base.slice(0, -3)}/stream`;
  return `${base}/stream`;
}

/**
 * Binance order books over combined streams (docs/protocols/binance.md B1–B6). The kit's tracker
 * owns state, staleness, lag and listeners; the kit's SequencedSync keeps each diff book by the
 * official snapshot-and-bridge procedure. This class is Binance's part: stream names, sharding,
 * SUBSCRIBE acks, snapshot sizes, and connection rotation.
 *
 * Symbols are sharded across connections (≤ maxStreamsPerConnection streams each). On every
 * connection each symbol has a keeper; the one on the active connection writes into the symbol's
 * book. Before the 24 h cut-off and on serverShutdown a replacement connection is opened and synced
 * with private books; each symbol switches over as soon as its new book is live and caught up (the
 * book is copied once), then the old connection is closed, so no symbol goes stale.
 */
export class BinanceOrderBookStream extends TrackedStream {
  readonly mode: BinanceBookMode;
  private readonly options: BinanceOrderBookStreamOptions;
  private readonly rest: BinanceRestClient;
  private readonly scheduler: RequestScheduler;
  private readonly clock: NonNullable<OrderBookStreamOptions['clock']>;
  private readonly logger: Logger;
  private readonly url: string;
  private readonly feeds = new Map<string, Feed>();
  private readonly shards: Shard[] = [];
  private readonly closing = new Set<Promise<void>>();
  private readonly retryTimers = new Set<TimerHandle>();
  private readonly snapshotLimit: number;
  private readonly maxStreams: number;
  private readonly maxAgeMs: number;
  private readonly rotationTimeoutMs: number;
  private running = false;
  private connectionCount = 0;
  /** Invalid frames that named no symbol of this stream. */
  unattributedInvalid = 0;

  constructor(options: BinanceOrderBookStreamOptions) {
    const clock = options.clock ?? systemClock;
    const logger = (options.logger ?? noopLogger).child({ exchange: BINANCE_EXCHANGE_ID });
    const staleAfterMs = positiveMs('Binance stream', 'staleAfterMs', options.staleAfterMs, 5_000);
    const mapper = options.rest.symbols;
    const symbols = [...new Set(options.symbols)];
    super(
      new InstrumentTracker({
        exchange: BINANCE_EXCHANGE_ID,
        instruments: symbols.map((symbol) => ({ symbol, nativeSymbol: mapper.toNative(symbol) })),
        clock,
        logger,
        staleAfterMs,
        maxLagMs: positiveMs('Binance stream', 'maxLagMs', options.maxLagMs, Math.min(staleAfterMs, 1_000)),
        lagBaselineWindowMs: positiveMs(
          'Binance stream',
          'lagBaselineWindowMs',
          options.lagBaselineWindowMs,
          300_000,
        ),
        onSweep: (now) => {
          this.resubscribeSilent(now);
          this.refetchStuckBridging(now);
        },
      }),
    );
    this.options = options;
    this.rest = options.rest;
    this.clock = clock;
    this.logger = logger;
    this.mode = options.mode ?? 'diff';
    this.url = streamUrl(options.wsUrl ?? DEFAULT_WS_URL);
    this.snapshotLimit =
      options.snapshotLimit === undefined
        ? snapshotLimitFor(options.depth)
        : Math.min(5000, Math.max(1, Math.floor(options.snapshotLimit)));
    this.maxStreams = Math.min(1024, Math.max(1, options.maxStreamsPerConnection ?? 1024));
    this.maxAgeMs = options.maxConnectionAgeMs ?? 23 * 60 * 60 * 1000;
    this.rotationTimeoutMs = options.rotationTimeoutMs ?? 60_000;
    this.scheduler =
      options.scheduler ??
      new RequestScheduler({ budget: this.rest.budget, clock, label: 'Binance depth snapshot' });
    this.buildFeeds();
  }

  // ---- OrderBookStream -------------------------------------------------------------------------

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.options.onRunningChange?.(true);
    this.tracker.start();
    const opening: Promise<void>[] = [];
    for (const shard of this.shards) {
      const handle = this.openConnection(shard, false);
      shard.current = handle;
      for (const feed of shard.feeds) feed.active = handle.attachments.get(feed.stream)!;
      opening.push(handle.conn.connect());
    }
    try {
      await Promise.all(opening);
    } catch (error) {
      if (this.running) throw error;
    }
  }

  async stop(): Promise<void> {
    if (this.running) this.options.onRunningChange?.(false);
    this.running = false;
    this.tracker.stop();
    for (const timer of this.retryTimers) this.clock.clearTimeout(timer);
    this.retryTimers.clear();
    const closing: Promise<void>[] = [...this.closing];
    for (const shard of this.shards) {
      this.clock.clearTimeout(shard.rotationTimer);
      shard.rotationTimer = undefined;
      for (const handle of [shard.current, shard.replacement]) {
        if (handle) closing.push(this.closeConnection(handle));
      }
      shard.current = undefined;
      shard.replacement = undefined;
    }
    // Stopping the keepers aborted their snapshot requests, queued or running.
    await Promise.all(closing);
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

  private buildFeeds(): void {
    const speed = this.options.updateSpeed === '1000ms' ? '' : '@100ms';
    const suffix = this.mode === 'partial' ? `@depth${this.partialLevels()}${speed}` : `@depth${speed}`;
    let shard: Shard | undefined;
    for (const instrument of this.tracker.instruments) {
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
      const feed: Feed = {
        instrument,
        stream: `${instrument.nativeSymbol.toLowerCase()}${suffix}`,
        shard,
        // Set when the first connection is opened (start), before any event can arrive.
        active: undefined as unknown as Attachment,
        lastResubscribeAt: 0,
        resubscribeWaitMs: 0,
        bridgingSince: undefined,
      };
      shard.feeds.push(feed);
      this.feeds.set(instrument.symbol, feed);
    }
  }

  private partialLevels(): 5 | 10 | 20 {
    const depth = this.options.depth ?? 20;
    return depth <= 5 ? 5 : depth <= 10 ? 10 : 20;
  }

  private openConnection(shard: Shard, replacement: boolean): ConnectionHandle {
    const attachments = new Map<string, Attachment>();
    const host: DepthConnectionHost = {
      depth: (_c, stream, event, receivedAt) => {
        const attachment = attachments.get(stream);
        if (attachment === undefined) return;
        // Data is proof enough of a subscription (an ack may be late).
        if (attachment.subscription !== 'acked') this.subscriptionConfirmed(attachment);
        attachment.keeper.onEvent(event, receivedAt);
      },
      invalid: (_c, stream, error) => this.onInvalid(attachments.get(stream), error),
      error: (_c, error) => this.onConnectionError(error),
      opened: () => this.onOpened(handle),
      closed: (_c, event) => this.onClosed(handle, event),
      subscription: (_c, streams, ok, reason) => this.onSubscription(handle, streams, ok, reason),
      shutdown: () => {
        this.logger.warn({ shard: shard.index }, 'Binance announced serverShutdown');
        if (shard.current === handle) this.rotate(shard, 'serverShutdown');
      },
    };
    const tuning = this.options.connection ?? {};
    const handle: ConnectionHandle = {
      conn: new BinanceDepthConnection({
        ...tuning,
        url: this.url,
        name: `binance-depth-${shard.index}-${++this.connectionCount}`,
        streams: shard.feeds.map((feed) => feed.stream),
        host,
        clock: this.clock,
        logger: this.logger,
        ...(this.options.wireTap
          ? { wireTap: { tap: this.options.wireTap, exchange: BINANCE_EXCHANGE_ID } }
          : {}),
        ...(this.options.transport ? { transport: this.options.transport } : {}),
        // Nothing at all for two freshness windows: the connection is dead, reconnect.
        staleAfterMs: tuning.staleAfterMs ?? this.tracker.staleAfterMs * 2,
      }),
      shard,
      attachments,
      everOpened: false,
      ageTimer: undefined,
    };
    for (const feed of shard.feeds) {
      // The first connection writes straight into the tracked book; a replacement into private books.
      const book = replacement ? new OrderBook() : feed.instrument.live.book;
      const attachment: Attachment = {
        feed,
        handle,
        keeper: this.createKeeper(feed, book, () => attachment),
        subscription: 'pending',
      };
      attachments.set(feed.stream, attachment);
    }
    return handle;
  }

  private createKeeper(feed: Feed, book: OrderBook, self: () => Attachment): BookKeeper {
    const instrument = feed.instrument;
    const listener: SyncListener = {
      state: (state, reason) => {
        if (feed.active === self() && state !== 'live') this.tracker.setBookState(instrument, state, reason);
      },
      applied: (eventTime, bookId, receivedAt) => this.onApplied(self(), eventTime, bookId, receivedAt),
      error: (error) => this.tracker.error(error),
    };
    if (this.mode === 'partial') {
      return new PartialDepthBook({
        symbol: instrument.symbol,
        book,
        listener,
        counters: instrument.counters,
      });
    }
    return new SequencedSync({
      ...this.options.sync,
      exchange: BINANCE_EXCHANGE_ID,
      symbol: instrument.symbol,
      book,
      listener,
      counters: instrument.counters,
      clock: this.clock,
      fetchSnapshot: (signal) => {
        const limit = this.snapshotLimit;
        return this.scheduler.run(depthWeight(limit), signal, (taskSignal) =>
          this.rest.depth(instrument.nativeSymbol, limit, taskSignal),
        );
      },
    });
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

  private onApplied(attachment: Attachment, eventTime: number, bookId: UpdateId, receivedAt: number): void {
    const feed = attachment.feed;
    if (feed.active === attachment) {
      // Lag is judged on the event just applied; a snapshot alone (E = 0) is no lag sample.
      this.tracker.published(
        feed.instrument,
        eventTime > 0 ? eventTime : receivedAt,
        receivedAt,
        idToNumber(bookId),
        eventTime,
      );
    } else if (feed.shard.replacement === attachment.handle) {
      this.maybeSwitch(feed, attachment);
    }
  }

  private onInvalid(attachment: Attachment | undefined, error: InvalidMessageError): void {
    if (attachment === undefined) {
      this.onConnectionError(error);
      return;
    }
    const active = attachment.feed.active === attachment;
    attachment.keeper.onInvalidEvent(error.reason);
    this.tracker.invalid(active ? attachment.feed.instrument : undefined, error);
  }

  private onConnectionError(error: ArbitrageError): void {
    if (error instanceof InvalidMessageError) this.unattributedInvalid++;
    this.tracker.error(error);
  }

  private onOpened(handle: ConnectionHandle): void {
    handle.everOpened = true;
    const active: TrackedInstrument[] = [];
    for (const attachment of handle.attachments.values()) {
      attachment.subscription = 'pending';
      if (attachment.feed.active === attachment) active.push(attachment.feed.instrument);
    }
    this.tracker.linkOpened(active);
    for (const attachment of handle.attachments.values()) attachment.keeper.start();
    if (handle.shard.current === handle) this.scheduleAgeRotation(handle);
  }

  private onClosed(handle: ConnectionHandle, event: CloseEvent): void {
    this.clock.clearTimeout(handle.ageTimer);
    handle.ageTimer = undefined;
    const reason = `connection closed with ${event.code}${event.reason ? ` (${event.reason})` : ''}${event.requested ? '' : '; reconnecting'}`;
    const shard = handle.shard;
    const isCurrent = shard.current === handle;
    const active: TrackedInstrument[] = [];
    for (const attachment of handle.attachments.values()) {
      attachment.subscription = 'pending';
      attachment.keeper.reset();
      if (attachment.feed.active === attachment) active.push(attachment.feed.instrument);
    }
    if (this.running) {
      this.tracker.linkLost(reason, active, { clearFailed: true, everOpened: handle.everOpened });
    }
    // The old connection died mid-rotation: the replacement takes over now.
    if (isCurrent && shard.replacement !== undefined && !event.requested) this.completeRotation(shard);
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
        this.subscriptionConfirmed(attachment);
        continue;
      }
      attachment.subscription = 'failed';
      if (attachment.feed.active === attachment) {
        this.tracker.setBookState(
          attachment.feed.instrument,
          'failed',
          `SUBSCRIBE failed: ${reason ?? 'unknown reason'}; retrying`,
        );
      }
    }
  }

  /** Acked (or data arrived): the keeper may ask for its snapshot now, without waiting for an event. */
  private subscriptionConfirmed(attachment: Attachment): void {
    const wasFailed = attachment.subscription === 'failed';
    attachment.subscription = 'acked';
    const keeper = attachment.keeper;
    keeper.subscribed();
    if (wasFailed && attachment.feed.active === attachment && keeper.state !== 'live') {
      this.tracker.setBookState(attachment.feed.instrument, keeper.state, keeper.reason ?? 'resubscribed');
    }
  }

  /**
   * After each staleness sweep: a book loaded from a snapshot newer than every buffered event waits
   * for the event that continues it (docs/faults.md 11), which for a quiet symbol can be minutes
   * away. Waiting that way for `staleAfterMs` while its connection flows, it takes a fresh snapshot:
   * with nothing buffered behind it the book is live at once (any later event continues it or is
   * dropped as old), and if the stream really is behind, it simply waits again.
   */
  private refetchStuckBridging(now: number): void {
    const staleAfterMs = this.tracker.staleAfterMs;
    for (const feed of this.feeds.values()) {
      const attachment = feed.active;
      const keeper = attachment?.keeper;
      if (!(keeper instanceof SequencedSync) || keeper.phase !== 'bridging') {
        feed.bridgingSince = undefined;
        continue;
      }
      feed.bridgingSince ??= now;
      const conn = attachment!.handle.conn;
      if (now - feed.bridgingSince < staleAfterMs || now - conn.counters.lastDataAt >= staleAfterMs) continue;
      feed.bridgingSince = undefined;
      this.logger.info(
        { symbol: feed.instrument.symbol },
        'no event continued the snapshot; taking a fresh one',
      );
      keeper.reset();
      keeper.start();
      keeper.subscribed();
    }
  }

  /**
   * After each staleness sweep: a symbol silent while others flow on its connection is asked for
   * again. A market that is merely quiet stays silent after that too, so each further ask for it
   * waits twice as long (up to RESUBSCRIBE_WAIT_CAP stale periods) until it sends something.
   */
  private resubscribeSilent(now: number): void {
    const staleAfterMs = this.tracker.staleAfterMs;
    const firstWaitMs = 2 * staleAfterMs;
    // One UNSUBSCRIBE + SUBSCRIBE per connection and sweep for all its silent streams: with hundreds
    // of quiet symbols, one pair each would queue far more messages than 5 a second can carry.
    const silentByConnection = new Map<BinanceDepthConnection, { streams: string[]; firstAsks: number }>();
    for (const feed of this.feeds.values()) {
      const attachment = feed.active;
      if (attachment === undefined || attachment.keeper.state !== 'live') continue;
      // It sent something since it was last asked for: a later silence starts from the first wait.
      if (feed.instrument.lastUpdateAt > feed.lastResubscribeAt) feed.resubscribeWaitMs = firstWaitMs;
      const silentFor = now - feed.instrument.lastUpdateAt;
      const conn = attachment.handle.conn;
      if (
        silentFor >= firstWaitMs &&
        now - feed.lastResubscribeAt >= feed.resubscribeWaitMs &&
        now - conn.counters.lastDataAt < staleAfterMs &&
        // Requests still queued or unanswered: the last resubscribe has not gone out yet.
        conn.pendingRequests === 0
      ) {
        const firstAsk = feed.resubscribeWaitMs <= firstWaitMs;
        feed.lastResubscribeAt = now;
        feed.resubscribeWaitMs = Math.min(
          2 * Math.max(feed.resubscribeWaitMs, firstWaitMs),
          RESUBSCRIBE_WAIT_CAP * staleAfterMs,
        );
        let silent = silentByConnection.get(conn);
        if (silent === undefined) {
          silent = { streams: [], firstAsks: 0 };
          silentByConnection.set(conn, silent);
        }
        silent.streams.push(feed.stream);
        if (firstAsk) silent.firstAsks++;
      }
    }
    for (const [conn, { streams, firstAsks }] of silentByConnection) {
      // A warning the first time a stream goes silent; asking again for a quiet market is routine.
      const fields = { streams: streams.length, first: streams[0], firstTime: firstAsks };
      const message = 'streams silent while others flow; resubscribing';
      if (firstAsks > 0) this.logger.warn(fields, message);
      else this.logger.debug(fields, message);
      conn.resubscribe(streams);
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
  private maybeSwitch(feed: Feed, candidate: Attachment): void {
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

  private switchTo(feed: Feed, next: Attachment): void {
    const previous = feed.active;
    const instrument = feed.instrument;
    // The old keeper keeps running on a private book until its connection closes.
    previous.keeper.setBook(new OrderBook());
    feed.active = next;
    const source = next.keeper.orderBook;
    next.keeper.setBook(instrument.live.book);
    if (next.keeper.state === 'live') {
      this.tracker.adoptBook(instrument, source, idToNumber(next.keeper.updateId));
    } else {
      instrument.live.reset();
      if (next.handle.conn.isOpen) this.tracker.linkOpened([instrument]);
      else this.tracker.linkLost('replacement connection not open', [instrument], { clearFailed: true });
      this.tracker.setBookState(instrument, next.keeper.state, next.keeper.reason ?? 'switching connections');
    }
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
}
