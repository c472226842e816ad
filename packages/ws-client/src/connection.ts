import type { TimerHandle } from '@arbitrage/core';
import type { WebSocketError } from './errors.js';
import type { SocketLike } from './socket-like.js';

/** The meta object handed to `onMessage`, mutated in place for every message of one connection. */
export interface MutableMessageMeta {
  generation: number;
  receivedAt: number;
  isBinary: boolean;
  bytes: number;
}

/**
 * Everything that belongs to one socket. A new one is made for every dial, so nothing of an old
 * connection (timers, late frames, async work) can reach the new one: handlers are bound to their
 * own `Connection` and check `live`.
 */
export class Connection {
  /** True from open until the client decides to end it (failure, disconnect) or it closes. */
  live = false;
  opened = false;
  closed = false;
  /** `disconnect()` asked for this close. */
  closeRequested = false;
  /** The subscription replay has been queued; later `subscribe()` calls send deltas. */
  replayed = false;
  /** First data message arrived (or the adapter said so): the backoff was reset. */
  healthy = false;
  openedAt = 0;
  /** Last inbound frame of any kind: data, heartbeat reply, ping, pong. */
  lastInboundAt = 0;
  /** Start of the current data-staleness window: the last data message, open, or a new subscription. */
  dataWindowStart = 0;
  /** When the oldest unanswered heartbeat was sent; 0 when none is outstanding. */
  heartbeatSentAt = 0;
  nextHeartbeatAt = 0;
  /** What ended (or is ending) this connection, reported once. */
  failure: WebSocketError | undefined;
  retryAfterMs: number | undefined;
  connectTimer: TimerHandle | undefined;
  watchdogTimer: TimerHandle | undefined;
  drainTimer: TimerHandle | undefined;
  closeTimer: TimerHandle | undefined;
  /** Resolves `disconnect()`'s wait once the socket has closed. */
  onClosed: (() => void) | undefined;
  readonly meta: MutableMessageMeta;

  constructor(
    readonly generation: number,
    readonly attempt: number,
    /** The URL without query string, safe to log. */
    readonly safeUrl: string,
    readonly socket: SocketLike,
  ) {
    this.meta = { generation, receivedAt: 0, isBinary: false, bytes: 0 };
  }
}
