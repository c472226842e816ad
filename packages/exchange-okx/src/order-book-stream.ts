import {
  type BackoffOptions,
  CrossedBookError,
  type ExchangeTransport,
  type Logger,
  noopLogger,
  type OrderBookStreamOptions,
  systemClock,
  type WireTap,
} from '@arbitrage/core';
import {
  crossedLevels,
  type FrameKind,
  FrameSocket,
  InstrumentTracker,
  idToNumber,
  positiveMs,
  RequestScheduler,
  SequencedSync,
  type SequencedSyncOptions,
  SubscriptionRequests,
  type TrackedInstrument,
  TrackedStream,
} from '@arbitrage/exchange-kit';
import type { CloseEvent, ReconnectBackoffOptions } from '@arbitrage/ws-client';
import { levelsOf } from './book-levels.js';
import { okxContinuity } from './continuity.js';
import { OkxSubscriptionError } from './errors.js';
import { type OkxBookChannel, type OkxFrame, OkxFrameParser } from './frame-parser.js';
import { DEFAULT_BOOK_SIZE, type OkxRestClient } from './rest-client.js';
import { OKX_EXCHANGE_ID } from './symbols.js';

/** The public channels' path (E3). */
export const PUBLIC_WS_PATH = '/ws/v5/public';
export const DEFAULT_WS_URL = `wss://ws.okx.com:8443${PUBLIC_WS_PATH}`;
/** How long after the ack a book waits for OKX's snapshot push before asking REST, ms. */
const DEFAULT_SNAPSHOT_PUSH_WAIT_MS = 50;

export type OkxSyncTuning = Partial<
  Omit<
    SequencedSyncOptions,
    'exchange' | 'symbol' | 'book' | 'fetchSnapshot' | 'listener' | 'counters' | 'clock' | 'continuity'
  >
>;

export interface OkxOrderBookStreamOptions extends OrderBookStreamOptions {
  readonly rest: OkxRestClient;
  /** Public WebSocket endpoint (default wss://ws.okx.com:8443/ws/v5/public, E3). */
  readonly wsUrl?: string;
  readonly wireTap?: WireTap;
  readonly transport?: ExchangeTransport;
  /** Shared snapshot scheduler (one per plugin); a private one is made when absent. */
  readonly scheduler?: RequestScheduler;
  /** `books`: the full book kept by seqId (default). `books5`: the top 5 levels, whole on every push. */
  readonly channel?: OkxBookChannel;
  /** Levels per side of the REST snapshot, 1–400 (default 400). */
  readonly snapshotSize?: number;
  /** Text `ping` after this long without a frame, ms (default 20000; OKX closes idle links at 30 s, E8). */
  readonly keepaliveMs?: number;
  /** A `ping` with no `pong` (or any frame) within this long drops the connection, ms (default keepaliveMs / 2). */
  readonly pongTimeoutMs?: number;
  /**
   * No book data at all on the connection for this long, though `pong`s come back: reconnect, ms
   * (default the larger of 2 × staleAfterMs and 60 s). Quiet books go stale long before; this only
   * replaces a connection that answers pings but has stopped sending data.
   */
  readonly silentReconnectMs?: number;
  /** Least time between two dials, ms (default 350: OKX allows about 3 new connections per second, E3). */
  readonly minConnectIntervalMs?: number;
  /** WebSocket handshake deadline, ms (default 10000). */
  readonly connectTimeoutMs?: number;
  /** Least time between two subscribe requests, ms (default 100). */
  readonly subscribeIntervalMs?: number;
  /**
   * Instruments per subscribe request (default 50). OKX answers each arg on its own and its error
   * names the instrument it refuses (E3), so one unknown instrument fails only itself.
   */
  readonly instrumentsPerSubscribe?: number;
  /** A subscribe with no reply after this long fails its instruments, ms (default 5000). */
  readonly ackTimeoutMs?: number;
  readonly subscribeBackoff?: BackoffOptions;
  readonly reconnectBackoff?: ReconnectBackoffOptions;
  /** Largest lag behind OKX's `ts` before a live book is reported stale, ms (default min(staleAfterMs, 1000)). */
  readonly maxLagMs?: number;
  readonly lagBaselineWindowMs?: number;
  readonly sync?: OkxSyncTuning;
  /** Told when the stream starts (true) and stops (false). */
  readonly onRunningChange?: (running: boolean) => void;
}

