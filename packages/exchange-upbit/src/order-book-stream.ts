import {
  type ArbitrageError,
  type Clock,
  ConfigError,
  type InstrumentCounters,
  type InstrumentState,
  type InstrumentStateChange,
  type InstrumentStatus,
  type InvalidMessageError,
  LagBaseline,
  type LiveBook,
  type Logger,
  lagReason,
  noopLogger,
  type OrderBookStream,
  type OrderBookStreamOptions,
  systemClock,
  type TimerHandle,
} from '@arbitrage/core';
import type { MessageMeta, ReconnectBackoffOptions, WebSocketClientCounters } from '@arbitrage/ws-client';
import { applyFrame } from './apply-frame.js';
import type { BookFrame } from './book-frame.js';
import { UpbitFrameParser, type UpbitFrameSink } from './frame-parser.js';
import { ResubscribeScheduler } from './resubscribe-scheduler.js';
import { type UpbitFormat, unitCountFor } from './subscription.js';
import { SymbolEntry } from './symbol-state.js';
import { UPBIT_EXCHANGE_ID, type UpbitSymbolMapper } from './symbols.js';
import { UpbitSocket } from './upbit-socket.js';

export const UPBIT_WS_URL = 'wss://api.upbit.com/websocket/v1';

export interface UpbitKeepaliveOptions {
  /** 'ping' (default): RFC 6455 ping frames. 'text': the text message PING, answered by {"status":"UP"}. */
  readonly mode?: 'ping' | 'text';
  /** How often, ms (default 25000; Upbit closes sockets silent for ~60 s in practice, 120 s documented). */
  readonly intervalMs?: number;
  /** No frame of any kind this long after a keepalive: the socket is dead, reconnect (default 15000). */
  readonly timeoutMs?: number;
}

export interface UpbitOrderBookStreamOptions extends OrderBookStreamOptions {
  /** Maps the canonical symbols to Upbit codes (unknown ones throw UnknownSymbolError). */
  readonly mapper: UpbitSymbolMapper;
  /** Default wss://api.upbit.com/websocket/v1. */
  readonly url?: string;
  /** Told when the stream starts (true) and stops (false); the plugin tracks running streams with it. */
  readonly onRunningChange?: (running: boolean) => void;
  /** Wire format to ask for (default 'DEFAULT'); both are parsed either way. */
  readonly format?: UpbitFormat;
  /** Keepalive so Upbit's idle close never fires; `false` turns it off (not recommended). */
  readonly keepalive?: UpbitKeepaliveOptions | false;
  /** A code without any orderbook frame this long after the subscription is 'failed' (default 5000). */
  readonly subscribeTimeoutMs?: number;
  /** Least time between two re-sent subscriptions, ms (default 1000; Upbit allows 5 messages/s: keep it >= 200). */
  readonly minResubscribeIntervalMs?: number;
  /** Longest wait between resubscribes while a symbol stays stale or failed, ms (default 60000). */
  readonly maxResubscribeDelayMs?: number;
  readonly backoff?: ReconnectBackoffOptions;
  /** Least time between two connection attempts, ms (default 1000; Upbit allows 5 connects/s). */
  readonly minConnectIntervalMs?: number;
  readonly connectTimeoutMs?: number;
  /** Largest inbound frame, bytes (default 1 MiB). */
  readonly maxPayload?: number;
  /** Negotiate permessage-deflate (default false: costs CPU per frame). */
  readonly perMessageDeflate?: boolean;
  /** Use the byte scanner for single orderbook frames (default true); false forces JSON.parse. */
  readonly fastPath?: boolean;
  /**
   * Largest lag behind the exchange before a live book is reported `stale`, ms: arrival time minus
   * the frame's `timestamp` (`tms`), minus the clock offset (see `lagBaselineWindowMs`). Default:
   * the smaller of `staleAfterMs` and 1000. Only REALTIME frames are measured: a SNAPSHOT carries
   * the time of the book's last change, which for a quiet book can be minutes old.
   */
  readonly maxLagMs?: number;
  /**
   * Window of the clock-offset baseline, ms (default 300000): the least `arrival − timestamp` seen
   * over it is taken as clock offset plus network floor, so a constant clock skew is never lag. A
   * delay that stays constant longer than this is absorbed into the baseline.
   */
  readonly lagBaselineWindowMs?: number;
}

