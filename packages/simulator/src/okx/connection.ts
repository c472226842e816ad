import type { Socket } from 'node:net';
import type { Clock, TimerHandle } from '@arbitrage/core';
import WebSocket, { type RawData } from 'ws';
import type { ResolvedOkx } from '../config.js';
import { ConnectionFaults } from '../faults/connection-faults.js';
import { type MalformedKind, malformedOkx } from '../faults/malformed.js';
import type { Market } from '../model/market.js';
import type { OkxInstrumentBook } from '../model/okx-book.js';
import { TimerGroup } from '../timers.js';
import type { OkxFeedHub, OkxSubscriber } from './feed-hub.js';
import {
  books5Frame,
  errorEvent,
  noticeEvent,
  type OkxChannel,
  snapshotFrame,
  subscribeReply,
} from './frames.js';
import {
  doesNotExist,
  isRequestError,
  type OkxArg,
  type OkxRequestError,
  parseOkxRequest,
} from './requests.js';

export interface OkxConnectionContext {
  readonly config: ResolvedOkx;
  readonly clock: Clock;
  readonly hub: OkxFeedHub;
  readonly market: Market;
  onClosed(connection: OkxConnection): void;
}

export interface OkxSubscription {
  readonly channel: OkxChannel;
  readonly instId: string;
}

const TEXT = { binary: false } as const;
/** The simulator's close for an idle connection (docs/protocols/okx.md E8 gives no code). */
export const IDLE_CLOSE_CODE = 4004;

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

/** An 8-hex-digit connection id, like OKX's `connId`, derived from the simulator's numeric id. */
function connIdOf(id: number): string {
  return (Math.imul(id, 2_654_435_761) >>> 0).toString(16).padStart(8, '0');
}

/**
 * One client of the OKX public WebSocket (docs/protocols/okx.md E3–E8): its subscriptions, the
 * text ping/pong, the 30 s idle close, and the faults armed on it.
 */
export class OkxConnection implements OkxSubscriber {
  readonly faults = new ConnectionFaults();
  readonly subscriptions = new Map<string, OkxSubscription>();
  readonly openedAt: number;
  readonly connId: string;
  private readonly timers: TimerGroup;
  private readonly held = new Map<string, string>();
  private idle: TimerHandle | undefined;
  /** When the server last pushed anything on this connection (a pong included). */
  private lastPushAt: number;
  private closed = false;

  constructor(
    readonly id: number,
    readonly ws: WebSocket,
    readonly socket: Socket,
    private readonly context: OkxConnectionContext,
  ) {
    this.openedAt = context.clock.now();
    this.lastPushAt = this.openedAt;
    this.connId = connIdOf(id);
    this.timers = new TimerGroup(context.clock);
  }

  start(): void {
    const ws = this.ws;
    ws.on('message', (data) => this.onMessage(data));
    ws.on('error', () => {});
    ws.on('close', () => this.dispose());
    this.armIdle();
  }

  get isOpen(): boolean {
    return !this.closed && this.ws.readyState === WebSocket.OPEN;
  }

  deliverUpdate(book: OkxInstrumentBook, frame: string): void {
    if (!this.faults.active) this.send(frame);
    else this.deliverUpdateWithFaults(book, frame);
  }

  deliverTop(book: OkxInstrumentBook, frame: string): void {
    if (!this.faults.isStalled(book.instId)) this.send(frame);
  }

