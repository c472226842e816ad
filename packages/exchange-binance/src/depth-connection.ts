import {
  type ArbitrageError,
  Backoff,
  type BackoffOptions,
  type InvalidMessageError,
  systemClock,
  type TimerHandle,
} from '@arbitrage/core';
import { type BookEvent, FrameSocket, type FrameKind as SocketFrameKind } from '@arbitrage/exchange-kit';
import type { CloseEvent, WebSocketClientCounters, WebSocketClientOptions } from '@arbitrage/ws-client';
import { SubscriptionError } from './errors.js';
import { BinanceFrameParser, type ControlReply } from './frame-parser.js';
import { BINANCE_EXCHANGE_ID } from './symbols.js';

/** What a connection tells the stream that owns it. Every call is synchronous. */
export interface DepthConnectionHost {
  /**
   * A depth event for one of this connection's streams (`event` is reused: copy to keep), with the
   * local time its frame arrived.
   */
  depth(connection: BinanceDepthConnection, stream: string, event: BookEvent, receivedAt: number): void;
  /** A depth message on `stream` failed validation. */
  invalid(connection: BinanceDepthConnection, stream: string, error: InvalidMessageError): void;
  /** A message no stream of this connection can claim, or a protocol error. */
  error(connection: BinanceDepthConnection, error: ArbitrageError): void;
  opened(connection: BinanceDepthConnection): void;
  closed(connection: BinanceDepthConnection, event: CloseEvent): void;
  /** SUBSCRIBE confirmed (`ok`) or failed for these streams. */
  subscription(
    connection: BinanceDepthConnection,
    streams: readonly string[],
    ok: boolean,
    reason?: string,
  ): void;
  /** Binance announced a shutdown of this connection's server. */
  shutdown(connection: BinanceDepthConnection): void;
}

export interface BinanceDepthConnectionOptions
  extends Omit<WebSocketClientOptions, 'url' | 'healthyOnFirstData' | 'maxOutboundPerSecond'> {
  /** Combined-stream endpoint, e.g. wss://stream.binance.com:9443/stream. */
  readonly url: string;
  /** Stream names this connection carries ('btcusdt@depth@100ms'). */
  readonly streams: readonly string[];
  readonly host: DepthConnectionHost;
  /** Least time between two SUBSCRIBE/UNSUBSCRIBE messages, ms (default 300; Binance allows 5 messages/s). */
  readonly subscribeIntervalMs?: number;
  /** Stream names per SUBSCRIBE (default 200). */
  readonly streamsPerSubscribe?: number;
  /** A SUBSCRIBE with no reply after this long fails its streams, ms (default 5000). */
  readonly ackTimeoutMs?: number;
  /** Backoff before a failed SUBSCRIBE is sent again (default 1 s doubling to 30 s). */
  readonly subscribeBackoff?: BackoffOptions;
  /** Outgoing frames per rolling second, pings and pongs included (default 4, under Binance's 5). */
  readonly maxOutboundPerSecond?: number;
}

interface PendingRequest {
  readonly method: 'SUBSCRIBE' | 'UNSUBSCRIBE';
  readonly streams: readonly string[];
  readonly timer: TimerHandle | undefined;
}

interface QueuedRequest {
  readonly method: 'SUBSCRIBE' | 'UNSUBSCRIBE';
  readonly streams: readonly string[];
}

/**
 * One Binance combined-stream connection (`/stream`) carrying up to 1024 depth streams
 * (docs/protocols/binance.md B1–B3). A FrameSocket owns the socket (reconnect, heartbeat, staleness,
 * pacing); this class knows the wire: frames parsed straight from bytes, SUBSCRIBE requests with
 * ids, batched and paced at least `subscribeIntervalMs` apart, acks awaited (a missing ack or an
 * error reply fails those streams and retries them with backoff), control replies and serverShutdown.
 */
export class BinanceDepthConnection {
  readonly streams: readonly string[];
  private readonly socket: FrameSocket;
  private readonly parser = new BinanceFrameParser();
  private readonly host: DepthConnectionHost;
  private readonly streamSet: ReadonlySet<string>;
  private readonly bySymbol = new Map<string, string>();
  private subscribeIntervalMs: number;
  private readonly streamsPerSubscribe: number;
  private readonly ackTimeoutMs: number;
  private readonly retryBackoff: Backoff;
  private readonly requestQueue: QueuedRequest[] = [];
  private readonly awaitingReply = new Map<number, PendingRequest>();
  private readonly retryTimers = new Set<TimerHandle>();
  private readonly clock: NonNullable<WebSocketClientOptions['clock']>;
  private pumpTimer: TimerHandle | undefined;
  private lastRequestAt = Number.NEGATIVE_INFINITY;
  private nextRequestId = 1;
  private openGeneration = 0;
  /** When the current connection opened (ms since epoch), 0 while not open. */
  openedAt = 0;
  /** Frames that could not be attributed to a stream of this connection. */
  unattributedFrames = 0;