/** Stream-wide counters (per-symbol ones are in `counters(symbol)`). */
export interface UpbitStreamStats {
  /** Frames handed over by the socket ({"status":"UP"} replies are counted by the socket). */
  frames: number;
  /** Order books applied. */
  books: number;
  /** Messages rejected at the edge (malformed, unknown, impossible), attributed or not. */
  invalidMessages: number;
  /** Books older than the last applied one for their code, dropped. */
  droppedStale: number;
  /** Well-formed messages that are not order books (ticker, trade, replies). */
  nonBookMessages: number;
  /** {"status":"UP"} seen inside other frames (list formats, whitespace). */
  heartbeats: number;
  /** {"error":{…}} frames from Upbit. */
  exchangeErrors: number;
  /** Books for codes this stream did not subscribe. */
  unknownCodeFrames: number;
  /** Subscriptions re-sent on an open connection (staleness, invalid frames). */
  resubscribes: number;
  /** Codes marked failed because no orderbook frame came after a subscription. */
  subscribeTimeouts: number;
  /** Listener callbacks that threw. */
  listenerErrors: number;
  /** Books applied while their symbol lagged more than maxLagMs behind the exchange (kept, not emitted). */
  laggingBooks: number;
}

const DEFAULT_STALE_AFTER_MS = 5_000;
const DEFAULT_DEPTH = 30;

function positiveOption(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(value > 0))
    throw new ConfigError(`Upbit stream option ${name} must be a positive number of ms, got ${value}`);
  return value;
}

/**
 * Upbit order books over one WebSocket. Every Upbit orderbook frame is a complete top-N book, so
 * each valid frame replaces the local book; there are no deltas to lose and no sequence numbers.
 *
 * Per-symbol state: `connecting` (no book yet) → `live` on the first valid frame; `stale` when no
 * frame was applied for `staleAfterMs`; `resyncing` after an invalid or crossed frame for the code
 * or after a reconnect, until the next valid frame; `down` while the connection is lost; `failed`
 * when no frame came within `subscribeTimeoutMs` of subscribing (Upbit ignores unknown and
 * lower-case codes silently), when Upbit answered with an error frame, or when crossed books persist
 * after a resubscribe. Only `live` books are emitted through `onUpdate`.
 *
 * Staleness on Upbit: a quiet book sends nothing until it changes, so silence alone cannot tell a
 * quiet market from a stalled one. A symbol silent for `staleAfterMs` is therefore reported `stale`
 * (never served as fresh), and the stream re-sends its subscription `staleAfterMs` later, backing
 * off to `maxResubscribeDelayMs` while symbols stay stale (failed ones are retried the same way).
 * Upbit answers every code with a SNAPSHOT: a quiet but healthy book returns to `live` (an equal
 * timestamp is accepted; only older ones are dropped), a stalled one stays `stale`. Keepalive
 * replies never count as data.
 *
 * Lag: a feed can keep delivering while falling behind (a slow link, a backlog). Every REALTIME
 * frame's `arrival − timestamp`, less the clock offset (`LagBaseline`), is its lag; over `maxLagMs`
 * the book is still applied but the symbol is `stale` ('lagging N ms behind the exchange …') and
 * nothing is emitted, until a frame arrives within `maxLagMs` again.
 */
export class UpbitOrderBookStream implements OrderBookStream {
  readonly stats: UpbitStreamStats = {
    frames: 0,
    books: 0,
    invalidMessages: 0,
    droppedStale: 0,
    nonBookMessages: 0,
    heartbeats: 0,
    exchangeErrors: 0,
    unknownCodeFrames: 0,
    resubscribes: 0,
    subscribeTimeouts: 0,
    listenerErrors: 0,
    laggingBooks: 0,
  };

