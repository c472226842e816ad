import type { Socket } from 'node:net';
import type { Clock, TimerHandle } from '@arbitrage/core';
import WebSocket, { type RawData } from 'ws';
import type { ResolvedBinance } from '../config.js';
import { ConnectionFaults } from '../faults/connection-faults.js';
import { type MalformedKind, malformedBinance } from '../faults/malformed.js';
import type { Market } from '../model/market.js';
import { SlidingWindow } from '../server/sliding-window.js';
import { TimerGroup } from '../timers.js';
import {
  type ControlError,
  type ControlRequest,
  isControlError,
  parseControl,
  type RequestId,
} from './control.js';
import { serverShutdownFrame } from './frames.js';
import type { BinanceStreamHub, StreamSubscriber } from './stream-hub.js';
import { parseStreamName, type StreamKind, type StreamSpec } from './streams.js';

export interface BinanceConnectionContext {
  readonly config: ResolvedBinance;
  readonly clock: Clock;
  readonly hub: BinanceStreamHub;
  readonly market: Market;
  onClosed(connection: BinanceConnection): void;
}

const TEXT = { binary: false } as const;

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

/**
 * One client of the Binance stream server: its streams, the combined property, server pings and the
 * pong deadline, the connection lifetime, the inbound message limit, and the faults armed on it.
 */
export class BinanceConnection implements StreamSubscriber {
  readonly faults = new ConnectionFaults();
  readonly streams = new Map<string, StreamSpec>();
  readonly openedAt: number;
  combined: boolean;
  private readonly timers: TimerGroup;
  private readonly inbound: SlidingWindow;
  private readonly held = new Map<string, string>();
  private pongDeadline: TimerHandle | undefined;
  private pingPayload: string | undefined;
  private closed = false;

  constructor(
    readonly id: number,
    readonly ws: WebSocket,
    readonly socket: Socket,
    readonly path: string,
    combined: boolean,
    private readonly context: BinanceConnectionContext,
  ) {
    this.combined = combined;
    this.openedAt = context.clock.now();
    this.timers = new TimerGroup(context.clock);
    this.inbound = new SlidingWindow(context.config.maxIncomingPerSecond, 1000);
  }

  start(initialStreams: readonly StreamSpec[]): void {
    const { ws, context } = this;
    const config = context.config;
    ws.on('message', (data) => this.onMessage(data));
    ws.on('ping', (payload) => {
      if (this.countInbound() && !this.faults.ignorePings) ws.pong(payload);
    });
    ws.on('pong', (payload) => {
      if (!this.countInbound()) return;
      if (this.pingPayload !== undefined && payload.toString() === this.pingPayload) {
        this.pingPayload = undefined;
        this.timers.cancel(this.pongDeadline);
        this.pongDeadline = undefined;
      }
    });
    ws.on('error', () => {});
    ws.on('close', () => this.dispose());
    for (const spec of initialStreams) this.addStream(spec);
    this.timers.every(config.pingIntervalMs, () => this.ping());
    if (config.shutdownNoticeMs > 0 && config.shutdownNoticeMs < config.connectionLifetimeMs) {
      this.timers.after(config.connectionLifetimeMs - config.shutdownNoticeMs, () =>
        this.sendShutdownNotice(),
      );
    }
    this.timers.after(config.connectionLifetimeMs, () => this.close(1001, 'Connection lifetime expired'));
  }

  get isOpen(): boolean {
    return !this.closed && this.ws.readyState === WebSocket.OPEN;
  }

  /** Market data for one of this connection's streams (already wrapped when combined). */
  deliver(symbol: string, kind: StreamKind, data: string): void {
    const faults = this.faults;
    if (!faults.active) {
      this.send(data);
      return;
    }
    if (faults.isStalled(symbol)) return;
    if (kind === 'diff') this.deliverDiffWithFaults(symbol, data);
    else this.send(data);
  }

