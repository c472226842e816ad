import type { IncomingMessage } from 'node:http';
import { Backoff, type Clock, type Logger, type TimerHandle } from '@arbitrage/core';
import WebSocket, { type ClientOptions, type RawData } from 'ws';
import { classifySocketError, unexpectedCloseError } from './classify.js';
import {
  abortedError,
  connectTimeoutError,
  dialFailedError,
  gaveUpError,
  handlerError,
  handshakeRejectedError,
  heartbeatTimeoutError,
  notConnectedError,
  parseError,
  queueFullError,
  restartError,
  staleError,
} from './client-errors.js';
import { Connection } from './connection.js';
import { createCounters, type WebSocketClientCounters } from './counters.js';
import { createDeferred, type Deferred } from './deferred.js';
import { type WebSocketError, type WebSocketErrorContext, WebSocketProtocolError } from './errors.js';
import type { CloseEvent, ConnectionState, MessageMeta, WebSocketClientEvents } from './events.js';
import { checkLiveness, type LivenessPolicy, nextLivenessCheck } from './liveness.js';
import { type ResolvedOptions, resolveOptions, type WebSocketClientOptions } from './options.js';
import { Outbound } from './outbound.js';
import { parseRetryAfter } from './retry-after.js';
import { SOCKET_OPEN, type SocketLike } from './socket-like.js';
import { type EventListener, TypedEmitter } from './typed-emitter.js';

const ignore = (): void => {};

/** Origin and path only: query strings may carry keys or tokens and never reach a log line. */
function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '<invalid url>';
  }
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** How an adapter reports a protocol problem (see `raiseProtocolError`). */
export interface ProtocolErrorOptions {
  /** 'server' (default): an exchange error message; 'parse': a message it cannot use. */
  readonly kind?: 'server' | 'parse';
  readonly serverCode?: string | number;
  readonly cause?: unknown;
  /** Also terminate the socket and re-establish it. */
  readonly reconnect?: boolean;
}

/**
 * A WebSocket client that keeps its connection alive on its own. An exchange adapter extends it
 * and says only what a subscription message looks like and what a message means:
 *
 * ```ts
 * class TickerClient extends BaseWebSocketClient {
 *   protected subscribeMessages(topics: readonly string[]) {
 *     return [{ method: 'SUBSCRIBE', params: topics, id: 1 }];
 *   }
 *   protected unsubscribeMessages(topics: readonly string[]) {
 *     return [{ method: 'UNSUBSCRIBE', params: topics, id: 2 }];
 *   }
 *   protected onMessage(message: unknown, meta: MessageMeta) { ... }
 * }
 * ```
 *
 * The base owns the rest: reconnect after any close it did not ask for (exponential backoff with
 * jitter, reset only once data flows; `Retry-After` honoured on 429/418 handshakes), heartbeats and
 * a data-staleness deadline, subscription replay exactly once per connection, a bounded and paced
 * send queue, classified errors, typed events, counters, and a `disconnect()` that leaves nothing
 * behind. Work tied to a connection carries its `generation`, so an old connection's late
 * results never touch a new one.
 */
export abstract class BaseWebSocketClient {
  readonly name: string;
  /** Live counters, updated in place; read any field at any time. */
  readonly counters: Readonly<WebSocketClientCounters>;
  protected readonly clock: Clock;
  protected readonly logger: Logger;

  private readonly options: ResolvedOptions;
  private readonly stats: WebSocketClientCounters;
  private readonly events: TypedEmitter<WebSocketClientEvents>;
  private readonly backoff: Backoff;
  private readonly outbound: Outbound;
  private readonly socketOptions: ClientOptions & { closeTimeout: number };
  private readonly topicSet = new Set<string>();
  private conn: Connection | undefined;
  private lastGeneration = 0;
  /** Reconnect attempt of the next (or current) connection; 0 after `connect()` or a healthy connection. */
  private attempt = 0;
  private reconnectTimer: TimerHandle | undefined;
  private lastDialAt = Number.NEGATIVE_INFINITY;
  /** Between `connect()` and `disconnect()` (or giving up): the client keeps a connection alive. */
  private running = false;
  private openWaiter: Deferred | undefined;
  private disconnecting: Promise<void> | undefined;

