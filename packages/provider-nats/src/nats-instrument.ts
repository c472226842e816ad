import {
  emptyInstrumentCounters,
  type InstrumentCounters,
  type InstrumentHealth,
  type InstrumentState,
  instrumentHealth,
  type OrderBookSnapshot,
  type ResolvedInstrument,
  type TimerHandle,
} from '@arbitrage/core';
import type { BookMessage, HealthMessage } from './wire/messages.js';
import type { InstrumentSubjects } from './wire/subjects.js';

/**
 * Where the consumer stands with the feed for one instrument:
 * - connecting: no answer from the feed yet;
 * - synced: it holds the feed's book at (feed, seq) and follows each next one;
 * - resyncing: it missed something (a sequence, a restarted feed, a reconnect) and waits for the latest book;
 * - down: the NATS connection is lost.
 */
export type SyncState = 'connecting' | 'synced' | 'resyncing' | 'down' | 'failed';

/** A message that arrived while resyncing, kept until the feed's reply says where it stands. */
export type PendingMessage =
  | { readonly kind: 'book'; readonly message: BookMessage }
  | { readonly kind: 'health'; readonly message: HealthMessage };

/** What a consumer does with a message: apply it, skip it as old, or resync. */
export type Verdict = 'apply' | 'old' | 'resync';

/** One consumed instrument: the feed position, the book and state it vouches for, and counters. */
export class NatsInstrument {
  sync: SyncState = 'connecting';
  syncReason: string | undefined = 'not started';
  /** The feed run and the last book sequence held (0: the feed had no book yet). */
  feed: string | undefined;
  seq = 0;
  snapshot: OrderBookSnapshot | undefined;
  /** The feed's own state of the instrument (its provider's health). */
  upstream: InstrumentState = 'connecting';
  upstreamReason: string | undefined;
  /** When the feed sent the last valid message (book, health or reply), in local time. */
  lastHeardAt: number | undefined;
  lastUpdateAt: number | undefined;
  state: InstrumentState = 'connecting';
  reason: string | undefined = 'not started';
  since: number;
  readonly counters: InstrumentCounters = emptyInstrumentCounters();
  /** A snapshot request is in flight. */
  requesting = false;
  pending: PendingMessage[] = [];
  retryTimer: TimerHandle | undefined;

  constructor(
    readonly instrument: ResolvedInstrument,
    readonly subjects: InstrumentSubjects,
    now: number,
  ) {
    this.since = now;
  }

  /** Whether a book continues what is held. */
  judgeBook(book: BookMessage): Verdict {
    if (this.sync !== 'synced') return 'old';
    if (book.feed !== this.feed) return 'resync';
    if (book.seq <= this.seq) return 'old';
    return book.seq === this.seq + 1 ? 'apply' : 'resync';
  }

  /** Whether a health message fits what is held: a later sequence means a book was missed. */
  judgeHealth(health: HealthMessage): Verdict {
    if (this.sync !== 'synced') return 'old';
    if (health.feed !== this.feed) return 'resync';
    if (health.seq < this.seq) return 'old';
    return health.seq === this.seq ? 'apply' : 'resync';
  }

  /** Takes a book as the feed's latest at its sequence. */
  takeBook(book: BookMessage, now: number): void {
    const { instrument } = this;
    this.feed = book.feed;
    this.seq = book.seq;
    this.snapshot = {
      exchange: instrument.exchange,
      symbol: instrument.symbol,
      nativeSymbol: instrument.nativeSymbol,
      bids: book.bids,
      asks: book.asks,
      ...(book.exchangeSeq === undefined ? {} : { sequence: book.exchangeSeq }),
      exchangeTime: book.exchangeTime,
      receivedAt: book.receivedAt,
      source: book.source,
    };
    this.lastUpdateAt = now;
    this.counters.updates++;
  }

  takeHealth(health: HealthMessage): void {
    this.upstream = health.state;
    this.upstreamReason = health.reason;
  }

  /**
   * The state served: live only when synced with the feed, the feed calls it live, a book is held
   * and the feed was heard within `staleAfterMs`.
   */
  evaluate(now: number, staleAfterMs: number): { state: InstrumentState; reason: string | undefined } {
    switch (this.sync) {
      case 'connecting':
        return { state: 'connecting', reason: this.syncReason };
      case 'resyncing':
        return { state: 'resyncing', reason: this.syncReason };
      case 'down':
        return { state: 'down', reason: this.syncReason };
      case 'failed':
        return { state: 'failed', reason: this.syncReason };
      case 'synced':
        break;
    }
    const silent = this.lastHeardAt === undefined ? Infinity : now - this.lastHeardAt;
    if (silent > staleAfterMs) {
      return {
        state: 'stale',
        reason: `no fresh message from the feed for ${silent} ms (staleAfterMs ${staleAfterMs})`,
      };
    }
    if (this.upstream === 'live' && this.snapshot === undefined) {
      return { state: 'connecting', reason: 'the feed has no book yet' };
    }
    const reason =
      this.upstream === 'live' ? undefined : `at the feed: ${this.upstreamReason ?? this.upstream}`;
    return { state: this.upstream, reason };
  }

  /** Re-evaluates; returns whether the state or reason changed. */
  refresh(now: number, staleAfterMs: number): boolean {
    const { state, reason } = this.evaluate(now, staleAfterMs);
    if (state === this.state && reason === this.reason) return false;
    if (state === 'stale' && this.state === 'stale') {
      // Only the silence grew: not a change worth reporting.
      this.reason = reason;
      return false;
    }
    if (state === 'stale' && this.state !== 'stale') this.counters.staleEvents++;
    if (state !== this.state) this.since = now;
    this.state = state;
    this.reason = reason;
    return true;
  }

  health(now: number, staleAfterMs: number): InstrumentHealth {
    const { instrument } = this;
    let { state, reason, since } = this;
    const current = this.evaluate(now, staleAfterMs);
    if (current.state !== state) {
      // The sweep may not have run yet (a busy event loop): silence decides now.
      state = current.state;
      reason = current.reason;
      since = now;
    }
    const source = this.snapshot?.source ?? 'ws';
    return instrumentHealth(
      instrument,
      { state, reason, since, source, lastUpdateAt: this.lastUpdateAt, counters: this.counters },
      now,
    );
  }
}