interface Feed {
  readonly instrument: TrackedInstrument;
  /** Only on the `books` channel. */
  readonly sync: SequencedSync | undefined;
  subscription: 'pending' | 'acked' | 'failed';
}

/** Counts of what the stream saw beyond the instruments' own counters. */
export interface OkxStreamStats {
  /** `action: "snapshot"` pushes received (each is loaded as the instrument's snapshot when usable). */
  snapshotPushes: number;
  /** Service-upgrade notices answered by reconnecting (E8). */
  upgradeNotices: number;
  /** Frames that named no instrument of this stream, or were unusable without naming one. */
  unattributed: number;
}

/**
 * OKX spot order books over one public WebSocket (docs/protocols/okx.md E3–E8). The kit's tracker
 * owns state, staleness, lag and listeners; on `books` each instrument's SequencedSync keeps the
 * book by the REST-snapshot-and-bridge procedure of E6 with OKX's link rule (continuity.ts). This
 * class is OKX's part: subscribe requests and their replies, the text ping, the upgrade notice.
 */
export class OkxOrderBookStream extends TrackedStream {
  readonly channel: OkxBookChannel;
  readonly stats: OkxStreamStats = { snapshotPushes: 0, upgradeNotices: 0, unattributed: 0 };
  private readonly options: OkxOrderBookStreamOptions;
  private readonly socket: FrameSocket;
  private readonly requests: SubscriptionRequests;
  private readonly parser = new OkxFrameParser();
  private readonly feeds = new Map<string, Feed>();
  /** The last subscribe request id of each instrument, to route a reply that carries no id. */
  private readonly requestOf = new Map<string, number>();
  private readonly logger: Logger;
  private readonly depth: number;
  private openGeneration = 0;
  private failingCode = '';
  private running = false;