  constructor(options: WebSocketClientOptions) {
    this.options = resolveOptions(options);
    this.name = this.options.name;
    this.clock = this.options.clock;
    this.logger = this.options.logger;
    this.stats = createCounters(this.options.maxOutboundPerSecond);
    this.counters = this.stats;
    this.events = new TypedEmitter<WebSocketClientEvents>((error, event) =>
      this.listenerFailed(error, event),
    );
    this.backoff = new Backoff({
      baseMs: this.options.backoff.baseMs,
      capMs: this.options.backoff.capMs,
      factor: this.options.backoff.factor,
      jitter: this.options.backoff.jitter,
      ...(this.options.backoff.random ? { random: this.options.backoff.random } : {}),
    });
    this.outbound = new Outbound(
      this.clock,
      this.stats,
      this.options.maxQueuedMessages,
      this.options.maxOutboundPerSecond,
    );
    this.socketOptions = {
      headers: { ...this.options.headers },
      maxPayload: this.options.maxPayload,
      perMessageDeflate: this.options.perMessageDeflate,
      skipUTF8Validation: this.options.skipUTF8Validation,
      followRedirects: false,
      autoPong: true,
      // ws waits this long for the TCP close after a close handshake before destroying the socket.
      closeTimeout: this.options.closeTimeoutMs,
    };
  }

  // ---------------------------------------------------------------- public API

  get state(): ConnectionState {
    return this.stats.state;
  }

  /** Topics currently remembered (and replayed after every reconnect). */
  get topics(): readonly string[] {
    return [...this.topicSet];
  }

  /** Whether a connection is open and usable right now. */
  get isOpen(): boolean {
    return this.conn?.live === true;
  }

  on<K extends keyof WebSocketClientEvents>(
    event: K,
    listener: EventListener<WebSocketClientEvents[K]>,
  ): () => void {
    return this.events.on(event, listener);
  }

  once<K extends keyof WebSocketClientEvents>(
    event: K,
    listener: EventListener<WebSocketClientEvents[K]>,
  ): () => void {
    return this.events.once(event, listener);
  }

  off<K extends keyof WebSocketClientEvents>(
    event: K,
    listener: EventListener<WebSocketClientEvents[K]>,
  ): void {
    this.events.off(event, listener);
  }

  listenerCount(event?: keyof WebSocketClientEvents): number {
    return this.events.listenerCount(event);
  }

  /**
   * Starts keeping a connection alive. Resolves when a connection opens (the first one, however
   * many attempts it takes); rejects only when the client gives up (`maxReconnectAttempts`) or
   * `disconnect()` is called first. The rejection is never "unhandled": callers that do not await
   * can follow the `state` and `error` events instead. Calling it while running returns a promise
   * for the next open (resolved at once when open).
   */
  connect(): Promise<void> {
    if (this.disconnecting) return this.disconnecting.then(() => this.connect());
    if (this.running && this.conn?.live) return Promise.resolve();
    this.openWaiter ??= createDeferred();
    const waiter = this.openWaiter;
    if (!this.running) {
      this.running = true;
      this.attempt = 0;
      this.backoff.reset();
      this.outbound.resetPace();
      this.dial();
    }
    return waiter.promise;
  }

  /**
   * Stops for good: sends close 1000, waits for the server's close frame at most `closeTimeoutMs`,
   * then terminates. Every timer, socket listener and queued message is dropped. After it resolves
   * no socket or timer of this client is left in the process. Safe to call at any time, repeatedly.
   */
  disconnect(): Promise<void> {
    if (this.disconnecting) return this.disconnecting;
    if (!this.running && this.conn === undefined) return Promise.resolve();
    this.disconnecting = this.shutdown().finally(() => {
      this.disconnecting = undefined;
    });
    return this.disconnecting;
  }

  /**
   * Sends `JSON.stringify(message)` as a text frame. See `sendRaw` for queueing and `generation`.
   * Throws only when `message` cannot be serialised (a programming error).
   */
  send(message: unknown, generation?: number): boolean {
    return this.sendRaw(JSON.stringify(message), generation);
  }

