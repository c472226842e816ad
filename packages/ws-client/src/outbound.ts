import type { Clock } from '@arbitrage/core';
import type { Connection } from './connection.js';
import type { WebSocketClientCounters } from './counters.js';
import { OutboundPacer } from './outbound-pacer.js';
import { type OutboundPayload, SendQueue } from './send-queue.js';

/**
 * Everything the client writes: a bounded queue (subscriptions first) drained through a pacer, so
 * no more than `perSecond` frames leave per rolling second, pings and pongs included.
 */
export class Outbound {
  private readonly queue: SendQueue;
  private readonly pacer: OutboundPacer;

  constructor(
    private readonly clock: Clock,
    private readonly stats: WebSocketClientCounters,
    capacity: number,
    private readonly configuredPerSecond: number,
  ) {
    this.queue = new SendQueue(capacity);
    this.pacer = new OutboundPacer(configuredPerSecond);
  }

  get perSecond(): number {
    return this.pacer.perSecond;
  }

  /** Back to the configured pace with an empty window (on `connect()`). */
  resetPace(): void {
    this.pacer.reset();
    this.pacer.setLimit(this.configuredPerSecond);
    this.stats.outboundPerSecond = this.configuredPerSecond;
  }

  /** A fresh window for a new socket: exchanges count messages per connection. */
  startConnection(): void {
    this.pacer.reset();
  }

  /**
   * Writes `payload` now when `conn` is ready and nothing waits ahead of it within the pace;
   * otherwise queues it. Returns false when the queue is full and the payload was dropped.
   */
  send(conn: Connection | undefined, payload: OutboundPayload): boolean {
    if (conn?.live && conn.replayed && this.queue.size === 0) {
      const now = this.clock.now();
      if (this.pacer.delay(now) === 0) {
        this.write(conn, payload, now);
        return true;
      }
    }
    if (!this.queue.push(payload)) {
      this.stats.droppedSends++;
      return false;
    }
    if (conn?.live && conn.replayed) this.flush(conn);
    return true;
  }

  /** Queues subscription messages ahead of user sends; never dropped for capacity. */
  queueSubscriptions(messages: readonly unknown[]): void {
    for (const message of messages) {
      this.queue.pushSubscription(
        typeof message === 'string' || Buffer.isBuffer(message) ? message : JSON.stringify(message),
      );
    }
  }

  /** A ping or pong went out: not delayed, but it uses up the budget as the exchange counts it. */
  recordControlFrame(now: number): void {
    this.pacer.record(now);
  }

  /** Writes what the pace allows now and arms one timer for the rest. */
  flush(conn: Connection): void {
    while (conn.live && this.queue.size > 0) {
      const now = this.clock.now();
      const waitMs = this.pacer.delay(now);
      if (waitMs > 0) {
        conn.drainTimer ??= this.clock.setTimeout(() => {
          conn.drainTimer = undefined;
          this.flush(conn);
        }, waitMs);
        return;
      }
      this.write(conn, this.queue.shift()!, now);
    }
  }

  /** Drops everything queued (the connection it waited for is gone); counts dropped user sends. */
  dropQueued(): void {
    this.stats.droppedSends += this.queue.clear();
  }

  /**
   * After a 1008 (policy) close: halve the pace, or when unpaced, take half of what went out in the
   * last second. Returns the old and new pace.
   */
  lowerPace(): { from: number; to: number } {
    const from = this.pacer.perSecond;
    const base =
      from === Number.POSITIVE_INFINITY ? Math.max(2, this.pacer.countInWindow(this.clock.now())) : from;
    const to = Math.max(1, Math.floor(base / 2));
    this.pacer.setLimit(to);
    this.stats.outboundPerSecond = to;
    return { from, to };
  }

  private write(conn: Connection, payload: OutboundPayload, now: number): void {
    conn.socket.send(payload);
    this.pacer.record(now);
    this.stats.sent++;
  }
}
