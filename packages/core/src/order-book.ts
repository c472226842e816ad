import { BookSideStore } from './book-side.js';
import type { ReadonlyOrderBook } from './book-view.js';
import { ConfigError, InvalidLevelError } from './errors.js';
import type { BookSide, PriceLevel, VwapResult } from './types.js';
import { VwapWalk } from './vwap.js';

export interface OrderBookOptions {
  /** Initial capacity per side (a positive integer, default 64); sides grow on demand. */
  readonly initialCapacity?: number;
}

/** A price is a finite number > 0; a size a finite number >= 0 (0 removes). NaN fails every comparison. */
function isValidLevel(price: number, size: number): boolean {
  return price > 0 && price < Number.POSITIVE_INFINITY && size >= 0 && size < Number.POSITIVE_INFINITY;
}

/** `n` as a level count: NaN and negatives are 0, fractions round down, Infinity means every level. */
function levelCount(n: number, available: number): number {
  if (!(n > 0)) return 0;
  return n >= available ? available : Math.floor(n);
}

/**
 * The local order book every WebSocket adapter keeps: absolute-quantity updates (zero removes,
 * removing an absent level is a no-op), best levels, top N, VWAP and crossed-book detection, with
 * snapshots materialised only when someone reads them (see LiveBookState).
 *
 * Invalid input never reaches the book: `set` and `applySnapshot` throw InvalidLevelError for a
 * price that is not a finite number > 0 or a size that is not a finite number >= 0, and leave the
 * book exactly as it was. Adapters validate at the edge first; this is the last line of defence.
 */
export class OrderBook implements ReadonlyOrderBook {
  private readonly bids: BookSideStore;
  private readonly asks: BookSideStore;
  private changes = 0;

  constructor(options: OrderBookOptions = {}) {
    const capacity = options.initialCapacity ?? 64;
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new ConfigError(`OrderBook initialCapacity must be a positive integer, got ${capacity}`);
    }
    this.bids = new BookSideStore(1, capacity);
    this.asks = new BookSideStore(-1, capacity);
  }

  /**
   * Increases on every change, so equal versions mean equal contents: `set` bumps it only when the
   * level actually changed; `applySnapshot`, `clear` and a `truncate` that removed levels always do.
   */
  get version(): number {
    return this.changes;
  }

  /**
   * Sets the absolute size of one level; 0 removes it, and removing an absent level is a no-op.
   * Returns whether the book changed. Throws InvalidLevelError (book untouched) for a price that is
   * not finite and > 0 or a size that is not finite and >= 0.
   */
  set(side: BookSide, price: number, size: number): boolean {
    if (!isValidLevel(price, size)) throw new InvalidLevelError(side, price, size);
    if ((side === 'bid' ? this.bids : this.asks).set(price, size)) {
      this.changes++;
      return true;
    }
    return false;
  }

  /**
   * Replaces the whole book. Levels are expected best first (bids descending, asks ascending); other
   * orders are accepted and sorted, duplicate prices keep the last occurrence, zero sizes are skipped.
   * Every level is validated before anything changes: on InvalidLevelError the book is untouched.
   */
  applySnapshot(bids: readonly PriceLevel[], asks: readonly PriceLevel[]): void {
    validateLevels('bid', bids);
    validateLevels('ask', asks);
    this.bids.load(bids);
    this.asks.load(asks);
    this.changes++;
  }

  clear(): void {
    this.bids.clear();
    this.asks.clear();
    this.changes++;
  }

  /**
   * Keeps at most `maxLevels` best levels per side (e.g. the depth a stream promised), dropping the
   * worst. Returns whether anything was removed.
   */
  truncate(maxLevels: number): boolean {
    const keep = levelCount(maxLevels, Number.POSITIVE_INFINITY);
    const removedBids = this.bids.truncate(keep);
    const removedAsks = this.asks.truncate(keep);
    if (!removedBids && !removedAsks) return false;
    this.changes++;
    return true;
  }

  depth(side: BookSide): number {
    return this.store(side).count;
  }

  bestPrice(side: BookSide): number {
    const store = this.store(side);
    return store.count === 0 ? Number.NaN : store.price(0);
  }

  bestSize(side: BookSide): number {
    const store = this.store(side);
    return store.count === 0 ? Number.NaN : store.size(0);
  }

  /** Price of the level `index` places from the best (0 = best), or NaN past the end. Allocates nothing. */
  priceAt(side: BookSide, index: number): number {
    const store = this.store(side);
    return index >= 0 && index < store.count ? store.price(index) : Number.NaN;
  }

  /** Size of the level `index` places from the best (0 = best), or NaN past the end. Allocates nothing. */
  sizeAt(side: BookSide, index: number): number {
    const store = this.store(side);
    return index >= 0 && index < store.count ? store.size(index) : Number.NaN;
  }

  bestBid(): PriceLevel | undefined {
    return this.bids.count === 0 ? undefined : [this.bids.price(0), this.bids.size(0)];
  }

  bestAsk(): PriceLevel | undefined {
    return this.asks.count === 0 ? undefined : [this.asks.price(0), this.asks.size(0)];
  }

  /** The best `n` levels of a side, best first (all of them by default; NaN or negative n gives none). */
  top(side: BookSide, n: number = Number.POSITIVE_INFINITY): PriceLevel[] {
    const store = this.store(side);
    const count = levelCount(n, store.count);
    const levels: PriceLevel[] = new Array(count);
    for (let i = 0; i < count; i++) levels[i] = [store.price(i), store.size(i)];
    return levels;
  }

  /**
   * Copies the best levels of a side, best first, into `prices` and `sizes` (as many as fit, at most
   * `n`) and returns how many it copied: the allocation-free way to read the top of a book.
   */
  copyTop(
    side: BookSide,
    prices: Float64Array,
    sizes: Float64Array,
    n: number = Number.POSITIVE_INFINITY,
  ): number {
    return this.store(side).copyTop(prices, sizes, levelCount(n, Number.POSITIVE_INFINITY));
  }

  /**
   * Walks `side` from its best level for `size` base units. A size that is not positive fills nothing
   * (averagePrice NaN); a size beyond the side's depth fills what there is (filledSize < size).
   */
  vwap(side: BookSide, size: number): VwapResult {
    const store = this.store(side);
    const walk = new VwapWalk(size);
    for (let i = 0; i < store.count && walk.wanting; i++) walk.take(store.price(i), store.size(i));
    return walk.result();
  }

  isCrossed(): boolean {
    return this.bids.count > 0 && this.asks.count > 0 && this.bids.price(0) >= this.asks.price(0);
  }

  private store(side: BookSide): BookSideStore {
    return side === 'bid' ? this.bids : this.asks;
  }
}

function validateLevels(side: BookSide, levels: readonly PriceLevel[]): void {
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]!;
    if (!isValidLevel(level[0], level[1])) throw new InvalidLevelError(side, level[0], level[1], i);
  }
}