  send(data: string | Buffer): void {
    const ws = this.ws;
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount > this.context.config.maxBufferedBytes) {
      this.terminate();
      return;
    }
    this.lastPushAt = this.context.clock.now();
    ws.send(data, TEXT);
  }

  /** A `snapshot` push of the book as it is now (E4). */
  sendSnapshot(book: OkxInstrumentBook): void {
    this.send(
      snapshotFrame(book, this.context.config.depthLevels, book.timestamp, this.context.config.checksum),
    );
  }

  sendMalformed(kind: MalformedKind, book: OkxInstrumentBook): void {
    this.send(malformedOkx(kind, book, this.context.clock.now()));
  }

  /** The service-upgrade notice (E8). */
  sendNotice(): void {
    this.send(noticeEvent(this.connId));
  }

  hasBooks(instId: string): boolean {
    return this.subscriptions.has(`books:${instId}`);
  }

  close(code: number, reason = ''): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING)
      this.ws.close(code, reason);
  }

  /** Drops the TCP connection without a close frame (the client sees 1006). */
  terminate(): void {
    this.ws.terminate();
  }

  private deliverUpdateWithFaults(book: OkxInstrumentBook, data: string): void {
    const faults = this.faults;
    const instId = book.instId;
    if (faults.isStalled(instId)) return;
    if (ConnectionFaults.take(faults.skip, instId)) return;
    let frame = data;
    if (faults.resnapshot.delete(instId))
      frame = snapshotFrame(
        book,
        this.context.config.depthLevels,
        book.timestamp,
        this.context.config.checksum,
      );
    if (faults.cross.delete(instId)) frame = this.crossed(book, frame);
    if (faults.reorder.has(instId)) {
      const held = this.held.get(instId);
      if (held === undefined) {
        this.held.set(instId, frame);
        return;
      }
      this.held.delete(instId);
      faults.reorder.delete(instId);
      this.send(frame);
      this.send(held);
      return;
    }
    this.send(frame);
    if (ConnectionFaults.take(faults.duplicate, instId)) this.send(frame);
  }

  /** Adds a bid one tick above the best ask to a push. */
  private crossed(book: OkxInstrumentBook, frame: string): string {
    const askKey = book.ladder.asks.key(0) ?? book.ladder.bids.key(0) ?? 1;
    const lots = book.ladder.asks.lots(0) ?? 1;
    const level = `["${book.formatPrice(askKey + 1)}","${book.formatQty(lots)}","0","1"]`;
    return frame.includes('"bids":[]')
      ? frame.replace('"bids":[]', `"bids":[${level}]`)
      : frame.replace('"bids":[', `"bids":[${level},`);
  }

  /**
   * 30 s with nothing pushed closes the connection (E8): a client on a quiet channel keeps it with a
   * text `ping`, whose `pong` is a push. Checked lazily, so a push costs no timer reset.
   */
  private armIdle(delayMs = this.context.config.idleTimeoutMs): void {
    this.timers.cancel(this.idle);
    this.idle = this.timers.after(delayMs, () => {
      const idleMs = this.context.clock.now() - this.lastPushAt;
      const limit = this.context.config.idleTimeoutMs;
      if (idleMs >= limit) this.close(IDLE_CLOSE_CODE, 'No data received in 30s.');
      else this.armIdle(limit - idleMs);
    });
  }

  private onMessage(data: RawData): void {
    if (this.closed) return;
    const text = rawText(data);
    if (text === 'ping') {
      if (!this.faults.ignorePings) this.send('pong');
      return;
    }
    const request = parseOkxRequest(text);
    if (isRequestError(request)) {
      this.replyError(request);
      return;
    }
    for (const arg of request.args) {
      if (request.op === 'subscribe') this.subscribe(arg, request.id);
      else this.unsubscribe(arg, request.id);
    }
  }

  private resolve(arg: OkxArg): { channel: OkxChannel; book: OkxInstrumentBook } | undefined {
    if (arg.channel !== 'books' && arg.channel !== 'books5') return undefined;
    const book = this.context.market.findOkx(arg.instId);
    return book ? { channel: arg.channel, book } : undefined;
  }

  private subscribe(arg: OkxArg, id: string | undefined): void {
    const target = this.resolve(arg);
    if (!target) {
      this.replyError(doesNotExist(arg, id));
      return;
    }
    const { channel, book } = target;
    const key = `${channel}:${book.instId}`;
    this.send(subscribeReply('subscribe', channel, book.instId, this.connId, id));
    if (!this.subscriptions.has(key)) {
      this.subscriptions.set(key, { channel, instId: book.instId });
      this.context.hub.add(this, channel, book.instId);
    }
    // books: the snapshot push (E4, E6: being withdrawn, so it can be turned off); books5: the top now.
    if (channel === 'books' && this.context.config.snapshotPush) this.sendSnapshot(book);
    if (channel === 'books5') this.send(books5Frame(book, book.timestamp));
  }

  private unsubscribe(arg: OkxArg, id: string | undefined): void {
    const target = this.resolve(arg);
    if (!target) {
      this.replyError(doesNotExist(arg, id));
      return;
    }
    const { channel, book } = target;
    const key = `${channel}:${book.instId}`;
    if (this.subscriptions.delete(key)) this.context.hub.remove(this, channel, book.instId);
    this.send(subscribeReply('unsubscribe', channel, book.instId, this.connId, id));
  }

  private replyError(error: OkxRequestError): void {
    this.send(errorEvent(error.code, error.msg, this.connId, error.id));
  }

  private dispose(): void {
    this.closed = true;
    this.timers.clear();
    for (const { channel, instId } of this.subscriptions.values())
      this.context.hub.remove(this, channel, instId);
    this.subscriptions.clear();
    this.held.clear();
    this.context.onClosed(this);
  }
}
