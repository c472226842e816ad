import type { PriceLevel } from './types.js';

/** Below this many entries a hand-written loop moves them faster than a copyWithin call. */
const SMALL_MOVE = 24;

/**
 * One side of a book in two parallel typed arrays, sorted ascending by key, best level LAST.
 * Bids use key = price, asks key = -price, so both sides sort the same way and the busy end of
 * the book (near the touch) is the end of the array: inserting or removing there moves few entries.
 *
 * The levels occupy [start, start + count) with free room on both sides, so an insert or removal
 * shifts whichever part is shorter: a change k levels from either end moves at most k entries, and
 * dropping the worst levels (truncate) moves none.
 *
 * Inputs are validated by OrderBook before they reach this class.
 */
export class BookSideStore {
  private keys: Float64Array;
  private sizes: Float64Array;
  private start = 0;
  count = 0;

  constructor(
    private readonly sign: 1 | -1,
    capacity: number,
  ) {
    this.keys = new Float64Array(capacity);
    this.sizes = new Float64Array(capacity);
  }

  /**
   * Position of `key` from the start, or -(insertionPoint + 1) when absent. Gallops from the best end
   * first, so an update k levels from the touch costs O(log k) comparisons rather than O(log depth).
   */
  private find(key: number): number {
    const keys = this.keys;
    const base = this.start;
    const last = this.count - 1;
    if (last < 0) return -1;
    const best = keys[base + last]!;
    if (key >= best) return key === best ? last : -(last + 2);
    // Invariant: keys[base + hi + 1] > key.
    let hi = last - 1;
    let step = 1;
    let probe = last - 1;
    while (probe >= 0 && keys[base + probe]! > key) {
      hi = probe - 1;
      step <<= 1;
      probe = last - step;
    }
    let lo = Math.max(probe, 0);
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const value = keys[base + mid]!;
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
        this.remove(index);
        return true;
      }
      if (this.sizes[this.start + index] === size) return false;
      this.sizes[this.start + index] = size;
      return true;
    }
    if (size === 0) return false;
    this.insert(-index - 1, key, size);
    return true;
  }

  /** Replaces the side with `levels` (best first). Zero-size levels are skipped; duplicates: the last wins. */
  load(levels: readonly PriceLevel[]): void {
    this.count = 0;
    this.ensureCapacity(levels.length);
    // Centre the levels so that inserts at either end find room.
    const base = (this.keys.length - levels.length) >> 1;
    this.start = base;
    const keys = this.keys;
    const sizes = this.sizes;
    let count = 0;
    for (let i = levels.length - 1; i >= 0; i--) {
      const level = levels[i]!;
      const size = level[1];
      if (size === 0) continue;
      const key = this.sign * level[0];
      if (count > 0 && key <= keys[base + count - 1]!) {
        this.loadUnsorted(levels);
        return;
      }
      keys[base + count] = key;
      sizes[base + count] = size;
      count++;
    }
    this.count = count;
  }

  clear(): void {
    this.count = 0;
    this.start = this.keys.length >> 1;
  }

  /** Removes the worst levels beyond `maxLevels`. Returns whether any were removed. */
  truncate(maxLevels: number): boolean {
    const excess = this.count - maxLevels;
    if (excess <= 0) return false;
    this.start += excess;
    this.count = maxLevels;
    return true;
  }

  price(indexFromBest: number): number {
    return this.sign * this.keys[this.start + this.count - 1 - indexFromBest]!;
  }

  size(indexFromBest: number): number {
    return this.sizes[this.start + this.count - 1 - indexFromBest]!;
  }

  /** Copies the best `n` levels (best first) into `prices` and `sizes`; returns how many it copied. */
  copyTop(prices: Float64Array, sizes: Float64Array, n: number): number {
    const count = Math.min(n, this.count, prices.length, sizes.length);
    const keys = this.keys;
    const own = this.sizes;
    const sign = this.sign;
    const best = this.start + this.count - 1;
    for (let i = 0; i < count; i++) {
      prices[i] = sign * keys[best - i]!;
      sizes[i] = own[best - i]!;
    }
    return count;
  }

  /** The slow path of load(): input not strictly best first. Sorts, then keeps the last of each price. */
  private loadUnsorted(levels: readonly PriceLevel[]): void {
    const sign = this.sign;
    const order: number[] = [];
    for (let i = 0; i < levels.length; i++) if (levels[i]![1] !== 0) order.push(i);
    // Stable: equal prices stay in input order, so the last occurrence is written last.
    order.sort((a, b) => sign * levels[a]![0] - sign * levels[b]![0]);
    const keys = this.keys;
    const sizes = this.sizes;
    const base = this.start;
    let count = 0;
    for (const i of order) {
      const level = levels[i]!;
      const key = sign * level[0];
      if (count > 0 && keys[base + count - 1] === key) {
        sizes[base + count - 1] = level[1];
      } else {
        keys[base + count] = key;
        sizes[base + count] = level[1];
        count++;
      }
    }
    this.count = count;
  }

  private remove(index: number): void {
    const at = this.start + index;
    if (index < this.count - 1 - index) {
      // Fewer levels below it (the worse side): move them up one.
      this.move(this.start, this.start + 1, index);
      this.start++;
    } else {
      this.move(at + 1, at, this.count - 1 - index);
    }
    this.count--;
  }

  private insert(index: number, key: number, size: number): void {
    const below = index;
    const above = this.count - index;
    const roomBelow = this.start > 0;
    const roomAbove = this.start + this.count < this.keys.length;
    if (!roomBelow && !roomAbove) {
      this.ensureCapacity(this.count + 1);
      this.insert(index, key, size);
      return;
    }
    let at: number;
    if (roomBelow && (below < above || !roomAbove)) {
      this.move(this.start, this.start - 1, below);
      this.start--;
      at = this.start + index;
    } else {
      at = this.start + index;
      this.move(at, at + 1, above);
    }
    this.keys[at] = key;
    this.sizes[at] = size;
    this.count++;
  }

  /** Moves `length` entries from `from` to `to` (ranges may overlap) in both arrays. */
  private move(from: number, to: number, length: number): void {
    if (length <= 0) return;
    const keys = this.keys;
    const sizes = this.sizes;
    if (length > SMALL_MOVE) {
      keys.copyWithin(to, from, from + length);
      sizes.copyWithin(to, from, from + length);
    } else if (to < from) {
      for (let i = 0; i < length; i++) {
        keys[to + i] = keys[from + i]!;
        sizes[to + i] = sizes[from + i]!;
      }
    } else {
      for (let i = length - 1; i >= 0; i--) {
        keys[to + i] = keys[from + i]!;
        sizes[to + i] = sizes[from + i]!;
      }
    }
  }

  /** Makes room for `needed` levels, re-centring the current ones in a larger buffer when it grows. */
  private ensureCapacity(needed: number): void {
    if (needed <= this.keys.length) return;
    let capacity = Math.max(16, this.keys.length * 2);
    while (capacity < needed) capacity *= 2;
    const keys = new Float64Array(capacity);
    const sizes = new Float64Array(capacity);
    const start = (capacity - this.count) >> 1;
    keys.set(this.keys.subarray(this.start, this.start + this.count), start);
    sizes.set(this.sizes.subarray(this.start, this.start + this.count), start);
    this.keys = keys;
    this.sizes = sizes;
    this.start = start;
  }
}
