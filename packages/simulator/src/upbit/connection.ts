import type { Clock, TimerHandle } from '@arbitrage/core';
import WebSocket, { type RawData } from 'ws';
import type { ResolvedUpbit } from '../config.js';
import { ConnectionFaults } from '../faults/connection-faults.js';
import { type MalformedKind, malformedUpbit } from '../faults/malformed.js';
import type { Market } from '../model/market.js';
import type { UpbitFrameState, UpbitMarketBook } from '../model/upbit-book.js';
import { SlidingWindow } from '../server/sliding-window.js';
import { TimerGroup } from '../timers.js';
import { errorFrame, orderbookFrame, STATUS_UP, type StreamType, tickerFrame, tradeFrame } from './frames.js';
import {
  isRequestError,
  parseUpbitRequest,
  splitOrderbookCode,
  type TypeRequest,
  type UpbitFormat,
  type UpbitRequestError,
} from './subscription.js';

export interface UpbitConnectionContext {
  readonly config: ResolvedUpbit;
  readonly clock: Clock;
  readonly market: Market;
  onClosed(connection: UpbitConnection): void;
}

/** The live subscription set of a connection (a new request replaces it). */
export interface UpbitSubscription {
  readonly ticket: string;
  /** Orderbook codes → units published. */
  readonly orderbook: Map<string, number>;
  readonly ticker: Set<string>;
  readonly trade: Set<string>;
  readonly types: readonly TypeRequest[];
}

const BINARY = { binary: true } as const;

/** Wraps a message for the connection's format (the LIST formats send arrays). */
export function formatted(frame: string, format: UpbitFormat): string {
  return format === 'JSON_LIST' || format === 'SIMPLE_LIST' ? `[${frame}]` : frame;
}