  private readonly onRunningChange: ((running: boolean) => void) | undefined;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly socket: UpbitSocket;
  private readonly parser: UpbitFrameParser;
  private readonly sink: UpbitFrameSink;
  private readonly bySymbol = new Map<string, SymbolEntry>();
  private readonly byCode = new Map<string, SymbolEntry>();
  private readonly depth: number;
  private readonly staleAfterMs: number;
  private readonly subscribeTimeoutMs: number;
  private readonly maxLagMs: number;
  private readonly lagBaseline: LagBaseline;
  // Replaced (never mutated) on subscribe/unsubscribe, so emitting needs no defensive copy.
  private updateListeners: ReadonlyArray<(book: LiveBook) => void> = [];
  private stateListeners: ReadonlyArray<(change: InstrumentStateChange) => void> = [];
  private errorListeners: ReadonlyArray<(error: ArbitrageError) => void> = [];
  private readonly detachSocketErrors: () => void;

  private started = false;
  private frameReceivedAt = 0;
  private frameGeneration = 0;
  private healthyGeneration = 0;
  private sweepTimer: TimerHandle | undefined;
  private subscribeTimer: TimerHandle | undefined;
  private readonly resubscriber: ResubscribeScheduler;

  constructor(options: UpbitOrderBookStreamOptions) {
    this.onRunningChange = options.onRunningChange;
    this.clock = options.clock ?? systemClock;
    this.logger = (options.logger ?? noopLogger).child({ component: 'upbit-stream' });
    this.depth = options.depth ?? DEFAULT_DEPTH;
    const unitCount = unitCountFor(this.depth);
    this.staleAfterMs = positiveOption('staleAfterMs', options.staleAfterMs, DEFAULT_STALE_AFTER_MS);
    this.subscribeTimeoutMs = positiveOption('subscribeTimeoutMs', options.subscribeTimeoutMs, 5_000);
    this.maxLagMs = positiveOption('maxLagMs', options.maxLagMs, Math.min(this.staleAfterMs, 1_000));
    this.lagBaseline = new LagBaseline(
      positiveOption('lagBaselineWindowMs', options.lagBaselineWindowMs, 300_000),
    );
    this.resubscriber = new ResubscribeScheduler({
      clock: this.clock,
      minIntervalMs: positiveOption('minResubscribeIntervalMs', options.minResubscribeIntervalMs, 1_000),
      firstDelayMs: this.staleAfterMs,
      maxDelayMs: positiveOption('maxResubscribeDelayMs', options.maxResubscribeDelayMs, 60_000),
      send: () => this.resubscribeNow(),
    });
    if (options.symbols.length === 0)
      throw new ConfigError('an Upbit order-book stream needs at least one symbol');
    const now = this.clock.now();
    for (const symbol of options.symbols) {
      if (this.bySymbol.has(symbol)) continue;
      const entry = new SymbolEntry(symbol, options.mapper.toNative(symbol), now);
      this.bySymbol.set(symbol, entry);
      this.byCode.set(entry.code, entry);
    }
    this.parser = new UpbitFrameParser({ fastPath: options.fastPath ?? true });
    this.sink = {
      onBook: (frame) => this.applyBook(frame),
      onStatus: () => {
        this.stats.heartbeats++;
      },
      onExchangeError: (name, message) => this.exchangeError(name, message),
      onOther: () => {
        this.stats.nonBookMessages++;
      },
      onInvalid: (error, code) => this.invalidMessage(error, code),
    };
    const keepalive = options.keepalive;
    this.socket = new UpbitSocket({
      name: 'upbit',
      url: options.url ?? UPBIT_WS_URL,
      clock: this.clock,
      logger: options.logger ?? noopLogger,
      unitCount,
      format: options.format ?? 'DEFAULT',
      keepalive: keepalive === false ? 'ping' : (keepalive?.mode ?? 'ping'),
      heartbeat:
        keepalive === false
          ? false
          : { intervalMs: keepalive?.intervalMs ?? 25_000, timeoutMs: keepalive?.timeoutMs ?? 15_000 },
      healthyOnFirstData: false,
      // No outbound pacing in the base: it counts ping frames, which Upbit does not limit, and at a
      // test-scale keepalive they would starve subscriptions. This stream sends at most one
      // subscription per minResubscribeIntervalMs (1 s by default), well under Upbit's 5 per second.
      ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
      ...(options.minConnectIntervalMs === undefined
        ? {}
        : { minConnectIntervalMs: options.minConnectIntervalMs }),
      ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
      ...(options.maxPayload === undefined ? {} : { maxPayload: options.maxPayload }),
      ...(options.perMessageDeflate === undefined ? {} : { perMessageDeflate: options.perMessageDeflate }),
      handlers: {
        frame: (data, meta) => this.handleFrame(data, meta),
        opened: (generation) => this.connectionOpened(generation),
        closed: (code, requested) => this.connectionClosed(code, requested),
      },
    });
    this.detachSocketErrors = this.socket.on('error', (error) => this.emitError(error));
  }