  constructor(options: BinanceDepthConnectionOptions) {
    this.streams = options.streams;
    this.streamSet = new Set(options.streams);
    for (const stream of options.streams) {
      this.bySymbol.set(stream.slice(0, stream.indexOf('@')).toUpperCase(), stream);
    }
    this.host = options.host;
    this.subscribeIntervalMs = options.subscribeIntervalMs ?? 300;
    this.streamsPerSubscribe = Math.max(1, options.streamsPerSubscribe ?? 200);
    this.ackTimeoutMs = options.ackTimeoutMs ?? 5_000;
    this.retryBackoff = new Backoff(options.subscribeBackoff ?? { baseMs: 1_000, capMs: 30_000 });
    this.socket = new FrameSocket({
      ...options,
      maxOutboundPerSecond: options.maxOutboundPerSecond ?? 4,
      // Backoff resets on the first depth event, not on the handshake or an ack.
      healthyOnFirstData: true,
      // The byte parser takes printable ASCII only and sends anything else down the JSON.parse path,
      // where a bad frame is counted and dropped: ws's UTF-8 pass over every frame buys nothing.
      skipUTF8Validation: options.skipUTF8Validation ?? true,
      handler: {
        frame: (data, receivedAt) => this.onFrame(data, receivedAt),
        opened: (generation) => this.onOpen(generation),
        closed: (event) => this.onClose(event),
        error: (error) => this.host.error(this, error),
        // Subscriptions are sent here (ids, acks, spacing), not replayed by the socket.
        expectsData: () => this.streamSet.size > 0,
      },
    });
    this.clock = options.clock ?? systemClock;
  }

  get name(): string {
    return this.socket.name;
  }

  /** The socket's live counters (opens, messages, reconnects, heartbeats …). */
  get counters(): Readonly<WebSocketClientCounters> {
    return this.socket.counters;
  }

  get isOpen(): boolean {
    return this.socket.isOpen;
  }

  connect(): Promise<void> {
    return this.socket.connect();
  }

  async disconnect(): Promise<void> {
    this.clearRequests();
    await this.socket.disconnect();
    this.clearRequests();
  }

  /** Listeners attached to the socket's events (a leak check). */
  listenerCount(): number {
    return this.socket.listenerCount();
  }

  /** Frames handled by the byte scanner and by the JSON.parse path. */
  get parserStats(): { fast: number; slow: number } {
    return { fast: this.parser.fastFrames, slow: this.parser.slowFrames };
  }

  /** SUBSCRIBE/UNSUBSCRIBE requests waiting to be sent or answered. */
  get pendingRequests(): number {
    return this.requestQueue.length + this.awaitingReply.size;
  }

  /** Sends UNSUBSCRIBE then SUBSCRIBE for streams that went silent while others flow. */
  resubscribe(streams: readonly string[]): void {
    if (!this.isOpen) return;
    this.enqueue('UNSUBSCRIBE', streams);
    this.enqueue('SUBSCRIBE', streams);
  }

  // ---- frames ----------------------------------------------------------------------------------

  private onFrame(data: Buffer, receivedAt: number): SocketFrameKind {
    const parser = this.parser;
    switch (parser.parse(data)) {
      case 'depth': {
        const event = parser.event;
        const stream = this.route(event);
        if (stream !== undefined) this.host.depth(this, stream, event, receivedAt);
        return 'data';
      }
      case 'invalid': {
        const error = parser.error!;
        const stream = this.route(parser.event) ?? this.routeBySymbolPart(parser.event.stream);
        if (stream !== undefined) this.host.invalid(this, stream, error);
        else this.host.error(this, error);
        return 'other';
      }
      case 'control':
        this.onControl(parser.control!);
        return 'other';
      case 'shutdown':
        this.host.shutdown(this);
        return 'other';
    }
  }

  private onOpen(generation: number): void {
    this.openGeneration = generation;
    this.openedAt = this.clock.now();
    this.host.opened(this);
    this.enqueue('SUBSCRIBE', this.streams);
  }

  private onClose(event: CloseEvent): void {
    this.openedAt = 0;
    this.clearRequests();
    if (event.code === 1008) {
      // Binance closes with 1008 when more than 5 messages/s arrive: send subscriptions slower.
      this.subscribeIntervalMs = Math.min(2_000, this.subscribeIntervalMs * 2);
    }
    this.host.closed(this, event);
  }