  constructor(options: OkxOrderBookStreamOptions) {
    const clock = options.clock ?? systemClock;
    const logger = (options.logger ?? noopLogger).child({ exchange: OKX_EXCHANGE_ID });
    const ms = (name: string, value: number | undefined, fallback: number) =>
      positiveMs('OKX stream', name, value, fallback);
    const staleAfterMs = ms('staleAfterMs', options.staleAfterMs, 5_000);
    const mapper = options.rest.symbols;
    super(
      new InstrumentTracker({
        exchange: OKX_EXCHANGE_ID,
        instruments: [...new Set(options.symbols)].map((symbol) => ({
          symbol,
          nativeSymbol: mapper.toNative(symbol),
        })),
        clock,
        logger,
        staleAfterMs,
        maxLagMs: ms('maxLagMs', options.maxLagMs, Math.min(staleAfterMs, 1_000)),
        lagBaselineWindowMs: ms('lagBaselineWindowMs', options.lagBaselineWindowMs, 300_000),
      }),
    );
    this.options = options;
    this.logger = logger;
    this.channel = options.channel ?? 'books';
    this.depth = this.channel === 'books5' ? Math.min(5, options.depth ?? 5) : (options.depth ?? 20);
    const scheduler =
      options.scheduler ??
      new RequestScheduler({ budget: options.rest.budget, clock, label: 'OKX book snapshot' });
    const snapshotSize = Math.min(
      DEFAULT_BOOK_SIZE,
      Math.max(1, Math.floor(options.snapshotSize ?? DEFAULT_BOOK_SIZE)),
    );
    for (const instrument of this.tracker.instruments) {
      const feed: Feed = { instrument, sync: undefined, subscription: 'pending' };
      if (this.channel === 'books') {
        (feed as { sync: SequencedSync }).sync = new SequencedSync({
          // OKX sends its snapshot push right after the ack (E6): REST only if none comes.
          streamSnapshotWaitMs: DEFAULT_SNAPSHOT_PUSH_WAIT_MS,
          ...options.sync,
          exchange: OKX_EXCHANGE_ID,
          symbol: instrument.symbol,
          book: instrument.live.book,
          counters: instrument.counters,
          clock,
          continuity: okxContinuity,
          fetchSnapshot: (signal) =>
            scheduler.run(1, signal, (taskSignal) =>
              options.rest.book(instrument.nativeSymbol, snapshotSize, taskSignal),
            ),
          listener: {
            state: (state, reason) => {
              if (state !== 'live') this.tracker.setBookState(instrument, state, reason);
            },
            // A snapshot alone (eventTime 0) is no lag sample.
            applied: (eventTime, bookId, receivedAt) =>
              this.tracker.published(
                instrument,
                eventTime > 0 ? eventTime : receivedAt,
                receivedAt,
                idToNumber(bookId),
                eventTime,
              ),
            error: (error) => this.tracker.error(error),
          },
        });
      }
      this.feeds.set(instrument.nativeSymbol, feed);
    }
    this.requests = new SubscriptionRequests({
      clock,
      intervalMs: options.subscribeIntervalMs ?? 100,
      topicsPerRequest: options.instrumentsPerSubscribe ?? 50,
      ackTimeoutMs: options.ackTimeoutMs ?? 5_000,
      retryBackoff: options.subscribeBackoff ?? { baseMs: 1_000, capMs: 30_000 },
      send: (op, instIds, id) => {
        for (const instId of instIds) this.requestOf.set(instId, id);
        const args = instIds.map((instId) => ({ channel: this.channel, instId }));
        return this.socket.send({ id: String(id), op, args }, this.openGeneration);
      },
      settled: (instIds, ok, reason) => this.settled(instIds, ok, reason ?? 'unknown'),
    });
    const keepaliveMs = ms('keepaliveMs', options.keepaliveMs, 20_000);
    this.socket = new FrameSocket({
      name: 'okx-books',
      url: options.wsUrl ?? DEFAULT_WS_URL,
      clock,
      logger,
      ...(options.wireTap ? { wireTap: { tap: options.wireTap, exchange: OKX_EXCHANGE_ID } } : {}),
      ...(options.transport ? { transport: options.transport } : {}),
      ...(options.reconnectBackoff ? { backoff: options.reconnectBackoff } : {}),
      heartbeat: {
        intervalMs: keepaliveMs,
        timeoutMs: ms('pongTimeoutMs', options.pongTimeoutMs, Math.max(keepaliveMs / 2, 1)),
      },
      staleAfterMs: ms(
        'silentReconnectMs',
        options.silentReconnectMs,
        Math.max(this.tracker.staleAfterMs * 2, 60_000),
      ),
      minConnectIntervalMs: options.minConnectIntervalMs ?? 350,
      ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
      healthyOnFirstData: true,
      handler: {
        frame: (data, receivedAt) => this.onFrame(this.parser.parse(data), receivedAt),
        opened: (generation) => this.onOpened(generation),
        closed: (event) => this.onClosed(event),
        error: (error) => this.tracker.error(error),
        heartbeatMessage: () => 'ping',
        expectsData: () => this.feeds.size > 0,
      },
    });
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.options.onRunningChange?.(true);
    this.tracker.start();
    try {
      await this.socket.connect();
    } catch (error) {
      if (this.running) throw error;
    }
  }

  async stop(): Promise<void> {
    if (this.running) this.options.onRunningChange?.(false);
    this.running = false;
    this.tracker.stop();
    this.requests.closed();
    for (const feed of this.feeds.values()) feed.sync?.stop();
    await this.socket.disconnect();
    this.requests.closed();
  }

