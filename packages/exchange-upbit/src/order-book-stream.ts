import {
  type Clock,
  ConfigError,
  type ExchangeTransport,
  type InvalidMessageError,
  type Logger,
  noopLogger,
  type OrderBookStreamOptions,
  systemClock,
  type TimerHandle,
  type WireTap,
} from '@arbitrage/core';
import {
  type FrameKind,
  FrameSocket,
  InstrumentTracker,
  positiveMs,
  type TrackedInstrument,
  TrackedStream,
} from '@arbitrage/exchange-kit';
import type { ReconnectBackoffOptions, WebSocketClientCounters } from '@arbitrage/ws-client';
import type { BookFrame } from './book-frame.js';
import { UpbitFrameParser, type UpbitFrameSink } from './frame-parser.js';
import { ResubscribeScheduler } from './resubscribe-scheduler.js';
import { subscriptionRequest, type UpbitFormat, unitCountFor } from './subscription.js';
import { UPBIT_EXCHANGE_ID, type UpbitSymbolMapper } from './symbols.js';

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
  /** Sees every frame as it arrives (recording). */
  readonly wireTap?: WireTap;
  /** Opens sockets instead of the network (replay). */
  readonly transport?: ExchangeTransport;
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
   * the frame's `timestamp`, minus the clock offset. Default: the smaller of `staleAfterMs` and 1000.
   * Only REALTIME frames are measured: a SNAPSHOT carries the time of the book's last change, which
   * for a quiet book can be minutes old.
   */
  readonly maxLagMs?: number;
  /** Window of the clock-offset baseline, ms (default 300000); see core's LagBaseline. */
  readonly lagBaselineWindowMs?: number;
}

/** Stream-wide counters (per-symbol ones are in `counters(symbol)`). */
export interface UpbitStreamStats {
  /** Frames handed over by the socket. */
  frames: number;
  /** Order books applied. */
  books: number;
  /** Messages rejected at the edge (malformed, unknown, impossible), attributed or not. */
  invalidMessages: number;
  /** Books older than the last applied one for their code, dropped. */
  droppedStale: number;
  /** Well-formed messages that are not order books (ticker, trade, replies). */
  nonBookMessages: number;
  /** {"status":"UP"} keepalive replies. */
  heartbeats: number;
  /** {"error":{…}} frames from Upbit. */
  exchangeErrors: number;
  /** Books for codes this stream did not subscribe. */
  unknownCodeFrames: number;
  /** Subscriptions re-sent on an open connection (staleness, invalid frames). */
  resubscribes: number;
  /** Codes marked failed because no orderbook frame came after a subscription. */
  subscribeTimeouts: number;
}

/** Upbit-only facts about one code, beside what the tracker keeps. */
interface CodeState {
  /** Exchange time of the last applied frame; older frames are dropped. -1 before the first. */
  lastTimestamp: number;
  /** Generation of the connection on which the last orderbook frame for this code arrived. */
  confirmedGeneration: number;
  /** Crossed frames since the last good one. */
  crossedStrikes: number;
  /** A resubscribe went out after the first crossed frame: another crossed frame means it persists. */
  resubscribedSinceCrossed: boolean;
}

const DEFAULT_DEPTH = 30;
const SILENCE_HINT =
  '; Upbit sends nothing for an unchanged book, so the subscription is re-sent to confirm it';

/**
 * Upbit order books over one WebSocket (docs/protocols/upbit.md A3–A6). Every orderbook frame is a
 * complete top-N book, so each valid frame replaces the local book: there are no deltas to lose and
 * no sequence numbers. The kit's tracker owns state, staleness, lag and listeners; this class is the
 * protocol: the subscription, the parse, and Upbit's own rules:
 * - a frame older than the last applied one for its code is dropped;
 * - an invalid or crossed frame makes the code `resyncing` and re-sends the subscription, since a
 *   fresh SNAPSHOT repairs whatever a bad frame hid; crossed again after that, the code is `failed`;
 * - a code with no frame within `subscribeTimeoutMs` of subscribing is `failed` (Upbit is silent for
 *   unknown and lower-case codes), and an Upbit error frame fails every code and reconnects;
 * - silence is ambiguous (a quiet book sends nothing), so a silent code is `stale` and the
 *   subscription is re-sent on a backoff, which makes Upbit answer every code with a SNAPSHOT.
 */