  // ---- routing -----------------------------------------------------------------------------------

  /** The stream an event belongs to: the combined-stream name, else the raw event's symbol. */
  private route(event: BookEvent): string | undefined {
    if (event.stream !== '') {
      if (this.streamSet.has(event.stream)) return event.stream;
    } else if (event.symbol !== '') {
      const stream = this.bySymbol.get(event.symbol);
      if (stream !== undefined) return stream;
    } else if (this.streams.length === 1) {
      return this.streams[0];
    }
    this.unattributedFrames++;
    return undefined;
  }

  /**
   * For a rejected frame only: a stream name of another form for one of our symbols
   * ('btcusdt@depth' while 'btcusdt@depth@100ms' is carried) still says whose continuity is lost.
   */
  private routeBySymbolPart(stream: string): string | undefined {
    const at = stream.indexOf('@');
    return at > 0 ? this.bySymbol.get(stream.slice(0, at).toUpperCase()) : undefined;
  }

  // ---- SUBSCRIBE requests ----------------------------------------------------------------------

  private enqueue(method: 'SUBSCRIBE' | 'UNSUBSCRIBE', streams: readonly string[]): void {
    for (let i = 0; i < streams.length; i += this.streamsPerSubscribe) {
      this.requestQueue.push({ method, streams: streams.slice(i, i + this.streamsPerSubscribe) });
    }
    this.pump();
  }

  private pump(): void {
    if (this.pumpTimer !== undefined || this.requestQueue.length === 0 || !this.isOpen) return;
    const now = this.clock.now();
    const wait = this.lastRequestAt + this.subscribeIntervalMs - now;
    if (wait > 0) {
      this.pumpTimer = this.clock.setTimeout(() => {
        this.pumpTimer = undefined;
        this.pump();
      }, wait);
      return;
    }
    const request = this.requestQueue.shift()!;
    const id = this.nextRequestId++;
    this.lastRequestAt = now;
    const sent = this.socket.send(
      { method: request.method, params: request.streams, id },
      this.openGeneration,
    );
    if (sent) {
      const timer =
        request.method === 'SUBSCRIBE'
          ? this.clock.setTimeout(
              () => this.requestFailed(id, `no reply within ${this.ackTimeoutMs} ms`),
              this.ackTimeoutMs,
            )
          : undefined;
      this.awaitingReply.set(id, { method: request.method, streams: request.streams, timer });
    }
    this.pump();
  }

  private onControl(reply: ControlReply): void {
    const id = typeof reply.id === 'number' ? reply.id : Number(reply.id);
    const request = this.awaitingReply.get(id);
    if (reply.type === 'error') {
      const reason = `Binance error ${reply.code}: ${reply.msg}`;
      if (request) this.requestFailed(id, reason);
      else
        this.socket.protocolError(`control error without a matching request: ${reason}`, {
          serverCode: reply.code,
        });
      return;
    }
    if (!request) return; // a reply to no pending request (late or foreign)
    this.awaitingReply.delete(id);
    this.clock.clearTimeout(request.timer);
    if (request.method === 'SUBSCRIBE') {
      if (reply.result !== null) {
        this.requestFailed(id, `unexpected SUBSCRIBE result ${JSON.stringify(reply.result)}`, request);
        return;
      }
      this.retryBackoff.reset();
      this.host.subscription(this, request.streams, true);
    }
  }

  private requestFailed(id: number, reason: string, known?: PendingRequest): void {
    const request = known ?? this.awaitingReply.get(id);
    if (!request) return;
    this.awaitingReply.delete(id);
    this.clock.clearTimeout(request.timer);
    if (request.method !== 'SUBSCRIBE') return;
    this.host.subscription(this, request.streams, false, reason);
    this.host.error(this, new SubscriptionError(BINANCE_EXCHANGE_ID, request.streams, reason));
    const delay = this.retryBackoff.next();
    const generation = this.openGeneration;
    const timer = this.clock.setTimeout(() => {
      this.retryTimers.delete(timer);
      if (this.socket.isCurrent(generation)) this.enqueue('SUBSCRIBE', request.streams);
    }, delay);
    this.retryTimers.add(timer);
  }

  private clearRequests(): void {
    this.requestQueue.length = 0;
    for (const request of this.awaitingReply.values()) this.clock.clearTimeout(request.timer);
    this.awaitingReply.clear();
    for (const timer of this.retryTimers) this.clock.clearTimeout(timer);
    this.retryTimers.clear();
    this.clock.clearTimeout(this.pumpTimer);
    this.pumpTimer = undefined;
  }
}
