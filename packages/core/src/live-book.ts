import { FrozenLevels } from './frozen-levels.js';
import { OrderBook } from './order-book.js';
import type { LiveBook } from './plugin.js';
import type { ExchangeId, OrderBookSnapshot, SnapshotSource } from './types.js';

export interface LiveBookOptions {
  readonly exchange: ExchangeId;
  /** Canonical BASE/QUOTE. */
  readonly symbol: string;
  readonly nativeSymbol: string;
  /** Written into every snapshot (default 'ws'). */
  readonly source?: SnapshotSource;
  /** The book to wrap (default: a new OrderBook). */
  readonly book?: OrderBook;
}

interface Materialised {
  /** Levels per side, -1 for all. */
  readonly depth: number;
  readonly bids: FrozenLevels;
  readonly asks: FrozenLevels;
  /** The book version the levels were refreshed at. */
  version: number;
  /** The last snapshot built at this depth; reused while its levels and metadata are current. */
  snapshot: OrderBookSnapshot | undefined;
}

/** Distinct depths cached per book; callers use one or two, this only bounds misuse. */
const MAX_CACHED_DEPTHS = 8;

/**
 * The LiveBook every order-book stream hands out: an OrderBook plus the metadata of the last applied
 * update. The stream mutates `book` and calls `recordUpdate`; readers call `snapshot(depth?)`, which
 * materialises a frozen OrderBookSnapshot only then and caches it until the book version or the
 * metadata changes, so any number of readers per update share one allocation.
 */
export class LiveBookState implements LiveBook {
  readonly exchange: ExchangeId;
  readonly symbol: string;
  readonly nativeSymbol: string;
  readonly source: SnapshotSource;
  readonly book: OrderBook;
  /** Exchange update id of the last applied update, where the exchange has one. */
  sequence: number | undefined = undefined;
  /** ms since epoch, from the exchange, of the last applied update (0 before the first). */
  exchangeTime = 0;
  /** ms since epoch, local clock, of the last applied update (0 before the first). */
  receivedAt = 0;

  /** Materialised levels per depth asked for, kept across versions so unchanged tuples are reused. */
  private cache: Materialised[] = [];

  constructor(options: LiveBookOptions) {
    this.exchange = options.exchange;
    this.symbol = options.symbol;
    this.nativeSymbol = options.nativeSymbol;
    this.source = options.source ?? 'ws';
    this.book = options.book ?? new OrderBook();
  }

  /** Records the metadata of an update just applied to `book`. A sequence left out stays as it was. */
  recordUpdate(exchangeTime: number, receivedAt: number, sequence?: number): void {
    this.exchangeTime = exchangeTime;
    this.receivedAt = receivedAt;
    if (sequence !== undefined) this.sequence = sequence;
  }

  /** Empties the book and forgets the sequence (before a resync). The times of the last update stay. */
  reset(): void {
    this.book.clear();
    this.sequence = undefined;
  }

  /**
   * A frozen snapshot of the best `depth` levels per side (all by default). The same object is
   * returned until the book or the metadata changes.
   */
  snapshot(depth?: number): OrderBookSnapshot {
    const key =
      depth === undefined || !(depth < Number.POSITIVE_INFINITY) ? -1 : Math.max(0, Math.floor(depth));
    const entry = this.materialised(key);
    if (entry.version !== this.book.version) {
      entry.version = this.book.version;
      entry.bids.refresh(this.book);
      entry.asks.refresh(this.book);
    }
    const bids = entry.bids.levels;
    const asks = entry.asks.levels;
    const cached = entry.snapshot;
    if (
      cached !== undefined &&
      cached.bids === bids &&
      cached.asks === asks &&
      cached.sequence === this.sequence &&
      cached.exchangeTime === this.exchangeTime &&
      cached.receivedAt === this.receivedAt
    ) {
      return cached;
    }
    // Two literal shapes rather than a conditional spread: the spread costs more than the rest.
    const snapshot: OrderBookSnapshot = Object.freeze(
      this.sequence === undefined
        ? {
            exchange: this.exchange,
            symbol: this.symbol,
            nativeSymbol: this.nativeSymbol,
            bids,
            asks,
            exchangeTime: this.exchangeTime,
            receivedAt: this.receivedAt,
            source: this.source,
          }
        : {
            exchange: this.exchange,
            symbol: this.symbol,
            nativeSymbol: this.nativeSymbol,
            bids,
            asks,
            sequence: this.sequence,
            exchangeTime: this.exchangeTime,
            receivedAt: this.receivedAt,
            source: this.source,
          },
    );
    entry.snapshot = snapshot;
    return snapshot;
  }

  /** The materialised levels for a depth (-1 = all). */
  private materialised(depth: number): Materialised {
    for (const entry of this.cache) if (entry.depth === depth) return entry;
    if (this.cache.length >= MAX_CACHED_DEPTHS) this.cache = [];
    const limit = depth < 0 ? Number.POSITIVE_INFINITY : depth;
    const entry: Materialised = {
      depth,
      bids: new FrozenLevels('bid', limit),
      asks: new FrozenLevels('ask', limit),
      version: -1,
      snapshot: undefined,
    };
    this.cache.push(entry);
    return entry;
  }
}

/** Creates the LiveBook a stream keeps for one instrument. */
export function createLiveBook(options: LiveBookOptions): LiveBookState {
  return new LiveBookState(options);
}