  /**
   * Sends a string as a text frame or a Buffer as a binary frame. While no connection is open, or
   * when the outbound pace is used up, the payload waits in a bounded queue (`maxQueuedMessages`)
   * that is flushed after the subscription replay of the next open connection. The queue is
   * dropped, not replayed, when a connection closes: subscriptions are replayed instead.
   * With `generation`, the payload is dropped unless that connection is still the live one (for
   * async work started on an older connection). Returns false when the payload was dropped.
   */
  sendRaw(data: string | Buffer, generation?: number): boolean {
    if (generation !== undefined && !this.isCurrentGeneration(generation)) {
      this.stats.droppedSends++;
      this.logger.debug(
        { generation, current: this.lastGeneration },
        'dropped a send from an old connection',
      );
      return false;
    }
    if (!this.running || this.disconnecting) {
      this.stats.droppedSends++;
      this.report(notConnectedError(this.context(this.conn), this.stats.state));
      return false;
    }
    if (this.outbound.send(this.conn, data)) return true;
    this.report(queueFullError(this.context(this.conn), this.options.maxQueuedMessages, this.stats.state));
    return false;
  }

  /**
   * Adds topics. They are remembered and replayed, as one batch, exactly once on every new
   * connection; when a connection is open, the new ones are sent now (`subscribeMessages(added, all)`).
   */
  subscribe(topics: readonly string[]): void {
    const hadTopics = this.topicSet.size > 0;
    const added: string[] = [];
    for (const topic of topics) {
      if (this.topicSet.has(topic)) continue;
      this.topicSet.add(topic);
      added.push(topic);
    }
    if (added.length === 0) return;
    const conn = this.conn;
    if (!conn?.live || !conn.replayed) return;
    if (!hadTopics) {
      // Data can only be expected from now on: the staleness window starts here.
      conn.dataWindowStart = this.clock.now();
      this.rescheduleWatchdog(conn);
    }
    this.queueMessages(conn, () => this.subscribeMessages(added, this.topics));
    this.outbound.flush(conn);
  }

  /** Forgets topics; when a connection is open, sends `unsubscribeMessages(removed, remaining)`. */
  unsubscribe(topics: readonly string[]): void {
    const removed: string[] = [];
    for (const topic of topics) if (this.topicSet.delete(topic)) removed.push(topic);
    if (removed.length === 0) return;
    const conn = this.conn;
    if (!conn?.live || !conn.replayed) return;
    this.queueMessages(conn, () => this.unsubscribeMessages(removed, this.topics));
    this.outbound.flush(conn);
  }

  // ---------------------------------------------------------------- subclass API

  /** Messages that subscribe `topics`; `allTopics` is the full list (Upbit re-sends it every time). */
  protected abstract subscribeMessages(topics: readonly string[], allTopics: readonly string[]): unknown[];

  /** Messages that unsubscribe `topics`; `allTopics` is what remains subscribed. */
  protected abstract unsubscribeMessages(topics: readonly string[], allTopics: readonly string[]): unknown[];

  /**
   * One decoded data message. `meta` is reused for every message of a connection: read it during
   * the call. A throw is reported as `WS_HANDLER_ERROR` and the next message is handled as usual.
   */
  protected abstract onMessage(message: unknown, meta: MessageMeta): void;

  /**
   * Turns a frame into a message. Default: UTF-8 + `JSON.parse`, for text and binary frames alike.
   * Override to parse straight from bytes. A throw counts as a parse error (`WS_PARSE_ERROR`); the
   * connection stays up.
   */
  protected decode(data: Buffer, _isBinary: boolean): unknown {
    return JSON.parse(data.toString('utf8'));
  }

  /**
   * Whether a decoded message is an application heartbeat reply (Upbit `{"status":"UP"}`). Such a
   * message proves the connection alive but is not data: it does not refresh the staleness
   * deadline, does not mark the connection healthy, and is not passed to `onMessage`.
   */
  protected isHeartbeatReply(_message: unknown): boolean {
    return false;
  }

  /**
   * Whether a message is market data. Non-data messages (subscription acks, status replies) still
   * reach `onMessage` but neither refresh the staleness deadline nor mark the connection healthy.
   * Default: every message is data.
   */
  protected isDataMessage(_message: unknown): boolean {
    return true;
  }

  /**
   * The exchange's timestamp of a data message (ms since epoch), when it has one. Default: none.
   * When given, `counters.lagMs` tracks arrival lag, and with `maxLagMs` a message lagging more is
   * not fresh: a feed that keeps falling behind trips `staleAfterMs` although messages keep coming.
   */
  protected exchangeTimeOf(_message: unknown): number | undefined {
    return undefined;
  }

