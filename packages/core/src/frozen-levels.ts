import type { OrderBook } from './order-book.js';
import type { BookSide, PriceLevel } from './types.js';

const NO_LEVELS: readonly PriceLevel[] = Object.freeze([]);

/**
 * The best levels of one side as handed to readers: a frozen array of frozen [price, size] tuples,
 * so one reader cannot change what the others see. Rebuilt from the book only where it changed.
 *
 * Why the plain copies: on Node 20 reading an element of a frozen array costs 7–15 ns (10 times a
 * plain one), and freezing a tuple re-boxes its two doubles (~25 ns). So the book's top is copied
 * into typed arrays and compared with the copy behind the levels last handed out: an unchanged top
 * (most updates to a deep book) keeps the same frozen array, and a changed one reuses every tuple
 * still in the book, shifted or not.
 */
export class FrozenLevels {
  private prices = new Float64Array(0);
  private sizes = new Float64Array(0);
  /** The other pair of buffers: a refresh copies the book into it, and it becomes current if the book changed. */
  private sparePrices = new Float64Array(0);
  private spareSizes = new Float64Array(0);
  private frozen: readonly PriceLevel[] = NO_LEVELS;
  /** The same tuples as `frozen`, in a plain array that is quick to read. */
  private tuples: PriceLevel[] = [];

  constructor(
    private readonly side: BookSide,
    /** Levels kept, Infinity for all. */
    private readonly depth: number,
  ) {}

  /** The frozen levels as of the last `refresh`. */
  get levels(): readonly PriceLevel[] {
    return this.frozen;
  }

  /** Brings `levels` up to `book`; it stays the same array if the top did not change. */
  refresh(book: OrderBook): void {
    const wanted = Math.min(this.depth, book.depth(this.side));
    if (this.sparePrices.length < wanted) {
      this.sparePrices = new Float64Array(wanted * 2);
      this.spareSizes = new Float64Array(wanted * 2);
    }
    const prices = this.sparePrices;
    const sizes = this.spareSizes;
    const count = book.copyTop(this.side, prices, sizes, wanted);
    const oldPrices = this.prices;
    const oldSizes = this.sizes;
    const oldCount = this.tuples.length;
    let same = 0;
    while (
      same < count &&
      same < oldCount &&
      prices[same] === oldPrices[same] &&
      sizes[same] === oldSizes[same]
    ) {
      same++;
    }
    if (same === count && count === oldCount) return;
    const oldTuples = this.tuples;
    const tuples = oldTuples.slice(0, same);
    // Scores rise towards the best level on both sides, so "old level is better" is one comparison.
    const sign = this.side === 'bid' ? 1 : -1;
    let old = same;
    for (let i = same; i < count; i++) {
      const price = prices[i]!;
      const size = sizes[i]!;
      while (old < oldCount && sign * oldPrices[old]! > sign * price) old++;
      if (old < oldCount && oldPrices[old] === price && oldSizes[old] === size) {
        tuples.push(oldTuples[old]!);
        old++;
      } else {
        tuples.push(Object.freeze([price, size] as const));
      }
    }
    // The levels just read become the current pair; the old pair is the spare for the next refresh.
    this.sparePrices = oldPrices;
    this.spareSizes = oldSizes;
    this.prices = prices;
    this.sizes = sizes;
    this.tuples = tuples;
    this.frozen = Object.freeze(tuples.slice());
  }
}