  /** Connection counters of the underlying socket (messages, reconnects, heartbeats, ...). */
  get socketCounters(): Readonly<WebSocketClientCounters> {
    return this.socket.counters;
  }

  /** Upbit codes this stream subscribes. */
  get codes(): readonly string[] {
    return [...this.byCode.keys()];
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.onRunningChange?.(true);
    this.socket.subscribe(this.codes);
    this.scheduleSweep();
    await this.socket.connect();
  }

  async stop(): Promise<void> {
    if (this.started) this.onRunningChange?.(false);
    this.started = false;
    const clock = this.clock;
    clock.clearTimeout(this.sweepTimer);
    clock.clearTimeout(this.subscribeTimer);
    this.sweepTimer = undefined;
    this.subscribeTimer = undefined;
    this.resubscriber.cancel();
    await this.socket.disconnect();
    for (const entry of this.bySymbol.values()) {
      if (entry.state !== 'down' && entry.state !== 'failed') this.setState(entry, 'down', 'stream stopped');
    }
  }

  /** Stops and detaches from the socket for good. */
  async close(): Promise<void> {
    await this.stop();
    this.detachSocketErrors();
  }

  onUpdate(listener: (book: LiveBook) => void): () => void {
    this.updateListeners = [...this.updateListeners, listener];
    return () => {
      this.updateListeners = without(this.updateListeners, listener);
    };
  }

  onStateChange(listener: (change: InstrumentStateChange) => void): () => void {
    this.stateListeners = [...this.stateListeners, listener];
    return () => {
      this.stateListeners = without(this.stateListeners, listener);
    };
  }

  onError(listener: (error: ArbitrageError) => void): () => void {
    this.errorListeners = [...this.errorListeners, listener];
    return () => {
      this.errorListeners = without(this.errorListeners, listener);
    };
  }

  book(symbol: string): LiveBook | undefined {
    const entry = this.bySymbol.get(symbol);
    return entry !== undefined && entry.lastAppliedAt > 0 ? entry.live : undefined;
  }

  status(symbol: string): InstrumentStatus | undefined {
    return this.bySymbol.get(symbol)?.status();
  }

  counters(symbol: string): Readonly<InstrumentCounters> | undefined {
    return this.bySymbol.get(symbol)?.counters;
  }

  /**
   * How far `symbol`'s feed is behind the exchange, ms, measured on its last REALTIME frame (clock
   * offset taken out); undefined before the first one.
   */
  lagMs(symbol: string): number | undefined {
    return this.bySymbol.get(symbol)?.lagMs;
  }

  /** The measured clock offset (local − exchange, network floor included), ms; undefined before the first REALTIME frame. */
  get clockOffsetMs(): number | undefined {
    return this.lagBaseline.offsetMs;
  }

  // ------------------------------------------------------------------ message path

  private handleFrame(data: Buffer, meta: MessageMeta): void {
    this.stats.frames++;
    this.frameReceivedAt = meta.receivedAt;
    this.frameGeneration = meta.generation;
    this.parser.parse(data, this.sink);
  }

