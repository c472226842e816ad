import type { InstrumentId, InstrumentState, OrderBookSnapshot } from '@arbitrage/core';
import type { NatsFeedPublisher, NatsMarketDataProvider } from '../../src/index.js';

/** Every book a publisher published, by feed run, instrument and sequence. */
export class FeedRecord {
  private readonly books = new Map<string, OrderBookSnapshot>();
  private readonly detach: Array<() => void> = [];

  watch(publisher: NatsFeedPublisher): this {
    this.detach.push(
      publisher.onPublished(({ feed, seq, snapshot }) => {
        this.books.set(`${feed}|${snapshot.exchange}:${snapshot.symbol}|${seq}`, snapshot);
      }),
    );
    return this;
  }

  book(feed: string, id: InstrumentId, seq: number): OrderBookSnapshot | undefined {
    return this.books.get(`${feed}|${id}|${seq}`);
  }

  close(): void {
    for (const detach of this.detach.splice(0)) detach();
  }
}

/** The feed's book as published: what a consumer must serve (top levels, same fields). */
export function asPublished(book: OrderBookSnapshot, depth = 20): OrderBookSnapshot {
  return { ...book, bids: book.bids.slice(0, depth), asks: book.asks.slice(0, depth) };
}

/**
 * Watches a consumer: every snapshot it emits must come while the instrument is live and equal the
 * feed's book at the consumer's position; polled every few ms, a live instrument must hold exactly
 * the feed's book at its position. Violations are collected, not thrown (they happen in callbacks).
 */
export class ConsumerAudit {
  readonly violations: string[] = [];
  readonly emitted = new Map<InstrumentId, number>();
  readonly transitions: Array<{ id: InstrumentId; state: InstrumentState; reason?: string; at: number }> = [];
  private readonly detach: Array<() => void> = [];
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly consumer: NatsMarketDataProvider,
    private readonly record: FeedRecord,
  ) {
    this.detach.push(
      consumer.onSnapshot((snapshot) => {
        const id = `${snapshot.exchange}:${snapshot.symbol}` as InstrumentId;
        this.emitted.set(id, (this.emitted.get(id) ?? 0) + 1);
        const state = consumer.health().instruments[id]?.state;
        if (state !== 'live') this.violations.push(`${id}: emitted while ${state}`);
        this.check(id, snapshot, 'emitted');
      }),
      consumer.onHealthChange((health) => {
        this.transitions.push({
          id: health.instrument,
          state: health.state,
          ...(health.reason === undefined ? {} : { reason: health.reason }),
          at: Date.now(),
        });
      }),
    );
    this.timer = setInterval(() => this.poll(), 5);
  }

  statesOf(id: InstrumentId): InstrumentState[] {
    return this.transitions.filter((t) => t.id === id).map((t) => t.state);
  }

  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const detach of this.detach.splice(0)) detach();
  }

  private poll(): void {
    for (const health of Object.values(this.consumer.health().instruments)) {
      if (health.state !== 'live') continue;
      const snapshot = this.consumer.getLatestSnapshot(health.instrument);
      if (snapshot === undefined) this.violations.push(`${health.instrument}: live without a book`);
      else this.check(health.instrument, snapshot, 'served');
    }
  }

  private check(id: InstrumentId, snapshot: OrderBookSnapshot, how: string): void {
    const position = this.consumer.position(id);
    const published = position && this.record.book(position.feed, id, position.seq);
    if (!published) {
      this.violations.push(`${id}: ${how} a book at ${JSON.stringify(position)} the feed never published`);
      return;
    }
    const expected = asPublished(published);
    if (canonical(expected) !== canonical(snapshot)) {
      this.violations.push(`${id}: ${how} book at #${position!.seq} differs from the feed's`);
    }
  }
}

/** JSON with the top-level keys sorted: two books with the same fields compare equal. */
export function canonical(book: OrderBookSnapshot): string {
  return JSON.stringify(book, Object.keys(book).sort());
}