export function isSimple(format: UpbitFormat): boolean {
  return format === 'SIMPLE' || format === 'SIMPLE_LIST';
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

/**
 * One client of the Upbit quotation WebSocket: its subscription, the text PING → {"status":"UP"}
 * cycle, the idle timeout (an abrupt close, as observed), error replies followed by close 1000, and
 * the faults armed on it. Every frame it sends is binary.
 */
export class UpbitConnection {
  readonly faults = new ConnectionFaults();
  readonly openedAt: number;
  subscription: UpbitSubscription | undefined;
  /** Set by the first LIST_SUBSCRIPTIONS or subscription request. */
  format: UpbitFormat = 'DEFAULT';
  private readonly timers: TimerGroup;
  private readonly held = new Map<string, string>();
  private lastActivity: number;
  private idleTimer: TimerHandle | undefined;
  private stopStatus: (() => void) | undefined;
  private closing = false;
  /** Messages in the last second (docs/protocols/upbit.md A7: 5 per second per connection). */
  private readonly inbound: SlidingWindow | undefined;

  constructor(
    readonly id: number,
    readonly ws: WebSocket,
    private readonly context: UpbitConnectionContext,
  ) {
    this.openedAt = context.clock.now();
    this.lastActivity = this.openedAt;
    this.timers = new TimerGroup(context.clock);
    this.inbound =
      context.config.maxMessagesPerSecond > 0
        ? new SlidingWindow(context.config.maxMessagesPerSecond, 1000)
        : undefined;
  }

  start(): void {
    const { ws } = this;
    ws.on('message', (data) => this.onMessage(data));
    ws.on('ping', (payload) => {
      this.touch();
      if (!this.faults.ignorePings) ws.pong(payload);
    });
    ws.on('pong', () => this.touch());
    ws.on('error', () => {});
    ws.on('close', () => this.dispose());
    this.armIdle(this.context.config.idleTimeoutMs);
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Sends one text as a binary frame (Upbit's framing) and counts it as activity. */
  send(text: string | Buffer): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    this.touch();
    this.ws.send(typeof text === 'string' ? Buffer.from(text) : text, BINARY);
  }

  /** A REALTIME orderbook frame for `code` (already formatted), subject to the connection's faults. */
  deliverOrderbook(code: string, frame: string, crossed: () => string): void {
    const faults = this.faults;
    if (!faults.active) {
      this.send(frame);
      return;
    }
    if (faults.isStalled(code) || ConnectionFaults.take(faults.skip, code)) return;
    let out = frame;
    if (faults.cross.delete(code)) out = crossed();
    if (faults.reorder.has(code)) {
      const held = this.held.get(code);
      if (held === undefined) {
        this.held.set(code, out);
        return;
      }
      this.held.delete(code);
      faults.reorder.delete(code);
      this.send(out);
      this.send(held);
      return;
    }
    this.send(out);
    if (ConnectionFaults.take(faults.duplicate, code)) this.send(out);
  }

  /** Trade and ticker frames: only a stall stops them. */
  deliverOther(code: string, frame: string): void {
    if (this.faults.active && this.faults.isStalled(code)) return;
    this.send(frame);
  }

  /** Sends the book's previous frame again, with its older timestamp (an out-of-order frame). */
  sendOlderFrame(book: UpbitMarketBook): boolean {
    const units = this.subscription?.orderbook.get(book.code);
    if (units === undefined || !book.previous) return false;
    const frame = orderbookFrame(book, book.previous, units, isSimple(this.format), 'REALTIME');
    this.send(formatted(frame, this.format));
    return true;
  }

  sendMalformed(kind: MalformedKind, book: UpbitMarketBook): void {
    this.send(malformedUpbit(kind, book, this.context.clock.now()));
  }

  /** The orderbook frame for this connection's format. */
  orderbookFor(book: UpbitMarketBook, state: UpbitFrameState, units: number, streamType: StreamType): string {
    return formatted(orderbookFrame(book, state, units, isSimple(this.format), streamType), this.format);
  }

  close(code: number, reason = ''): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING)
      this.ws.close(code, reason);
  }

  terminate(): void {
    this.ws.terminate();
  }

  private onMessage(data: RawData): void {
    this.touch();
    if (this.closing) return;
    if (this.inbound && !this.inbound.hit(this.context.clock.now())) {
      this.context.market.limitHits.record('upbit.messagesPerSecond');
      // Upbit documents the limit, not the answer: the error name is the simulator's choice.
      this.fail({ name: 'TOO_MANY_REQ', message: 'too many messages per second' });
      return;
    }
    const text = rawText(data);
    if (text === 'PING') {
      this.onTextPing();
      return;
    }
    const request = parseUpbitRequest(text);
    if (isRequestError(request)) {
      this.fail(request);
      return;
    }
    this.format = request.format;
    if (request.kind === 'list') {
      this.replyList(request.ticket);
      return;
    }
    this.subscribe(request.ticket, request.types);
  }

  private onTextPing(): void {
    if (this.faults.ignorePings) return;
    this.send(STATUS_UP);
    this.stopStatus ??= this.timers.every(this.context.config.statusIntervalMs, () => {
      if (!this.faults.ignorePings) this.send(STATUS_UP);
    });
  }

  private subscribe(ticket: string, types: readonly TypeRequest[]): void {
    const market = this.context.market;
    const subscription: UpbitSubscription = {
      ticket,
      orderbook: new Map(),
      ticker: new Set(),
      trade: new Set(),
      types,
    };
    this.subscription = subscription;
    const simple = isSimple(this.format);
    const now = this.context.clock.now();
    for (const request of types) {
      for (const rawCode of request.codes) {
        if (request.type === 'orderbook') {
          if (request.level !== 0) continue;
          const { code, units } = splitOrderbookCode(rawCode);
          const book = market.findUpbit(code);
          if (!book) continue;
          if (!request.onlyRealtime)
            this.deliverOther(code, this.orderbookFor(book, book.frame(units), units, 'SNAPSHOT'));
          if (!request.onlySnapshot) subscription.orderbook.set(code, units);
        } else if (request.type === 'ticker' || request.type === 'trade') {
          const book = market.findUpbit(rawCode);
          if (!book) continue;
          const ticker = market.upbitTicker(rawCode);
          if (!request.onlyRealtime) {
            if (request.type === 'ticker')
              this.deliverOther(
                rawCode,
                formatted(tickerFrame(rawCode, ticker, now, simple, 'SNAPSHOT'), this.format),
              );
            else {
              const last = market.lastUpbitTrade(rawCode);
              if (last)
                this.deliverOther(
                  rawCode,
                  formatted(tradeFrame(book, last, ticker, simple, 'SNAPSHOT'), this.format),
                );
            }
          }
          if (!request.onlySnapshot)
            (request.type === 'ticker' ? subscription.ticker : subscription.trade).add(rawCode);
        }
      }
    }
  }

  private replyList(ticket: string): void {
    const result = (this.subscription?.types ?? []).map((request) =>
      request.type === 'orderbook'
        ? { type: request.type, codes: request.codes, level: request.level }
        : { type: request.type, codes: request.codes },
    );
    if (isSimple(this.format)) {
      const rslt = result.map((entry) =>
        'level' in entry
          ? { ty: entry.type, cds: entry.codes, lv: entry.level }
          : { ty: entry.type, cds: entry.codes },
      );
      this.send(JSON.stringify({ mthd: 'LIST_SUBSCRIPTIONS', rslt, tckt: ticket }));
    } else this.send(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', result, ticket }));
  }

  /** An {"error":…} reply, then close 1000 shortly after (as observed). */
  private fail(error: UpbitRequestError): void {
    this.closing = true;
    this.send(errorFrame(error.name, error.message));
    this.timers.after(this.context.config.errorCloseDelayMs, () => this.close(1000));
  }

  private touch(): void {
    this.lastActivity = this.context.clock.now();
  }

  /** Drops the connection abruptly (no close frame: the client sees 1006) after idleTimeoutMs of silence. */
  private armIdle(delayMs: number): void {
    this.idleTimer = this.timers.after(delayMs, () => {
      const idle = this.context.clock.now() - this.lastActivity;
      const limit = this.context.config.idleTimeoutMs;
      if (idle >= limit) this.terminate();
      else this.armIdle(limit - idle);
    });
  }

  private dispose(): void {
    this.timers.cancel(this.idleTimer);
    this.timers.clear();
    this.stopStatus = undefined;
    this.held.clear();
    this.subscription = undefined;
    this.context.onClosed(this);
  }
}
