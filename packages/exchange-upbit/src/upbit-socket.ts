import {
  BaseWebSocketClient,
  type MessageMeta,
  type WebSocketClientOptions,
  type WebSocketProtocolError,
} from '@arbitrage/ws-client';
import { subscriptionRequest, type UpbitFormat, type UpbitUnitCount } from './subscription.js';

/** What the socket hands to its owner. */
export interface UpbitSocketHandlers {
  frame(data: Buffer, meta: MessageMeta): void;
  opened(generation: number): void;
  closed(code: number, requested: boolean): void;
}

export interface UpbitSocketOptions extends WebSocketClientOptions {
  readonly unitCount: UpbitUnitCount;
  readonly format: UpbitFormat;
  /** 'ping': RFC 6455 ping frames; 'text': the text message PING, answered by {"status":"UP"} every 10 s. */
  readonly keepalive: 'ping' | 'text';
  readonly handlers: UpbitSocketHandlers;
}

const STATUS_UP = Buffer.from('{"status":"UP"}');

/**
 * Upbit's public WebSocket on top of BaseWebSocketClient, which owns connection, reconnect, keepalive
 * and replay. This class only says what a subscription looks like (the whole code list in one
 * request, every time) and hands raw frames on, undecoded, so they are parsed exactly once.
 * `exchangeTimeOf` is therefore not overridden (the timestamp is known only after that one parse):
 * the stream measures lag per code from the parsed frame, and `counters.lagMs` stays 0.
 */
export class UpbitSocket extends BaseWebSocketClient {
  private readonly upbit: UpbitSocketOptions;

  constructor(options: UpbitSocketOptions) {
    super(options);
    this.upbit = options;
  }

  /** Re-sends the full subscription on the open connection (a fresh SNAPSHOT per code). */
  resubscribe(): boolean {
    if (!this.isOpen || this.topics.length === 0) return false;
    return this.send(this.request(this.topics), this.generation);
  }

  /** The current connection has delivered a usable book: reset the reconnect backoff. */
  confirmHealthy(): void {
    this.markHealthy();
  }

  /** Reports an Upbit error frame and reconnects (Upbit closes the socket after one anyway). */
  failSubscription(name: string, message: string): WebSocketProtocolError {
    return this.raiseProtocolError(
      `Upbit answered error ${name}: ${message || '(no message)'}; subscription failed`,
      {
        serverCode: name,
        reconnect: true,
      },
    );
  }

  protected subscribeMessages(_added: readonly string[], all: readonly string[]): unknown[] {
    return [this.request(all)];
  }

  protected unsubscribeMessages(_removed: readonly string[], remaining: readonly string[]): unknown[] {
    // Upbit has no unsubscribe: the new set replaces the old. An empty code list is an error there.
    return remaining.length === 0 ? [] : [this.request(remaining)];
  }

  protected override decode(data: Buffer): unknown {
    return data;
  }

  protected override isHeartbeatReply(message: unknown): boolean {
    return Buffer.isBuffer(message) && message.length === STATUS_UP.length && message.equals(STATUS_UP);
  }

  protected override sendHeartbeat(): void {
    if (this.upbit.keepalive === 'text') this.sendRaw('PING', this.generation);
    else super.sendHeartbeat();
  }

  protected onMessage(message: unknown, meta: MessageMeta): void {
    if (Buffer.isBuffer(message)) this.upbit.handlers.frame(message, meta);
  }

  protected override onOpen(generation: number): void {
    this.upbit.handlers.opened(generation);
  }

  protected override onClose(event: { code: number; requested: boolean }): void {
    this.upbit.handlers.closed(event.code, event.requested);
  }

  private request(codes: readonly string[]): unknown[] {
    return subscriptionRequest({ codes, unitCount: this.upbit.unitCount, format: this.upbit.format });
  }
}