  /**
   * Whether the open connection should be delivering data now, which arms `staleAfterMs`.
   * Default: when at least one topic is subscribed. An adapter whose URL carries its streams
   * overrides it to return true.
   */
  protected expectsData(): boolean {
    return this.topicSet.size > 0;
  }

  /** Sends one heartbeat. Default: a ws ping frame. Upbit-style adapters may send text `PING`. */
  protected sendHeartbeat(): void {
    const conn = this.conn;
    if (!conn?.live) return;
    conn.socket.ping();
    this.outbound.recordControlFrame(this.clock.now());
  }

  /**
   * A connection opened (before the subscription replay is sent). May be async; check
   * `isCurrentGeneration(generation)` after every await and pass `generation` to `send`.
   */
  protected onOpen(_generation: number): void | Promise<void> {}

  /** A connection that had opened is closed (requested or not): drop per-connection state here. */
  protected onClose(_event: CloseEvent): void {}

  /** A reconnect was scheduled: attempt `attempt` starts in `delayMs`. */
  protected onReconnect(_attempt: number, _delayMs: number): void {}

  /** Every error, before listeners of the `error` event see it. */
  protected onError(_error: WebSocketError): void {}

  /** Generation of the newest connection (0 before the first dial). */
  protected get generation(): number {
    return this.lastGeneration;
  }

  /** Whether `generation` is the connection that is open and live right now. */
  protected isCurrentGeneration(generation: number): boolean {
    return this.conn?.live === true && this.conn.generation === generation;
  }

  /**
   * Says the current connection has proved healthy: resets the backoff. Called automatically on
   * the first data message unless `healthyOnFirstData: false`.
   */
  protected markHealthy(): void {
    const conn = this.conn;
    if (conn === undefined || !conn.live || conn.healthy) return;
    conn.healthy = true;
    this.attempt = 0;
    this.backoff.reset();
  }

  /**
   * For adapters that can tell what a frame was only after parsing it (they decode nothing and
   * classify in `onMessage`): the frame at `receivedAt` was market data. Refreshes the staleness
   * deadline and, with `healthyOnFirstData`, marks the connection healthy, as a data message does.
   */
  protected noteDataMessage(receivedAt: number): void {
    const conn = this.conn;
    if (conn === undefined || !conn.live) return;
    this.stats.dataMessages++;
    this.stats.lastDataAt = receivedAt;
    conn.dataWindowStart = receivedAt;
    if (!conn.healthy && this.options.healthyOnFirstData) this.markHealthy();
  }

  /** Like `noteDataMessage`, for an application heartbeat reply found while parsing. */
  protected noteHeartbeatReply(): void {
    this.stats.heartbeatReplies++;
  }

  /**
   * Reports a protocol problem the adapter found: an exchange error message (`kind: 'server'`,
   * default) or a message it cannot use (`kind: 'parse'`, counted in `parseErrors`). With
   * `reconnect: true` the socket is also terminated and re-established.
   */
  protected raiseProtocolError(message: string, options: ProtocolErrorOptions = {}): WebSocketProtocolError {
    const conn = this.conn;
    const kind = options.kind ?? 'server';
    if (kind === 'parse') this.stats.parseErrors++;
    const error = new WebSocketProtocolError(
      kind === 'parse' ? 'WS_PARSE_ERROR' : 'WS_SERVER_ERROR',
      `${this.name}: ${message}`,
      {
        ...this.context(conn),
        ...(options.serverCode === undefined ? {} : { serverCode: options.serverCode }),
        cause: options.cause,
      },
    );
    if (options.reconnect && conn?.live) this.failConnection(conn, error);
    else this.report(error);
    return error;
  }

  /** Terminates the current connection because of `error` (reported once) and reconnects with backoff. */
  protected terminateConnection(error: WebSocketError): void {
    const conn = this.conn;
    if (conn?.live) this.failConnection(conn, error);
    else this.report(error);
  }