  send(data: string | Buffer): void {
    const ws = this.ws;
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount > this.context.config.maxBufferedBytes) {
      this.terminate();
      return;
    }
    ws.send(data, TEXT);
  }

  sendMalformed(kind: MalformedKind, symbol: string): void {
    const book = this.context.market.binance(symbol);
    const frame = malformedBinance(kind, book, this.context.clock.now());
    this.send(
      typeof frame === 'string' && this.combined
        ? `{"stream":"${book.streamSymbol}@depth","data":${frame}}`
        : frame,
    );
  }

  sendShutdownNotice(): void {
    const raw = serverShutdownFrame(this.context.clock.now());
    this.send(this.combined ? `{"stream":"!serverShutdown","data":${raw}}` : raw);
  }

  close(code: number, reason = ''): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING)
      this.ws.close(code, reason);
  }

  /** Drops the TCP connection without a close frame (the client sees 1006). */
  terminate(): void {
    this.ws.terminate();
  }

  private deliverDiffWithFaults(symbol: string, data: string): void {
    const faults = this.faults;
    if (ConnectionFaults.take(faults.skip, symbol)) return;
    let frame = data;
    if (faults.cross.delete(symbol)) frame = this.crossed(symbol, frame);
    if (faults.reorder.has(symbol)) {
      const held = this.held.get(symbol);
      if (held === undefined) {
        this.held.set(symbol, frame);
        return;
      }
      this.held.delete(symbol);
      faults.reorder.delete(symbol);
      this.send(frame);
      this.send(held);
      return;
    }
    this.send(frame);
    if (ConnectionFaults.take(faults.duplicate, symbol)) this.send(frame);
  }

  /** Adds a bid one tick above the best ask to a diff event. */
  private crossed(symbol: string, frame: string): string {
    const book = this.context.market.binance(symbol);
    const askKey = book.ladder.asks.key(0) ?? book.ladder.bids.key(0) ?? 1;
    const level = `["${book.formatPrice(askKey + 1)}","${book.formatQty(book.ladder.asks.lots(0) ?? 1)}"]`;
    return frame.includes('"b":[]')
      ? frame.replace('"b":[]', `"b":[${level}]`)
      : frame.replace('"b":[', `"b":[${level},`);
  }

  private ping(): void {
    if (!this.isOpen) return;
    const payload = String(this.context.clock.now());
    this.ws.ping(payload);
    if (this.pongDeadline === undefined) {
      this.pingPayload = payload;
      this.pongDeadline = this.timers.after(this.context.config.pongTimeoutMs, () => this.terminate());
    } else if (this.pingPayload === undefined) this.pingPayload = payload;
  }

  /** Counts one inbound message; past the limit the connection is closed with 1008. */
  private countInbound(): boolean {
    if (this.closed) return false;
    if (this.inbound.hit(this.context.clock.now())) return true;
    this.closed = true;
    this.context.market.limitHits.record('binance.messagesPerSecond');
    this.ws.close(1008, 'Too many requests');
    return false;
  }

  private onMessage(data: RawData): void {
    if (!this.countInbound()) return;
    const request = parseControl(rawText(data));
    if (isControlError(request)) {
      this.replyError(request);
      return;
    }
    const outcome = this.execute(request);
    if ('error' in outcome) this.replyError({ ...outcome.error, id: request.id });
    else this.reply(request.id, outcome.result);
  }

  /** Applies a valid control request; the result to send, or the error to reply with. */
  private execute(request: ControlRequest): { result: unknown } | { error: { code: number; msg: string } } {
    const invalidStream = { error: { code: 2, msg: 'Invalid request: invalid stream' } };
    switch (request.method) {
      case 'SUBSCRIBE': {
        const specs: StreamSpec[] = [];
        for (const name of request.params) {
          const spec = parseStreamName(name);
          if (!spec) return invalidStream;
          specs.push(spec);
        }
        const added = specs.filter((spec) => !this.streams.has(spec.name)).length;
        if (this.streams.size + added > this.context.config.maxStreamsPerConnection) {
          this.context.market.limitHits.record('binance.streamsPerConnection');
          return { error: { code: 2, msg: 'Invalid request: too many streams' } };
        }
        for (const spec of specs) this.addStream(spec);
        return { result: null };
      }
      case 'UNSUBSCRIBE':
        if (!request.params.every((name) => parseStreamName(name))) return invalidStream;
        for (const name of request.params) this.removeStream(name);
        return { result: null };
      case 'LIST_SUBSCRIPTIONS':
        return { result: [...this.streams.keys()] };
      case 'SET_PROPERTY':
        if (request.name !== 'combined') return { error: { code: 0, msg: 'Unknown property' } };
        if (typeof request.value !== 'boolean')
          return { error: { code: 1, msg: 'Invalid value type: expected Boolean' } };
        this.combined = request.value;
        return { result: null };
      case 'GET_PROPERTY':
        if (request.name !== 'combined') return { error: { code: 0, msg: 'Unknown property' } };
        return { result: this.combined };
    }
  }

  private addStream(spec: StreamSpec): void {
    if (this.streams.has(spec.name)) return;
    this.streams.set(spec.name, spec);
    this.context.hub.add(this, spec);
  }

  private removeStream(name: string): void {
    const spec = this.streams.get(name);
    if (!spec) return;
    this.streams.delete(name);
    this.context.hub.remove(this, spec);
  }

  private reply(id: RequestId, result: unknown): void {
    this.send(`{"result":${JSON.stringify(result)},"id":${JSON.stringify(id)}}`);
  }

  private replyError(error: ControlError): void {
    const { code, msg, id } = error;
    const body =
      this.context.config.errorShape === 'nested' ? { error: { code, msg }, id } : { code, msg, id };
    this.send(JSON.stringify(body));
  }

  private dispose(): void {
    this.closed = true;
    this.timers.clear();
    for (const spec of this.streams.values()) this.context.hub.remove(this, spec);
    this.held.clear();
    this.context.onClosed(this);
  }
}
