/**
 * One side of a book as two parallel arrays of integer price keys and sizes (lots). Ranks count
 * from the best level (rank 0). Internally the best level is stored LAST, so the frequent changes
 * near the top of the book splice only the tail of the arrays; lookups are binary searches.
 */
export class BookSide {
  /** Internal order: worst first, best last. */
  private readonly keyStore: number[] = [];
  private readonly lotStore: number[] = [];

  constructor(readonly isBid: boolean) {}

  get size(): number {
    return this.keyStore.length;
  }

  /** Price key at `rank` (0 = best), or undefined past the end. */
  key(rank: number): number | undefined {
    return this.keyStore[this.keyStore.length - 1 - rank];
  }

  /** Size at `rank` (0 = best), or undefined past the end. */
  lots(rank: number): number | undefined {
    return this.lotStore[this.lotStore.length - 1 - rank];
  }

  /** True when `a` is a better price than `b` on this side. */
  better(a: number, b: number): boolean {
    return this.isBid ? a > b : a < b;
  }

  /** Rank of `key`, or -(insertion rank) - 1 when absent. */
  search(key: number): number {
    const index = this.indexOf(key);
    const n = this.keyStore.length;
    return index >= 0 ? n - 1 - index : -(n - (-index - 1)) - 1;
  }

  get(key: number): number {
    const index = this.indexOf(key);
    return index >= 0 ? this.lotStore[index]! : 0;
  }

  /** Sets the size at `key`; 0 removes the level. Returns the previous size (0 if absent). */
  set(key: number, lots: number): number {
    const index = this.indexOf(key);
    if (index >= 0) {
      const previous = this.lotStore[index]!;
      if (lots > 0) this.lotStore[index] = lots;
      else if (index === this.keyStore.length - 1) {
        this.keyStore.pop();
        this.lotStore.pop();
      } else {
        this.keyStore.splice(index, 1);
        this.lotStore.splice(index, 1);
      }
      return previous;
    }
    if (lots > 0) {
      const at = -index - 1;
      if (at === this.keyStore.length) {
        this.keyStore.push(key);
        this.lotStore.push(lots);
      } else {
        this.keyStore.splice(at, 0, key);
        this.lotStore.splice(at, 0, lots);
      }
    }
    return 0;
  }

  clear(): void {
    this.keyStore.length = 0;
    this.lotStore.length = 0;
  }

  /** Internal index of `key`, or -(insertion index) - 1. Internal order is worst → best. */
  private indexOf(key: number): number {
    const keys = this.keyStore;
    let low = 0;
    let high = keys.length - 1;
    const isBid = this.isBid;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const value = keys[mid]!;
      if (value === key) return mid;
      // Bids ascend towards the best (highest); asks descend towards the best (lowest).
      if (isBid ? value < key : value > key) low = mid + 1;
      else high = mid - 1;
    }
    return -low - 1;
  }
}