  private applyBook(frame: BookFrame): void {
    const entry = this.byCode.get(frame.code);
    if (entry === undefined) {
      this.stats.unknownCodeFrames++;
      return;
    }
    entry.confirmedGeneration = this.frameGeneration;
    if (frame.timestamp < entry.lastTimestamp) {
      entry.counters.droppedStale++;
      this.stats.droppedStale++;
      return;
    }
    const receivedAt = this.frameReceivedAt;
    if (frame.streamType !== 'SNAPSHOT') this.measureLag(entry, receivedAt, frame.timestamp);
    applyFrame(entry.live.book, frame, this.depth);
    entry.live.recordUpdate(frame.timestamp, receivedAt);
    entry.lastTimestamp = frame.timestamp;
    entry.lastAppliedAt = receivedAt;
    entry.counters.updates++;
    entry.crossedStrikes = 0;
    entry.resubscribedSinceCrossed = false;
    this.stats.books++;
    if (entry.lagging) {
      // The newest book is kept, but a book this far behind is not fresh: not emitted.
      this.stats.laggingBooks++;
      if (entry.state !== 'stale') entry.counters.staleEvents++;
      this.setState(
        entry,
        'stale',
        lagReason(entry.lagMs ?? 0, this.maxLagMs, this.lagBaseline.offsetMs ?? 0),
      );
      return;
    }
    if (entry.state !== 'live') this.setState(entry, 'live', undefined);
    if (this.healthyGeneration !== this.frameGeneration) {
      this.healthyGeneration = this.frameGeneration;
      this.socket.confirmHealthy();
    }
    const listeners = this.updateListeners;
    for (let i = 0; i < listeners.length; i++) {
      try {
        listeners[i]!(entry.live);
      } catch (error) {
        this.listenerFailed('onUpdate', error);
      }
    }
  }

  private measureLag(entry: SymbolEntry, receivedAt: number, timestamp: number): void {
    const lag = this.lagBaseline.lagOf(receivedAt, timestamp);
    if (lag === undefined) return;
    entry.lagMs = lag;
    const lagging = lag > this.maxLagMs;
    if (lagging === entry.lagging) return;
    entry.lagging = lagging;
    this.logger.info(
      { symbol: entry.symbol, lagMs: lag, maxLagMs: this.maxLagMs },
      lagging ? 'feed lagging behind the exchange' : 'feed caught up with the exchange',
    );
  }

  private invalidMessage(error: InvalidMessageError, code: string | undefined): void {
    this.stats.invalidMessages++;
    const entry = code === undefined ? undefined : this.byCode.get(code);
    if (entry !== undefined) {
      entry.counters.invalidMessages++;
      if (error.reason === 'crossed') {
        entry.counters.crossed++;
        entry.crossedStrikes++;
        if (entry.resubscribedSinceCrossed) {
          this.setState(entry, 'failed', `crossed books persist after a resubscribe (${error.message})`);
          this.logger.error(
            { symbol: entry.symbol, code },
            `upbit ${entry.code}: crossed books persist; halted`,
          );
          this.emitError(error);
          return;
        }
      }
      if (entry.state !== 'failed') {
        entry.counters.resyncs++;
        this.setState(entry, 'resyncing', `${error.message}; resubscribing for a fresh snapshot`);
      }
    }
    // Every Upbit frame is a whole book: a fresh SNAPSHOT repairs whatever a bad frame hid.
    if (this.started) this.resubscriber.soon();
    this.emitError(error);
  }

  private exchangeError(name: string, message: string): void {
    this.stats.exchangeErrors++;
    const reason = `Upbit answered error ${name}: ${message || '(no message)'}`;
    for (const entry of this.bySymbol.values()) this.setState(entry, 'failed', `${reason}; reconnecting`);
    // Reported through the socket's error event (forwarded to onError), then the socket reconnects.
    this.socket.failSubscription(name, message);
  }

  // ------------------------------------------------------------------ connection lifecycle

  private connectionOpened(generation: number): void {
    for (const entry of this.bySymbol.values()) {
      // The new connection's frames say afresh whether the feed lags.
      entry.lagging = false;
      if (entry.state === 'down')
        this.setState(entry, 'resyncing', 'reconnected; waiting for a fresh snapshot');
    }
    this.clock.clearTimeout(this.subscribeTimer);
    this.subscribeTimer = this.clock.setTimeout(
      () => this.checkSubscriptions(generation),
      this.subscribeTimeoutMs,
    );
  }