  /** Listeners attached to the socket (a leak check). */
  listenerCount(): number {
    return this.socket.listenerCount();
  }

  /** Subscribe requests waiting to be sent or answered. */
  get pendingRequests(): number {
    return this.requests.pending;
  }

  /** The socket's counters (opens, reconnects, heartbeats …). */
  get connectionCounters(): FrameSocket['counters'] {
    return this.socket.counters;
  }

  // ---- frames ------------------------------------------------------------------------------------

  private onFrame(frame: OkxFrame, receivedAt: number): FrameKind {
    switch (frame.kind) {
      case 'pong':
        return 'heartbeat';
      case 'book':
        return this.onBook(frame.instId, frame.channel, frame.action, receivedAt);
      case 'subscribed': {
        // OKX acknowledges each arg of a request (E3): settle that instrument alone.
        const feed = this.feeds.get(frame.instId);
        const id = frame.id === undefined ? this.requestOf.get(frame.instId) : Number(frame.id);
        if (id === undefined || !this.requests.replyTopic(id, frame.instId)) {
          if (feed !== undefined && feed.subscription !== 'acked') this.confirmed(feed);
        }
        return 'other';
      }
      case 'error':
        this.onErrorEvent(frame.code, frame.msg, frame.id);
        return 'other';
      case 'notice':
        this.onNotice(frame.code, frame.msg);
        return 'other';
      case 'invalid': {
        const feed = frame.instId === undefined ? undefined : this.feeds.get(frame.instId);
        if (feed === undefined) this.stats.unattributed++;
        feed?.sync?.onInvalidEvent(frame.error.reason);
        this.tracker.invalid(feed?.instrument, frame.error);
        return 'other';
      }
      case 'other':
        return 'other';
    }
  }

  private onBook(
    instId: string,
    channel: OkxBookChannel,
    action: 'snapshot' | 'update' | 'full',
    receivedAt: number,
  ): FrameKind {
    const feed = this.feeds.get(instId);
    if (feed === undefined || channel !== this.channel) {
      this.stats.unattributed++;
      return 'other';
    }
    // Data is proof enough of a subscription (the reply may be late or lost).
    if (feed.subscription !== 'acked') this.confirmed(feed);
    const event = this.parser.event;
    if (feed.sync === undefined) {
      this.publishTop(feed.instrument, receivedAt);
    } else if (action === 'snapshot') {
      // The whole book at its seqId: loaded as the snapshot (no REST request), also mid-stream.
      this.stats.snapshotPushes++;
      feed.sync.loadSnapshot(
        {
          lastUpdateId: event.finalId,
          exchangeTime: event.eventTime,
          bids: levelsOf(event.bidPrices, event.bidSizes, event.bidCount),
          asks: levelsOf(event.askPrices, event.askSizes, event.askCount),
        },
        receivedAt,
      );
    } else {
      feed.sync.onEvent(event, receivedAt);
    }
    return 'data';
  }

  /** books5: every push is the whole top of the book. */
  private publishTop(instrument: TrackedInstrument, receivedAt: number): void {
    const event = this.parser.event;
    const crossed = crossedLevels(event);
    if (crossed !== undefined) {
      instrument.counters.crossed++;
      instrument.live.book.clear();
      this.tracker.setBookState(
        instrument,
        instrument.published ? 'resyncing' : 'connecting',
        `crossed book: best bid ${crossed.bid} >= best ask ${crossed.ask}`,
      );
      this.tracker.error(new CrossedBookError(OKX_EXCHANGE_ID, instrument.symbol, crossed.bid, crossed.ask));
      return;
    }
    const time = event.eventTime;
    this.tracker.publishFullBook(
      instrument,
      event,
      this.depth,
      time,
      receivedAt,
      idToNumber(event.finalId),
      time,
    );
  }

  // ---- subscriptions -------------------------------------------------------------------------------