  /**
   * Replaces the current connection on purpose (e.g. the exchange announced a shutdown): the socket
   * is terminated and a new one dialled after the usual backoff. Not an error: no `error` event,
   * but the `reconnect` event carries a `WS_RESTART` error saying why.
   */
  protected restartConnection(reason: string): void {
    const conn = this.conn;
    if (!conn?.live) return;
    this.logger.info({ generation: conn.generation, reason }, 'restarting connection');
    // Set as the failure before failConnection so that it is not reported as an error.
    conn.failure = restartError(this.context(conn), reason);
    this.failConnection(conn, conn.failure);
  }

  /** Context for errors an adapter builds itself: client name, attempt and generation of the live connection. */
  protected errorContext(): WebSocketErrorContext {
    return this.context(this.conn);
  }

  // ---------------------------------------------------------------- connection lifecycle

  private dial(): void {
    this.reconnectTimer = undefined;
    if (!this.running) return;
    const generation = ++this.lastGeneration;
    this.stats.generation = generation;
    this.lastDialAt = this.clock.now();
    let url: string;
    let socket: SocketLike;
    try {
      url = typeof this.options.url === 'string' ? this.options.url : this.options.url();
      this.setState(
        'connecting',
        this.attempt === 0 ? 'connecting' : `reconnect attempt ${this.attempt}`,
        generation,
      );
      socket = this.options.socketFactory
        ? this.options.socketFactory(url, this.socketOptions)
        : new WebSocket(url, this.socketOptions);
    } catch (cause) {
      const error = dialFailedError({ client: this.name, attempt: this.attempt, generation }, cause);
      this.report(error);
      this.scheduleReconnect(error, undefined);
      return;
    }
    const conn = new Connection(generation, this.attempt, safeUrl(url), socket);
    this.conn = conn;
    socket.on('open', () => this.handleOpen(conn));
    socket.on('message', (data, isBinary) => this.handleFrame(conn, data, isBinary));
    socket.on('ping', () => this.handleControlFrame(conn, true));
    socket.on('pong', () => this.handleControlFrame(conn, false));
    socket.on('error', (error) => this.handleSocketError(conn, error));
    socket.on('close', (code, reason) => this.handleClose(conn, code, reason));
    socket.on('unexpected-response', (_request, response) => this.handleRejectedHandshake(conn, response));
    conn.connectTimer = this.clock.setTimeout(
      () => this.handleConnectTimeout(conn),
      this.options.connectTimeoutMs,
    );
  }

  private handleOpen(conn: Connection): void {
    if (conn !== this.conn || conn.closed || conn.failure || conn.closeRequested) return;
    this.clock.clearTimeout(conn.connectTimer);
    conn.connectTimer = undefined;
    const now = this.clock.now();
    conn.opened = true;
    conn.live = true;
    conn.openedAt = now;
    conn.lastInboundAt = now;
    conn.dataWindowStart = now;
    const heartbeat = this.options.heartbeat;
    if (heartbeat) conn.nextHeartbeatAt = now + heartbeat.intervalMs;
    this.stats.opens++;
    this.stats.connectedAt = now;
    this.outbound.startConnection();
    this.setState(
      'open',
      conn.attempt === 0 ? 'connected' : `reconnected on attempt ${conn.attempt}`,
      conn.generation,
    );
    if (!conn.live) return;
    this.scheduleWatchdog(conn, now);
    this.runOnOpen(conn.generation);
    if (!conn.live) return;
    if (this.topicSet.size > 0) {
      const all = this.topics;
      this.queueMessages(conn, () => this.subscribeMessages(all, all));
    }
    conn.replayed = true;
    this.outbound.flush(conn);
    if (!conn.live) return;
    this.logger.info(
      { generation: conn.generation, attempt: conn.attempt, url: conn.safeUrl },
      'connection open',
    );
    this.events.emit('open', { generation: conn.generation, url: conn.safeUrl, attempt: conn.attempt });
    const waiter = this.openWaiter;
    this.openWaiter = undefined;
    waiter?.resolve();
  }

  private runOnOpen(generation: number): void {
    try {
      const result = this.onOpen(generation);
      if (result instanceof Promise)
        result.catch((error: unknown) => this.hookFailed('onOpen', error, generation));
    } catch (error) {
      this.hookFailed('onOpen', error, generation);
    }
  }

