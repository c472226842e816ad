import type { ReadonlyOrderBook } from './book-view.js';
import type { BookSide, PriceLevel, VwapResult } from './types.js';

export interface OrderBookOptions {
  /** Initial capacity per side; sides grow on demand. */
  readonly initialCapacity?: number;
}

/**
 * One side of a book in two parallel typed arrays, sorted ascending by key, best level LAST.
 * Bids use key = price, asks key = -price, so both sides sort the same way and the busy end of
 * the book (near the touch) is the end of the array: inserting or removing there moves few entries.
 */
class BookSideStore {
  keys: Float64Array;
  sizes: Float64Array;
  count = 0;

  constructor(
    private readonly sign: 1 | -1,
    capacity: number,
  ) {
    this.keys = new Float64Array(capacity);
    this.sizes = new Float64Array(capacity);
  }

  /** Index of `key`, or -(insertionPoint + 1) when absent. Searches from the best end first. */
  private find(key: number): number {
    const keys = this.keys;
    let hi = this.count - 1;
    // Most updates touch the top of the book: check the last few levels before bisecting.
    if (hi >= 0 && key >= keys[hi]!) return key === keys[hi] ? hi : -(hi + 2);
    let lo = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const value = keys[mid]!;
      if (value < key) lo = mid + 1;
      else if (value > key) hi = mid - 1;
      else return mid;
    }
    return -(lo + 1);
  }

  /** Sets the absolute size at `price`; 0 removes. Returns whether anything changed. */
  set(price: number, size: number): boolean {
    const key = this.sign * price;
    const index = this.find(key);
    if (index >= 0) {
      if (size === 0) {
        this.keys.copyWithin(index, index + 1, this.count);
        this.sizes.copyWithin(index, index + 1, this.count);
        this.count--;
        return true;
      }
      if (this.sizes[index] === size) return false;
      this.sizes[index] = size;
      return true;
    }
    if (size === 0) return false;
    const at = -index - 1;
    if (this.count === this.keys.length) this.grow();
    if (at < this.count) {
      this.keys.copyWithin(at + 1, at, this.count);
      this.sizes.copyWithin(at + 1, at, this.count);
    }
    this.keys[at] = key;
    this.sizes[at] = size;
    this.count++;
    return true;
  }

  /** Replaces the side with `levels` (best first). Zero-size levels are skipped. */
  load(levels: readonly PriceLevel[]): void {
    this.count = 0;
    let sorted = true;
    for (let i = levels.length - 1; i >= 0; i--) {
      const level = levels[i]!;
      const size = level[1];
      if (size === 0) continue;
      const key = this.sign * level[0];
      if (sorted && (this.count === 0 || key > this.keys[this.count - 1]!)) {
        if (this.count === this.keys.length) this.grow();
        this.keys[this.count] = key;
        this.sizes[this.count] = size;
        this.count++;
      } else {
        sorted = false;
        this.set(level[0], size);
      }
    }
  }

  price(indexFromBest: number): number {
    return this.sign * this.keys[this.count - 1 - indexFromBest]!;
  }

  size(indexFromBest: number): number {
    return this.sizes[this.count - 1 - indexFromBest]!;
  }

  private grow(): void {
    const capacity = Math.max(16, this.keys.length * 2);
    const keys = new Float64Array(capacity);
    const sizes = new Float64Array(capacity);
    keys.set(this.keys.subarray(0, this.count));
    sizes.set(this.sizes.subarray(0, this.count));
    this.keys = keys;
    this.sizes = sizes;
  }
}

/**
 * The local order book every WebSocket adapter keeps: absolute-quantity updates (zero removes,
 * removing an absent level is a no-op), best levels, top N, VWAP and crossed-book detection, with
 * snapshots materialised only when someone reads them.
 */
export class OrderBook implements ReadonlyOrderBook {
  private readonly bids: BookSideStore;
  private readonly asks: BookSideStore;
  private changes = 0;

  constructor(options: OrderBookOptions = {}) {
    const capacity = options.initialCapacity ?? 64;
    this.bids = new BookSideStore(1, capacity);
    this.asks = new BookSideStore(-1, capacity);
  }

  get version(): number {
    return this.changes;
  }

  /** Sets the absolute size of one level; 0 removes it. Prices and sizes must be finite and size >= 0. */
  set(side: BookSide, price: number, size: number): void {
    if ((side === 'bid' ? this.bids : this.asks).set(price, size)) this.changes++;
  }

  /** Replaces the whole book. Levels are best first; zero sizes are skipped. */
  applySnapshot(bids: readonly PriceLevel[], asks: readonly PriceLevel[]): void {
    this.bids.load(bids);
    this.asks.load(asks);
    this.changes++;
  }

  clear(): void {
    this.bids.count = 0;
    this.asks.count = 0;
    this.changes++;
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

  bestBid(): PriceLevel | undefined {
    return this.bids.count === 0 ? undefined : [this.bids.price(0), this.bids.size(0)];
  }

  bestAsk(): PriceLevel | undefined {
    return this.asks.count === 0 ? undefined : [this.asks.price(0), this.asks.size(0)];
  }

  top(side: BookSide, n: number = Number.POSITIVE_INFINITY): PriceLevel[] {
    const store = this.store(side);
    const count = Math.min(n, store.count);
    const levels: PriceLevel[] = new Array(count);
    for (let i = 0; i < count; i++) levels[i] = [store.price(i), store.size(i)];
    return levels;
  }

  vwap(side: BookSide, size: number): VwapResult {
    const store = this.store(side);
    let remaining = size;
    let notional = 0;
    let worstPrice = Number.NaN;
    let levels = 0;
    for (let i = 0; i < store.count && remaining > 0; i++) {
      const price = store.price(i);
      const take = Math.min(remaining, store.size(i));
      notional += take * price;
      remaining -= take;
      worstPrice = price;
      levels++;
    }
    const filledSize = size - Math.max(0, remaining);
    return {
      averagePrice: filledSize > 0 ? notional / filledSize : Number.NaN,
      filledSize,
      notional,
      worstPrice,
      levels,
    };
  }

  isCrossed(): boolean {
    return this.bids.count > 0 && this.asks.count > 0 && this.bids.price(0) >= this.asks.price(0);
  }

  private store(side: BookSide): BookSideStore {
    return side === 'bid' ? this.bids : this.asks;
  }
}
