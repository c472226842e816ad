import {
  type ArbitrageError,
  type BackoffOptions,
  type InvalidMessageError,
  systemClock,
} from '@arbitrage/core';
import {
  type BookEvent,
  FrameSocket,
  type FrameSocketOptions,
  type FrameKind as SocketFrameKind,
  SubscriptionRequests,
} from '@arbitrage/exchange-kit';
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
  /** Sees every frame as it arrives (recording). */
  readonly wireTap?: FrameSocketOptions['wireTap'];
  /** Opens sockets instead of the network (replay). */
  readonly transport?: FrameSocketOptions['transport'];
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
  private readonly requests: SubscriptionRequests;
  private readonly clock: NonNullable<WebSocketClientOptions['clock']>;
  private openGeneration = 0;
  /** Frames that could not be attributed to a stream of this connection. */
  unattributedFrames = 0;

  constructor(options: BinanceDepthConnectionOptions) {
    this.streams = options.streams;
    this.streamSet = new Set(options.streams);
    for (const stream of options.streams) {
      this.bySymbol.set(stream.slice(0, stream.indexOf('@')).toUpperCase(), stream);
    }
    this.host = options.host;
    this.clock = options.clock ?? systemClock;
    this.requests = new SubscriptionRequests({
      clock: this.clock,
      intervalMs: options.subscribeIntervalMs ?? 300,
      topicsPerRequest: options.streamsPerSubscribe ?? 200,
      ackTimeoutMs: options.ackTimeoutMs ?? 5_000,
      retryBackoff: options.subscribeBackoff ?? { baseMs: 1_000, capMs: 30_000 },
      send: (method, streams, id) =>
        this.socket.send({ method: method.toUpperCase(), params: streams, id }, this.openGeneration),
      settled: (streams, ok, reason) => {
        this.host.subscription(this, streams, ok, reason);
        if (!ok)
          this.host.error(this, new SubscriptionError(BINANCE_EXCHANGE_ID, streams, reason ?? 'unknown'));
      },
    });
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
    this.requests.closed();
    await this.socket.disconnect();
    this.requests.closed();
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
    return this.requests.pending;
  }

  /** Sends UNSUBSCRIBE then SUBSCRIBE for streams that went silent while others flow. */
  resubscribe(streams: readonly string[]): void {
    if (!this.isOpen) return;
    this.requests.enqueue('unsubscribe', streams);
    this.requests.enqueue('subscribe', streams);
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
    this.requests.opened();
    this.host.opened(this);
    this.requests.enqueue('subscribe', this.streams);
  }

  private onClose(event: CloseEvent): void {
    this.requests.closed();
    // Binance closes with 1008 when more than 5 messages/s arrive: send subscriptions slower.
    if (event.code === 1008) this.requests.slowDown();
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

  // ---- replies -----------------------------------------------------------------------------------

  private onControl(reply: ControlReply): void {
    const id = typeof reply.id === 'number' ? reply.id : Number(reply.id);
    if (reply.type === 'error') {
      const reason = `Binance error ${reply.code}: ${reply.msg}`;
      if (!this.requests.reply(id, reason)) {
        this.socket.protocolError(`control error without a matching request: ${reason}`, {
          serverCode: reply.code,
        });
      }
      return;
    }
    // SUBSCRIBE and UNSUBSCRIBE answer {"result":null,"id":…}; anything else is a refusal.
    this.requests.reply(
      id,
      reply.result === null ? undefined : `unexpected result ${JSON.stringify(reply.result)}`,
    );
  }
}
