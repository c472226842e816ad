/** Payload types `ws` can send. */
export type OutboundPayload = string | Buffer;

/** A FIFO with an advancing head, so taking from the front is O(1) without `Array#shift`. */
class Fifo {
  private items: OutboundPayload[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(payload: OutboundPayload): void {
    this.items.push(payload);
  }

  shift(): OutboundPayload | undefined {
    if (this.head >= this.items.length) return undefined;
    const payload = this.items[this.head]!;
    this.head++;
    if (this.head === this.items.length) this.clear();
    return payload;
  }

  clear(): number {
    const dropped = this.size;
    this.items = [];
    this.head = 0;
    return dropped;
  }
}

/**
 * Outgoing payloads waiting for an open socket or for the outbound pace. Subscription messages go
 * first and are never dropped (a connection without its topics is useless); user sends are bounded
 * by `capacity`.
 */
export class SendQueue {
  private readonly subscriptions = new Fifo();
  private readonly user = new Fifo();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.subscriptions.size + this.user.size;
  }

  /** Adds a user payload; false when `capacity` user payloads are already waiting. */
  push(payload: OutboundPayload): boolean {
    if (this.user.size >= this.capacity) return false;
    this.user.push(payload);
    return true;
  }

  /** Adds a subscription payload: ahead of every user payload, regardless of capacity. */
  pushSubscription(payload: OutboundPayload): void {
    this.subscriptions.push(payload);
  }

  shift(): OutboundPayload | undefined {
    return this.subscriptions.size > 0 ? this.subscriptions.shift() : this.user.shift();
  }

  /** Drops everything; returns how many user payloads were dropped. */
  clear(): number {
    this.subscriptions.clear();
    return this.user.clear();
  }

  /** Drops pending subscription payloads only (a new replay supersedes them). */
  clearSubscriptions(): void {
    this.subscriptions.clear();
  }
}