  private connectionClosed(code: number, requested: boolean): void {
    this.clock.clearTimeout(this.subscribeTimer);
    this.subscribeTimer = undefined;
    const reason = requested ? 'stream stopped' : `connection lost (close code ${code}); reconnecting`;
    for (const entry of this.bySymbol.values()) {
      if (entry.state !== 'failed') this.setState(entry, 'down', reason);
    }
  }

  private checkSubscriptions(generation: number): void {
    this.subscribeTimer = undefined;
    for (const entry of this.bySymbol.values()) {
      if (entry.confirmedGeneration === generation || entry.state === 'live' || entry.state === 'failed')
        continue;
      if (entry.state === 'down') continue;
      this.stats.subscribeTimeouts++;
      this.setState(
        entry,
        'failed',
        `no orderbook frame for ${entry.code} within ${this.subscribeTimeoutMs} ms of subscribing; ` +
          'Upbit is silent for unknown or lower-case codes: check that the market is listed',
      );
    }
  }

  // ------------------------------------------------------------------ staleness and resubscribe

  private scheduleSweep(): void {
    if (!this.started) return;
    const interval = Math.min(1_000, Math.max(5, this.staleAfterMs / 4));
    this.sweepTimer = this.clock.setTimeout(() => {
      this.sweepTimer = undefined;
      this.sweep();
      this.scheduleSweep();
    }, interval);
  }

  private sweep(): void {
    const now = this.clock.now();
    let anyStale = false;
    for (const entry of this.bySymbol.values()) {
      if (entry.state === 'live' && now - entry.lastAppliedAt >= this.staleAfterMs) {
        entry.counters.staleEvents++;
        this.setState(
          entry,
          'stale',
          `no update for ${now - entry.lastAppliedAt} ms (staleAfterMs ${this.staleAfterMs}); Upbit sends nothing ` +
            'for an unchanged book, so the subscription is re-sent to confirm it',
        );
      }
      // Failed codes are retried on the same backoff: a market listed later, or a transient
      // server problem, comes back on its own; an unknown code costs one request per minute at most.
      if (entry.state === 'stale' || entry.state === 'failed') anyStale = true;
    }
    this.resubscriber.track(anyStale);
  }

  /** Re-sends the subscription on the open connection; false when there is none (the reconnect replays it). */
  private resubscribeNow(): boolean {
    if (!this.started || !this.socket.resubscribe()) return false;
    this.stats.resubscribes++;
    for (const entry of this.bySymbol.values())
      if (entry.crossedStrikes > 0) entry.resubscribedSinceCrossed = true;
    return true;
  }

  // ------------------------------------------------------------------ reporting

  private setState(entry: SymbolEntry, state: InstrumentState, reason: string | undefined): void {
    if (entry.state === state && entry.reason === reason) return;
    const previous = entry.state;
    const stateChanged = previous !== state;
    entry.state = state;
    entry.reason = reason;
    if (stateChanged) entry.since = this.clock.now();
    if (!stateChanged) return;
    const change: InstrumentStateChange = {
      exchange: UPBIT_EXCHANGE_ID,
      symbol: entry.symbol,
      previous,
      state,
      since: entry.since,
      ...(reason === undefined ? {} : { reason }),
    };
    if (state === 'failed') this.logger.warn({ symbol: entry.symbol, reason }, `upbit ${entry.code} failed`);
    else this.logger.debug({ symbol: entry.symbol, state, previous, reason }, 'instrument state');
    for (const listener of this.stateListeners) {
      try {
        listener(change);
      } catch (error) {
        this.listenerFailed('onStateChange', error);
      }
    }
  }

  private emitError(error: ArbitrageError): void {
    for (const listener of this.errorListeners) {
      try {
        listener(error);
      } catch (listenerError) {
        this.listenerFailed('onError', listenerError);
      }
    }
  }

  private listenerFailed(kind: string, error: unknown): void {
    this.stats.listenerErrors++;
    this.logger.error({ err: error }, `upbit stream: an ${kind} listener threw; ignored`);
  }
}

/** `list` without the first occurrence of `item`. */
function without<T>(list: readonly T[], item: T): readonly T[] {
  const index = list.indexOf(item);
  return index < 0 ? list : [...list.slice(0, index), ...list.slice(index + 1)];
}