  /** The hot path: one call per inbound text or binary message. No allocation besides `ws`'s own. */
  private handleFrame(conn: Connection, data: RawData, isBinary: boolean): void {
    if (!conn.live) return;
    const buffer = Buffer.isBuffer(data) ? data : toBuffer(data);
    const now = this.clock.now();
    const stats = this.stats;
    stats.messages++;
    stats.bytes += buffer.length;
    stats.lastMessageAt = now;
    conn.lastInboundAt = now;
    let message: unknown;
    try {
      message = this.decode(buffer, isBinary);
    } catch (cause) {
      this.parseFailed(conn, buffer, isBinary, cause);
      return;
    }
    try {
      if (this.isHeartbeatReply(message)) {
        stats.heartbeatReplies++;
        return;
      }
      if (this.isDataMessage(message)) {
        stats.dataMessages++;
        stats.lastDataAt = now;
        const exchangeTime = this.exchangeTimeOf(message);
        const lagging = exchangeTime !== undefined && this.observeLag(now - exchangeTime);
        if (!lagging) {
          conn.dataWindowStart = now;
          if (!conn.healthy && this.options.healthyOnFirstData) this.markHealthy();
        }
      }
      const meta = conn.meta;
      meta.receivedAt = now;
      meta.isBinary = isBinary;
      meta.bytes = buffer.length;
      this.onMessage(message, meta);
    } catch (error) {
      this.hookFailed('onMessage', error, conn.generation);
    }
  }

  /** Records the lag of a data message; true when it is over `maxLagMs` and so not fresh. */
  private observeLag(lagMs: number): boolean {
    this.stats.lagMs = lagMs;
    if (lagMs <= this.options.maxLagMs) return false;
    this.stats.laggingMessages++;
    return true;
  }

  private parseFailed(conn: Connection, buffer: Buffer, isBinary: boolean, cause: unknown): void {
    this.stats.parseErrors++;
    this.report(parseError(this.context(conn), buffer, isBinary, cause));
  }

  private handleControlFrame(conn: Connection, isPing: boolean): void {
    if (!conn.live) return;
    const now = this.clock.now();
    conn.lastInboundAt = now;
    // ws answers pings itself; the pong still counts toward an exchange's outbound limit.
    if (isPing) this.outbound.recordControlFrame(now);
  }

  private handleRejectedHandshake(conn: Connection, response: IncomingMessage): void {
    if (conn.closed || conn.failure || conn.closeRequested) return;
    const status = response.statusCode ?? 0;
    const retryAfterMs = parseRetryAfter(response.headers['retry-after'], this.clock.now());
    conn.retryAfterMs = retryAfterMs;
    const error = handshakeRejectedError(this.context(conn), conn.safeUrl, status, retryAfterMs);
    conn.failure = error;
    this.report(error);
    // Aborts the request; ws then emits `error` (ignored: already explained) and `close`.
    conn.socket.terminate();
  }

  private handleConnectTimeout(conn: Connection): void {
    conn.connectTimer = undefined;
    if (conn.opened || conn.closed || conn.failure || conn.closeRequested) return;
    this.stats.connectTimeouts++;
    this.failConnection(
      conn,
      connectTimeoutError(this.context(conn), conn.safeUrl, this.options.connectTimeoutMs),
    );
  }

  private handleSocketError(conn: Connection, error: Error): void {
    if (conn.closed || conn.closeRequested || conn.failure) return;
    conn.failure = classifySocketError(error, conn.opened, conn.safeUrl, this.context(conn));
    conn.live = false;
    this.report(conn.failure);
  }

  private handleClose(conn: Connection, code: number, reasonBuffer: Buffer): void {
    if (conn.closed) return;
    conn.closed = true;
    conn.live = false;
    this.clearConnectionTimers(conn);
    conn.socket.removeAllListeners();
    // ws emits nothing after `close`; this only guards against an unhandled 'error' if it ever did.
    conn.socket.on('error', ignore);
    if (this.conn === conn) this.conn = undefined;
    // Whatever waited for this connection is stale now; a failed dial keeps the queue for the next open.
    if (conn.opened) this.outbound.dropQueued();
    const reason = reasonBuffer.toString('utf8');
    const requested = conn.closeRequested || !this.running;

    let failure: WebSocketError | undefined;
    if (!requested) {
      failure = conn.failure;
      if (failure === undefined) {
        failure = unexpectedCloseError(code, reason, this.context(conn));
        conn.failure = failure;
        this.report(failure);
      }
      if (code === 1008) {
        const { from, to } = this.outbound.lowerPace();
        this.logger.warn({ from, to }, 'closed with 1008: outbound rate lowered');
      }
    }
    if (conn.opened) {
      this.logger.info({ generation: conn.generation, code, reason, requested }, 'connection closed');
      const event: CloseEvent = { generation: conn.generation, code, reason, requested };
      try {
        this.onClose(event);
      } catch (error) {
        this.hookFailed('onClose', error, conn.generation);
      }
      this.events.emit('close', event);
    }
    conn.onClosed?.();
    if (failure !== undefined && this.running && !this.disconnecting)
      this.scheduleReconnect(failure, conn.retryAfterMs);
  }

