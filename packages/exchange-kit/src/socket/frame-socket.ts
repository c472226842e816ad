import type { ExchangeId, ExchangeTransport, WireTap } from '@arbitrage/core';
import {
  BaseWebSocketClient,
  type CloseEvent,
  type MessageMeta,
  type ProtocolErrorOptions,
  type SocketLike,
  type WebSocketClientOptions,
  type WebSocketError,
  type WebSocketProtocolError,
} from '@arbitrage/ws-client';

/** What a frame turned out to be, once the plugin parsed it. */
export type FrameKind = 'data' | 'heartbeat' | 'other';

/** The plugin's side of a socket: what its frames mean and what its subscriptions look like. */
export interface FrameHandler {
  /**
   * One inbound frame, undecoded, with the local time it arrived and its connection's generation.
   * Parse it once, act on it, and say what it was: 'data' refreshes the staleness deadline (and
   * marks the connection healthy when the socket is set to), 'heartbeat' proves only liveness.
   */
  frame(data: Buffer, receivedAt: number, generation: number): FrameKind;
  /** A connection opened; the subscription replay (`subscribeMessages`) follows. */
  opened?(generation: number): void;
  /** A connection that had opened is closed (requested or not). */
  closed?(event: CloseEvent): void;
  /** Every socket error, classified. */
  error?(error: WebSocketError): void;
  /** Messages that subscribe `added`; `all` is the full topic list (Upbit re-sends it every time). */
  subscribeMessages?(added: readonly string[], all: readonly string[]): unknown[];
  /** Messages that unsubscribe `removed`; `remaining` is what stays subscribed. */
  unsubscribeMessages?(removed: readonly string[], remaining: readonly string[]): unknown[];
  /** An application heartbeat to send instead of a ping frame (Upbit's text `PING`). */
  heartbeatMessage?(): string;
  /** Whether the open connection should be delivering data now (default: when topics are subscribed). */
  expectsData?(): boolean;
}

export interface FrameSocketOptions extends WebSocketClientOptions {
  readonly handler: FrameHandler;
  /** Sees every frame as it arrives (recording), tagged with this exchange id. */
  readonly wireTap?: { readonly tap: WireTap; readonly exchange: ExchangeId };
  /** Opens sockets instead of the network (replay). */
  readonly transport?: ExchangeTransport;
}

/**
 * A WebSocket that keeps itself alive (ws-client's reconnect, heartbeats, staleness, replay,
 * pacing) and hands every frame to a handler as `(data, receivedAt)`. Nothing is decoded ahead of
 * the plugin and nothing travels between layers in fields: the plugin parses each frame once and
 * returns what it was.
 */
export class FrameSocket extends BaseWebSocketClient {
  private readonly handler: FrameHandler;
  private readonly wireTap: FrameSocketOptions['wireTap'];
  private readonly url: FrameSocketOptions['url'];
  /** The tap's id for the open connection (-1 when there is no tap or no connection). */
  private tapConnection = -1;

  constructor(options: FrameSocketOptions) {
    const transport = options.transport;
    super(
      transport
        ? {
            ...options,
            // The transport's sockets speak ws's events and methods (ExchangeTransport.openSocket).
            socketFactory: (url) => transport.openSocket(url) as SocketLike,
            ...(transport.random ? { backoff: { ...options.backoff, random: transport.random } } : {}),
          }
        : options,
    );
    this.handler = options.handler;
    this.wireTap = options.wireTap;
    this.url = options.url;
  }

  /** Generation of the newest connection (0 before the first dial). */
  get currentGeneration(): number {
    return this.generation;
  }

  /** Whether `generation` is the connection that is open right now. */
  isCurrent(generation: number): boolean {
    return this.isCurrentGeneration(generation);
  }

  /** The connection proved healthy by the plugin's own measure: reset the reconnect backoff. */
  confirmHealthy(): void {
    this.markHealthy();
  }

  /** Reports an exchange error (or an unusable message) found by the plugin; optionally reconnects. */
  protocolError(message: string, options: ProtocolErrorOptions = {}): WebSocketProtocolError {
    return this.raiseProtocolError(message, options);
  }

  /** Replaces the connection on purpose (the exchange announced a shutdown). Not an error. */
  restart(reason: string): void {
    this.restartConnection(reason);
  }

  protected subscribeMessages(added: readonly string[], all: readonly string[]): unknown[] {
    return this.handler.subscribeMessages?.(added, all) ?? [];
  }

  protected unsubscribeMessages(removed: readonly string[], remaining: readonly string[]): unknown[] {
    return this.handler.unsubscribeMessages?.(removed, remaining) ?? [];
  }

  protected override decode(data: Buffer): unknown {
    return data;
  }

  protected override isDataMessage(): boolean {
    // Told per frame by the handler's answer instead (noteDataMessage).
    return false;
  }

  protected override expectsData(): boolean {
    return this.handler.expectsData?.() ?? super.expectsData();
  }

  protected override sendHeartbeat(): void {
    const message = this.handler.heartbeatMessage?.();
    if (message === undefined) super.sendHeartbeat();
    else this.sendRaw(message, this.generation);
  }

  protected onMessage(message: unknown, meta: MessageMeta): void {
    const receivedAt = meta.receivedAt;
    const wireTap = this.wireTap;
    if (wireTap) {
      wireTap.tap.frame(wireTap.exchange, this.tapConnection, receivedAt, message as Buffer, meta.isBinary);
    }
    const kind = this.handler.frame(message as Buffer, receivedAt, meta.generation);
    if (kind === 'data') this.noteDataMessage(receivedAt);
    else if (kind === 'heartbeat') this.noteHeartbeatReply();
  }

  protected override onOpen(generation: number): void {
    const wireTap = this.wireTap;
    if (wireTap) {
      const url = typeof this.url === 'string' ? this.url : this.url();
      this.tapConnection = wireTap.tap.opened(wireTap.exchange, this.clock.now(), url);
    }
    this.handler.opened?.(generation);
  }

  protected override onClose(event: CloseEvent): void {
    const wireTap = this.wireTap;
    // Only the server's closes are the exchange's doing: a replay lets the plugin close on its own.
    if (wireTap && this.tapConnection >= 0 && !event.requested) {
      wireTap.tap.closed(wireTap.exchange, this.tapConnection, this.clock.now(), event.code);
    }
    this.tapConnection = -1;
    this.handler.closed?.(event);
  }

  protected override onError(error: WebSocketError): void {
    this.handler.error?.(error);
  }
}