  /**
   * `{"event":"error"}` names no `arg` (E3). The instruments its message names fail alone (the rest
   * of their request still waits for its acks); naming none, it fails what is left of the request
   * its id names. Tied to nothing, it is reported, and its request fails when its reply times out.
   */
  private onErrorEvent(code: string, msg: string, id: string | undefined): void {
    const reason = `OKX error ${code}: ${msg}`;
    const request = id === undefined ? undefined : Number(id);
    this.failingCode = code;
    try {
      let routed = false;
      for (const instId of this.feeds.keys()) {
        if (!namesInstrument(msg, instId)) continue;
        const asked =
          request !== undefined && this.requests.awaits(request, instId)
            ? request
            : this.requestOf.get(instId);
        if (asked !== undefined && this.requests.replyTopic(asked, instId, reason)) routed = true;
      }
      if (routed) return;
      if (request !== undefined && this.requests.reply(request, reason)) return;
      this.socket.protocolError(reason, { serverCode: code });
    } finally {
      this.failingCode = '';
    }
  }

  private settled(instIds: readonly string[], ok: boolean, reason: string): void {
    for (const instId of instIds) {
      const feed = this.feeds.get(instId);
      if (feed === undefined) continue;
      if (ok) {
        this.confirmed(feed);
        continue;
      }
      feed.subscription = 'failed';
      this.tracker.setBookState(feed.instrument, 'failed', `subscribe failed: ${reason}; retrying`);
    }
    if (!ok) this.tracker.error(new OkxSubscriptionError(instIds, this.failingCode, reason));
  }

  /** Acked (or data arrived): the sync may ask for its snapshot now, without waiting for an update. */
  private confirmed(feed: Feed): void {
    const wasFailed = feed.subscription === 'failed';
    feed.subscription = 'acked';
    const sync = feed.sync;
    if (sync === undefined) return;
    sync.subscribed();
    if (wasFailed && sync.state !== 'live') {
      this.tracker.setBookState(feed.instrument, sync.state, sync.reason ?? 'resubscribed');
    }
  }

  /** E8: a service upgrade closes the connection shortly: replace it now. */
  private onNotice(code: string, msg: string): void {
    if (code !== '64008') {
      this.logger.info({ code, msg }, 'OKX notice');
      return;
    }
    this.stats.upgradeNotices++;
    this.logger.warn({ code, msg }, 'OKX announced a service upgrade; reconnecting before it closes');
    this.socket.restart(`OKX service upgrade notice (${code})`);
  }

  // ---- connection --------------------------------------------------------------------------------

  private onOpened(generation: number): void {
    this.openGeneration = generation;
    this.requests.opened();
    this.tracker.linkOpened();
    for (const feed of this.feeds.values()) {
      feed.subscription = 'pending';
      feed.sync?.start();
    }
    this.requests.enqueue('subscribe', [...this.feeds.keys()]);
  }

  private onClosed(event: CloseEvent): void {
    this.requests.closed();
    for (const feed of this.feeds.values()) {
      feed.subscription = 'pending';
      feed.sync?.reset();
    }
    if (!this.running) return;
    const reason = `connection closed with ${event.code}${event.reason ? ` (${event.reason})` : ''}${event.requested ? '' : '; reconnecting'}`;
    this.tracker.linkLost(reason, this.tracker.instruments, { clearFailed: true });
  }
}

/** Whether an error message names `instId` as a whole word (`BTC-USDT` is not in `BTC-USDTX`). */
function namesInstrument(msg: string, instId: string): boolean {
  for (let at = msg.indexOf(instId); at >= 0; at = msg.indexOf(instId, at + 1)) {
    const before = msg.charCodeAt(at - 1);
    const after = msg.charCodeAt(at + instId.length);
    if (!isIdChar(before) && !isIdChar(after)) return true;
  }
  return false;
}

function isIdChar(code: number): boolean {
  // Letters, digits and '-' (NaN past either end is none).
  return (
    (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 45
  );
}