  private scheduleReconnect(error: WebSocketError, retryAfterMs: number | undefined): void {
    const attempt = this.attempt + 1;
    if (attempt > this.options.maxReconnectAttempts) {
      this.giveUp(error);
      return;
    }
    this.attempt = attempt;
    const now = this.clock.now();
    let delayMs = this.backoff.next();
    if (retryAfterMs !== undefined) delayMs = Math.max(delayMs, retryAfterMs);
    delayMs = Math.max(delayMs, this.lastDialAt + this.options.minConnectIntervalMs - now);
    this.stats.reconnects++;
    this.reconnectTimer = this.clock.setTimeout(() => this.dial(), delayMs);
    this.setState('reconnecting', `${error.code}; attempt ${attempt} in ${delayMs} ms`, this.lastGeneration);
    this.logger.info(
      { attempt, delayMs, code: error.code, closeCode: error.closeCode },
      'reconnect scheduled',
    );
    try {
      this.onReconnect(attempt, delayMs);
    } catch (hookError) {
      this.hookFailed('onReconnect', hookError, this.lastGeneration);
    }
    this.events.emit('reconnect', { attempt, delayMs, error });
  }

  private giveUp(lastError: WebSocketError): void {
    this.running = false;
    this.outbound.dropQueued();
    const context = { client: this.name, attempt: this.attempt, generation: this.lastGeneration };
    const error = gaveUpError(context, this.options.maxReconnectAttempts, lastError);
    this.report(error);
    this.setState('closed', 'gave up reconnecting', this.lastGeneration);
    const waiter = this.openWaiter;
    this.openWaiter = undefined;
    waiter?.reject(error);
  }

  private async shutdown(): Promise<void> {
    this.running = false;
    this.clock.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.outbound.dropQueued();
    const waiter = this.openWaiter;
    this.openWaiter = undefined;
    waiter?.reject(
      abortedError({ client: this.name, attempt: this.attempt, generation: this.lastGeneration }),
    );
    const conn = this.conn;
    if (conn !== undefined && !conn.closed) await this.closeSocket(conn);
    this.setState('closed', 'disconnect() called', this.lastGeneration);
  }

  private closeSocket(conn: Connection): Promise<void> {
    return new Promise<void>((resolve) => {
      conn.onClosed = resolve;
      conn.closeRequested = true;
      conn.live = false;
      this.clearConnectionTimers(conn);
      const socket = conn.socket;
      if (socket.readyState === SOCKET_OPEN) {
        socket.close(1000, 'client disconnect');
        conn.closeTimer = this.clock.setTimeout(() => {
          conn.closeTimer = undefined;
          socket.terminate();
        }, this.options.closeTimeoutMs);
      } else {
        // Connecting: abort the handshake. Closing: stop waiting for the peer.
        socket.terminate();
      }
    });
  }

  /** Ends a connection because of `error`: reported once, socket terminated, close handler reconnects. */
  private failConnection(conn: Connection, error: WebSocketError): void {
    if (conn.closed || conn.closeRequested) return;
    if (conn.failure === undefined) {
      conn.failure = error;
      this.report(error);
    }
    conn.live = false;
    this.clearConnectionTimers(conn);
    conn.socket.terminate();
  }

  private clearConnectionTimers(conn: Connection): void {
    const clock = this.clock;
    clock.clearTimeout(conn.connectTimer);
    clock.clearTimeout(conn.watchdogTimer);
    clock.clearTimeout(conn.drainTimer);
    clock.clearTimeout(conn.closeTimer);
    conn.connectTimer = undefined;
    conn.watchdogTimer = undefined;
    conn.drainTimer = undefined;
    conn.closeTimer = undefined;
  }