export class UpbitOrderBookStream extends TrackedStream {
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
  };

  private readonly options: UpbitOrderBookStreamOptions;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly socket: FrameSocket;
  private readonly parser: UpbitFrameParser;
  private readonly sink: UpbitFrameSink;
  private readonly codes = new Map<TrackedInstrument, CodeState>();
  private readonly depth: number;
  private readonly subscribeTimeoutMs: number;
  private readonly resubscriber: ResubscribeScheduler;
  private started = false;
  private subscribeTimer: TimerHandle | undefined;
  private healthyGeneration = 0;

  constructor(options: UpbitOrderBookStreamOptions) {
    if (options.symbols.length === 0)
      throw new ConfigError('an Upbit order-book stream needs at least one symbol');
    const clock = options.clock ?? systemClock;
    const logger = (options.logger ?? noopLogger).child({ component: 'upbit-stream' });
    const staleAfterMs = positiveMs('Upbit stream', 'staleAfterMs', options.staleAfterMs, 5_000);
    super(
      new InstrumentTracker({
        exchange: UPBIT_EXCHANGE_ID,
        instruments: options.symbols.map((symbol) => ({
          symbol,
          nativeSymbol: options.mapper.toNative(symbol),
        })),
        clock,
        logger,
        staleAfterMs,
        maxLagMs: positiveMs('Upbit stream', 'maxLagMs', options.maxLagMs, Math.min(staleAfterMs, 1_000)),
        lagBaselineWindowMs: positiveMs(
          'Upbit stream',
          'lagBaselineWindowMs',
          options.lagBaselineWindowMs,
          300_000,
        ),
        silenceHint: SILENCE_HINT,
        onSweep: () => this.resubscribeWhileUnsure(),
      }),
    );
    this.options = options;
    this.clock = clock;
    this.logger = logger;
    this.depth = options.depth ?? DEFAULT_DEPTH;
    unitCountFor(this.depth); // a depth Upbit cannot serve is refused here, not as a silent subscription
    this.subscribeTimeoutMs = positiveMs(
      'Upbit stream',
      'subscribeTimeoutMs',
      options.subscribeTimeoutMs,
      5_000,
    );
    for (const instrument of this.tracker.instruments) {
      this.codes.set(instrument, {
        lastTimestamp: -1,
        confirmedGeneration: 0,
        crossedStrikes: 0,
        resubscribedSinceCrossed: false,
      });
    }
    this.resubscriber = new ResubscribeScheduler({
      clock,
      minIntervalMs: positiveMs(
        'Upbit stream',
        'minResubscribeIntervalMs',
        options.minResubscribeIntervalMs,
        1_000,
      ),
      firstDelayMs: staleAfterMs,
      maxDelayMs: positiveMs('Upbit stream', 'maxResubscribeDelayMs', options.maxResubscribeDelayMs, 60_000),
      send: () => this.resubscribeNow(),
    });
    this.parser = new UpbitFrameParser({ fastPath: options.fastPath ?? true });
    this.sink = this.createSink();
    this.socket = this.createSocket();
  }

  /** Connection counters of the underlying socket (messages, reconnects, heartbeats, ...). */
  get socketCounters(): Readonly<WebSocketClientCounters> {
    return this.socket.counters;
  }

  /** Upbit codes this stream subscribes. */
  get subscribedCodes(): readonly string[] {
    return this.tracker.instruments.map((instrument) => instrument.nativeSymbol);
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.options.onRunningChange?.(true);
    this.tracker.start();
    this.socket.subscribe(this.subscribedCodes);
    await this.socket.connect();
  }

  async stop(): Promise<void> {
    if (this.started) this.options.onRunningChange?.(false);
    this.started = false;
    this.clock.clearTimeout(this.subscribeTimer);
    this.subscribeTimer = undefined;
    this.resubscriber.cancel();
    this.tracker.stop();
    await this.socket.disconnect();
  }

  /** Stops for good (the plugin's close). */
  async close(): Promise<void> {
    await this.stop();
  }

  // ------------------------------------------------------------------ wiring

  private createSocket(): FrameSocket {
    const options = this.options;
    const keepalive = options.keepalive;
    return new FrameSocket({
      name: 'upbit',
      url: options.url ?? UPBIT_WS_URL,
      ...(options.wireTap === undefined
        ? {}
        : { wireTap: { tap: options.wireTap, exchange: UPBIT_EXCHANGE_ID } }),
      ...(options.transport === undefined ? {} : { transport: options.transport }),
      clock: this.clock,
      logger: options.logger ?? noopLogger,
      heartbeat:
        keepalive === false
          ? false
          : { intervalMs: keepalive?.intervalMs ?? 25_000, timeoutMs: keepalive?.timeoutMs ?? 15_000 },
      // A connection is healthy once it delivered a usable book (applyBook says so), not on any frame.
      healthyOnFirstData: false,
      // No outbound pacing in the base: it counts ping frames, which Upbit does not limit. This stream
      // sends at most one subscription per minResubscribeIntervalMs, well under Upbit's 5 per second.
      ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
      ...(options.minConnectIntervalMs === undefined
        ? {}
        : { minConnectIntervalMs: options.minConnectIntervalMs }),
      ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
      ...(options.maxPayload === undefined ? {} : { maxPayload: options.maxPayload }),
      ...(options.perMessageDeflate === undefined ? {} : { perMessageDeflate: options.perMessageDeflate }),
      handler: {
        frame: (data, receivedAt) => this.handleFrame(data, receivedAt),
        opened: (generation) => this.connectionOpened(generation),
        closed: (event) => this.connectionClosed(event.code, event.requested),
        error: (error) => this.tracker.error(error),
        // Upbit has no unsubscribe: every request carries the whole code list and replaces the last.
        // One message each: the request is itself a JSON array.
        subscribeMessages: (_added, all) => [this.request(all)],
        unsubscribeMessages: (_removed, remaining) =>
          remaining.length === 0 ? [] : [this.request(remaining)],
        ...(keepalive !== false && keepalive?.mode === 'text' ? { heartbeatMessage: () => 'PING' } : {}),
      },
    });
  }

  private createSink(): UpbitFrameSink {
    return {
      onBook: (frame, receivedAt) => this.applyBook(frame, receivedAt),
      onStatus: () => {
        this.stats.heartbeats++;
      },
      onExchangeError: (name, message) => this.exchangeError(name, message),
      onOther: () => {
        this.stats.nonBookMessages++;
      },
      onInvalid: (error, code) => this.invalidMessage(error, code),
    };
  }

  // ------------------------------------------------------------------ message path

  private handleFrame(data: Buffer, receivedAt: number): FrameKind {
    this.stats.frames++;
    return this.parser.parse(data, this.sink, receivedAt);
  }

  private applyBook(frame: BookFrame, receivedAt: number): void {
    const instrument = this.tracker.byNative(frame.code);
    if (instrument === undefined) {
      this.stats.unknownCodeFrames++;
      return;
    }
    const code = this.codes.get(instrument)!;
    const generation = this.socket.currentGeneration;
    code.confirmedGeneration = generation;
    if (frame.timestamp < code.lastTimestamp) {
      instrument.counters.droppedStale++;
      this.stats.droppedStale++;
      return;
    }
    code.lastTimestamp = frame.timestamp;
    code.crossedStrikes = 0;
    code.resubscribedSinceCrossed = false;
    this.stats.books++;
    // A SNAPSHOT's timestamp is the book's last change, minutes old for a quiet book: no lag sample.
    const lagSample = frame.streamType === 'SNAPSHOT' ? undefined : frame.timestamp;
    this.tracker.publishFullBook(
      instrument,
      frame,
      this.depth,
      frame.timestamp,
      receivedAt,
      undefined,
      lagSample,
    );
    if (instrument.status.state === 'live' && this.healthyGeneration !== generation) {
      this.healthyGeneration = generation;
      this.socket.confirmHealthy();
    }
  }

  private invalidMessage(error: InvalidMessageError, nativeCode: string | undefined): void {
    this.stats.invalidMessages++;
    const instrument = nativeCode === undefined ? undefined : this.tracker.byNative(nativeCode);
    if (instrument !== undefined) this.judgeInvalid(instrument, error);
    // Every Upbit frame is a whole book: a fresh SNAPSHOT repairs whatever a bad frame hid.
    if (this.started) this.resubscriber.soon();
    this.tracker.invalid(instrument, error);
  }

  private judgeInvalid(instrument: TrackedInstrument, error: InvalidMessageError): void {
    const code = this.codes.get(instrument)!;
    if (error.reason === 'crossed') {
      instrument.counters.crossed++;
      code.crossedStrikes++;
      if (code.resubscribedSinceCrossed) {
        this.tracker.setBookState(
          instrument,
          'failed',
          `crossed books persist after a resubscribe (${error.message})`,
        );
        return;
      }
    }
    if (instrument.status.state !== 'failed') {
      instrument.counters.resyncs++;
      this.tracker.setBookState(
        instrument,
        'resyncing',
        `${error.message}; resubscribing for a fresh snapshot`,
      );
    }
  }

  private exchangeError(name: string, message: string): void {
    this.stats.exchangeErrors++;
    const reason = `Upbit answered error ${name}: ${message || '(no message)'}`;
    for (const instrument of this.tracker.instruments) {
      this.tracker.setBookState(instrument, 'failed', `${reason}; reconnecting`);
    }
    // Reported through the socket's error handler, then the socket reconnects.
    this.socket.protocolError(`${reason}; subscription failed`, { serverCode: name, reconnect: true });
  }

  // ------------------------------------------------------------------ connection lifecycle

  private connectionOpened(generation: number): void {
    this.tracker.linkOpened();
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
    this.tracker.linkLost(reason);
  }

  private checkSubscriptions(generation: number): void {
    this.subscribeTimer = undefined;
    for (const instrument of this.tracker.instruments) {
      const state = instrument.status.state;
      if (this.codes.get(instrument)!.confirmedGeneration === generation) continue;
      if (state === 'live' || state === 'failed' || state === 'down') continue;
      this.stats.subscribeTimeouts++;
      this.tracker.setBookState(
        instrument,
        'failed',
        `no orderbook frame for ${instrument.nativeSymbol} within ${this.subscribeTimeoutMs} ms of subscribing; ` +
          'Upbit is silent for unknown or lower-case codes: check that the market is listed',
      );
    }
  }

  // ------------------------------------------------------------------ resubscribe

  /**
   * After each staleness sweep: stale codes may be quiet or stalled, and failed ones may come back
   * (a market listed later, a passing server problem). Both are asked again on a backoff; an
   * unknown code costs one request a minute at most.
   */
  private resubscribeWhileUnsure(): void {
    let unsure = false;
    for (const instrument of this.tracker.instruments) {
      const state = instrument.status.state;
      if (state === 'stale' || state === 'failed') unsure = true;
    }
    this.resubscriber.track(unsure);
  }

  /** Re-sends the subscription on the open connection; false when there is none (the reconnect replays it). */
  private resubscribeNow(): boolean {
    if (!this.started || !this.socket.isOpen || this.socket.topics.length === 0) return false;
    const sent = this.socket.send(this.request(this.socket.topics), this.socket.currentGeneration);
    if (!sent) return false;
    this.stats.resubscribes++;
    for (const code of this.codes.values()) if (code.crossedStrikes > 0) code.resubscribedSinceCrossed = true;
    return true;
  }

  /** The subscription request: every code in one message (Upbit replaces the set with each request). */
  private request(codes: readonly string[]): unknown[] {
    return subscriptionRequest({
      codes,
      unitCount: unitCountFor(this.depth),
      format: this.options.format ?? 'DEFAULT',
    });
  }
}