  // ---------------------------------------------------------------- heartbeat and staleness

  private livenessPolicy(): LivenessPolicy {
    return {
      heartbeat: this.options.heartbeat,
      staleAfterMs: this.expectsData() ? this.options.staleAfterMs : undefined,
    };
  }

  /**
   * One timer per connection serves the heartbeat and the staleness deadline: it fires at the
   * earliest deadline, checks the timestamps that the message path maintains (no timer work per
   * message) and re-arms itself.
   */
  private scheduleWatchdog(conn: Connection, now: number): void {
    const due = nextLivenessCheck(conn, this.livenessPolicy());
    if (due === Number.POSITIVE_INFINITY) return;
    conn.watchdogTimer = this.clock.setTimeout(() => this.runWatchdog(conn), Math.max(0, due - now));
  }

  private rescheduleWatchdog(conn: Connection): void {
    this.clock.clearTimeout(conn.watchdogTimer);
    conn.watchdogTimer = undefined;
    this.scheduleWatchdog(conn, this.clock.now());
  }

  private runWatchdog(conn: Connection): void {
    conn.watchdogTimer = undefined;
    if (!conn.live) return;
    const now = this.clock.now();
    const policy = this.livenessPolicy();
    const verdict = checkLiveness(conn, now, policy);
    if (verdict === 'heartbeat-timeout') {
      this.stats.heartbeatTimeouts++;
      const timeoutMs = policy.heartbeat?.timeoutMs ?? 0;
      const error = heartbeatTimeoutError(
        this.context(conn),
        now - conn.lastInboundAt,
        now - conn.heartbeatSentAt,
        timeoutMs,
      );
      this.failConnection(conn, error);
      return;
    }
    if (verdict === 'stale') {
      this.stats.staleTimeouts++;
      const staleAfterMs = policy.staleAfterMs ?? 0;
      this.failConnection(conn, staleError(this.context(conn), now - conn.dataWindowStart, staleAfterMs));
      return;
    }
    if (verdict === 'send-heartbeat') {
      try {
        this.sendHeartbeat();
      } catch (error) {
        this.hookFailed('sendHeartbeat', error, conn.generation);
      }
      if (!conn.live) return;
    }
    this.scheduleWatchdog(conn, now);
  }

  // ---------------------------------------------------------------- outbound

  private queueMessages(conn: Connection, build: () => unknown[]): void {
    try {
      this.outbound.queueSubscriptions(build());
    } catch (error) {
      this.hookFailed('subscribeMessages/unsubscribeMessages', error, conn.generation);
    }
  }

  // ---------------------------------------------------------------- reporting

  private setState(state: ConnectionState, reason: string, generation: number): void {
    const previous = this.stats.state;
    if (previous === state) return;
    this.stats.state = state;
    this.logger.debug({ state, previous, reason, generation }, 'state');
    this.events.emit('state', { state, previous, reason, generation });
  }

  private context(conn: Connection | undefined): WebSocketErrorContext {
    return {
      client: this.name,
      attempt: conn?.attempt ?? this.attempt,
      generation: conn?.generation ?? this.lastGeneration,
    };
  }

  private report(error: WebSocketError): void {
    this.logger.warn(
      {
        err: error,
        code: error.code,
        attempt: error.attempt,
        generation: error.generation,
        closeCode: error.closeCode,
      },
      error.message,
    );
    try {
      this.onError(error);
    } catch (hookError) {
      this.stats.handlerErrors++;
      this.logger.error({ err: hookError }, `${this.name}: onError threw; ignored`);
    }
    this.events.emit('error', error);
  }

  private hookFailed(hook: string, cause: unknown, generation: number): void {
    this.stats.handlerErrors++;
    this.report(handlerError({ client: this.name, attempt: this.attempt, generation }, hook, cause));
  }

  private listenerFailed(cause: unknown, event: keyof WebSocketClientEvents): void {
    this.stats.handlerErrors++;
    if (event === 'error') {
      // Reporting it as another 'error' could loop; a log line is the end of the road.
      this.logger.error({ err: cause }, `${this.name}: an 'error' listener threw; ignored`);
      return;
    }
    const context = { client: this.name, attempt: this.attempt, generation: this.lastGeneration };
    this.report(handlerError(context, `a '${String(event)}' listener`, cause));
  }
}
